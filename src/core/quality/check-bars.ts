import type { TradingDate } from '../../shared/brand.js';
import type { Bar } from '../../shared/domain.js';
import { CALENDAR_RANGE } from '../calendar/calendar.js';
import { checkAdjustedRatio, checkJumps, fmtPct } from './bar-moves.js';
import { checkOhlc, checkOrder, checkValues, checkZeroVolume } from './bar-rows.js';
import {
  checkMissingSessions,
  checkNonSessionBars,
  checkStale,
  inCalendar,
  missingSessions,
  sessionsSince,
  sortedDates,
} from './bar-sessions.js';
import { DEFAULT_BAR_CHECK_OPTIONS, type BarCheckOptions } from './bar-options.js';
import { checkSummary, worst, type CheckSummary, type Finding, type Severity } from './findings.js';

/**
 * The data doctor's checks over one symbol's daily bars. Pure: bars, the NYSE calendar and an as-of date in,
 * findings out. Every check always reports (a clean check says "none"), and every problem is a Finding.
 */

export type BarsReport = {
  symbol: string;
  table: 'bars';
  rows: number;
  firstDate: TradingDate | null;
  lastDate: TradingDate | null;
  severity: Severity;
  checks: CheckSummary[];
  findings: Finding[];
};

const preview = (findings: readonly Finding[], n = 3) => {
  const dates = findings.filter((f) => f.severity !== 'info' && f.date).map((f) => f.date as string);
  return dates.length === 0
    ? ''
    : ` (first: ${dates.slice(0, n).join(', ')}${dates.length > n ? ', …' : ''})`;
};

/** Runs every bar check over one symbol and summarises them. */
export function checkBars(symbol: string, bars: readonly Bar[], options: BarCheckOptions): BarsReport {
  const jumpThreshold = options.jumpThreshold ?? DEFAULT_BAR_CHECK_OPTIONS.jumpThreshold;
  const staleSessions = options.staleSessions ?? DEFAULT_BAR_CHECK_OPTIONS.staleSessions;
  const adjThreshold = options.adjRatioThreshold ?? DEFAULT_BAR_CHECK_OPTIONS.adjRatioThreshold;
  const longGap = options.longGapSessions ?? DEFAULT_BAR_CHECK_OPTIONS.longGapSessions;
  const dates = sortedDates(bars);
  const firstDate = dates[0] ?? null;
  const lastDate = dates[dates.length - 1] ?? null;

  const order = checkOrder(symbol, bars);
  const duplicates = order.filter((f) => f.check === 'duplicates');
  const outOfOrder = order.filter((f) => f.check === 'order');
  const values = checkValues(symbol, bars);
  const ohlc = checkOhlc(symbol, bars);
  const missingDates = missingSessions(bars);
  const missing = checkMissingSessions(symbol, bars, longGap, missingDates);
  const nonSession = checkNonSessionBars(symbol, bars);
  const stale = checkStale(symbol, bars, options.asOf, staleSessions);
  const jumps = checkJumps(symbol, bars, jumpThreshold, options.actions);
  const adj = checkAdjustedRatio(symbol, bars, adjThreshold, options.actions);
  const zeroVolume = checkZeroVolume(symbol, bars);

  const coverage: Finding[] = [];
  const outside = dates.filter((d) => !inCalendar(d)).length;
  if (outside > 0)
    coverage.push({
      symbol,
      check: 'coverage',
      severity: 'info',
      detail: `${outside} bars lie outside the calendar's ${CALENDAR_RANGE.first}..${CALENDAR_RANGE.last}: not checked for missing or non-session dates`,
    });
  if (bars.length === 0)
    coverage.push({ symbol, check: 'coverage', severity: 'warn', detail: 'no bars stored' });

  const longGaps = missing.filter((f) => f.detail.startsWith('long gap')).length;
  const realJumps = jumps.filter((f) => f.severity !== 'info');
  const splits = jumps.filter((f) => f.detail.includes('unadjusted')).length;
  const lastBehind = lastDate ? sessionsSince(lastDate, options.asOf) : null;

  const checks: CheckSummary[] = [
    checkSummary(
      'coverage',
      coverage,
      `${bars.length} bars, ${firstDate ?? '—'}..${lastDate ?? '—'}` +
        (outside > 0 ? `; ${outside} outside the calendar's 1980–2030, not calendar-checked` : ''),
      () => 'no bars stored',
    ),
    checkSummary('order', outOfOrder, 'none out of order', (n) => `${n} rows out of date order`),
    checkSummary('duplicates', duplicates, 'none', (n) => `${n} duplicate dates${preview(duplicates)}`),
    checkSummary(
      'values',
      values,
      'none non-positive',
      (n) => `${n} bars with non-positive or invalid values${preview(values)}`,
    ),
    checkSummary(
      'zero-volume',
      zeroVolume,
      'none',
      (n) => `${n} bars with volume 0 after volume was recorded${preview(zeroVolume)}`,
    ),
    checkSummary(
      'ohlc',
      ohlc,
      'consistent',
      (n) => `${n} bars with high/low inconsistent with open/close${preview(ohlc)}`,
    ),
    checkSummary(
      'missing-sessions',
      missing,
      'none',
      () =>
        `${missingDates.length} missing sessions in ${missing.length} gaps${longGaps ? ` (${longGaps} long)` : ''}${preview(missing)}`,
    ),
    checkSummary(
      'non-session-bars',
      nonSession,
      'none',
      (n) => `${n} bars on non-sessions${preview(nonSession)}`,
    ),
    checkSummary(
      'stale',
      stale,
      lastDate ? `current: last bar ${lastDate}, ${lastBehind} sessions before ${options.asOf}` : 'no bars',
      () => stale[0]?.detail ?? '',
    ),
    checkSummary(
      'jumps',
      jumps,
      `none beyond ${(jumpThreshold * 100).toFixed(0)}%${jumps.length ? ` (${jumps.length} explained by adj_close)` : ''}`,
      (n) =>
        `${n} moves beyond ${(jumpThreshold * 100).toFixed(0)}%${splits ? `, ${splits} suspected unadjusted splits` : ''}${preview(realJumps)}`,
    ),
    checkSummary(
      'adjusted-ratio',
      adj.findings,
      adj.drift === null
        ? 'no bars with both close and adj_close'
        : `steady; overall drift ${fmtPct(adj.drift)} (ratio ${adj.firstRatio?.toFixed(4)} -> ${adj.lastRatio?.toFixed(4)})`,
      (n) =>
        `${n} unexplained ratio changes beyond ${(adjThreshold * 100).toFixed(1)}%${preview(adj.findings)}; overall drift ${fmtPct(adj.drift ?? 0)}`,
    ),
  ];
  const findings = [
    ...coverage,
    ...outOfOrder,
    ...duplicates,
    ...values,
    ...zeroVolume,
    ...ohlc,
    ...missing,
    ...nonSession,
    ...stale,
    ...jumps,
    ...adj.findings,
  ];
  return {
    symbol,
    table: 'bars',
    rows: bars.length,
    firstDate,
    lastDate,
    severity: worst(checks.map((c) => c.severity)),
    checks,
    findings,
  };
}
