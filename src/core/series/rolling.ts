/**
 * Trailing-window statistics: the one implementation of rolling means, standard deviations and z-scores, used by
 * rrg, breadth, regime and the weekly flow figures. Every value at index t uses only inputs at indexes <= t (no
 * look-ahead: each transform passes test/support/contract.ts), and a window that contains a missing value (null
 * or non-finite) has no value: the same rule as pandas `rolling(n, min_periods=n)`.
 */
import type { Maybe } from './types.js';

const isNum = (x: Maybe | undefined): x is number => typeof x === 'number' && Number.isFinite(x);

/**
 * Trailing simple moving average of the last `window` values; null until the window is full and wherever the
 * window holds a gap. Running sum, recomputed from scratch whenever the window restarts after a gap.
 */
export function rollingMean(xs: readonly Maybe[], window: number): Maybe[] {
  assertWindow(window);
  const out: Maybe[] = new Array<Maybe>(xs.length).fill(null);
  let sum = 0;
  let run = 0; // length of the current run of valid values ending at t
  for (let t = 0; t < xs.length; t++) {
    const x = xs[t];
    if (!isNum(x)) {
      run = 0;
      sum = 0;
      continue;
    }
    run++;
    sum += x;
    if (run > window) sum -= xs[t - window] as number;
    // Re-sum exactly every `window` steps so the running sum cannot drift over decades of data.
    if (run >= window && run % window === 0) {
      sum = 0;
      for (let i = t - window + 1; i <= t; i++) sum += xs[i] as number;
    }
    if (run >= window) out[t] = sum / window;
  }
  return out;
}

/**
 * Trailing mean and sample standard deviation (ddof = 1, as pandas `rolling().std()`) of the last `window`
 * values, computed two-pass per window for accuracy. null until the window is full and wherever it holds a gap.
 */
export function rollingMeanStd(xs: readonly Maybe[], window: number): { mean: Maybe; sd: Maybe }[] {
  assertWindow(window);
  if (window < 2) throw new RangeError('a standard deviation needs a window of at least 2');
  const out: { mean: Maybe; sd: Maybe }[] = [];
  let run = 0;
  for (let t = 0; t < xs.length; t++) {
    run = isNum(xs[t]) ? run + 1 : 0;
    if (run < window) {
      out.push({ mean: null, sd: null });
      continue;
    }
    let sum = 0;
    for (let i = t - window + 1; i <= t; i++) sum += xs[i] as number;
    const mean = sum / window;
    let ss = 0;
    for (let i = t - window + 1; i <= t; i++) {
      const d = (xs[i] as number) - mean;
      ss += d * d;
    }
    out.push({ mean, sd: Math.sqrt(ss / (window - 1)) });
  }
  return out;
}

export type ZScoreOptions = {
  /**
   * false (default): x_t against the `window` values ending at x_t (itself included), as RS-Ratio does.
   * true: x_t against the `window` values before it, so an extreme value does not dilute its own score (the
   * weekly flow z-score: this week against the 52 before it).
   */
  excludeCurrent?: boolean;
};

/**
 * Trailing z-score (x_t - mean) / sd, sample sd (ddof = 1). null during warm-up (the first `window - 1` values,
 * or `window` with `excludeCurrent`), wherever x_t or a value of its window is missing, and when the window is
 * flat (sd = 0 or below 1e-12 of the mean's magnitude: no dispersion, no z-score). Scaling the input by a positive
 * constant or shifting it leaves it unchanged.
 */
export function rollingZScore(xs: readonly Maybe[], window: number, opts: ZScoreOptions = {}): Maybe[] {
  const stats = rollingMeanStd(xs, window);
  const shift = opts.excludeCurrent ? 1 : 0;
  return xs.map((x, t) => {
    const s = t - shift >= 0 ? stats[t - shift] : undefined;
    if (s === undefined || s.mean === null || s.sd === null || !isNum(x)) return null;
    if (s.sd === 0 || s.sd <= 1e-12 * Math.abs(s.mean)) return null;
    return (x - s.mean) / s.sd;
  });
}

/** x_t - x_{t-lag}; null when either is missing (pandas `diff(lag)`). */
export function lagDifference(xs: readonly Maybe[], lag: number): Maybe[] {
  assertWindow(lag);
  return xs.map((x, t) => {
    const p = t >= lag ? xs[t - lag] : null;
    return isNum(x) && isNum(p) ? x - p : null;
  });
}

function assertWindow(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`window must be a positive whole number, got ${n}`);
}
