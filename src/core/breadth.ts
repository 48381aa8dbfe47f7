/**
 * Market breadth and concentration: is the rally broad or carried by a few giants?
 *
 * - Equal weight vs cap weight: the relative return of an equal-weight fund (RSP) against its cap-weight twin
 *   (SPY) over ytd / 1m / 3m / 12m, and the trend of the RSP/SPY ratio line.
 * - Participation: per date, the share of a constituent list whose close is above its trailing 50- or
 *   200-session mean (count above / count with a full window; the pandas peer's `breadth` step).
 * - Concentration: top-1/5/10 weight share, Herfindahl index and effective number of holdings from index weights.
 */
import type { TradingDate } from '../shared/brand.js';
import { alignSeries, cutSeries } from './series/align.js';
import { rollingMean } from './series/rolling.js';
import type { CloseSeries, Maybe } from './series/types.js';
import { resolveWindow, type Window } from './window.js';

// ---- equal weight vs cap weight ------------------------------------------------------------------

/**
 * The windows of the equal-vs-cap comparison. `ytd`: from the last close of the previous year; `1m`, `3m`, `12m`:
 * the last 21, 63 and 252 sessions (DESIGN `rolling:N`, i.e. close_t / close_{t-N} - 1).
 */
export const RELATIVE_WINDOWS = ['ytd', '1m', '3m', '12m'] as const;
export type RelativeWindow = (typeof RELATIVE_WINDOWS)[number];
const WINDOWS: Record<RelativeWindow, Window> = {
  ytd: { kind: 'ytd' },
  '1m': { kind: 'rolling', sessions: 21 },
  '3m': { kind: 'rolling', sessions: 63 },
  '12m': { kind: 'rolling', sessions: 252 },
};

export type RelativeReturn = {
  window: RelativeWindow;
  /** The close the window is measured from, and the last close. */
  from: TradingDate | null;
  to: TradingDate | null;
  retA: number | null;
  retB: number | null;
  /** retA - retB. */
  spread: number | null;
  /** (1 + retA) / (1 + retB) - 1: the change of the A/B ratio line. */
  relative: number | null;
};

/** Relative returns of A against B over the standard windows, on their common dates (<= asOf when given). */
export function relativeReturns(a: CloseSeries, b: CloseSeries, asOf?: string): RelativeReturn[] {
  const j = alignSeries([asOf ? cutSeries(a, asOf) : a, asOf ? cutSeries(b, asOf) : b]);
  const [ja, jb] = j.values as [readonly number[], readonly number[]];
  return RELATIVE_WINDOWS.map((window) => {
    // ytd: from the last close of the previous year (none: the year's start is unknown); rolling:N as DESIGN.
    const r = resolveWindow(WINDOWS[window], j.dates);
    if (r === null)
      return { window, from: null, to: null, retA: null, retB: null, spread: null, relative: null };
    const start = r.baseIndex;
    const last = r.endIndex;
    const retA = (ja[last] as number) / (ja[start] as number) - 1;
    const retB = (jb[last] as number) / (jb[start] as number) - 1;
    return {
      window,
      from: j.dates[start] as TradingDate,
      to: j.dates[last] as TradingDate,
      retA,
      retB,
      spread: retA - retB,
      relative: (1 + retA) / (1 + retB) - 1,
    };
  });
}

export type RatioTrend = {
  date: TradingDate | null;
  ratio: number | null;
  sma50: number | null;
  sma200: number | null;
  /** sma50_t / sma50_{t-20} - 1: the slope of the 50-session mean over the last 20 sessions. */
  slope50: number | null;
  /** up: ratio above a rising 50-session mean; down: below a falling one; mixed otherwise; null in warm-up. */
  trend: 'up' | 'down' | 'mixed' | null;
};

/** The trend of the A/B ratio line on common dates (<= asOf when given). */
export function ratioTrend(a: CloseSeries, b: CloseSeries, asOf?: string): RatioTrend {
  const j = alignSeries([asOf ? cutSeries(a, asOf) : a, asOf ? cutSeries(b, asOf) : b]);
  const [ja, jb] = j.values as [readonly number[], readonly number[]];
  const ratio = ja.map((x, i) => x / (jb[i] as number));
  const s50 = rollingMean(ratio, 50);
  const s200 = rollingMean(ratio, 200);
  const t = ratio.length - 1;
  if (t < 0) return { date: null, ratio: null, sma50: null, sma200: null, slope50: null, trend: null };
  const r = ratio[t] as number;
  const m50 = s50[t] ?? null;
  const m50Before = t >= 20 ? (s50[t - 20] ?? null) : null;
  const slope50 = m50 !== null && m50Before !== null ? m50 / m50Before - 1 : null;
  const trend =
    m50 === null || slope50 === null
      ? null
      : r > m50 && slope50 > 0
        ? 'up'
        : r < m50 && slope50 < 0
          ? 'down'
          : 'mixed';
  return { date: j.dates[t] as TradingDate, ratio: r, sma50: m50, sma200: s200[t] ?? null, slope50, trend };
}

