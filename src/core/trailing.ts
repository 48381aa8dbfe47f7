/**
 * Trailing-window statistics used by rrg, breadth and regime. Every value at index t uses only inputs at
 * indexes <= t (no look-ahead), and a window that contains a missing value (null or non-finite) has no value:
 * the same rule as pandas `rolling(n, min_periods=n)`.
 */

/** A value or a gap (no bar, not enough history, undefined statistic). */
export type Maybe = number | null;

const isNum = (x: Maybe | undefined): x is number => typeof x === 'number' && Number.isFinite(x);

/**
 * Trailing simple moving average of the last `window` values; null until the window is full and wherever the
 * window holds a gap. Running sum, recomputed from scratch whenever the window restarts after a gap.
 */
export function trailingMean(xs: readonly Maybe[], window: number): Maybe[] {
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
export function trailingMeanStd(xs: readonly Maybe[], window: number): { mean: Maybe; sd: Maybe }[] {
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

/**
 * Trailing z-score: (x_t - mean) / sd over the last `window` values including x_t. null during warm-up, across
 * gaps, and when the window is flat (sd = 0 or below 1e-12 of the mean's magnitude: no dispersion, no z-score).
 */
export function trailingZScore(xs: readonly Maybe[], window: number): Maybe[] {
  return trailingMeanStd(xs, window).map(({ mean, sd }, t) => {
    const x = xs[t];
    if (mean === null || sd === null || !isNum(x)) return null;
    if (sd === 0 || sd <= 1e-12 * Math.abs(mean)) return null;
    return (x - mean) / sd;
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
