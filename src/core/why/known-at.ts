import { addDays, dayOfWeek, daysInMonth, epochDay } from '../../shared/dates.js';

/**
 * When an observation became public (`known_at`): the rules `--as-of D` relies on to read only what was known on
 * D. Pure data and date arithmetic; the store applies them when observations are written (docs/known-at.md).
 *
 * Order of precedence for one stored row:
 * 1. a known-at given with the row (a file's `known_at` column, FRED/ALFRED `realtime_start` with FRED_API_KEY);
 * 2. the release rule of its series (below: a release calendar for CPI and the jobs report, else a documented
 *    publication lag);
 * 3. its vintage, when the vintage is a publication date (the "why" inputs: an estimate "as reported on" a day);
 * 4. a default lag by cadence (defaultKnownAt), for series the project knows nothing about.
 */

export const Cadence = {
  Daily: 'daily',
  Weekly: 'weekly',
  Monthly: 'monthly',
  Quarterly: 'quarterly',
  Annual: 'annual',
} as const;
export type Cadence = (typeof Cadence)[keyof typeof Cadence];

/**
 * BLS CPI release dates by reference month (YYYY-MM → release day), from the BLS schedule pages
 * (https://www.bls.gov/schedule/news_release/cpi.htm and the archived yearly schedules), the September 2025
 * reschedule notice (https://www.bls.gov/bls/092025-cpi-reschedule-notice.htm: published 2025-10-24) and the
 * revised dates after the 2025 lapse in appropriations (October 2025 was never collected; November 2025 was
 * published 2025-12-18). Months not listed fall back to the conservative CPI rule below.
 */
export const CPI_RELEASES: Readonly<Record<string, string>> = {
  '2013-09': '2013-10-30', // 2013 shutdown: rescheduled
  '2020-12': '2021-01-13',
  '2021-01': '2021-02-10',
  '2021-02': '2021-03-10',
  '2021-03': '2021-04-13',
  '2021-04': '2021-05-12',
  '2021-05': '2021-06-10',
  '2021-06': '2021-07-13',
  '2021-07': '2021-08-11',
  '2021-08': '2021-09-14',
  '2021-09': '2021-10-13',
  '2021-10': '2021-11-10',
  '2021-11': '2021-12-10',
  '2021-12': '2022-01-12',
  '2022-01': '2022-02-10',
  '2022-02': '2022-03-10',
  '2022-03': '2022-04-12',
  '2022-04': '2022-05-11',
  '2022-05': '2022-06-10',
  '2022-06': '2022-07-13',
  '2022-07': '2022-08-10',
  '2022-08': '2022-09-13',
  '2022-09': '2022-10-13',
  '2022-10': '2022-11-10',
  '2022-11': '2022-12-13',
  '2022-12': '2023-01-12',
  '2023-01': '2023-02-14',
  '2023-02': '2023-03-14',
  '2023-03': '2023-04-12',
  '2023-04': '2023-05-10',
  '2023-05': '2023-06-13',
  '2023-06': '2023-07-12',
  '2023-07': '2023-08-10',
  '2023-08': '2023-09-13',
  '2023-09': '2023-10-12',
  '2023-10': '2023-11-14',
  '2023-11': '2023-12-12',
  '2023-12': '2024-01-11',
  '2024-01': '2024-02-13',
  '2024-02': '2024-03-12',
  '2024-03': '2024-04-10',
  '2024-04': '2024-05-15',
  '2024-05': '2024-06-12',
  '2024-06': '2024-07-11',
  '2024-07': '2024-08-14',
  '2024-08': '2024-09-11',
  '2024-09': '2024-10-10',
  '2024-10': '2024-11-13',
  '2024-11': '2024-12-11',
  '2024-12': '2025-01-15',
  '2025-01': '2025-02-12',
  '2025-02': '2025-03-12',
  '2025-03': '2025-04-10',
  '2025-04': '2025-05-13',
  '2025-05': '2025-06-11',
  '2025-06': '2025-07-15',
  '2025-07': '2025-08-12',
  '2025-08': '2025-09-11',
  '2025-09': '2025-10-24',
  '2025-11': '2025-12-18',
  '2025-12': '2026-01-13',
  // The 2026 partial lapse in appropriations (2026-01-31 to 2026-02-03) moved January 2026 from 2026-02-11 to
  // 2026-02-13: BLS revised release dates (https://www.bls.gov/bls/2025-lapse-revised-release-dates.htm, announced
  // 2026-02-04, reported by Bloomberg Tax and AP that day). February 2026: the release archived as
  // https://www.bls.gov/news.release/archives/cpi_03112026.htm. March to October 2026: the BLS release archive
  // (https://www.bls.gov/news.release/archives/cpi_MMDDYYYY.htm, the name is the release day: cpi_04102026,
  // cpi_05122026, cpi_06102026, cpi_07142026, cpi_08122026, cpi_09112026), and for September and October 2026 the
  // BLS 2026 schedule as republished in public calendars (2026-10-14, 2026-11-10), checked on 2026-12-02.
  // November 2026: 2026-12-10, from the BLS 2026 release calendar (https://www.bls.gov/schedule/2026/home.htm,
  // "Consumer Price Index for November 2026", Thursday, December 10, 2026, 8:30 AM), as copied into several
  // independent public calendars that agree on every other 2026 date listed here (one a snapshot of the BLS page
  // captured 2026-10-06); checked on 2026-12-02. December 2026 on (BLS's 2027 schedule) could not be sourced: not
  // listed, so the calendar says the list ends (macro-calendar.ts) and known-at falls back to the CPI rule below.
  '2026-01': '2026-02-13',
  '2026-02': '2026-03-11',
  '2026-03': '2026-04-10',
  '2026-04': '2026-05-12',
  '2026-05': '2026-06-10',
  '2026-06': '2026-07-14',
  '2026-07': '2026-08-12',
  '2026-08': '2026-09-11',
  '2026-09': '2026-10-14',
  '2026-10': '2026-11-10',
  '2026-11': '2026-12-10',
};

