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

/** Intl's formatter for a zone's calendar date, made on first use: the first Intl object costs a CLI's start-up. */
const dayFormats = new Map<string, Intl.DateTimeFormat>();
function dayFormat(timeZone: string): Intl.DateTimeFormat {
  let f = dayFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, f);
  }
  return f;
}

const MS_PER_MINUTE = 60_000;

/**
 * New York's offset from UTC at an instant, in minutes (-300 EST, -240 EDT), by the US rule in force since 2007
 * (Energy Policy Act of 2005): daylight time from the second Sunday of March, 02:00 EST (07:00 UTC), to the first
 * Sunday of November, 02:00 EDT (06:00 UTC). Null before 2007 and for an invalid date: Intl answers those.
 * Plain arithmetic, because Intl's first use (ICU's zone and locale data) costs more than a bare `node` start.
 */
function newYorkOffsetMinutes(instant: Date): number | null {
  const t = instant.getTime();
  const year = instant.getUTCFullYear();
  if (!Number.isFinite(t) || year < 2007) return null;
  const firstSunday = (month: number) => 1 + ((7 - new Date(Date.UTC(year, month, 1)).getUTCDay()) % 7);
  const dstStart = Date.UTC(year, 2, firstSunday(2) + 7, 7);
  const dstEnd = Date.UTC(year, 10, firstSunday(10), 6);
  return t >= dstStart && t < dstEnd ? -240 : -300;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * New York's wall clock at an instant: its calendar date and `HH:MM` (24-hour). The clock is read at the edge
 * (the CLI, the daily run) and passed in; this only converts it.
 */
export function newYorkClock(instant: Date): { date: TradingDate; hhmm: string } {
  const offset = newYorkOffsetMinutes(instant);
  if (offset === null) {
    const hhmm = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'America/New_York',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(instant);
    return { date: dayFormat('America/New_York').format(instant) as TradingDate, hhmm };
  }
  const wall = new Date(instant.getTime() + offset * MS_PER_MINUTE);
  const date = `${String(wall.getUTCFullYear()).padStart(4, '0')}-${pad2(wall.getUTCMonth() + 1)}-${pad2(wall.getUTCDate())}`;
  return { date: date as TradingDate, hhmm: `${pad2(wall.getUTCHours())}:${pad2(wall.getUTCMinutes())}` };
}

/** The calendar date of an instant in a zone (New York by default): how a provider timestamp becomes a trading date. */
export function tradingDateOf(instant: Date, timeZone = 'America/New_York'): TradingDate {
  if (timeZone === 'America/New_York' && newYorkOffsetMinutes(instant) !== null)
    return newYorkClock(instant).date;
  return dayFormat(timeZone).format(instant) as TradingDate;
}
