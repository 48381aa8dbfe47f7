import type { TradingDate } from '../../shared/brand.js';
import type { AlignedSeries, CloseSeries } from './types.js';

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
 * Puts several series on common sessions (each series' dates ascending and unique).
 *
 * Inner join by default: the result holds only the dates present in every input, walked as a merge join. With
 * `fillMaxSessions: K` the union of dates is walked and short gaps (a holiday in one feed, a missing row) are
 * forward-filled with the last known value, at most K sessions in a row. Forward-filling uses only past values,
 * so it adds no look-ahead.
 */
export function alignSeries(series: readonly CloseSeries[], opts: AlignOptions = {}): AlignedSeries {
  const k = Math.max(0, Math.floor(opts.fillMaxSessions ?? 0));
  if (series.length === 0) return { dates: [], values: [] };
  return k === 0 ? innerJoin(series) : forwardFilled(series, k);
}

function innerJoin(series: readonly CloseSeries[]): AlignedSeries {
  const first = series[0] as CloseSeries;
  const pos = series.map(() => 0);
  const dates: TradingDate[] = [];
  const values: number[][] = series.map(() => []);
  for (let i = 0; i < first.dates.length; i++) {
    const d = first.dates[i] as string;
    let all = true;
    for (let j = 1; j < series.length; j++) {
      const s = series[j] as CloseSeries;
      let p = pos[j] as number;
      while (p < s.dates.length && (s.dates[p] as string) < d) p++;
      pos[j] = p;
      if (s.dates[p] !== d) all = false;
    }
    if (!all) continue;
    dates.push(d as TradingDate);
    (values[0] as number[]).push(first.values[i] as number);
    for (let j = 1; j < series.length; j++)
      (values[j] as number[]).push((series[j] as CloseSeries).values[pos[j] as number] as number);
  }
  return { dates, values };
}

function forwardFilled(series: readonly CloseSeries[], k: number): AlignedSeries {
  const maps = series.map((s) => {
    const m = new Map<string, number>();
    for (let i = 0; i < s.dates.length; i++) m.set(s.dates[i] as string, s.values[i] as number);
    return m;
  });
  const all = new Set<string>();
  for (const s of series) for (const d of s.dates) all.add(d);
  const candidates = [...all].sort();
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
    dates.push(d as TradingDate);
    for (let j = 0; j < row.length; j++) (values[j] as number[]).push(row[j] as number);
  }
  return { dates, values };
}

/** The part of a series dated on or before `asOf` (the series itself when nothing is later). */
export function cutSeries(s: CloseSeries, asOf: string): CloseSeries {
  let n = s.dates.length;
  while (n > 0 && (s.dates[n - 1] as string) > asOf) n--;
  return n === s.dates.length ? s : { dates: s.dates.slice(0, n), values: s.values.slice(0, n) };
}