/**
 * BLS Employment Situation (jobs report: UNRATE, PAYEMS) release dates by reference month, from
 * https://www.bls.gov/schedule/news_release/empsit.htm and the shutdown reschedules of 1996, 2013 and 2025.
 * Months not listed fall back to the jobs rule below.
 */
export const JOBS_RELEASES: Readonly<Record<string, string>> = {
  '1995-12': '1996-01-19',
  '2013-09': '2013-10-22',
  '2013-10': '2013-11-08',
  '2024-12': '2025-01-10',
  '2025-08': '2025-09-05',
  '2025-09': '2025-11-20',
  '2025-10': '2025-12-16',
  '2025-11': '2025-12-16',
  '2025-12': '2026-01-09',
  // January 2026: due 2026-02-06, moved to 2026-02-11 by the 2026 lapse (BLS revised release dates, as above).
  '2026-01': '2026-02-11',
  // February to September 2026: the BLS release archive (empsit_MMDDYYYY.htm, named by release day: empsit_03062026,
  // empsit_04032026, empsit_05082026, empsit_06052026, empsit_07022026, empsit_08072026, empsit_09042026,
  // empsit_10022026), checked on 2026-12-02. October and November 2026: the BLS 2026 release calendar
  // (https://www.bls.gov/schedule/2026/home.htm: "Employment Situation for October 2026", Friday, November 6, 2026;
  // "… for November 2026", Friday, December 4, 2026, 8:30 AM), as copied into several independent public calendars
  // (see CPI above), checked on 2026-12-02. December 2026 on (BLS's 2027 schedule) could not be sourced.
  '2026-02': '2026-03-06',
  '2026-03': '2026-04-03',
  '2026-04': '2026-05-08',
  '2026-05': '2026-06-05',
  '2026-06': '2026-07-02',
  '2026-07': '2026-08-07',
  '2026-08': '2026-09-04',
  '2026-09': '2026-10-02',
  '2026-10': '2026-11-06',
  '2026-11': '2026-12-04',
};

/** A release rule: how a period of a series maps to the day it became public. */
export type ReleaseRule = {
  /** Short name used in facts and docs ("BLS CPI calendar", "1 day after the date"). */
  name: string;
  cadence: Cadence;
  knownAt: (period: string) => string;
};

const month = (period: string) => period.slice(0, 7);

/** The first day of the month `n` months after the month of `period` (YYYY-MM-DD). */
export function monthStart(period: string, n: number): string {
  const t = Number(period.slice(0, 4)) * 12 + Number(period.slice(5, 7)) - 1 + n;
  return `${String(Math.floor(t / 12)).padStart(4, '0')}-${String((t % 12) + 1).padStart(2, '0')}-01`;
}

/** The last day of the month `n` months after the month of `period`. */
function monthEnd(period: string, n: number): string {
  const s = monthStart(period, n);
  return `${s.slice(0, 8)}${String(daysInMonth(Number(s.slice(0, 4)), Number(s.slice(5, 7)))).padStart(2, '0')}`;
}

/** The first Monday–Friday on or after `date`. */
function weekdayOnOrAfter(date: string): string {
  let d = date;
  while (dayOfWeek(d) === 0 || dayOfWeek(d) === 6) d = addDays(d, 1);
  return d;
}

