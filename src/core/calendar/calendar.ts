import type { TradingDate } from '../../shared/brand.js';
import { addDays, dayOfWeek, daysInMonth, epochDay, parseIsoDate } from '../../shared/dates.js';
import {
  NYSE_EARLY_CLOSE_RULES,
  NYSE_HOLIDAY_RULES,
  NYSE_ONE_OFF_CLOSURES,
  NYSE_ONE_OFF_EARLY_CLOSES,
  type CalendarRule,
  type DateRule,
  type EarlyCloseTime,
} from './nyse-holidays.js';

/**
 * The NYSE trading calendar, 1980–2030: which days are sessions, their close time, and the named holidays
 * and early closes. Pure and precomputed once (lazily): every lookup is a Map hit or a binary search.
 */

/** The dates the calendar knows (inclusive). Asking outside it throws a RangeError naming the date. */
export const CALENDAR_RANGE = { first: '1980-01-01', last: '2030-12-31' } as const;

const FIRST_YEAR = 1980;
const LAST_YEAR = 2030;

export type NamedDay = { date: TradingDate; name: string };
/** A session's close in New York time: 16:00, or an early close's own time (13:00, or 14:00 … 15:56 in the record). */
export type CloseTime = '16:00' | EarlyCloseTime;
/** An early close: the session, why it closed early and when. */
export type EarlyClose = NamedDay & { close: EarlyCloseTime };

type Calendar = {
  /** Every session, ascending. */
  sessions: TradingDate[];
  /** Session date -> index in `sessions`. */
  indexOf: Map<string, number>;
  /** Index in `sessions` of the first session of each year (year - FIRST_YEAR), and one past the end. */
  yearStart: number[];
  /** Weekday full-day closures, ascending. */
  holidays: NamedDay[];
  holidayName: Map<string, string>;
  /** Early closes, ascending. */
  earlyCloses: EarlyClose[];
  earlyCloseByDate: Map<string, EarlyClose>;
};

let cached: Calendar | null = null;

function calendar(): Calendar {
  cached ??= buildCalendar();
  return cached;
}

/** Easter Sunday of a Gregorian year (anonymous Gregorian algorithm, Meeus/Jones/Butcher). */
export function easterSunday(year: number): TradingDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return isoDate(year, month, day);
}

