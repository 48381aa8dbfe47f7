import type { TradingDate } from '../../shared/brand.js';
import type { AlignedSeries, Series } from './types.js';

export type AlignOptions = {
  /**
   * Gap policy. 0 (default): inner join — a date is kept only when every series has a value on it.
   * K > 0: a series missing on a date that at least one other series has is forward-filled from its last value,
   * for at most K consecutive sessions; a date is still dropped when some series has no value within K sessions
   * (or none yet: nothing is back-filled, so a series never borrows a value from its future).
   */
  fillMaxSessions?: number;
};

/**
 * Puts several series on common sessions.
 *
 * Inner join by default: the result holds only the dates present in every input. With `fillMaxSessions: K`
 * the union of dates is walked and short gaps (a holiday in one feed, a missing row) are forward-filled with the
 * last known value, at most K sessions in a row. Forward-filling uses only past values, so it adds no look-ahead.
 */
export function alignSeries(series: readonly Series[], opts: AlignOptions = {}): AlignedSeries {
  const k = Math.max(0, Math.floor(opts.fillMaxSessions ?? 0));
  if (series.length === 0) return { dates: [], values: [] };
  const maps = series.map((s) => {
    const m = new Map<string, number>();
    for (let i = 0; i < s.dates.length; i++) m.set(s.dates[i] as string, s.values[i] as number);
    return m;
  });
  let candidates: TradingDate[];
  if (k === 0) {
    const first = series[0] as Series;
    candidates = first.dates.filter((d) => maps.every((m) => m.has(d)));
  } else {
    const all = new Set<string>();
    for (const s of series) for (const d of s.dates) all.add(d);
    candidates = [...all].sort() as TradingDate[];
  }
  const dates: TradingDate[] = [];
  const values: number[][] = series.map(() => []);
  const last: (number | null)[] = series.map(() => null);
  const stale: number[] = series.map(() => 0);
  for (const d of candidates) {
    let keep = true;
    const row: number[] = [];
    for (let j = 0; j < maps.length; j++) {
      const v = (maps[j] as Map<string, number>).get(d);
      if (v !== undefined) {
        last[j] = v;
        stale[j] = 0;
        row.push(v);
      } else {
        stale[j] = (stale[j] as number) + 1;
        const l = last[j];
        if (l === null || l === undefined || (stale[j] as number) > k) keep = false;
        row.push(l ?? NaN);
      }
    }
    if (!keep) continue;
    dates.push(d);
    for (let j = 0; j < row.length; j++) (values[j] as number[]).push(row[j] as number);
  }
  return { dates, values };
}
