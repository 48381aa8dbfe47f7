import type { TradingDate } from '../../shared/brand.js';
import { addDays, dayOfWeek } from '../../shared/dates.js';
import type { Bar, CorporateAction } from '../../shared/domain.js';
import {
  CALENDAR_RANGE,
  holidayName,
  isSession,
  nextSession,
  sessionsBetween,
} from '../calendar/calendar.js';
import { checkSummary, worst, type CheckSummary, type Finding, type Severity } from './findings.js';

/**
 * The data doctor's checks over one symbol's daily bars. Pure: bars, the NYSE calendar and an as-of date in,
 * findings out. Every check always reports (a clean check says "none"), and every problem is a Finding.
 */

export type BarCheckOptions = {
  /** The date the data should be current to (the CLI passes today's New York date or --as-of). */
  asOf: TradingDate;
  /** A |close-to-close move| above this fraction is a suspicious jump. Default 0.25. */
  jumpThreshold?: number;
  /** The last bar may lag the as-of date by at most this many sessions. Default 5. */
  staleSessions?: number;
  /**
   * A day-over-day change of adj_close/close above this fraction, on a date with no known corporate action,
   * is flagged. Default 0.02: regular quarterly dividends move the ratio by 0.1–1.5 %, so 2 % catches broken
   * adjustments (and special dividends) without flagging every ex-dividend date.
   */
  adjRatioThreshold?: number;
  /** A run of at least this many consecutive missing sessions is a long gap. Default 5. */
  longGapSessions?: number;
  /** Known splits and dividends: adjusted-ratio changes on their dates are expected. */
  actions?: readonly CorporateAction[];
};

export const DEFAULT_BAR_CHECK_OPTIONS = {
  jumpThreshold: 0.25,
  staleSessions: 5,
  adjRatioThreshold: 0.02,
  longGapSessions: 5,
} as const;

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

const SPLIT_FACTORS = [2, 3, 4, 5, 10] as const;
/** How far a day's close ratio may be from exactly 1/k (or k) and still read as a k:1 split: ±5 %. */
const SPLIT_TOLERANCE = 0.05;
const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const inCalendar = (d: string) => d >= CALENDAR_RANGE.first && d <= CALENDAR_RANGE.last;
const fmtPct = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;

/** Rows whose date repeats an earlier row's date, and rows dated before the row above them. */
export function checkOrder(symbol: string, bars: readonly Bar[]): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < bars.length; i++) {
    const b = bars[i] as Bar;
    if (seen.has(b.date))
      out.push({
        symbol,
        check: 'duplicates',
        severity: 'error',
        date: b.date,
        detail: `row ${i + 1} repeats date ${b.date}`,
      });
    seen.add(b.date);
    const prev = bars[i - 1];
    if (prev && b.date < prev.date)
      out.push({
        symbol,
        check: 'order',
        severity: 'error',
        date: b.date,
        detail: `row ${i + 1} (${b.date}) comes after ${prev.date}: rows are out of date order`,
      });
  }
  return out;
}

/** Non-positive or non-finite prices, negative volume. */
export function checkValues(symbol: string, bars: readonly Bar[]): Finding[] {
  const out: Finding[] = [];
  for (const b of bars) {
    const bad: string[] = [];
    for (const [name, v] of [
      ['open', b.open],
      ['high', b.high],
      ['low', b.low],
      ['close', b.close],
      ['adj_close', b.adjClose],
    ] as const) {
      if (v !== null && !(Number.isFinite(v) && v > 0)) bad.push(`${name} ${v}`);
    }
    if (b.volume !== null && !(Number.isFinite(b.volume) && b.volume >= 0)) bad.push(`volume ${b.volume}`);
    if (bad.length > 0)
      out.push({
        symbol,
        check: 'values',
        severity: 'error',
        date: b.date,
        detail: `non-positive or invalid ${bad.join(', ')}`,
      });
  }
  return out;
}

/**
 * Zero-volume bars after volume began to be recorded. An appending updater that writes a row before the session's
 * final print leaves volume 0 and a close that may differ from the official one (the shared RUT file has 17 such
 * rows). Zero volume before the first traded volume (early index history without volume) is not a finding.
 */
export function checkZeroVolume(symbol: string, bars: readonly Bar[]): Finding[] {
  const first = bars.findIndex((b) => b.volume !== null && b.volume > 0);
  if (first < 0) return [];
  const out: Finding[] = [];
  for (let i = first + 1; i < bars.length; i++) {
    const b = bars[i] as Bar;
    if (b.volume === 0)
      out.push({
        symbol,
        check: 'zero-volume',
        severity: 'warn',
        date: b.date,
        detail: 'volume 0 after volume was recorded: the close may be a pre-final snapshot',
      });
  }
  return out;
}

/**
 * OHLC consistency: high >= max(open, close, low) and low <= min(open, close), where the fields exist. A relative
 * slack of 1e-6 absorbs float rounding in providers' exports.
 */
