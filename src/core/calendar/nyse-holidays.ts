/**
 * NYSE closures and early closes, 1980–2030, as data. calendar.ts turns these rules into dates.
 *
 * Sources (reference, cross-checked):
 * - NYSE "Holidays & Trading Hours" pages (current rules, 2024–2027 published calendars).
 * - The NYSE closings history compiled in rsheftel/pandas_market_calendars `holidays_nyse.py`
 *   (itself from the NYSE's "Stocks.NYSE-Closings.pdf"), for the historical one-off closures and the years
 *   in which each early-close rule started.
 * - Verified against real history: every weekday 1980–2025 in /work/shared/data/indices/SPX.csv (Yahoo ^SPX)
 *   is a session here and every session here has an SPX row (see calendar.test.ts).
 *
 * Observance, as NYSE applies it:
 * - New Year's Day: Sunday -> Monday; Saturday -> NOT observed. NYSE's holiday rule moves a Saturday holiday to
 *   the Friday before "unless unusual business conditions exist, such as the ending of a monthly or yearly
 *   accounting period", so December 31 stays a session (2021-12-31, 2010-12-31, 2004-12-31 traded).
 * - Independence Day, Christmas, Juneteenth: Saturday -> Friday, Sunday -> Monday.
 * - Monday holidays (MLK, Washington's Birthday, Memorial Day, Labor Day) and Thanksgiving/Good Friday are
 *   weekdays by construction.
 *
 * Early closes, 1980–2030, date and time (New York), checked one by one against the NYSE's published record:
 * - From 2025 on: the NYSE Group holiday and early-closings announcements (Business Wire / Mondo Visione,
 *   2024-11-08 for 2025–2027 and 2025-12-23 for 2026–2028): 13:00 on the day before Independence Day (when a
 *   session), the day after Thanksgiving and Christmas Eve.
 * - 1980–2024: the NYSE's closings history "Stocks.NYSE-Closings.pdf" (NYSE Euronext, as compiled with each
 *   entry's time in rsheftel/pandas_market_calendars `pandas_market_calendars/holidays/nyse.py`), cross-read with
 *   the R timeDate package's `earlyCloseNYSE` (archived NYSE "early closings" page). Before 1993 the holiday
 *   early closes were at 14:00 (Christmas Eve 1990–1992, the day after Thanksgiving 1992; none 1980–1989), and
 *   the record has unscheduled early closes (1981, the October 1987 backlog, snow, the 1997 circuit breaker,
 *   2005's systems problem): each is listed below with its own time.
 * - Left out on purpose: 1999-12-31 (a 13:00 close in some lists, not in the NYSE record; the record wins), and
 *   late openings (the calendar models the close only).
 *   The list is pinned in calendar.test.ts (every early close 1980–2030 with its time).
 */

/** 0 = Sunday … 6 = Saturday (as dayOfWeek in shared/dates.ts). */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

export type Observance = 'none' | 'sunday-to-monday' | 'nearest-weekday';

/** How a recurring date is found in a given year. */
export type DateRule =
  /** A fixed month/day, moved off weekends by `observance` ('none' keeps weekend dates, which then close nothing). */
  | { kind: 'fixed'; month: number; day: number; observance: Observance }
  /** The nth `weekday` of `month` (nth = -1 for the last), plus `offsetDays` (e.g. +1 for the day after). */
  | { kind: 'nth-weekday'; month: number; weekday: Weekday; nth: 1 | 2 | 3 | 4 | -1; offsetDays?: number }
  /** Easter Sunday (Gregorian computus) plus `offsetDays` (Good Friday is -2). */
  | { kind: 'easter'; offsetDays: number };

export type CalendarRule = {
  name: string;
  rule: DateRule;
  /** First and last year the rule applies (inclusive); open-ended when absent. */
  fromYear?: number;
  toYear?: number;
  /** Only when the resulting date falls on one of these weekdays (early-close rules). */
  onlyOn?: readonly Weekday[];
};