/**
 * Conservative CPI fallback: the last day of the following month. BLS releases CPI between about the 10th and
 * the 24th of the following month (the 2013 and 2025 reschedules included), so this never reads a month early.
 *
 * Conservative jobs-report fallback: the BLS rule (the third Friday after the week, Sunday to Saturday, that
 * contains the 12th) plus 7 days, since holidays move the release a week later (2025-01-10, 2026-01-09).
 */
function jobsRule(period: string): string {
  const twelfth = `${month(period)}-12`;
  const saturday = addDays(twelfth, 6 - dayOfWeek(twelfth));
  return addDays(saturday, 6 + 14 + 7);
}

const CPI_RE = /^(CPIAUCSL|CPIAUCNS|CPILFESL|CPILFENS|CUUR0000|CUSR0000|CPI-U|CPI_U)/i;

const lagRule = (name: string, cadence: Cadence, days: number): ReleaseRule => ({
  name,
  cadence,
  knownAt: (p) => addDays(p.slice(0, 10), days),
});

/** The next month's first weekday: FRED's monthly averages of daily rates (FEDFUNDS, GS10). */
const monthlyAverage: ReleaseRule = {
  name: 'first weekday of the following month (monthly average of a daily rate)',
  cadence: 'monthly',
  knownAt: (p) => weekdayOnOrAfter(monthStart(p, 1)),
};

/** The release rule of a series id, or null when the project knows none. */
export function releaseRule(series: string): ReleaseRule | null {
  const s = series.trim();
  if (CPI_RE.test(s))
    return {
      name: 'BLS CPI release calendar',
      cadence: 'monthly',
      knownAt: (p) => CPI_RELEASES[month(p)] ?? monthEnd(p, 1),
    };
  if (/^(UNRATE|PAYEMS)$/i.test(s))
    return {
      name: 'BLS Employment Situation calendar',
      cadence: 'monthly',
      knownAt: (p) => JOBS_RELEASES[month(p)] ?? jobsRule(p),
    };
  if (/^(FEDFUNDS|GS10|GS2|GS10_monthly)/i.test(s)) return monthlyAverage;
  // Daily market rates: Treasury yields (H.15) and the target range are public the same day; the effective rate,
  // SOFR and the ICE BofA spreads are published the next business day.
  if (/^(DGS|T10Y|T5Y|DFEDTAR|IORB|VIXCLS|DTB)/i.test(s)) return lagRule('same day', 'daily', 0);
  if (/^(EFFR|SOFR|DFF|BAML|RRPONTSYD)/i.test(s)) return lagRule('1 day after the date', 'daily', 1);
  // Weekly: initial claims (week ending Saturday, out the next Thursday), continued claims a week later, the Fed's
  // H.4.1 balance sheet (Wednesday levels, out Thursday), NFCI (week ending Friday, out Wednesday).
  if (/^ICSA$/i.test(s)) return lagRule('5 days after the week ends', 'weekly', 5);
  if (/^CCSA$/i.test(s)) return lagRule('12 days after the week ends', 'weekly', 12);
  if (/^(WALCL|TREAST|WSHOMCB|WRESBAL)$/i.test(s)) return lagRule('1 day after the date', 'weekly', 1);
  if (/^NFCI$/i.test(s)) return lagRule('5 days after the week ends', 'weekly', 5);
  // ICI: weekly long-term fund flow estimates come out the Wednesday after the week ends; monthly flows about a
  // month after the month ends; money market fund assets weekly, about a week later.
  if (/^flows:ici:.*_monthly$/i.test(s)) return lagRule('31 days after the month ends', 'monthly', 31);
  if (/^flows:ici:/i.test(s))
    return lagRule('7 days after the week ends (ICI weekly estimates)', 'weekly', 7);
  if (/^money_market_fund_assets/i.test(s)) return lagRule('10 days after the date', 'weekly', 10);
  // S&P 500 operating EPS actuals: the quarter's final figures about 3 months after it ends; Shiller's monthly
  // file: the month's price at its end, earnings and dividends lag by quarters (the whole row is taken 2 months on).
  if (/^earnings:sp500-quarterly:/i.test(s))
    return lagRule('90 days after the quarter ends', 'quarterly', 90);
  if (/^earnings:shiller-sp500:/i.test(s))
    return {
      name: 'the 8th of the second month after',
      cadence: 'monthly',
      knownAt: (p) => addDays(monthStart(p, 2), 7),
    };
  return null;
}

