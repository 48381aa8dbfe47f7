/**
 * Drawdown at each point: `x[i] / max(x[0..i]) - 1`, a fraction <= 0 (0 at a new high): the running maximum of
 * the values given, so "from the high" means the high of the history passed in. Uses only data up to i.
 */
export function drawdowns(values: readonly number[]): number[] {
  let peak = -Infinity;
  return values.map((v) => {
    if (v > peak) peak = v;
    return v / peak - 1;
  });
}

/** The deepest drawdown (most negative) and where it bottomed and peaked; null for an empty series. */
export function maxDrawdown(
  values: readonly number[],
): { depth: number; peakIndex: number; troughIndex: number } | null {
  if (values.length === 0) return null;
  let peak = values[0] as number;
  let peakIndex = 0;
  let best = { depth: 0, peakIndex: 0, troughIndex: 0 };
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v > peak) {
      peak = v;
      peakIndex = i;
    }
    const dd = v / peak - 1;
    if (dd < best.depth) best = { depth: dd, peakIndex, troughIndex: i };
  }
  return best;
}