function isoDate(year: number, month: number, day: number): TradingDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}` as TradingDate;
}

/** The date a rule gives in `year` (may be a weekend for 'none' observance). */
function ruleDate(rule: DateRule, year: number): TradingDate {
  switch (rule.kind) {
    case 'fixed': {
      const d = isoDate(year, rule.month, rule.day);
      const dow = dayOfWeek(d);
      if (rule.observance === 'none') return d;
      if (dow === 0) return addDays(d, 1);
      if (dow === 6 && rule.observance === 'nearest-weekday') return addDays(d, -1);
      return d;
    }
    case 'nth-weekday': {
      let d: TradingDate;
      if (rule.nth === -1) {
        const last = isoDate(year, rule.month, daysInMonth(year, rule.month));
        d = addDays(last, -((dayOfWeek(last) - rule.weekday + 7) % 7));
      } else {
        const first = isoDate(year, rule.month, 1);
        d = addDays(first, ((rule.weekday - dayOfWeek(first) + 7) % 7) + 7 * (rule.nth - 1));
      }
      return rule.offsetDays ? addDays(d, rule.offsetDays) : d;
    }
    case 'easter':
      return addDays(easterSunday(year), rule.offsetDays);
  }
}

function applies(r: CalendarRule, year: number): boolean {
  return (r.fromYear === undefined || year >= r.fromYear) && (r.toYear === undefined || year <= r.toYear);
}

function isWeekend(date: string): boolean {
  const dow = dayOfWeek(date);
  return dow === 0 || dow === 6;
}

function buildCalendar(): Calendar {
  const holidayName = new Map<string, string>();
  const earlyCandidates = new Map<string, { name: string; close: EarlyCloseTime }>();
  for (let year = FIRST_YEAR; year <= LAST_YEAR; year++) {
    for (const r of NYSE_HOLIDAY_RULES) {
      if (!applies(r, year)) continue;
      const d = ruleDate(r.rule, year);
      // A Saturday New Year's Day is not moved, so the rule yields a weekend date that closes nothing.
      if (isWeekend(d) || d.slice(0, 4) !== String(year)) continue;
      const observed = r.rule.kind === 'fixed' && d !== isoDate(year, r.rule.month, r.rule.day);
      holidayName.set(d, observed ? `${r.name} (observed)` : r.name);
    }
    for (const r of NYSE_EARLY_CLOSE_RULES) {
      if (!applies(r, year)) continue;
      const d = ruleDate(r.rule, year);
      if (r.onlyOn && !r.onlyOn.includes(dayOfWeek(d) as (typeof r.onlyOn)[number])) continue;
      earlyCandidates.set(d, { name: r.name, close: r.close });
    }
  }
  for (const c of NYSE_ONE_OFF_CLOSURES) holidayName.set(c.date, c.name);
  for (const c of NYSE_ONE_OFF_EARLY_CLOSES) earlyCandidates.set(c.date, { name: c.name, close: c.close });

  const sessions: TradingDate[] = [];
  const indexOf = new Map<string, number>();
  const yearStart: number[] = [];
  const holidays: NamedDay[] = [];
  // One pass over the range's days by counters (date parts and weekday), formatting only the weekdays: this runs
  // on the first calendar question of every command, so it must cost little next to a bare `node` start.
  const firstDay = epochDay(CALENDAR_RANGE.first);
  const lastDay = epochDay(CALENDAR_RANGE.last);
  let y = Number(CALENDAR_RANGE.first.slice(0, 4));
  let m = Number(CALENDAR_RANGE.first.slice(5, 7));
  let dom = Number(CALENDAR_RANGE.first.slice(8, 10));
  let dow = dayOfWeek(CALENDAR_RANGE.first);
  let monthLength = daysInMonth(y, m);
  let prefix = CALENDAR_RANGE.first.slice(0, 8);
  for (let day = firstDay; day <= lastDay; day++) {
    if (day === firstDay || (dom === 1 && m === 1)) yearStart.push(sessions.length);
    if (dow !== 0 && dow !== 6) {
      const d = (prefix + (dom < 10 ? `0${dom}` : String(dom))) as TradingDate;
      const name = holidayName.get(d);
      if (name !== undefined) holidays.push({ date: d, name });
      else {
        indexOf.set(d, sessions.length);
        sessions.push(d);
      }
    }
    dow = dow === 6 ? 0 : dow + 1;
    if (++dom > monthLength) {
      dom = 1;
      if (++m > 12) {
        m = 1;
        y++;
      }
      monthLength = daysInMonth(y, m);
      prefix = `${y}-${m < 10 ? `0${m}` : String(m)}-`;
    }
  }
  yearStart.push(sessions.length);

  const earlyCloses: EarlyClose[] = [...earlyCandidates]
    .filter(([d]) => indexOf.has(d))
    .map(([d, e]) => ({ date: d as TradingDate, name: e.name, close: e.close }))
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const earlyCloseByDate = new Map(earlyCloses.map((e) => [e.date as string, e]));
  return { sessions, indexOf, yearStart, holidays, holidayName, earlyCloses, earlyCloseByDate };
}

/** Validates a date argument: a real `YYYY-MM-DD` inside CALENDAR_RANGE, else a RangeError naming it. */
function checked(date: string): TradingDate {
  const d = parseIsoDate(date);
  if (d === null) throw new RangeError(`"${date}" is not a YYYY-MM-DD date`);
  if (d < CALENDAR_RANGE.first || d > CALENDAR_RANGE.last)
    throw new RangeError(
      `${date} is outside the NYSE calendar range ${CALENDAR_RANGE.first}..${CALENDAR_RANGE.last}`,
    );
  return d;
}

function checkedYear(year: number): void {
  if (!Number.isInteger(year) || year < FIRST_YEAR || year > LAST_YEAR)
    throw new RangeError(`year ${year} is outside the NYSE calendar range ${FIRST_YEAR}..${LAST_YEAR}`);
}

/** Index of the first element of the sorted array that is >= `x` (array length when none). */
function lowerBound(xs: readonly string[], x: string): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((xs[mid] as string) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first element > `x`. */
function upperBound(xs: readonly string[], x: string): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((xs[mid] as string) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** True when NYSE traded (a full or shortened session) on `date`. */
export function isSession(date: string): boolean {
  return calendar().indexOf.has(checked(date));
}

/** The first session strictly after `date`; RangeError past 2030's last session. */
export function nextSession(date: string): TradingDate {
  const d = checked(date);
  const { sessions } = calendar();
  const s = sessions[upperBound(sessions, d)];
  if (s === undefined) throw new RangeError(`no session after ${date} within the calendar range`);
  return s;
}

/** The last session strictly before `date`; RangeError before 1980's first session. */
export function previousSession(date: string): TradingDate {
  const d = checked(date);
  const { sessions } = calendar();
  const s = sessions[lowerBound(sessions, d) - 1];
  if (s === undefined) throw new RangeError(`no session before ${date} within the calendar range`);
  return s;
}

/** Sessions from `from` to `to`, both inclusive, ascending; empty when from > to. A fresh array. */
export function sessionsBetween(from: string, to: string): TradingDate[] {
  const f = checked(from);
  const t = checked(to);
  if (f > t) return [];
  const { sessions } = calendar();
  return sessions.slice(lowerBound(sessions, f), upperBound(sessions, t));
}

/** The nth (1-based) session of a year, or null when the year has fewer than n. */
export function nthSessionOfYear(year: number, n: number): TradingDate | null {
  checkedYear(year);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`session number ${n} is not a positive integer`);
  const { sessions, yearStart } = calendar();
  const start = yearStart[year - FIRST_YEAR] as number;
  const end = yearStart[year - FIRST_YEAR + 1] as number;
  return start + n - 1 < end ? (sessions[start + n - 1] as TradingDate) : null;
}

/** The 1-based position of a session within its year (2026-01-02 is 1), or null when `date` is not a session. */
export function sessionIndexInYear(date: string): number | null {
  const d = checked(date);
  const { indexOf, yearStart } = calendar();
  const i = indexOf.get(d);
  if (i === undefined) return null;
  return i - (yearStart[Number(d.slice(0, 4)) - FIRST_YEAR] as number) + 1;
}

/** How many sessions a year has (250 in 2023, 252 in 2024, 250 in 2025, 251 in 2026). */
export function sessionsInYear(year: number): number {
  checkedYear(year);
  const { yearStart } = calendar();
  return (yearStart[year - FIRST_YEAR + 1] as number) - (yearStart[year - FIRST_YEAR] as number);
}

/** The close of a session in New York time: '16:00', or the early close's time; null when not a session. */
export function closeTime(date: string): CloseTime | null {
  const d = checked(date);
  const cal = calendar();
  if (!cal.indexOf.has(d)) return null;
  return cal.earlyCloseByDate.get(d)?.close ?? '16:00';
}

let holidayDates: string[] | null = null;
let earlyDates: string[] | null = null;

/** Weekday full-day closures in [from, to] with their names (rule holidays and one-off closures). */
export function holidaysBetween(from: string, to: string): NamedDay[] {
  const { holidays } = calendar();
  holidayDates ??= holidays.map((h) => h.date);
  return sliceNamed(holidays, holidayDates, from, to);
}

/** Early closes in [from, to] with their names and close times. */
export function earlyClosesBetween(from: string, to: string): EarlyClose[] {
  const { earlyCloses } = calendar();
  earlyDates ??= earlyCloses.map((h) => h.date);
  return sliceNamed(earlyCloses, earlyDates, from, to);
}

function sliceNamed<D extends NamedDay>(
  days: readonly D[],
  dates: readonly string[],
  from: string,
  to: string,
): D[] {
  const f = checked(from);
  const t = checked(to);
  if (f > t) return [];
  return days.slice(lowerBound(dates, f), upperBound(dates, t));
}

/** The holiday name of a weekday closure, or null (weekends and sessions). */
export function holidayName(date: string): string | null {
  return calendar().holidayName.get(checked(date)) ?? null;
}
