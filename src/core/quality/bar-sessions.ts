import type { TradingDate } from '../../shared/brand.js';
import { addDays, dayOfWeek } from '../../shared/dates.js';
import type { Bar } from '../../shared/domain.js';
import {
  CALENDAR_RANGE,
  holidayName,
  isSession,
  nextSession,
  sessionsBetween,
} from '../calendar/calendar.js';
import { DEFAULT_BAR_CHECK_OPTIONS } from './bar-options.js';
import type { Finding } from './findings.js';

/**
 * The data doctor's calendar checks over one symbol's daily bars, against the NYSE sessions of 1980–2030:
 * missing sessions and long gaps, bars on non-sessions, and staleness against the as-of date.
 */

const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Whether a date lies inside the calendar's range (the calendar checks skip dates outside it). */
export const inCalendar = (d: string) => d >= CALENDAR_RANGE.first && d <= CALENDAR_RANGE.last;

/** Sorted, de-duplicated dates of the bars (the calendar checks work on dates only). */
export function sortedDates(bars: readonly Bar[]): TradingDate[] {
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
