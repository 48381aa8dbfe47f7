import { rollingZScore } from '../series/rolling.js';
import type { Point } from './fact.js';

/** Summary of one weekly flow series at its latest week on or before `asOf`. */
export type FlowSummary = {
  week: string;
  /** Net flow of that week (usd). */
  latest: number;
  /** Sum of the last 4 weeks ending at `week`; null with fewer than 4 weeks. */
  sum4w: number | null;
  /** z-score of `latest` against the 52 weeks before it (sample sd, series/rolling.ts `rollingZScore`); null with fewer than 52 prior weeks or a flat window. */
  z52: number | null;
  /**
   * For an inflow: the latest earlier week with an inflow at least as large ("largest inflow since …");
   * for an outflow, the same for outflows. null when it is the largest on record (see `recordSince`).
   */
  largestSince: string | null;
  /** First week of the series: "largest since records began on …" when `largestSince` is null. */
  recordSince: string;
};

const byPeriod = (a: Point, b: Point) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0);

/**
 * Weekly flow figures as newspapers quote them: the week's net flow, the 4-week sum, a z-score against the
 * trailing 52 weeks (excluding the week itself, so an extreme week does not dilute its own score) and "the largest
 * inflow (outflow) since …". Points after `asOf` are ignored. Returns null when no week is on or before `asOf`.
 */
export function flowSummary(points: readonly Point[], asOf: string): FlowSummary | null {
  const xs = points.filter((p) => p.period <= asOf).sort(byPeriod);
  const n = xs.length;
  const last = xs[n - 1];
  const first = xs[0];
  if (!last || !first) return null;
  const sum4w = n >= 4 ? xs.slice(n - 4).reduce((s, p) => s + p.value, 0) : null;
  // The one trailing z-score, this week against the 52 before it (null with fewer than 52 earlier weeks).
  const z52 =
    rollingZScore(
      xs.map((p) => p.value),
      52,
      { excludeCurrent: true },
    )[n - 1] ?? null;
  let largestSince: string | null = null;
  for (let i = n - 2; i >= 0; i--) {
    const p = xs[i] as Point;
    if (last.value >= 0 ? p.value >= last.value : p.value <= last.value) {
      largestSince = p.period;
      break;
    }
  }
  return { week: last.period, latest: last.value, sum4w, z52, largestSince, recordSince: first.period };
}

/** Tech versus everything else for one week: both sums and their difference (usd). */
export type TechVsRest = { tech: number; rest: number; difference: number };

/**
 * Splits one week's flows by group into tech and everything else. `isTech` decides per group id, so a file that
 * already reports "other sectors" as one group works as well as one with eleven sectors.
 */
export function techVsRest(
  byGroup: readonly { group: string; value: number }[],
  isTech: (group: string) => boolean,
): TechVsRest | null {
  let tech = 0;
  let rest = 0;
  let nTech = 0;
  let nRest = 0;
  for (const g of byGroup) {
    if (isTech(g.group)) {
      tech += g.value;
      nTech++;
    } else {
      rest += g.value;
      nRest++;
    }
  }
  if (nTech === 0 || nRest === 0) return null;
  return { tech, rest, difference: tech - rest };
}
