import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { reportError } from './errors.js';
import { VERBS, verbOf } from './verbs.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

/**
 * Builds the `rotation` program for an argument list. Each verb lives in commands/<verb>.ts; only the verb that
 * runs is loaded (with its options, help and action), the others are listed by their summary.
 */
export async function buildProgram(argv: readonly string[]): Promise<Command> {
  const program = new Command('rotation')
    .description(
      'Rotation Desk: who leads the US stock market (small caps or Big Tech), which sectors money rotates ' +
        'into, and what history says happens next — computed from data you can check.',
    )
    .version(pkg.version)
    .option('--db <path>', 'store file or postgres:// URL (default: $ROTATION_DB or ./rotation.duckdb)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(str) });
  const verb = verbOf(argv);
  for (const v of VERBS) {
    if (v.name === verb) {
      (await v.load())(program);
      program.commands.at(-1)?.summary(v.summary);
    } else {
      program.command(v.args ? `${v.name} ${v.args}` : v.name).summary(v.summary);
    }
  }
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    await (await buildProgram(argv)).parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (e) {
    return reportError(e);
  }
}
