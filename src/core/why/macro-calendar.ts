import { CPI_RELEASES, JOBS_RELEASES } from './known-at.js';

/**
 * The macro events a brief's calendar names: FOMC rate decisions, CPI releases and the jobs report. Dates are data
 * kept in the project, each list with its source; a list is only trusted up to the last date it is known complete
 * (`through`), so "next" never skips an event the project does not know about.
 */

/**
 * FOMC decision days (the second day of each scheduled two-day meeting; the statement is released at 2 p.m. ET).
 * Sources: Federal Reserve press releases of the tentative schedules: 2024 (announced 2023-08), 2025 and 2026
 * (announced 2024-08-09), 2027 (announced 2025-09-05), https://www.federalreserve.gov/monetarypolicy/fomccalendars.htm.
 * Unscheduled meetings are not listed.
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
 * cited there): CPI releases are listed without a gap from the December 2020 CPI (out 2021-01-13) to the
 * December 2025 CPI (out 2026-01-13); jobs reports from the August 2025 report (out 2025-09-05) to the December
 * 2025 report (out 2026-01-09). Later isolated entries (July 2026) are used only once the lists are extended.
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
    through: '2026-01-13',
    events: Object.entries(CPI_RELEASES).map(([reference, date]) => ({ date, reference })),
  },
  {
    kind: 'jobs',
    name: 'jobs report (Employment Situation)',
    source: 'the BLS Employment Situation schedule',
    url: 'https://www.bls.gov/schedule/news_release/empsit.htm',
    from: '2025-09-05',
    through: '2026-01-09',
    events: Object.entries(JOBS_RELEASES).map(([reference, date]) => ({ date, reference })),
  },
];

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
