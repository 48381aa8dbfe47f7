import { epochDay } from '../../shared/dates.js';
import { rollingZScore } from '../series/rolling.js';
import type { Point } from './fact.js';

/** Summary of one weekly flow series at its latest week on or before `asOf`. */
export type FlowSummary = {
  week: string;
  /** Net flow of that week (usd). */
  latest: number;
  /** Sum of the last 4 weeks ending at `week`; null with fewer than 4 weeks without a gap. */
  sum4w: number | null;
  /**
   * z-score of `latest` against the 52 weeks before it (sample sd, series/rolling.ts `rollingZScore`); null with
   * fewer than 52 prior weeks without a gap, or a flat window.
   */
  z52: number | null;
  /**
   * For an inflow: the latest earlier week with an inflow at least as large ("largest inflow since …");
   * for an outflow, the same for outflows; searched among the weeks stored without a gap (`recordSince` on). null
   * when it is the largest of those weeks.
   */
  largestSince: string | null;
  /** First week of the run of weeks without a gap that ends at `week` (the first week stored when there is none). */
  recordSince: string;
  /** The last week stored before that run (weeks are missing between it and `recordSince`); null when none. */
  gapAfter: string | null;
};

const byPeriod = (a: Point, b: Point) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0);

/**
 * Longest step between two stored weeks that still counts as consecutive: a week ends on a Wednesday, and a
 * holiday week on the Tuesday before (ICI's week ended Tuesday 2025-12-23, then Tuesday 2025-12-30, then Wednesday
 * 2026-01-07: 8 days), so 10 days; a longer step means at least one week is not stored.
 */
export const FLOW_WEEK_GAP_DAYS = 10;

/** Weeks in the flow sum (`sum4w`). */
export const FLOW_SUM_WEEKS = 4;
/** Weeks before the latest that its z-score is measured against (`z52`). */
export const FLOW_Z_WEEKS = 52;

/**
 * Weekly flow figures as newspapers quote them: the week's net flow, the 4-week sum, a z-score against the
 * trailing 52 weeks (excluding the week itself, so an extreme week does not dilute its own score) and "the largest
 * inflow (outflow) since …". Points after `asOf` are ignored. Returns null when no week is on or before `asOf`.
 *
 * Every figure reads only the run of weeks without a gap (steps of at most FLOW_WEEK_GAP_DAYS) that ends at the
 * latest week: a "4-week" sum over weeks months apart, a "52-week" baseline spanning years, or "largest since"
 * across weeks nobody stored would claim what the data cannot show (the old ICI CSV stops in 2022 and ICI's
 * workbook starts in 2024, under the same series ids).
 */
export function flowSummary(points: readonly Point[], asOf: string): FlowSummary | null {
  const all = points.filter((p) => p.period <= asOf).sort(byPeriod);
  const last = all.at(-1);
  if (!last) return null;
  let start = all.length - 1;
  while (
    start > 0 &&
    epochDay((all[start] as Point).period.slice(0, 10)) -
      epochDay((all[start - 1] as Point).period.slice(0, 10)) <=
      FLOW_WEEK_GAP_DAYS
  )
    start--;
  const xs = all.slice(start);
  const n = xs.length;
  const first = xs[0] as Point;
  const sum4w = n >= FLOW_SUM_WEEKS ? xs.slice(n - FLOW_SUM_WEEKS).reduce((s, p) => s + p.value, 0) : null;
  // The one trailing z-score, this week against the 52 before it (null with fewer than 52 earlier weeks).
  const z52 =
    rollingZScore(
      xs.map((p) => p.value),
      FLOW_Z_WEEKS,
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
  return {
    week: last.period,
    latest: last.value,
    sum4w,
    z52,
    largestSince,
    recordSince: first.period,
    gapAfter: start > 0 ? (all[start - 1] as Point).period : null,
  };
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