export function checkOhlc(symbol: string, bars: readonly Bar[]): Finding[] {
  const out: Finding[] = [];
  const slack = 1e-6;
  for (const b of bars) {
    const { open, high, low, close } = b;
    const problems: string[] = [];
    if (high !== null) {
      const top = Math.max(close, open ?? close, low ?? close);
      if (high < top * (1 - slack))
        problems.push(`high ${high} < ${top === close ? 'close' : top === open ? 'open' : 'low'} ${top}`);
    }
    if (low !== null) {
      const bottom = Math.min(close, open ?? close);
      if (low > bottom * (1 + slack))
        problems.push(`low ${low} > ${bottom === close ? 'close' : 'open'} ${bottom}`);
    }
    if (problems.length > 0)
      out.push({ symbol, check: 'ohlc', severity: 'warn', date: b.date, detail: problems.join('; ') });
  }
  return out;
}

/** Sorted, de-duplicated dates of the bars (the calendar checks work on dates only). */
function sortedDates(bars: readonly Bar[]): TradingDate[] {
  return [...new Set(bars.map((b) => b.date))].sort();
}

/** Sessions with no bar between the first and last bar, within the calendar's 1980–2030, ascending. */
export function missingSessions(bars: readonly Bar[]): TradingDate[] {
  const dates = sortedDates(bars).filter(inCalendar);
  const first = dates[0];
  const last = dates[dates.length - 1];
  if (first === undefined || last === undefined) return [];
  const have = new Set<string>(dates);
  return sessionsBetween(first, last).filter((s) => !have.has(s));
}

/**
 * One finding per run of consecutive missing sessions (see missingSessions); runs of `longGapSessions` or more
 * are called long gaps.
 */
export function checkMissingSessions(
  symbol: string,
  bars: readonly Bar[],
  longGapSessions: number = DEFAULT_BAR_CHECK_OPTIONS.longGapSessions,
  missing: readonly TradingDate[] = missingSessions(bars),
): Finding[] {
  const out: Finding[] = [];
  let i = 0;
  while (i < missing.length) {
    const start = missing[i] as TradingDate;
    let j = i;
    // Extend the run while the next missing date is the very next session.
    while (j + 1 < missing.length && nextSessionOrNull(missing[j] as TradingDate) === missing[j + 1]) j++;
    const end = missing[j] as TradingDate;
    const n = j - i + 1;
    out.push({
      symbol,
      check: 'missing-sessions',
      severity: 'warn',
      date: start,
      detail:
        n === 1
          ? `no bar for session ${start}`
          : `${n >= longGapSessions ? 'long gap: ' : ''}${n} sessions without a bar, ${start}..${end}`,
    });
    i = j + 1;
  }
  return out;
}

function nextSessionOrNull(d: TradingDate): TradingDate | null {
  return d >= CALENDAR_RANGE.last ? null : nextSession(d);
}

/** Bars dated on weekends or NYSE holidays (within 1980–2030). */
export function checkNonSessionBars(symbol: string, bars: readonly Bar[]): Finding[] {
  const out: Finding[] = [];
  for (const d of sortedDates(bars)) {
    if (!inCalendar(d) || isSession(d)) continue;
    const why = holidayName(d) ?? WEEKDAY_NAMES[dayOfWeek(d)] ?? 'not a session';
    out.push({
      symbol,
      check: 'non-session-bars',
      severity: 'warn',
      date: d,
      detail: `bar on ${d}, not an NYSE session (${why})`,
    });
  }
  return out;
}

/** How many sessions after `last` up to and including `asOf` (0 when asOf <= last); clipped to the calendar. */
export function sessionsSince(last: TradingDate, asOf: TradingDate): number {
  if (asOf <= last) return 0;
  const from = addDays(last, 1);
  const lo = from < CALENDAR_RANGE.first ? CALENDAR_RANGE.first : from;
  const hi = asOf > CALENDAR_RANGE.last ? CALENDAR_RANGE.last : asOf;
  return lo > hi ? 0 : sessionsBetween(lo, hi).length;
}

/** The last bar lags the as-of date by more than `staleSessions` sessions. */
export function checkStale(
  symbol: string,
  bars: readonly Bar[],
  asOf: TradingDate,
  staleSessions: number = DEFAULT_BAR_CHECK_OPTIONS.staleSessions,
): Finding[] {
  const dates = sortedDates(bars);
  const last = dates[dates.length - 1];
  if (last === undefined) return [];
  const behind = sessionsSince(last, asOf);
  if (behind <= staleSessions) return [];
  return [
    {
      symbol,
      check: 'stale',
      severity: 'warn',
      date: last,
      detail: `last bar ${last} is ${behind} sessions before the as-of date ${asOf} (limit ${staleSessions})`,
    },
  ];
}

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
