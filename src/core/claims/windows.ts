import type { TradingDate } from '../../shared/brand.js';
import { addDays, dayOfWeek, daysInMonth } from '../../shared/dates.js';
import { previousSession, sessionsBetween } from '../calendar/calendar.js';
import { MAX_WINDOW_SESSIONS, type Window } from '../window.js';
import { bestRuleAt, MONTH_NAMES, type Capture } from './pattern.js';
import type { Token } from './tokens.js';

/**
 * Window phrases of market prose and how each is anchored on the article's date. "The election" is the latest US
 * presidential election day on or before the article date (ELECTION_DAYS); moves "since the election" are
 * measured from that day's close, because the result was known overnight and markets traded it the next session.
 */
export const ELECTION_DAYS: readonly TradingDate[] = [
  '2016-11-08',
  '2020-11-03',
  '2024-11-05',
  '2028-11-07',
] as TradingDate[];

/** A window as read from prose, anchored (or not) on the article date. */
export type WindowReading = {
  /** The words read ("to start the year"). */
  text: string;
  window: Window;
  /** The calendar year the window is in (for range windows, the year of its end). */
  year: number;
  /** In words, with the anchor: "the first 7 sessions of 2026 (the year so far on 2026-01-12)". */
  label: string;
  /** The phrase speaks of a period up to the article date ("so far this year"), not a whole period. */
  toDate: boolean;
  /** Set when the reading rests on an assumption worth printing (no date given, which election). */
  note: string | null;
};

/** The reader could see a window phrase but cannot anchor it: it says why. */
export type WindowProblem = { text: string; problem: string };

type Rule = {
  patterns: readonly string[];
  read: (c: Capture[], date: TradingDate | null, text: string) => WindowReading | WindowProblem;
};

const NO_DATE = (text: string): WindowProblem => ({
  text,
  problem: `"${text}" needs the article's date: give the article a dateline or state its date`,
});

const yearOf = (d: string) => Number(d.slice(0, 4));
const pad = (n: number) => String(n).padStart(2, '0');

function yearStart(c: Capture[], date: TradingDate | null, text: string): WindowReading | WindowProblem {
  const given = c.find((x) => x.slot === 'year')?.value;
  const year = given ?? (date ? yearOf(date) : null);
  if (year === null) return NO_DATE(text);
  if (date && yearOf(date) === year && date.slice(5, 7) === '01') {
    const n = sessionsBetween(`${year}-01-01`, date).length;
    if (n >= 1)
      return {
        text,
        window: { kind: 'first', sessions: n },
        year,
        label: `the first ${n} sessions of ${year} (the year so far on ${date})`,
        toDate: true,
        note: null,
      };
  }
  return {
    text,
    window: { kind: 'month', month: 1 },
    year,
    label: `January ${year}`,
    toDate: false,
    note: date ? null : 'no article date: "the start of the year" read as January',
  };
}

function firstSessions(c: Capture[], date: TradingDate | null, text: string): WindowReading | WindowProblem {
  const count = c.find((x) => x.slot === 'count')?.value ?? 1;
  const weeks = /week/.test(text);
  const n = weeks ? count * 5 : count;
  const given = c.find((x) => x.slot === 'year')?.value;
  const year = given ?? (date ? yearOf(date) : null);
  if (year === null) return NO_DATE(text);
  if (n < 1 || n > MAX_WINDOW_SESSIONS)
    return { text, problem: `window "first:${n}" needs N between 1 and ${MAX_WINDOW_SESSIONS}` };
  return {
    text,
    window: { kind: 'first', sessions: n },
    year,
    label: `the first ${n} sessions of ${year}${weeks ? ` (${count} week${count > 1 ? 's' : ''} of 5 sessions)` : ''}`,
    toDate: false,
    note: null,
  };
}

function ytd(c: Capture[], date: TradingDate | null, text: string): WindowReading | WindowProblem {
  const given = c.find((x) => x.slot === 'year')?.value;
  const year = given ?? (date ? yearOf(date) : null);
  if (year === null) return NO_DATE(text);
  return {
    text,
    window: { kind: 'ytd' },
    year,
    label: `${year} so far${date && yearOf(date) === year ? ` (to ${date})` : ''}`,
    toDate: true,
    note: null,
  };
}

function month(c: Capture[], date: TradingDate | null, text: string): WindowReading | WindowProblem {
  const m = c.find((x) => x.slot === 'month')?.value as number;
  const given = c.find((x) => x.slot === 'year')?.value;
  let year = given ?? null;
  if (year === null) {
    if (!date) return NO_DATE(text);
    // "in January" in a story: the latest January up to the story's date
    year = Number(date.slice(5, 7)) >= m ? yearOf(date) : yearOf(date) - 1;
  }
  return {
    text,
    window: { kind: 'month', month: m },
    year,
    label: `${cap(MONTH_NAMES[m - 1] as string)} ${year}`,
    toDate: false,
    note: null,
  };
}

function range(text: string, from: TradingDate, to: TradingDate, label: string, note: string | null) {
  return {
    text,
    window: { kind: 'range', from, to } as Window,
    year: yearOf(to),
    label,
    toDate: true,
    note,
  };
}

