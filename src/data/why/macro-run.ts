import { nextMacroEvents, type NextMacroEvent } from '../../core/why/macro-calendar.js';
import type { Config } from '../config.js';
import { latestStoredSession } from '../latest.js';
import type { Store } from '../store/store.js';
import { loadMacroFigures } from './figures.js';
import { futuresFigures, ROLL_CAVEAT } from './futures.js';

type MacroOptions = Omit<Parameters<typeof loadMacroFigures>[1], 'asOf'>;

/**
 * Everything `rotation macro` and `GET /api/v1/macro` answer, assembled once: the macro figures, the index futures'
 * last session, and the next FOMC, CPI and jobs dates from the project's calendar. Without `asOf`, as of the brief's
 * default (data/latest: the last session stored for the small-cap benchmark), so the fed path and CPI end where the
 * brief's do.
 */
export async function runMacro(
  store: Store,
  opts: MacroOptions & { asOf?: string | undefined; config: Config },
) {
  const { config, ...rest } = opts;
  const asOf = opts.asOf ?? (await latestStoredSession(store, config));
  const { facts, warnings } = await loadMacroFigures(store, { ...rest, asOf });
  const futures = await futuresFigures(store, { asOf });
  const calendar: NextMacroEvent[] = nextMacroEvents(asOf);
  return {
    asOf,
    warnings,
    calendar,
    ...(futures.rows.length > 0 ? { futuresCaveat: ROLL_CAVEAT } : {}),
    facts: [...facts, ...futures.facts],
  };
}
