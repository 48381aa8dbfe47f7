/**
 * Relative Rotation Graph (RRG), JdK style: where each member stands against a benchmark on two axes centred on
 * 100 — RS-Ratio (the trend of relative strength) and RS-Momentum (the rate of change of that trend).
 *
 * The original JdK RS-Ratio/RS-Momentum formulas are proprietary (Julius de Kempenaer / RRG Research); this is
 * an open, documented approximation, the same one the project's pandas peer (bench/peer_pandas.py) computes:
 *
 *   RS_t          = close_t / benchClose_t                                  (member and benchmark on common dates)
 *   RS-Ratio_t    = 100 + (RS_t - mean(RS[t-N+1..t])) / sd(RS[t-N+1..t])
 *   ROC_t         = RS-Ratio_t - RS-Ratio_{t-K}
 *   RS-Momentum_t = 100 + (ROC_t - mean(ROC[t-N+1..t])) / sd(ROC[t-N+1..t])
 *
 * sd is the sample standard deviation (ddof = 1). N and K are counted in periods: weekly N = 52 weeks, K = 10
 * weeks (the peer's values); daily N = 63 sessions (one quarter), K = 10 sessions. Every window is TRAILING, so a
 * published point never changes when later data arrive. No smoothing is applied. A point needs 2N + K - 1
 * periods of common history (weekly: 113 weeks ≈ 2.2 years; daily: 135 sessions).
 *
 * Weekly points are the last common session of each Monday–Sunday week (Friday, or Thursday before a Friday
 * holiday). When the data end mid-week, the last weekly point is that week so far: it is final only once the
 * week's last session is in.
 *
 * Quadrants: leading (ratio >= 100, momentum >= 100), weakening (ratio >= 100, momentum < 100), lagging (both
 * < 100), improving (ratio < 100, momentum >= 100). Members normally rotate clockwise through them.
 */
import type { TradingDate } from '../shared/brand.js';
import { dayOfWeek, epochDay } from '../shared/dates.js';
import { alignSeries, cutSeries } from './series/align.js';
import { lagDifference, rollingZScore } from './series/rolling.js';
import type { CloseSeries } from './series/types.js';

export const Quadrant = {
  Leading: 'leading',
  Weakening: 'weakening',
  Lagging: 'lagging',
  Improving: 'improving',
} as const;
export type Quadrant = (typeof Quadrant)[keyof typeof Quadrant];

export type RrgPeriod = 'weekly' | 'daily';
export type RrgParams = {
  /** N: the trailing window (periods) of both z-scores. */
  window: number;
  /** K: the change of RS-Ratio over K periods feeds RS-Momentum. */
  lag: number;
};
export const RRG_DEFAULTS: Readonly<Record<RrgPeriod, RrgParams>> = {
  weekly: { window: 52, lag: 10 },
  daily: { window: 63, lag: 10 },
};

export type RrgPoint = {
  date: TradingDate;
  /** close / benchmark close on that date. */
  rs: number;
  ratio: number | null;
  momentum: number | null;
  quadrant: Quadrant | null;
};

export type QuadrantTransition = { date: TradingDate; from: Quadrant; to: Quadrant };

export type RrgWarning = {
  symbol: string;
  code: 'short-history' | 'no-overlap' | 'stale';
  message: string;
};

export type RrgMember = {
  symbol: string;
  /** The last point with both coordinates, null when history is too short. */
  latest: RrgPoint | null;
  quadrant: Quadrant | null;
  /** When the member entered its current quadrant; `quadrantSinceStart` = it has been there since its first point. */
  quadrantSince: TradingDate | null;
  quadrantSinceStart: boolean;
  /** The last `tail` points with both coordinates, oldest first. */
  tail: RrgPoint[];
  /** Quadrant changes at the dates of the tail (the first tail point's change included), oldest first. */
  transitions: QuadrantTransition[];
  /** Periods of common history with the benchmark, and how many a first point needs. */
  periods: number;
  periodsNeeded: number;
};

export type RrgResult = {
  benchmark: string;
  period: RrgPeriod;
  params: RrgParams;
  /** The last benchmark date used (<= the requested as-of). */
  asOf: TradingDate | null;
  members: RrgMember[];
  warnings: RrgWarning[];
};

/** The quadrant of a point; null when a coordinate is missing. */
export function quadrantOf(ratio: number | null, momentum: number | null): Quadrant | null {
  if (ratio === null || momentum === null) return null;
  if (ratio >= 100) return momentum >= 100 ? Quadrant.Leading : Quadrant.Weakening;
  return momentum >= 100 ? Quadrant.Improving : Quadrant.Lagging;
}

/** Periods of common history a first RRG point needs: 2N + K - 1. */
export function periodsNeeded(params: RrgParams): number {
  return 2 * params.window + params.lag - 1;
}

/** The index of the last date of each Monday–Sunday week, in order (dates ascending). */
export function weekEndIndexes(dates: readonly string[]): number[] {
  const out: number[] = [];
  let prevWeek: number | null = null;
  dates.forEach((d, i) => {
    const week = epochDay(d) - ((dayOfWeek(d) + 6) % 7); // the Monday of d's week
    if (prevWeek !== null && week !== prevWeek) out.push(i - 1);
    prevWeek = week;
  });
  if (dates.length > 0) out.push(dates.length - 1);
  return out;
}

