import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { reportError } from './errors.js';
import { registerSymbols } from './commands/symbols.js';
import { registerShow } from './commands/show.js';
import { registerImport } from './commands/import.js';
import { registerSync } from './commands/sync.js';
import { registerCalendar } from './commands/calendar.js';
import { registerDoctor } from './commands/doctor.js';
import { registerRrg } from './commands/rrg.js';
import { registerBreadth } from './commands/breadth.js';
import { registerRegime } from './commands/regime.js';
import { registerRace } from './commands/race.js';
import { registerPrecedents } from './commands/precedents.js';
import { registerOdds } from './commands/odds.js';
import { registerCheck } from './commands/check.js';
import { registerBasket } from './commands/basket.js';
import { registerEarnings } from './commands/earnings.js';
import { registerFlows } from './commands/flows.js';
import { registerPositioning } from './commands/positioning.js';
import { registerMacro } from './commands/macro.js';
import { registerBrief } from './commands/brief.js';

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
  // The main job first, then data in, then the questions, then the why.
  registerBrief(program);
  registerImport(program);
  registerSync(program);
  registerSymbols(program);
  registerShow(program);
  registerDoctor(program);
  registerCalendar(program);
  registerRace(program);
  registerPrecedents(program);
  registerOdds(program);
  registerCheck(program);
  registerBasket(program);
  registerRrg(program);
  registerBreadth(program);
  registerRegime(program);
  registerEarnings(program);
  registerFlows(program);
  registerPositioning(program);
  registerMacro(program);
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
