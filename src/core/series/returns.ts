/**
 * Simple daily returns `x[i] / x[i-1] - 1`, aligned with the input: element 0 is null (no previous value).
 * Fractions, never rounded.
 */
export function simpleReturns(values: readonly number[]): (number | null)[] {
  return values.map((v, i) => (i === 0 ? null : v / (values[i - 1] as number) - 1));
}

/** Log returns `ln(x[i] / x[i-1])`; element 0 is null. They add up over time where simple returns compound. */
export function logReturns(values: readonly number[]): (number | null)[] {
  return values.map((v, i) => (i === 0 ? null : Math.log(v / (values[i - 1] as number))));
}

/**
 * Return from index `from` to index `to` of a level series: `x[to] / x[from] - 1`. With a total-return (adjusted)
 * series this is the total return; with closes it is the price return. null when an index is out of range.
 */
export function periodReturn(values: readonly number[], from: number, to: number): number | null {
  const a = values[from];
  const b = values[to];
  if (a === undefined || b === undefined || from < 0 || to < 0) return null;
  return b / a - 1;
}

/** Total return over the whole series (first to last value); null with fewer than two values. */
export function totalReturn(values: readonly number[]): number | null {
  return values.length < 2 ? null : periodReturn(values, 0, values.length - 1);
}

/** Compounds simple returns: `prod(1 + r) - 1` (nulls skipped). */
export function compound(returns: readonly (number | null)[]): number {
  let acc = 1;
  for (const r of returns) if (r !== null) acc *= 1 + r;
  return acc - 1;
}

/**
 * The ratio line A/B rebased to 1 at `baseIndex` (default the first element): above 1 means A outperformed B since
 * the base. Aligned with the inputs; elements before the base are null.
 */
export function ratioLine(a: readonly number[], b: readonly number[], baseIndex = 0): (number | null)[] {
  const base = (a[baseIndex] as number) / (b[baseIndex] as number);
  return a.map((v, i) => (i < baseIndex ? null : v / (b[i] as number) / base));
}

/** The ratio A/B without rebasing (for z-scores and RRG). */
export function ratio(a: readonly number[], b: readonly number[]): number[] {
  return a.map((v, i) => v / (b[i] as number));
}