// ---- participation --------------------------------------------------------------------------------

export type ParticipationPoint = {
  date: TradingDate;
  /** Members whose close is above their trailing mean, among those with a full window. */
  above: number;
  /** Members with a full window (no gap in the last `window` rows) on this date. */
  counted: number;
  /** above / counted; null when no member has a full window. */
  share: number | null;
};

/**
 * Per date, the share of members above their trailing `window`-row mean: count(close > mean) / count(members with
 * a full window). `matrix[symbol][t]` is the close on `dates[t]` (null = no bar); a gap inside the window voids
 * that member's window, exactly as pandas `rolling(window, min_periods=window).mean()` in the peer. A close equal
 * to its mean is not above. Trailing only: no look-ahead.
 */
export function participation(
  dates: readonly string[],
  matrix: Readonly<Record<string, readonly Maybe[]>>,
  window: number,
): ParticipationPoint[] {
  const above = new Array<number>(dates.length).fill(0);
  const counted = new Array<number>(dates.length).fill(0);
  for (const closes of Object.values(matrix)) {
    if (closes.length !== dates.length) throw new RangeError('every member needs one value per date');
    const ma = rollingMean(closes, window);
    for (let t = 0; t < dates.length; t++) {
      const m = ma[t];
      if (m === null || m === undefined) continue;
      counted[t] = (counted[t] as number) + 1;
      if ((closes[t] as number) > m) above[t] = (above[t] as number) + 1;
    }
  }
  return dates.map((d, t) => ({
    date: d as TradingDate,
    above: above[t] as number,
    counted: counted[t] as number,
    share: counted[t] ? (above[t] as number) / (counted[t] as number) : null,
  }));
}

/** Aligns close series on the union of their dates: the matrix `participation` and the peer use. */
export function unionMatrix(
  series: Readonly<Record<string, CloseSeries>>,
  asOf?: string,
): {
  dates: TradingDate[];
  matrix: Record<string, Maybe[]>;
} {
  const all = new Set<string>();
  const cut: Record<string, CloseSeries> = {};
  for (const [sym, s] of Object.entries(series)) {
    cut[sym] = asOf ? cutSeries(s, asOf) : s;
    for (const d of cut[sym].dates) all.add(d);
  }
  const dates = [...all].sort() as TradingDate[];
  const pos = new Map(dates.map((d, i) => [d as string, i]));
  const matrix: Record<string, Maybe[]> = {};
  for (const [sym, s] of Object.entries(cut)) {
    const col = new Array<Maybe>(dates.length).fill(null);
    s.dates.forEach((d, i) => (col[pos.get(d) as number] = s.values[i] as number));
    matrix[sym] = col;
  }
  return { dates, matrix };
}

// ---- concentration ---------------------------------------------------------------------------------

export type Concentration = {
  holdings: number;
  /** The sum of the weights as given (about 1 for a complete index file); shares below are of this total. */
  weightSum: number;
  top1: number;
  top5: number;
  top10: number;
  /** Σ s_i² with s_i = w_i / Σ w: 1/n for equal weights, 1 for a single holding. */
  herfindahl: number;
  /** 1 / herfindahl: how many equal-weight holdings would be as concentrated. */
  effectiveN: number;
  /** The largest holdings, heaviest first. */
  top: { symbol: string; weight: number }[];
};

/**
 * Concentration of an index from its weights (fractions or any positive scale: they are normalised by their sum).
 * Returns null for an empty list. Dual share classes (GOOGL/GOOG) count as separate holdings, as the index lists them.
 */
export function concentration(weights: readonly { symbol: string; weight: number }[]): Concentration | null {
  const w = weights.filter((x) => Number.isFinite(x.weight) && x.weight > 0);
  if (w.length === 0) return null;
  const sorted = [...w].sort((a, b) => b.weight - a.weight || a.symbol.localeCompare(b.symbol));
  const sum = sorted.reduce((acc, x) => acc + x.weight, 0);
  const share = (n: number) => sorted.slice(0, n).reduce((acc, x) => acc + x.weight, 0) / sum;
  const hhi = sorted.reduce((acc, x) => acc + (x.weight / sum) ** 2, 0);
  return {
    holdings: sorted.length,
    weightSum: sum,
    top1: share(1),
    top5: share(5),
    top10: share(10),
    herfindahl: hhi,
    effectiveN: 1 / hhi,
    top: sorted.slice(0, 10).map((x) => ({ symbol: x.symbol, weight: x.weight })),
  };
}
