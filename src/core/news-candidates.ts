import type { TradingDate } from '../shared/brand.js';
import type { RrgMember, RrgPoint } from './rrg.js';
import { clearsHysteresis } from './rrg-hysteresis.js';

/**
 * Headline candidates beside the race's (core/race-history raceNews): each with a `score` in [0, 1], how unusual
 * it is against history (higher = rarer), on the same scale as the race's news, so the brief can rank them together.
 */

/** A sector entering or leaving the Leading quadrant in one week, clearing the hysteresis band. */
export type LeadingMove = { symbol: string; date: TradingDate; entered: boolean; point: RrgPoint };

/** The moves into or out of Leading, every week of each member's tail, that clear the band (core/rrg-hysteresis). */
export function leadingMoves(members: readonly RrgMember[]): LeadingMove[] {
  const out: LeadingMove[] = [];
  for (const m of members) {
    const byDate = new Map(m.tail.map((p) => [p.date as string, p]));
    for (const c of m.transitions) {
      if (c.from !== 'leading' && c.to !== 'leading') continue;
      const p = byDate.get(c.date);
      if (!p || p.ratio === null || p.momentum === null) continue;
      if (!clearsHysteresis(c.from, c.to, p.ratio, p.momentum)) continue;
      out.push({ symbol: m.symbol, date: c.date, entered: c.to === 'leading', point: p });
    }
  }
  return out;
}

export type SectorLeadingNews = {
  entered: boolean;
  moves: LeadingMove[];
  /** 1 − the share of earlier weeks in which some member made a move of the same direction. */
  score: number;
  /** Earlier weeks counted: those in which every member had a point. */
  historyN: number;
  firstWeek: TradingDate;
};

/**
 * Sector news in the week ending `week`: members entering Leading, or leaving it, judged against every earlier week
 * of the members' full tails (pass an RRG computed with a tail covering the history). The event counted is the
 * week's, not one sector's: "some sector entered Leading" is as common as it is across the members, so eleven
 * sectors do not make eleven chances of news. Null when nothing moved or there is no earlier week.
 */
export function sectorLeadingNews(members: readonly RrgMember[], week: TradingDate): SectorLeadingNews[] {
  const moves = leadingMoves(members);
  // Only weeks in which every member with a point now had one: a week of eight sectors offers fewer chances of a
  // move than a week of eleven, so counting it would make today's move look rarer than it is.
  const present = members.filter((m) => m.tail.length > 0);
  const start =
    present
      .map((m) => m.tail[0]!.date as string)
      .sort()
      .at(-1) ?? week;
  const weeks = [...new Set(present.flatMap((m) => m.tail.map((p) => p.date as string)))]
    .filter((d) => d >= start && d < week)
    .sort();
  const out: SectorLeadingNews[] = [];
  for (const entered of [true, false]) {
    const now = moves.filter((x) => x.date === week && x.entered === entered);
    if (now.length === 0 || weeks.length === 0) continue;
    const eventWeeks = new Set(
      moves.filter((x) => x.entered === entered && x.date >= start && x.date < week).map((x) => x.date),
    );
    out.push({
      entered,
      moves: now,
      score: 1 - eventWeeks.size / weeks.length,
      historyN: weeks.length,
      firstWeek: weeks[0] as TradingDate,
    });
  }
  return out;
}

/**
 * How unusual a z-score is: the share of a normal distribution closer to the mean than |z| (0 at z = 0, 0.95 at
 * |z| = 1.96). The z-score already measures the week against its own trailing history (core/why flows: 52 prior
 * weeks), so this puts it on the race news' scale.
 */
export function zScoreUnusualness(z: number): number {
  return erf(Math.abs(z) / Math.SQRT2);
}

/**
 * How unusual a reading is against its own window of `n` readings, given `share`, the fraction of the window at or
 * below it (core/why positioning's percentile / 100, itself included): one minus the two-sided tail, the share of
 * readings at least as extreme on its side, doubled. The highest of 52 weekly readings scores 1 − 2/52 ≈ 0.96; the
 * median scores about 0.
 */
export function percentileUnusualness(share: number, n: number): number {
  if (n <= 0) return 0;
  const upper = 1 - share + 1 / n;
  return Math.max(0, 1 - 2 * Math.min(share, upper));
}

/** The error function (Abramowitz & Stegun 7.1.26, absolute error below 1.5e-7). */
function erf(x: number): number {
  const s = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const k = 1 / (1 + 0.3275911 * a);
  const y =
    1 -
    ((((1.061405429 * k - 1.453152027) * k + 1.421413741) * k - 0.284496736) * k + 0.254829592) *
      k *
      Math.exp(-a * a);
  return s * y;
}
