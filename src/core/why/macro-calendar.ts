import { addDays, dayOfWeek, epochDay } from '../../shared/dates.js';
import { CPI_RELEASES, JOBS_RELEASES } from './known-at.js';

/**
 * The macro events a brief's calendar names: FOMC rate decisions, CPI releases and the jobs report. Dates are data
 * kept in the project, each list with its source; a list is only trusted up to the last date it is known complete
 * (`through`), so "next" never skips an event the project does not know about.
 */

/**
 * FOMC decision days (the second day of each scheduled two-day meeting; the statement is released at 2 p.m. ET).
 * Sources: Federal Reserve press releases of the tentative schedules: 2024 (announced 2023-08), 2025 and 2026
 * (announced 2024-08-09), 2027 (announced 2025-09-05,
 * https://www.federalreserve.gov/newsevents/pressreleases/monetary20250905a.htm),
 * https://www.federalreserve.gov/monetarypolicy/fomccalendars.htm.
 * Checked on 2026-12-02 against the press releases as republished (2025 and 2026: ABA Banking Journal 2024-08-12;
 * 2027: "Federal Open Market Committee announces its tentative meeting schedule for 2027", 2025-09-05, which also
 * names 2028-01-26, not listed here since the 2028 schedule is not yet complete). 2024 includes the Thursday
 * decision of 2024-11-07 (the meeting moved for the election). Unscheduled meetings are not listed.
 */
export const FOMC_DECISIONS: readonly string[] = [
  '2024-01-31',
  '2024-03-20',
  '2024-05-01',
  '2024-06-12',
  '2024-07-31',
  '2024-09-18',
  '2024-11-07',
  '2024-12-18',
  '2025-01-29',
  '2025-03-19',
  '2025-05-07',
  '2025-06-18',
  '2025-07-30',
  '2025-09-17',
  '2025-10-29',
  '2025-12-10',
  '2026-01-28',
  '2026-03-18',
  '2026-04-29',
  '2026-06-17',
  '2026-07-29',
  '2026-09-16',
  '2026-10-28',
  '2026-12-09',
  '2027-01-27',
  '2027-03-17',
  '2027-04-28',
  '2027-06-09',
  '2027-07-28',
  '2027-09-15',
  '2027-10-27',
  '2027-12-08',
];

export type MacroEventKind = 'fomc' | 'cpi' | 'jobs';

type EventList = {
  kind: MacroEventKind;
  name: string;
  /** Who publishes the dates (words, for sentences) and where (for the CLI and JSON; a brief prints no URL). */
  source: string;
  url: string;
  /** Every event of the kind from `from` to `through` is listed; outside that range the list is not complete. */
  from: string;
  through: string;
  events: readonly { date: string; reference?: string }[];
};

/**
 * The three lists. CPI and jobs dates are the release calendars kept for known-at dates (known-at.ts, BLS sources
 * cited there): CPI releases are listed without a gap from the December 2020 CPI (out 2021-01-13) to the November
 * 2026 CPI (out 2026-12-10); jobs reports from the August 2025 report (out 2025-09-05) to the November 2026 report
 * (out 2026-12-04). The lists end there because BLS's 2027 schedule could not be sourced when they were last
 * extended (2026-12-02); no dates are invented: past `through`, `nextMacroEvents` says the list ends and names the
 * BLS schedule page, and `rotation doctor` warns from 30 days before (releaseListsEnding).
 */
const LISTS: readonly EventList[] = [
  {
    kind: 'fomc',
    name: 'FOMC rate decision',
    source: 'the Federal Reserve FOMC meeting calendar',
    url: 'https://www.federalreserve.gov/monetarypolicy/fomccalendars.htm',
    from: '2024-01-01',
    through: '2027-12-31',
    events: FOMC_DECISIONS.map((date) => ({ date })),
  },
  {
    kind: 'cpi',
    name: 'CPI release',
    source: 'the BLS CPI release schedule',
    url: 'https://www.bls.gov/schedule/news_release/cpi.htm',
    from: '2021-01-13',
    through: '2026-12-10',
    events: Object.entries(CPI_RELEASES).map(([reference, date]) => ({ date, reference })),
  },
  {
    kind: 'jobs',
    name: 'jobs report (Employment Situation)',
    source: 'the BLS Employment Situation schedule',
    url: 'https://www.bls.gov/schedule/news_release/empsit.htm',
    from: '2025-09-05',
    through: '2026-12-04',
    events: Object.entries(JOBS_RELEASES).map(([reference, date]) => ({ date, reference })),
  },
];

