import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { reportError } from './errors.js';
import { registerSymbols } from './commands/symbols.js';
import { registerShow } from './commands/show.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

/** Builds the `rotation` program. Each verb lives in commands/<verb>.ts and registers itself here. */
export function buildProgram(): Command {
  const program = new Command('rotation')
    .description(
      'Rotation Desk: who leads the US stock market (small caps or Big Tech), which sectors money rotates ' +
        'into, and what history says happens next — computed from data you can check.',
    )
    .version(pkg.version)
    .option('--db <path>', 'store file (default: $ROTATION_DB or ./rotation.duckdb)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(str) });
  registerSymbols(program);
  registerShow(program);
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (e) {
    return reportError(e);
  }
}
