import type { TradingDate } from '../shared/brand.js';
import { CALENDAR_RANGE, sessionsBetween } from '../core/calendar/calendar.js';
import { NotFoundError } from '../shared/errors.js';
import type { Config } from './config.js';
import type { Store } from './store/store.js';

/**
 * The as-of date a command uses when none is given: the last session stored for the configured small-cap
 * benchmark (else the latest bar of any symbol). The brief and `rotation macro` share it, so a fact printed by
 * both without `--as-of` has one value. Throws NotFoundError on an empty store or one without bars.
 */
export async function latestStoredSession(store: Store, config: Config): Promise<TradingDate> {
  if (await store.isEmpty())
    throw new NotFoundError(
      'the store is empty: nothing to report on',
      'fill it with `rotation sync` (downloads the default universe) or `rotation import <files or folders>`',
    );
  // The benchmark's own listing first (cheap on a large store); the whole listing only when it is not stored.
  const s =
    (await store.listSymbols([config.benchmarks.smallCaps]))[0] ??
    (await store.listSymbols()).find((x) => x.table === 'bars');
  if (!s?.lastDate)
    throw new NotFoundError('no price bars stored', 'add some with `rotation sync` or `rotation import`');
  return s.lastDate as TradingDate;
}

/** Data that end before the session they should cover: both dates and the NYSE sessions missing in between. */
export type DataStaleness = {
  dataEnd: TradingDate;
  due: TradingDate;
  sessionsBehind: number;
  message: string;
};

/**
 * The staleness of data ending on `dataEnd` when `due` (the last completed NYSE session, passed in by the edge
 * that owns the clock) should be covered, the brief's rule: any session missing makes it stale. Null when fresh or
 * when no `due` is known (an explicit `--as-of` reads what was known then and is never stale by this rule).
 */
export function dataStaleness(
  dataEnd: TradingDate | null,
  due: TradingDate | undefined,
): DataStaleness | null {
  if (!due || !dataEnd || dataEnd >= due) return null;
  const from = dataEnd < CALENDAR_RANGE.first ? CALENDAR_RANGE.first : dataEnd;
  const sessionsBehind = sessionsBetween(from, due).filter((s) => s > dataEnd).length;
  return {
    dataEnd,
    due,
    sessionsBehind,
    message: `stale: the data end ${dataEnd}, ${sessionsBehind} NYSE session${sessionsBehind === 1 ? '' : 's'} before the last completed session (${due})`,
  };
}
