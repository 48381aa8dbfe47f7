import { surprise } from '../core/why/macro.js';
import type { Store } from './store/store.js';
import { loadVintages } from './why/load.js';

/** One past release with both figures: actual − consensus (core/why surprise), each the latest vintage known. */
export type PastSurprise = { period: string; surprise: number; knownAt: string };

/**
 * Every release of `key` (e.g. `macro:us:cpi:yoy`) with an actual and a consensus known on `asOf`, oldest first:
 * the history a surprise is ranked against. The latest release's surprise is the one `loadMacroFigures` reports.
 */
export async function loadReleaseSurprises(store: Store, key: string, asOf: string): Promise<PastSurprise[]> {
  const latest = async (metric: string) => {
    const m = new Map<string, { value: number; asOf: string }>();
    for (const v of await loadVintages(store, `${key}:${metric}`, asOf)) {
      const prev = m.get(v.period);
      if (!prev || v.asOf > prev.asOf) m.set(v.period, { value: v.value, asOf: v.asOf });
    }
    return m;
  };
  const actual = await latest('actual');
  const consensus = await latest('consensus');
  const out: PastSurprise[] = [];
  for (const [period, a] of actual) {
    const c = consensus.get(period);
    if (c)
      out.push({ period, surprise: surprise(a.value, c.value), knownAt: a.asOf > c.asOf ? a.asOf : c.asOf });
  }
  return out.sort((x, y) => (x.period < y.period ? -1 : 1));
}