export type OneOffDay = { date: string; name: string };

/** An early close time, New York (the regular close is 16:00). */
export type EarlyCloseTime = '13:00' | '14:00' | '14:30' | '15:00' | '15:17' | '15:28' | '15:30' | '15:56';

/** A recurring early close and the time it closes. */
export type EarlyCloseRule = CalendarRule & { close: EarlyCloseTime };

/** A one-off early close: its date, what caused it and the time it closed. */
export type OneOffEarlyClose = OneOffDay & { close: EarlyCloseTime };

const MON = 1;
const TUE = 2;
const WED = 3;
const THU = 4;

/** Recurring full-day closures. */
export const NYSE_HOLIDAY_RULES: readonly CalendarRule[] = [
  { name: "New Year's Day", rule: { kind: 'fixed', month: 1, day: 1, observance: 'sunday-to-monday' } },
  {
    name: 'Martin Luther King Jr. Day',
    rule: { kind: 'nth-weekday', month: 1, weekday: MON, nth: 3 },
    // NYSE first closed for MLK Day on 1998-01-19.
    fromYear: 1998,
  },
  {
    name: "Washington's Birthday",
    // Third Monday of February since 1971 (Uniform Monday Holiday Act).
    rule: { kind: 'nth-weekday', month: 2, weekday: MON, nth: 3 },
  },
  { name: 'Good Friday', rule: { kind: 'easter', offsetDays: -2 } },
  { name: 'Memorial Day', rule: { kind: 'nth-weekday', month: 5, weekday: MON, nth: -1 } },
  {
    name: 'Juneteenth',
    rule: { kind: 'fixed', month: 6, day: 19, observance: 'nearest-weekday' },
    // First observed by NYSE on 2022-06-20 (June 19, 2022 was a Sunday).
    fromYear: 2022,
  },
  {
    name: 'Independence Day',
    rule: { kind: 'fixed', month: 7, day: 4, observance: 'nearest-weekday' },
  },
  { name: 'Labor Day', rule: { kind: 'nth-weekday', month: 9, weekday: MON, nth: 1 } },
  { name: 'Thanksgiving Day', rule: { kind: 'nth-weekday', month: 11, weekday: THU, nth: 4 } },
  { name: 'Christmas Day', rule: { kind: 'fixed', month: 12, day: 25, observance: 'nearest-weekday' } },
];

/** Full-day closures that no rule produces. */
export const NYSE_ONE_OFF_CLOSURES: readonly OneOffDay[] = [
  // NYSE closed on presidential Election Days through 1980 (the last one).
  { date: '1980-11-04', name: 'Presidential Election Day' },
  { date: '1985-09-27', name: 'Hurricane Gloria' },
  { date: '1994-04-27', name: 'National Day of Mourning for Richard Nixon' },
  { date: '2001-09-11', name: 'September 11 attacks' },
  { date: '2001-09-12', name: 'September 11 attacks' },
  { date: '2001-09-13', name: 'September 11 attacks' },
  { date: '2001-09-14', name: 'September 11 attacks' },
  { date: '2004-06-11', name: 'National Day of Mourning for Ronald Reagan' },
  { date: '2007-01-02', name: 'National Day of Mourning for Gerald Ford' },
  { date: '2012-10-29', name: 'Hurricane Sandy' },
  { date: '2012-10-30', name: 'Hurricane Sandy' },
  { date: '2018-12-05', name: 'National Day of Mourning for George H. W. Bush' },
  { date: '2025-01-09', name: 'National Day of Mourning for Jimmy Carter' },
];

