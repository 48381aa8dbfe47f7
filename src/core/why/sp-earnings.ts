import type { Point } from './fact.js';

/**
 * Earnings growth of one EPS series from a base period to the next: next / base − 1 (a fraction). EPS in index
 * points (S&P Dow Jones Indices' sector and index EPS) compares like with like within one series, so the ratio is
 * the growth of that index's earnings per share. Returns null when the base is zero or negative: growth from a loss
 * (or from nothing) has no meaningful rate, and a figure is refused rather than printed as +4,000%.
 */
export function epsGrowth(base: number, next: number): number | null {
  if (!(base > 0) || !Number.isFinite(next)) return null;
  return next / base - 1;
}

/** One quarter's EPS against the same quarter a year earlier. */
export type QuarterYoY = {
  period: string;
  value: number;
  base: { period: string; value: number };
  growth: number;
};

/**
 * Year-over-year growth of quarterly EPS (S&P 500 operating EPS per quarter, or trailing four quarters): each
 * quarter-end date against the quarter-end date one year earlier (same month, same year − 1). Quarters without a
 * stored year-earlier quarter, or with a base of zero or less, get no growth. Points after `asOf` are ignored.
 * @see S&P Dow Jones Indices, "S&P 500 Earnings and Estimate Report" (quarterly operating EPS, index points).
 */
export function quarterlyYoY(points: readonly Point[], asOf: string): QuarterYoY[] {
  const byMonth = new Map<string, Point>();
  for (const p of points) if (p.period <= asOf) byMonth.set(p.period.slice(0, 7), p);
  const out: QuarterYoY[] = [];
  for (const [ym, p] of [...byMonth].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const prior = byMonth.get(`${String(Number(ym.slice(0, 4)) - 1).padStart(4, '0')}${ym.slice(4)}`);
    if (!prior) continue;
    const g = epsGrowth(prior.value, p.value);
    if (g === null) continue;
    out.push({
      period: p.period,
      value: p.value,
      base: { period: prior.period, value: prior.value },
      growth: g,
    });
  }
  return out;
}
