import type { TradingDate } from './brand.js';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Parses a `YYYY-MM-DD` string into a TradingDate, or returns null when it is not a real calendar date
 * (`2026-02-30` is null). Pure string arithmetic: no time zone is involved.
 */
export function parseIsoDate(text: string): TradingDate | null {
  const m = ISO_DATE.exec(text);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return null;
  return text as TradingDate;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

/** Days since 1970-01-01 for a calendar date (proleptic Gregorian); independent of the machine's zone. */
export function epochDay(date: string): number {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  return Math.round(Date.UTC(y, m - 1, d) / 86_400_000);
}

/** The calendar date `epochDay` days after 1970-01-01. */
export function fromEpochDay(day: number): TradingDate {
  const t = new Date(day * 86_400_000);
  const y = t.getUTCFullYear();
  const m = t.getUTCMonth() + 1;
  const d = t.getUTCDate();
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}` as TradingDate;
}

/** Adds whole calendar days to a date. */
export function addDays(date: string, days: number): TradingDate {
  return fromEpochDay(epochDay(date) + days);
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: string): number {
  return (((epochDay(date) + 4) % 7) + 7) % 7;
}

const nyDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'America/New_York',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The New York calendar date of an instant: how a provider timestamp becomes a trading date. */
export function tradingDateOf(instant: Date, timeZone = 'America/New_York'): TradingDate {
  const fmt =
    timeZone === 'America/New_York'
      ? nyDay
      : new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  return fmt.format(instant) as TradingDate;
}