/** Recurring early closes (only when the day is a session). */
export const NYSE_EARLY_CLOSE_RULES: readonly EarlyCloseRule[] = [
  {
    // July 3 when it is a Monday, Tuesday or Thursday, since 1995 (when July 3 is a Friday it is the observed
    // holiday; when a Wednesday, see the two rules below).
    name: 'Day before Independence Day',
    close: '13:00',
    rule: { kind: 'fixed', month: 7, day: 3, observance: 'none' },
    onlyOn: [MON, TUE, THU],
    fromYear: 1995,
  },
  {
    // July 4 on a Thursday: until 2012 the Friday after closed early (1996, 2002) ...
    name: 'Day after Independence Day',
    close: '13:00',
    rule: { kind: 'fixed', month: 7, day: 5, observance: 'none' },
    onlyOn: [5],
    fromYear: 1996,
    toYear: 2012,
  },
  {
    // ... and since 2013 the Wednesday before does (2013, 2019, 2024, 2030).
    name: 'Day before Independence Day',
    close: '13:00',
    rule: { kind: 'fixed', month: 7, day: 3, observance: 'none' },
    onlyOn: [WED],
    fromYear: 2013,
  },
  {
    name: 'Day after Thanksgiving',
    close: '13:00',
    rule: { kind: 'nth-weekday', month: 11, weekday: THU, nth: 4, offsetDays: 1 },
    // 13:00 since 1993; 1992's was 14:00 (one-off below); a full day before 1992.
    fromYear: 1993,
  },
  {
    // Christmas Eve on a Monday–Thursday (a Friday Christmas Eve is the observed holiday). 1993–1995 had no
    // Mon–Thu Christmas Eve; 1996–1998 were 13:00 closes (NYSE closings history), the rule since 1999.
    name: 'Christmas Eve',
    close: '13:00',
    rule: { kind: 'fixed', month: 12, day: 24, observance: 'none' },
    onlyOn: [MON, TUE, WED, THU],
    fromYear: 1993,
  },
];

/**
 * Early closes that no rule produces, with their times (NYSE closings history; see the file comment). Dates
 * that fall on a weekend or a holiday close nothing and are dropped by calendar.ts.
 */
export const NYSE_ONE_OFF_EARLY_CLOSES: readonly OneOffEarlyClose[] = [
  { date: '1981-03-30', name: 'Assassination attempt on President Reagan', close: '15:17' },
  { date: '1981-09-09', name: 'Con Edison power failure', close: '15:28' },
  // October 1987 crash: shortened sessions to clear the paperwork backlog.
  ...['1987-10-23', '1987-10-26', '1987-10-27', '1987-10-28', '1987-10-29', '1987-10-30'].map(
    (date): OneOffEarlyClose => ({
      date,
      name: 'Backlog relief after the October 1987 crash',
      close: '14:00',
    }),
  ),
  ...['1987-11-02', '1987-11-03', '1987-11-04'].map((date): OneOffEarlyClose => ({
    date,
    name: 'Backlog relief after the October 1987 crash',
    close: '14:30',
  })),
  ...['1987-11-05', '1987-11-06'].map((date): OneOffEarlyClose => ({
    date,
    name: 'Backlog relief after the October 1987 crash',
    close: '15:00',
  })),
  ...['1987-11-09', '1987-11-10', '1987-11-11'].map((date): OneOffEarlyClose => ({
    date,
    name: 'Backlog relief after the October 1987 crash',
    close: '15:30',
  })),
  { date: '1990-12-24', name: 'Christmas Eve', close: '14:00' },
  { date: '1991-12-24', name: 'Christmas Eve', close: '14:00' },
  { date: '1992-11-27', name: 'Day after Thanksgiving', close: '14:00' },
  { date: '1992-12-24', name: 'Christmas Eve', close: '14:00' },
  { date: '1994-02-11', name: 'Snowstorm', close: '14:30' },
  { date: '1996-01-08', name: 'Snowstorm', close: '14:00' },
  { date: '1997-10-27', name: 'Circuit breaker halt (market drop)', close: '15:30' },
  { date: '1997-12-26', name: 'Day after Christmas', close: '13:00' },
  { date: '2003-12-26', name: 'Day after Christmas', close: '13:00' },
  { date: '2005-06-01', name: 'Systems communication problem', close: '15:56' },
];
