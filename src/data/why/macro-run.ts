import { nextMacroEvents, type NextMacroEvent } from '../../core/why/macro-calendar.js';
import type { Store } from '../store/store.js';
import { loadMacroFigures } from './figures.js';
import { futuresFigures, ROLL_CAVEAT } from './futures.js';

type MacroOptions = Parameters<typeof loadMacroFigures>[1];

/**
 * Everything `rotation macro` and `GET /api/v1/macro` answer, assembled once: the macro figures, the index futures'
 * last session, and the next FOMC, CPI and jobs dates from the project's calendar.
 */
export async function runMacro(store: Store, opts: MacroOptions & { asOf: string }) {
  const { facts, warnings } = await loadMacroFigures(store, opts);
  const futures = await futuresFigures(store, { asOf: opts.asOf });
  const calendar: NextMacroEvent[] = nextMacroEvents(opts.asOf);
  return {
    asOf: opts.asOf,
    warnings,
    calendar,
    ...(futures.rows.length > 0 ? { futuresCaveat: ROLL_CAVEAT } : {}),
    facts: [...facts, ...futures.facts],
  };
}