/**
 * Releases moved after their date was announced, with the date first scheduled: before the move was announced the
 * calendar names the first date, as a reader on that day knew it (the lists hold the dates the releases came out,
 * which the known-at rules need). 2026 lapse in appropriations (2026-01-31 to 2026-02-03): BLS announced on
 * 2026-02-04 that the January jobs report "will not be released as scheduled on Friday, February 6" and moved it to
 * 2026-02-11, and the January CPI "originally due Feb. 11" to 2026-02-13 (BLS revised release dates, as reported by
 * CBS News, Bloomberg Tax and AP on 2026-02-02 and 2026-02-04).
 */
const RESCHEDULED: readonly { kind: MacroEventKind; reference: string; first: string; announced: string }[] =
  [
    { kind: 'jobs', reference: '2026-01', first: '2026-02-06', announced: '2026-02-04' },
    { kind: 'cpi', reference: '2026-01', first: '2026-02-11', announced: '2026-02-04' },
  ];

function scheduledAsOf(kind: MacroEventKind, e: { date: string; reference?: string }, asOf: string): string {
  const moved = RESCHEDULED.find((r) => r.kind === kind && r.reference === e.reference);
  return moved && asOf < moved.announced ? moved.first : e.date;
}

export type NextMacroEvent =
  | {
      kind: MacroEventKind;
      name: string;
      status: 'scheduled';
      date: string;
      reference: string | null;
      source: string;
      url: string;
    }
  | {
      kind: MacroEventKind;
      name: string;
      status: 'not-in-calendar';
      through: string;
      source: string;
      url: string;
    };

/**
 * The next FOMC decision, CPI release and jobs report strictly after `asOf` (an event on the as-of day has
 * happened by the close), or, when the next one falls beyond the date its list is complete to, a
 * `not-in-calendar` entry that says how far the list reaches. Pure: the lists are data.
 */
export function nextMacroEvents(asOf: string): NextMacroEvent[] {
  return LISTS.map((l) => {
    const next = l.events
      .map((e) => ({ ...e, date: scheduledAsOf(l.kind, e, asOf) }))
      .filter((e) => e.date > asOf && e.date >= l.from && e.date <= l.through)
      .sort((a, b) => (a.date < b.date ? -1 : 1))[0];
    if (!next || asOf < l.from)
      return {
        kind: l.kind,
        name: l.name,
        status: 'not-in-calendar',
        through: l.through,
        source: l.source,
        url: l.url,
      };
    return {
      kind: l.kind,
      name: l.name,
      status: 'scheduled',
      date: next.date,
      reference: next.reference ?? null,
      source: l.source,
      url: l.url,
    };
  });
}

/** A release list that ends soon after (or before) an as-of date: the next event may not be in the project. */
export type ReleaseListEnd = {
  kind: MacroEventKind;
  name: string;
  /** The last day the list is complete to. */
  through: string;
  /** Days from the as-of date to `through` (negative: the list ended that many days before). */
  daysLeft: number;
  source: string;
  url: string;
};

/** How many days before a release list ends `rotation doctor` starts to warn. */
export const RELEASE_LIST_WARN_DAYS = 30;

/**
 * The release lists (FOMC, CPI, jobs) that end within `withinDays` days after `asOf`, or already ended: a brief
 * dated past `through` cannot name the next release, so the lists need extending from the source named. Pure.
 */
export function releaseListsEnding(asOf: string, withinDays = RELEASE_LIST_WARN_DAYS): ReleaseListEnd[] {
  return LISTS.filter((l) => l.through < addDays(asOf, withinDays)).map((l) => ({
    kind: l.kind,
    name: l.name,
    through: l.through,
    daysLeft: epochDay(l.through) - epochDay(asOf),
    source: l.source,
    url: l.url,
  }));
}

// ------------------------------------------------------------------------------- CFTC Commitments of Traders

/**
 * US federal holidays of `year` as dates they are observed (5 U.S.C. 6103: a Saturday holiday is observed on the
 * Friday before, a Sunday one on the Monday after; Juneteenth from 2021).
 */
