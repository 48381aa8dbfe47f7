import type { Point } from './fact.js';

/** The month key `YYYY-MM` of a period written `YYYY-MM` or `YYYY-MM-DD`; null otherwise. */
function monthKey(period: string): string | null {
  return /^\d{4}-\d{2}(-\d{2})?$/.test(period) ? period.slice(0, 7) : null;
}

function monthBefore(key: string, months: number): string {
  const y = Number(key.slice(0, 4));
  const m = Number(key.slice(5, 7));
  const t = y * 12 + (m - 1) - months;
  return `${String(Math.floor(t / 12)).padStart(4, '0')}-${String((t % 12) + 1).padStart(2, '0')}`;
}

/**
 * Year-over-year change of a monthly index level (CPI): value / value 12 months earlier − 1, as a fraction.
 * Months without the level 12 months earlier are left out. Output is keyed like the input and in period order.
 * BLS publishes the headline 12-month change from the not-seasonally-adjusted index (CUUR0000SA0), rounded to
 * one decimal; from the seasonally adjusted CPIAUCSL the result can differ by about 0.1 pp.
 */
export function yearOverYear(points: readonly Point[]): Point[] {
  const byMonth = new Map<string, number>();
  for (const p of points) {
    const k = monthKey(p.period);
    if (k) byMonth.set(k, p.value);
  }
  const out: Point[] = [];
  for (const p of [...points].sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0))) {
    const k = monthKey(p.period);
    if (!k) continue;
    const base = byMonth.get(monthBefore(k, 12));
    if (base === undefined || base === 0) continue;
    out.push({ period: p.period, value: p.value / base - 1 });
  }
  return out;
}

/** actual − consensus, in the release's unit: positive means hotter (higher) than expected. */
export function surprise(actual: number, consensus: number): number {
  return actual - consensus;
}

/** The policy-rate path over a trailing window. */
export type PolicyPath = {
  from: Point;
  to: Point;
  /** to − from, percentage points. */
  change: number;
  /** Step-downs (cuts) and step-ups between consecutive readings of at least `minStep` pp. */
  cuts: number;
  hikes: number;
};

/**
 * The fed funds path over the `months` months up to `asOf`: change in percentage points, and how many cuts and
 * hikes happened. On a target-rate series (DFEDTARU, daily steps) the counts are exact; on the monthly average
 * effective rate (FEDFUNDS) a cut taking effect mid-month spreads over two months, so use `change` (and
 * change / 0.25 as "about N quarter-point cuts") rather than the counts. `minStep` ignores drift of the
 * effective rate inside the target range (default 0.125 pp, half a quarter point).
 */
export function policyPath(
  points: readonly Point[],
  asOf: string,
  months = 12,
  minStep = 0.125,
): PolicyPath | null {
  const xs = points
    .filter((p) => p.period <= asOf)
    .sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0));
  const to = xs[xs.length - 1];
  if (!to) return null;
  const startKey = monthBefore(asOf.slice(0, 7), months) + asOf.slice(7);
  // The reading in force at the start: the last one on or before the start date.
  let startIdx = -1;
  for (let i = 0; i < xs.length; i++) if ((xs[i] as Point).period <= startKey) startIdx = i;
  if (startIdx < 0) return null;
  const from = xs[startIdx] as Point;
  let cuts = 0;
  let hikes = 0;
  let level = from.value;
  for (let i = startIdx + 1; i < xs.length; i++) {
    const v = (xs[i] as Point).value;
    if (v <= level - minStep) {
      cuts++;
      level = v;
    } else if (v >= level + minStep) {
      hikes++;
      level = v;
    }
  }
  return { from, to, change: to.value - from.value, cuts, hikes };
}

/** 10-year and 2-year yields on the latest date on or before `asOf` where both exist, and 10y − 2y. */
export type CurveReading = { date: string; tenYear: number; twoYear: number; spread: number };

export function yieldCurve(
  tenYear: readonly Point[],
  twoYear: readonly Point[],
  asOf: string,
): CurveReading | null {
  const two = new Map(twoYear.map((p) => [p.period, p.value]));
  let best: Point | null = null;
  for (const p of tenYear)
    if (p.period <= asOf && two.has(p.period) && (!best || p.period > best.period)) best = p;
  if (!best) return null;
  const t = two.get(best.period) as number;
  return { date: best.period, tenYear: best.value, twoYear: t, spread: best.value - t };
}

/** What a CPI series measures, whatever file or provider it came from; null when the id is not a known CPI series. */
export type CpiIdentity = 'cpi-u-nsa' | 'cpi-u-sa' | 'core-sa';

/**
 * The identity of a CPI series id: BLS CUUR0000SA0 / FRED CPIAUCNS and files named `CPI-U_NSA…` (their index
 * column) are CPI-U all items not seasonally adjusted, the series the press quotes; CPIAUCSL / CUSR0000SA0 the
 * seasonally adjusted one; CPILFESL / CUSR0000SA0L1E core (less food and energy, SA). Two stored series with one
 * identity are merged by period (mergeByPeriod), never read as two figures.
 */
export function cpiIdentity(series: string): CpiIdentity | null {
  if (/^(CUUR0000SA0|CPIAUCNS)$/i.test(series) || /^CPI-U_NSA[^:]*(:Index)?$/i.test(series))
    return 'cpi-u-nsa';
  if (/^(CUSR0000SA0|CPIAUCSL)$/i.test(series)) return 'cpi-u-sa';
  if (/^(CPILFESL|CUSR0000SA0L1E)$/i.test(series)) return 'core-sa';
  return null;
}

/**
 * Merges point lists of the same series from several sources into one, one point per period: where two give a
 * period, the one listed first wins (callers list the most recent vintage first). Output in period order.
 */
export function mergeByPeriod<P extends Point>(lists: readonly (readonly P[])[]): P[] {
  const m = new Map<string, P>();
  for (const list of lists) for (const p of list) if (!m.has(p.period)) m.set(p.period, p);
  return [...m.values()].sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0));
}