function relative(c: Capture[], date: TradingDate | null, text: string): WindowReading | WindowProblem {
  if (!date) return NO_DATE(text);
  const t = text.toLowerCase();
  const dow = dayOfWeek(date);
  const monday = addDays(date, dow === 0 ? -6 : 1 - dow);
  if (/last week/.test(t)) {
    const from = addDays(monday, -7);
    const to = addDays(monday, -3);
    return { ...range(text, from, to, `the week of ${from} to ${to}`, null), toDate: false };
  }
  if (/this week/.test(t)) return range(text, monday, date, `the week so far (${monday} to ${date})`, null);
  if (/this month/.test(t)) {
    const from = `${date.slice(0, 8)}01` as TradingDate;
    return range(text, from, date, `the month so far (${from} to ${date})`, null);
  }
  if (/last month/.test(t)) {
    const y = Number(date.slice(5, 7)) === 1 ? yearOf(date) - 1 : yearOf(date);
    const m = Number(date.slice(5, 7)) === 1 ? 12 : Number(date.slice(5, 7)) - 1;
    return {
      text,
      window: { kind: 'month', month: m },
      year: y,
      label: `${cap(MONTH_NAMES[m - 1] as string)} ${y}`,
      toDate: false,
      note: null,
    };
  }
  if (/last year/.test(t))
    return {
      text,
      window: { kind: 'year' },
      year: yearOf(date) - 1,
      label: `the year ${yearOf(date) - 1}`,
      toDate: false,
      note: null,
    };
  if (/today/.test(t)) return range(text, date, date, `the session of ${date}`, null);
  if (/yesterday/.test(t)) {
    const d = previousSession(date);
    return { ...range(text, d, d, `the session of ${d}`, null), toDate: false };
  }
  const wd = c.find((x) => x.slot === 'weekday')?.value;
  if (wd !== undefined) {
    // the latest such weekday on or before the article date
    const back = (dow - wd + 7) % 7;
    const d = addDays(date, -back);
    return { ...range(text, d, d, `the session of ${d}`, null), toDate: false };
  }
  // since the election
  const day = [...ELECTION_DAYS].reverse().find((e) => e < date);
  if (!day) return { text, problem: `no US presidential election day known before ${date}` };
  return range(
    text,
    addDays(day, 1),
    date,
    `the period from the close of election day ${day} to ${date}`,
    `"the election" read as the US presidential election of ${day}, measured from that day's close`,
  );
}

function quarter(c: Capture[], date: TradingDate | null, text: string): WindowReading | WindowProblem {
  const words: Record<string, number> = { first: 1, second: 2, third: 3, fourth: 4 };
  const q =
    Object.entries(words).find(([w]) => text.toLowerCase().includes(w))?.[1] ??
    Number(/q([1-4])/i.exec(text)?.[1] ?? 0);
  const given = c.find((x) => x.slot === 'year')?.value;
  const year = given ?? (date ? yearOf(date) : null);
  if (year === null || q === 0) return NO_DATE(text);
  return {
    text,
    window: { kind: 'quarter', quarter: q },
    year,
    label: `Q${q} ${year}`,
    toDate: false,
    note: null,
  };
}

function wholeYear(c: Capture[], _date: TradingDate | null, text: string): WindowReading | WindowProblem {
  const year = c.find((x) => x.slot === 'year')?.value as number;
  return { text, window: { kind: 'year' }, year, label: `the year ${year}`, toDate: false, note: null };
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const RULES: readonly Rule[] = [
  {
    patterns: [
      'to|at start|begin|kick|open|opening ?off ?the ?new year|<year>',
      'to|at the start|beginning|opening of ?the ?new year|<year>',
      'start|beginning to ?the ?new year|<year>',
      'out of the gate ?in ?<year>',
      'in the opening days|sessions|weeks of ?the ?new year|<year>',
      'since the start|beginning of the ?new year|<year>',
    ],
    read: yearStart,
  },
  {
    patterns: [
      'in|over|during|for ?the first <count> sessions|session|trading|days|day|weeks|week ?days|day|sessions ?of ?the ?year|<year>',
      'in|over|during ?the first week|fortnight ?of ?the ?year|<year>',
    ],
    read: firstSessions,
  },
  {
    patterns: [
      'so far this|in year|<year>',
      'so far',
      'year to date',
      'year-to-date|ytd',
      'this year',
      'since january 1|1st',
      'in|for|during|over ?the year so far',
    ],
    read: ytd,
  },
  {
    patterns: ['in|during|for|over|through|this ?the ?month ?of <month> ?<year>'],
    read: month,
  },
  {
    patterns: [
      'last|past|this|previous week|month|year',
      'over|in|during the last|past week|month|year',
      'today|yesterday',
      '?on|last <weekday>',
      'since the|last ?presidential|november election',
      'since election day|night',
    ],
    read: relative,
  },
  {
    patterns: [
      'in|during|for|over ?the first|second|third|fourth quarter ?of ?<year>',
      'in|during|for|over q1|q2|q3|q4 ?<year>',
    ],
    read: quarter,
  },
  { patterns: ['in|during|for|over|across <year>', 'in|during|for|over calendar <year>'], read: wholeYear },
];

/** Reads a window phrase at token `i`, longest first; null when none starts there. */
export function readWindowAt(
  tokens: readonly Token[],
  i: number,
  sentence: string,
  date: TradingDate | null,
): { end: number; reading: WindowReading | WindowProblem } | null {
  const best = bestRuleAt(tokens, i, sentence, RULES);
  if (!best) return null;
  return { end: best.end, reading: best.rule.read(best.captures, date, best.text) };
}

/** True for a problem (an unanchored window). */
export function isWindowProblem(x: WindowReading | WindowProblem): x is WindowProblem {
  return 'problem' in x;
}

/** Checks a month/day is real: used by the dateline reader. */
export function isoDate(y: number, m: number, d: number): TradingDate | null {
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return null;
  return `${y}-${pad(m)}-${pad(d)}` as TradingDate;
}
