import type { Vintage } from './fact.js';

/** How an estimate for one period moved between its first and latest vintage known at `asOf`. */
export type EstimateRevision = {
  from: Vintage;
  to: Vintage;
  /** `to.value - from.value`, in the estimate's unit (fraction points for growth rates). */
  change: number;
  /** How many vintages were known at `asOf`. */
  vintages: number;
};

/**
 * The revision of one estimate (e.g. S&P 500 ex-tech Q4 2025 earnings growth) between the earliest and the
 * latest vintage known at `asOf` ("non-tech growth cut from 9% to 1%"). Vintages dated after `asOf` are
 * ignored, so the answer never looks ahead. Returns null with fewer than two vintages known.
 */
export function estimateRevision(vintages: readonly Vintage[], asOf: string): EstimateRevision | null {
  const known = vintages
    .filter((v) => v.asOf <= asOf)
    .sort((a, b) => (a.asOf < b.asOf ? -1 : a.asOf > b.asOf ? 1 : 0));
  const from = known[0];
  const to = known[known.length - 1];
  if (!from || !to || known.length < 2) return null;
  return { from, to, change: to.value - from.value, vintages: known.length };
}

/** One group's growth estimate and its weight for an aggregate (base-period earnings, any consistent unit). */
export type WeightedGrowth = { group: string; growth: number; baseEarnings: number };

/**
 * Earnings-weighted aggregate growth of several groups: Σ(E0ᵢ·gᵢ) / Σ E0ᵢ, where E0ᵢ is group i's base-period
 * earnings and gᵢ its growth. Weighting by base earnings (not market cap, not equal weight) makes the result the
 * growth of the groups' combined earnings: Σ E0ᵢ(1+gᵢ) / Σ E0ᵢ − 1. Returns null when there are no groups or
 * the base earnings sum to zero or less (a sum of losses has no meaningful growth rate).
 */
export function earningsWeightedGrowth(parts: readonly WeightedGrowth[]): number | null {
  let num = 0;
  let den = 0;
  for (const p of parts) {
    num += p.baseEarnings * p.growth;
    den += p.baseEarnings;
  }
  if (parts.length === 0 || !(den > 0)) return null;
  return num / den;
}

/** a − b for two growth estimates (tech minus non-tech, growth minus value), in fraction points. */
export function growthSpread(a: number, b: number): number {
  return a - b;
}
