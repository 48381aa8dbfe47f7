/** Quantile with linear interpolation between order statistics (R type 7, numpy default); null when empty. */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (h - lo);
}

export type Summary = {
  n: number;
  /** Share of values > 0 (a fraction); null when n = 0. */
  hitRate: number | null;
  mean: number | null;
  median: number | null;
  q1: number | null;
  q3: number | null;
  min: number | null;
  max: number | null;
};

/** Sample summary of outcomes: count, hit rate (> 0), mean, median and quartiles. */
export function summarize(values: readonly number[]): Summary {
  const s = [...values].sort((x, y) => x - y);
  const n = s.length;
  return {
    n,
    hitRate: n === 0 ? null : s.filter((v) => v > 0).length / n,
    mean: n === 0 ? null : s.reduce((x, y) => x + y, 0) / n,
    median: quantile(s, 0.5),
    q1: quantile(s, 0.25),
    q3: quantile(s, 0.75),
    min: s[0] ?? null,
    max: s[n - 1] ?? null,
  };
}

/**
 * Wilson score interval for a proportion: `hits` successes in `n` trials at confidence `z` (1.96 ≈ 95%). Fractions
 * in [0, 1]; null when n = 0. Unlike the normal approximation it stays inside [0, 1] and is honest for small n.
 * @see Wilson, E. B. (1927), "Probable inference, the law of succession, and statistical inference", JASA 22.
 */
export function wilsonInterval(hits: number, n: number, z = 1.96): { low: number; high: number } | null {
  if (n === 0) return null;
  const p = hits / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}