/**
 * RS-Ratio, RS-Momentum and quadrant of one member against a benchmark at every period end (warm-up points have
 * null coordinates). Pure and trailing: the points of a prefix of the data equal the full series' points (for
 * weekly, all but the prefix's last, possibly unfinished, week).
 */
export function rrgSeries(
  member: CloseSeries,
  benchmark: CloseSeries,
  period: RrgPeriod = 'weekly',
  params: RrgParams = RRG_DEFAULTS[period],
): RrgPoint[] {
  const joined = alignSeries([member, benchmark]);
  const [a, b] = joined.values as [readonly number[], readonly number[]];
  const idx = period === 'weekly' ? weekEndIndexes(joined.dates) : joined.dates.map((_, i) => i);
  const dates = idx.map((i) => joined.dates[i] as TradingDate);
  const rs = idx.map((i) => (a[i] as number) / (b[i] as number));
  const rsClean = rs.map((x) => (Number.isFinite(x) && x > 0 ? x : null));
  const ratioZ = rollingZScore(rsClean, params.window);
  const ratio = ratioZ.map((z) => (z === null ? null : 100 + z));
  const momZ = rollingZScore(lagDifference(ratio, params.lag), params.window);
  return dates.map((date, t) => {
    const r = ratio[t] ?? null;
    const m = momZ[t] === null || momZ[t] === undefined ? null : 100 + (momZ[t] as number);
    return { date, rs: rs[t] as number, ratio: r, momentum: m, quadrant: quadrantOf(r, m) };
  });
}

/** Every change of quadrant along a series of points (points without a quadrant are skipped). */
export function quadrantTransitions(points: readonly RrgPoint[]): QuadrantTransition[] {
  const out: QuadrantTransition[] = [];
  let prev: Quadrant | null = null;
  for (const p of points) {
    if (p.quadrant === null) continue;
    if (prev !== null && p.quadrant !== prev) out.push({ date: p.date, from: prev, to: p.quadrant });
    prev = p.quadrant;
  }
  return out;
}

export type RrgInput = {
  benchmark: { symbol: string; series: CloseSeries };
  members: readonly { symbol: string; series: CloseSeries }[];
  period?: RrgPeriod;
  params?: RrgParams;
  /** Points in each tail (default 8). */
  tail?: number;
  /** Ignore every date after this one (the loading layer should already have cut there). */
  asOf?: string;
};

/**
 * The RRG of a set of members against one benchmark: latest point, quadrant, the date the quadrant was entered,
 * a tail of the last points and the quadrant transitions within it. Members with too little common history
 * (XLRE before 2018, XLC before 2020 on weekly data) get no point and a warning instead of an error; members
 * whose data stop before the benchmark's are flagged stale.
 */
export function rrg(input: RrgInput): RrgResult {
  const period = input.period ?? 'weekly';
  const params = input.params ?? RRG_DEFAULTS[period];
  const tailLength = input.tail ?? 8;
  if (!Number.isInteger(tailLength) || tailLength < 1)
    throw new RangeError('tail must be a positive whole number');
  const cut = (s: CloseSeries): CloseSeries => (input.asOf ? cutSeries(s, input.asOf) : s);
  const bench = cut(input.benchmark.series);
  const benchLast = (bench.dates[bench.dates.length - 1] ?? null) as TradingDate | null;
  const needed = periodsNeeded(params);
  const warnings: RrgWarning[] = [];
  const members = input.members.map(({ symbol, series }): RrgMember => {
    const s = cut(series);
    const points = rrgSeries(s, bench, period, params);
    const valid = points.filter((p) => p.quadrant !== null);
    const latest = valid[valid.length - 1] ?? null;
    const all = quadrantTransitions(points);
    const tail = valid.slice(-tailLength);
    const tailStart = tail[0]?.date;
    const lastChange = all[all.length - 1];
    if (points.length === 0) {
      warnings.push({
        symbol,
        code: 'no-overlap',
        message: `${symbol} has no dates in common with ${input.benchmark.symbol}`,
      });
    } else if (!latest) {
      warnings.push({
        symbol,
        code: 'short-history',
        message: `${symbol}: ${points.length} ${period === 'weekly' ? 'weeks' : 'sessions'} of common history with ${input.benchmark.symbol}, ${needed} needed for a first point`,
      });
    }
    const memberLast = s.dates[s.dates.length - 1];
    if (memberLast !== undefined && benchLast !== null && memberLast < benchLast)
      warnings.push({
        symbol,
        code: 'stale',
        message: `${symbol}'s data end on ${memberLast}, before ${input.benchmark.symbol}'s ${benchLast}`,
      });
    return {
      symbol,
      latest,
      quadrant: latest?.quadrant ?? null,
      quadrantSince: latest ? (lastChange?.date ?? valid[0]?.date ?? null) : null,
      quadrantSinceStart: latest !== null && lastChange === undefined,
      tail,
      transitions: tailStart === undefined ? [] : all.filter((c) => c.date >= tailStart),
      periods: points.length,
      periodsNeeded: needed,
    };
  });
  return { benchmark: input.benchmark.symbol, period, params, asOf: benchLast, members, warnings };
}