/**
 * Default lag for a series without a rule, by cadence, for periods that are dates: a daily reading is known on its
 * day; a weekly one 7 days on; a monthly one on the 8th of the second month after (a month dated on its first day
 * ends a month later, and most monthly statistics are out within five weeks); a quarterly one 3 months and 45
 * days after its date; an annual one a year and 90 days after.
 */
export function defaultKnownAt(period: string, cadence: Cadence): string {
  const d = period.slice(0, 10);
  switch (cadence) {
    case 'daily':
      return d;
    case 'weekly':
      return addDays(d, 7);
    case 'monthly':
      return addDays(monthStart(d, 2), 7);
    case 'quarterly':
      return addDays(monthStart(d, 3), Number(d.slice(8, 10)) - 1 + 45);
    case 'annual':
      return addDays(monthStart(d, 12), Number(d.slice(8, 10)) - 1 + 90);
  }
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The cadence of a series from its dated periods (median gap in days); null with fewer than two dates.
 * Periods written `2025Q4` or `2026` are not dates and are ignored.
 */
export function inferCadence(periods: readonly string[]): Cadence | null {
  const days = [...new Set(periods.filter((p) => DATE_RE.test(p)))].sort().map((p) => epochDay(p));
  if (days.length < 2) return null;
  const gaps = days
    .slice(1)
    .map((d, i) => d - (days[i] as number))
    .sort((a, b) => a - b);
  const median = gaps[Math.floor(gaps.length / 2)] as number;
  if (median <= 4) return 'daily';
  if (median <= 10) return 'weekly';
  if (median <= 45) return 'monthly';
  if (median <= 120) return 'quarterly';
  return 'annual';
}

/** How a row's vintage was set: a publication date (why inputs, a provider's realtime date) or not (none, fetch). */
export type VintageKind = 'publication' | 'none';

/**
 * The known-at date of one observation row (see the precedence at the top of this file). `period` is a date or a
 * label (`2025Q4`); a label without a rule or publication vintage is known at its vintage.
 */
export function knownAtOf(row: {
  series: string;
  period: string;
  asOf: string;
  knownAt?: string | null | undefined;
  vintage: VintageKind;
  cadence: Cadence | null;
}): string {
  if (row.knownAt) return row.knownAt;
  const isDate = DATE_RE.test(row.period.slice(0, 10)) && row.period.length >= 10;
  const rule = releaseRule(row.series);
  if (rule && isDate) return rule.knownAt(row.period);
  if (row.vintage === 'publication' || !isDate) return row.asOf;
  return defaultKnownAt(row.period, row.cadence ?? 'daily');
}

/** The cadence of a series: its rule's when it has one, else inferred from its periods. */
export function cadenceOf(series: string, periods: readonly string[]): Cadence | null {
  return releaseRule(series)?.cadence ?? inferCadence(periods);
}

/** How old a figure's latest reading may be before it is stale, per cadence (docs/known-at.md, "Staleness"). */
export const STALE_AFTER: Readonly<Record<Cadence, { days: number; text: string }>> = {
  daily: { days: 3, text: 'more than 3 sessions behind' },
  weekly: { days: 21, text: 'no week in the last 3 weeks' },
  monthly: { days: 75, text: 'no month in the last 75 days (a month and its release lag)' },
  quarterly: { days: 200, text: 'no quarter in the last 200 days' },
  annual: { days: 550, text: 'no year in the last 550 days' },
};

export type Staleness = { stale: boolean; cadence: Cadence; last: string; ageDays: number; rule: string };

/**
 * Whether a figure whose latest reading is dated `last` is stale on `asOf`: older than its cadence allows
 * (STALE_AFTER). A daily reading counts sessions: `sessionsBehind` is the number of NYSE sessions after `last` up to
 * and including `asOf` (the caller counts them with core/calendar); other cadences count calendar days from the
 * period's date. A stale figure is labelled with its date and never called latest or current.
 */
export function staleness(last: string, asOf: string, cadence: Cadence, sessionsBehind?: number): Staleness {
  const d = last.slice(0, 10);
  const ageDays = epochDay(asOf.slice(0, 10)) - epochDay(d);
  const rule = STALE_AFTER[cadence];
  const stale = cadence === 'daily' ? (sessionsBehind ?? ageDays) > rule.days : ageDays > rule.days;
  return { stale, cadence, last: d, ageDays, rule: rule.text };
}

/** The words a stale figure carries: "stale: last reading 2020-12-29, 1840 days before the as-of (weekly: …)". */
export function staleNote(s: Staleness): string | undefined {
  return s.stale
    ? `stale: last reading ${s.last}, ${s.ageDays} days before the as-of (${s.cadence} series: ${s.rule})`
    : undefined;
}
