import type { Bar, CorporateAction } from '../../shared/domain.js';
import { DEFAULT_BAR_CHECK_OPTIONS } from './bar-options.js';
import type { Finding } from './findings.js';

/**
 * The data doctor's price-move checks over one symbol's daily bars: suspicious close-to-close jumps (and the
 * splits that explain them), and unexplained changes of the adj_close/close ratio.
 */

const SPLIT_FACTORS = [2, 3, 4, 5, 10] as const;
/** How far a day's close ratio may be from exactly 1/k (or k) and still read as a k:1 split: ±5 %. */
const SPLIT_TOLERANCE = 0.05;

/** A signed percentage with one decimal for findings' text (`+12.5%`). */
export const fmtPct = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;

/** The k of a k:1 split (ratio ≈ 1/k) or 1:k reverse split (ratio ≈ k) that a day's price ratio matches, or null. */
export function splitFactor(ratio: number): { k: number; reverse: boolean } | null {
  for (const k of SPLIT_FACTORS) {
    if (Math.abs(ratio * k - 1) <= SPLIT_TOLERANCE) return { k, reverse: false };
    if (Math.abs(ratio / k - 1) <= SPLIT_TOLERANCE) return { k, reverse: true };
  }
  return null;
}

/**
 * Close-to-close moves beyond `jumpThreshold`, in date order. A move whose ratio is near 1/k or k (k = 2, 3, 4,
 * 5, 10) is a suspected unadjusted split k:1 (warn; error when a split is stored for that date, which makes it
 * certain) unless adj_close on the same day moved normally, which means the adjusted series accounts for it
 * (info). Prices alone cannot tell a split from a real halving: AAPL fell 51.9% on 2000-09-29 on a profit
 * warning, and reads as a "suspected 2:1 split" here. Moves of adj_close alone beyond the threshold are jumps too.
 */
export function checkJumps(
  symbol: string,
  bars: readonly Bar[],
  jumpThreshold: number = DEFAULT_BAR_CHECK_OPTIONS.jumpThreshold,
  actions: readonly CorporateAction[] = [],
): Finding[] {
  const splitDates = new Set<string>(actions.filter((a) => a.kind === 'split').map((a) => a.date));
  const sorted = [...bars].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const out: Finding[] = [];
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1] as Bar;
    const b = sorted[i] as Bar;
    if (!(prev.close > 0 && b.close > 0) || prev.date === b.date) continue;
    const ratio = b.close / prev.close;
    const adjRatio =
      prev.adjClose !== null && b.adjClose !== null && prev.adjClose > 0 && b.adjClose > 0
        ? b.adjClose / prev.adjClose
        : null;
    const closeJumps = Math.abs(ratio - 1) > jumpThreshold;
    const adjJumps = adjRatio !== null && Math.abs(adjRatio - 1) > jumpThreshold;
    const span = `${prev.date} -> ${b.date}`;
    if (closeJumps) {
      const split = splitFactor(ratio);
      const label = split ? (split.reverse ? `1:${split.k} reverse split` : `${split.k}:1 split`) : null;
      if (adjRatio !== null && !adjJumps) {
        out.push({
          symbol,
          check: 'jumps',
          severity: 'info',
          date: b.date,
          detail: `close moved ${fmtPct(ratio - 1)} (${span}) but adj_close moved ${fmtPct(adjRatio - 1)}: ${label ?? 'an event'} the adjusted series accounts for`,
        });
      } else if (label || splitDates.has(b.date)) {
        const stored = splitDates.has(b.date);
        out.push({
          symbol,
          check: 'jumps',
          severity: stored ? 'error' : 'warn',
          date: b.date,
          detail: stored
            ? `unadjusted ${label ?? 'split'}: close moved ${fmtPct(ratio - 1)} (${span}) on a stored split date`
            : `suspected unadjusted ${label}: close moved ${fmtPct(ratio - 1)} (${span}); or a real move, check the news`,
        });
      } else {
        out.push({
          symbol,
          check: 'jumps',
          severity: 'warn',
          date: b.date,
          detail: `close moved ${fmtPct(ratio - 1)} (${span})`,
        });
      }
    } else if (adjJumps && adjRatio !== null) {
      out.push({
        symbol,
        check: 'jumps',
        severity: 'warn',
        date: b.date,
        detail: `adj_close moved ${fmtPct(adjRatio - 1)} while close moved ${fmtPct(ratio - 1)} (${span})`,
      });
    }
  }
  return out;
}

export type AdjustedRatioResult = {
  findings: Finding[];
  /** adj_close/close on the first and last bar that have both; null when no bar has both. */
  firstRatio: number | null;
  lastRatio: number | null;
  /** lastRatio / firstRatio - 1: how far adjustments moved the adjusted series from raw closes overall. */
  drift: number | null;
};

/**
 * adj_close/close should only change on dividend and split dates. Reports each day the ratio changes by more than
 * `threshold` (relative) on a date with no known corporate action, and the overall drift of the ratio.
 */
export function checkAdjustedRatio(
  symbol: string,
  bars: readonly Bar[],
  threshold: number = DEFAULT_BAR_CHECK_OPTIONS.adjRatioThreshold,
  actions: readonly CorporateAction[] = [],
): AdjustedRatioResult {
  const actionDates = new Set<string>(actions.map((a) => a.date));
  const both = [...bars]
    .filter((b) => b.adjClose !== null && b.adjClose > 0 && b.close > 0)
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const findings: Finding[] = [];
  for (let i = 1; i < both.length; i++) {
    const prev = both[i - 1] as Bar;
    const b = both[i] as Bar;
    const r0 = (prev.adjClose as number) / prev.close;
    const r1 = (b.adjClose as number) / b.close;
    const change = r1 / r0 - 1;
    if (Math.abs(change) <= threshold || actionDates.has(b.date)) continue;
    findings.push({
      symbol,
      check: 'adjusted-ratio',
      severity: 'warn',
      date: b.date,
      detail: `adj_close/close changed ${fmtPct(change)} (${r0.toFixed(4)} -> ${r1.toFixed(4)}) with no known dividend or split on ${b.date}`,
    });
  }
  const firstBar = both[0];
  const lastBar = both[both.length - 1];
  const firstRatio = firstBar ? (firstBar.adjClose as number) / firstBar.close : null;
  const lastRatio = lastBar ? (lastBar.adjClose as number) / lastBar.close : null;
  const drift = firstRatio !== null && lastRatio !== null ? lastRatio / firstRatio - 1 : null;
  return { findings, firstRatio, lastRatio, drift };
}
