import type { Observation } from '../../shared/domain.js';
import type { Store } from '../store/store.js';

/** Every stored series id starting with `prefix` (e.g. `earnings:`), sorted. */
export async function loadSeriesIds(store: Store, prefix: string): Promise<string[]> {
  return store.seriesIds(prefix);
}

/**
 * Every vintage of every period of one series known at `asOf` (all when undefined), oldest vintage first: its
 * vintage and its known-at date both on or before `asOf`.
 */
export async function loadVintages(store: Store, series: string, asOf?: string): Promise<Observation[]> {
  return store.loadVintages(series, asOf);
}

/** Notes of a series keyed `period|as_of` (empty when none were imported). */
export async function loadNotes(store: Store, series: string): Promise<Map<string, string>> {
  return store.loadNotes(series);
}

/**
 * A series as known at `asOf`: only observations whose known-at date is on or before `asOf` (Store.loadObservations),
 * cut to periods on or before it. For history files imported without real vintages the value read may come from a
 * vintage later than `asOf` (the file's fetch date): `laterVintage` is then the latest such vintage, so the caller
 * can say the values may include revisions made after `asOf`.
 */
export async function loadAsKnown(
  store: Store,
  series: string,
  asOf?: string,
): Promise<{ obs: Observation[]; laterVintage: string | null }> {
  const known = await store.loadObservations(series, asOf ? { asOf } : {});
  if (!asOf) return { obs: known, laterVintage: null };
  const obs = known.filter((o) => o.period.slice(0, 10) <= asOf);
  const v = obs.reduce<string | null>(
    (m, o) => (o.asOf > asOf && (m === null || o.asOf > m) ? o.asOf : m),
    null,
  );
  return { obs, laterVintage: v };
}
