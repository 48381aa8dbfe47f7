import { lagDifference, rollingZScore } from '../core/series/rolling.js';
import type { Maybe } from '../core/series/types.js';

/**
 * The pandas peer's `rrg` step, reproduced exactly for checksum comparison (bench/peer_pandas.py): on a
 * date-aligned matrix (rows = the union of dates, null = no bar), RS = sector / bench; ratio = 100 + z-score of
 * RS over a trailing `window` of ROWS (min_periods = window, so any gap voids the window); momentum = 100 +
 * z-score of ratio.diff(lag) over the same window; then the last row of each, and their means over the sectors
 * that have a value (pandas skips NaN). Note that the peer runs on DAILY rows with window 52 and lag 10.
 */
export function peerRrgChecksum(
  bench: readonly Maybe[],
  sectors: Readonly<Record<string, readonly Maybe[]>>,
  window = 52,
  lag = 10,
): {
  ratio: Record<string, number | null>;
  momentum: Record<string, number | null>;
  ratioMean: number | null;
  momentumMean: number | null;
} {
  const ratio: Record<string, number | null> = {};
  const momentum: Record<string, number | null> = {};
  for (const [sym, px] of Object.entries(sectors)) {
    const rs: Maybe[] = px.map((x, t) => {
      const b = bench[t];
      return x === null || x === undefined || b === null || b === undefined ? null : x / b;
    });
    const rz = rollingZScore(rs, window).map((z) => (z === null ? null : 100 + z));
    const mz = rollingZScore(lagDifference(rz, lag), window);
    ratio[sym] = rz[rz.length - 1] ?? null;
    const m = mz[mz.length - 1];
    momentum[sym] = m === null || m === undefined ? null : 100 + m;
  }
  return {
    ratio,
    momentum,
    ratioMean: meanOfPresent(Object.values(ratio)),
    momentumMean: meanOfPresent(Object.values(momentum)),
  };
}

function meanOfPresent(xs: readonly (number | null)[]): number | null {
  const v = xs.filter((x): x is number => x !== null);
  return v.length === 0 ? null : v.reduce((a, b) => a + b, 0) / v.length;
}
