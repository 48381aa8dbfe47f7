import type { Point } from './fact.js';

/** Where the latest positioning value sits in its trailing range. */
export type PositioningReading = {
  date: string;
  value: number;
  /** COT index: 100·(x − min)/(max − min) over the trailing `lookback` readings including this one; null when flat. */
  index: number | null;
  /** Percent of the trailing `lookback` readings (including this one) less than or equal to x, 0–100. */
  percentile: number;
  /** For a reading at the top of its range: the latest earlier date with a value at least as high; else null. */
  highestSince: string | null;
  /** For a reading at the bottom of its range: the latest earlier date with a value at least as low; else null. */
  lowestSince: string | null;
  /** True when no earlier reading in the whole history is as high (or as low): "highest on record". */
  recordHigh: boolean;
  recordLow: boolean;
  window: { from: string; to: string; readings: number };
};

const byPeriod = (a: Point, b: Point) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0);

/**
 * The COT-index form of a positioning series (net contracts, exposure or a z-score): the latest reading on or
 * before `asOf` scaled 0–100 against its trailing `lookback` readings (52 weekly reports = one year), its
 * percentile in the same window, and "highest since …" / "lowest since …" over the whole stored history.
 * Returns null until `lookback` readings exist.
 * @see Larry Williams' COT index: 100 × (net − min net) / (max net − min net) over a look-back window.
 */
export function positioningReading(
  points: readonly Point[],
  asOf: string,
  lookback = 52,
): PositioningReading | null {
  const xs = points.filter((p) => p.period <= asOf).sort(byPeriod);
  const n = xs.length;
  const last = xs[n - 1];
  if (!last || n < lookback) return null;
  const w = xs.slice(n - lookback);
  const vals = w.map((p) => p.value);
  const min = Math.min(...vals);
  const max = Math.max(...vals);
  // Divide first: (x − min)/(max − min) is exactly 1 at the max, whereas 100·(x − min)/(…) can round above 100.
  const index = max > min ? 100 * ((last.value - min) / (max - min)) : null;
  const percentile = (100 * vals.filter((v) => v <= last.value).length) / vals.length;
  let higher: string | null = null;
  let lower: string | null = null;
  for (let i = n - 2; i >= 0 && (higher === null || lower === null); i--) {
    const p = xs[i] as Point;
    if (higher === null && p.value >= last.value) higher = p.period;
    if (lower === null && p.value <= last.value) lower = p.period;
  }
  const atTop = last.value === max;
  const atBottom = last.value === min;
  return {
    date: last.period,
    value: last.value,
    index,
    percentile,
    highestSince: atTop ? higher : null,
    lowestSince: atBottom ? lower : null,
    recordHigh: atTop && higher === null && n > 1,
    recordLow: atBottom && lower === null && n > 1,
    window: { from: (w[0] as Point).period, to: last.period, readings: w.length },
  };
}
