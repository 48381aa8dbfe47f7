/**
 * Rolling statistics over the last `windowDays` values (the current one included). Each result is aligned with
 * the input and null during warm-up (the first `windowDays - 1` elements), and whenever the window holds a
 * non-finite value. Only values up to i are used for element i.
 */

function check(windowDays: number): void {
  if (!Number.isInteger(windowDays) || windowDays < 1)
    throw new RangeError(`window must be a positive integer, got ${windowDays}`);
}

/** Simple moving average. */
export function rollingMean(values: readonly number[], windowDays: number): (number | null)[] {
  check(windowDays);
  return values.map((_, i) => {
    if (i + 1 < windowDays) return null;
    let s = 0;
    for (let j = i - windowDays + 1; j <= i; j++) s += values[j] as number;
    return Number.isFinite(s) ? s / windowDays : null;
  });
}

/** Rolling sum. */
export function rollingSum(values: readonly number[], windowDays: number): (number | null)[] {
  check(windowDays);
  return values.map((_, i) => {
    if (i + 1 < windowDays) return null;
    let s = 0;
    for (let j = i - windowDays + 1; j <= i; j++) s += values[j] as number;
    return Number.isFinite(s) ? s : null;
  });
}

/** Rolling sample standard deviation (n - 1 denominator); warm-up is `max(windowDays, 2) - 1`. */
export function rollingStd(values: readonly number[], windowDays: number): (number | null)[] {
  check(windowDays);
  return values.map((_, i) => {
    if (i + 1 < windowDays || windowDays < 2) return null;
    let s = 0;
    for (let j = i - windowDays + 1; j <= i; j++) s += values[j] as number;
    const mean = s / windowDays;
    let ss = 0;
    for (let j = i - windowDays + 1; j <= i; j++) ss += ((values[j] as number) - mean) ** 2;
    const sd = Math.sqrt(ss / (windowDays - 1));
    return Number.isFinite(sd) ? sd : null;
  });
}

/**
 * Rolling z-score: `(x[i] - mean) / std` over the last `windowDays` values. null during warm-up and when the
 * window is flat (std 0: no z-score). Scaling the input by a positive constant leaves it unchanged.
 */
export function rollingZScore(values: readonly number[], windowDays: number): (number | null)[] {
  const mean = rollingMean(values, windowDays);
  const sd = rollingStd(values, windowDays);
  return values.map((v, i) => {
    const m = mean[i];
    const s = sd[i];
    if (m === null || m === undefined || s === null || s === undefined) return null;
    // a window whose spread is only rounding noise is flat
    if (s <= Math.abs(m) * 1e-12 || s === 0) return null;
    return (v - m) / s;
  });
}

/** Rolling maximum (for "N-session high" tests); null during warm-up. */
export function rollingMax(values: readonly number[], windowDays: number): (number | null)[] {
  check(windowDays);
  return values.map((_, i) => {
    if (i + 1 < windowDays) return null;
    let m = -Infinity;
    for (let j = i - windowDays + 1; j <= i; j++) m = Math.max(m, values[j] as number);
    return m;
  });
}

/** Rolling minimum; null during warm-up. */
export function rollingMin(values: readonly number[], windowDays: number): (number | null)[] {
  check(windowDays);
  return values.map((_, i) => {
    if (i + 1 < windowDays) return null;
    let m = Infinity;
    for (let j = i - windowDays + 1; j <= i; j++) m = Math.min(m, values[j] as number);
    return m;
  });
}

/** Return over the last `windowDays` sessions: `x[i] / x[i - windowDays] - 1`; null during warm-up. */
export function rollingReturn(values: readonly number[], windowDays: number): (number | null)[] {
  check(windowDays);
  return values.map((v, i) => (i < windowDays ? null : v / (values[i - windowDays] as number) - 1));
}