export function federalHolidays(year: number): string[] {
  const ymd = (m: number, d: number) => `${year}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  const observed = (date: string) => {
    const w = dayOfWeek(date);
    return w === 6 ? addDays(date, -1) : w === 0 ? addDays(date, 1) : date;
  };
  /** The n-th weekday `w` (0 Sunday … 6 Saturday) of month `m`; n = -1 for the last. */
  const nth = (m: number, w: number, n: number) => {
    if (n > 0) {
      const first = ymd(m, 1);
      return addDays(first, ((w - dayOfWeek(first) + 7) % 7) + 7 * (n - 1));
    }
    const last = addDays(m === 12 ? `${year + 1}-01-01` : ymd(m + 1, 1), -1);
    return addDays(last, -((dayOfWeek(last) - w + 7) % 7));
  };
  return [
    observed(ymd(1, 1)),
    nth(1, 1, 3),
    nth(2, 1, 3),
    nth(5, 1, -1),
    ...(year >= 2021 ? [observed(ymd(6, 19))] : []),
    observed(ymd(7, 4)),
    nth(9, 1, 1),
    nth(10, 1, 2),
    observed(ymd(11, 11)),
    nth(11, 4, 4),
    observed(ymd(12, 25)),
  ].sort();
}

/**
 * Release days the CFTC published in place of its rule, by report (position) date: the catch-up schedule after the
 * 2025 lapse in appropriations (CFTC press release of 2025-11-18, "CFTC to resume publishing COT reports
 * Wednesday", its table "COT Report Date / Original Publish Date / New Publish Date"; normal from the 2026-01-20
 * report, out 2026-01-23).
 */
const COT_RESCHEDULED: Readonly<Record<string, string>> = {
  '2025-09-30': '2025-11-19',
  '2025-10-07': '2025-11-21',
  '2025-10-14': '2025-11-25',
  '2025-10-21': '2025-12-02',
  '2025-10-28': '2025-12-05',
  '2025-11-04': '2025-12-09',
  '2025-11-10': '2025-12-12',
  '2025-11-18': '2025-12-16',
  '2025-11-25': '2025-12-19',
  '2025-12-02': '2025-12-23',
  '2025-12-09': '2025-12-30',
  '2025-12-16': '2026-01-06',
  '2025-12-23': '2026-01-09',
  '2025-12-30': '2026-01-13',
  '2026-01-06': '2026-01-16',
  '2026-01-13': '2026-01-20',
};

/**
 * The day a Commitments of Traders report (positions as of `reportDate`, normally a Tuesday; a Monday when the
 * Tuesday is a federal holiday) is released, at 3:30 p.m. ET: the Friday of that week, or, when a federal holiday
 * falls on the Wednesday, Thursday or Friday, the next business day after the Friday (in practice the Monday).
 * Checked against the CFTC's release schedule (https://www.cftc.gov/MarketReports/CommitmentsofTraders/ReleaseSchedule,
 * 2024: "Delayed release date due to a Federal holiday" on Mon 2024-06-24 (Juneteenth, Wed), Mon 2024-07-08
 * (Independence Day, Thu), Mon 2024-12-02 (Thanksgiving), Mon 2024-12-30 (Christmas, Wed); Monday holidays leave
 * the Friday release) and the 2025 schedule (2025-12-23 report out Mon 2025-12-29, 2025-12-30 report out
 * Mon 2026-01-05). The 2025 shutdown catch-up dates are taken as published (COT_RESCHEDULED).
 */
export function cotReleaseDate(reportDate: string): string {
  const fixed = COT_RESCHEDULED[reportDate];
  if (fixed) return fixed;
  const friday = addDays(reportDate, (5 - dayOfWeek(reportDate) + 7) % 7);
  const y = Number(friday.slice(0, 4));
  const holidays = new Set([y - 1, y, y + 1].flatMap((n) => federalHolidays(n)));
  // A holiday on the Tuesday itself moves the positions to Monday but not the release (2025-11-10, out 2025-11-14).
  const tuesday = addDays(friday, -3);
  const delayed = [...holidays].some((h) => h > tuesday && h <= friday);
  if (!delayed) return friday;
  let d = addDays(friday, 1);
  while (dayOfWeek(d) === 0 || dayOfWeek(d) === 6 || holidays.has(d)) d = addDays(d, 1);
  return d;
}
