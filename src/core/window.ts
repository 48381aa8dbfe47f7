import type { TradingDate } from '../shared/brand.js';
import { parseIsoDate } from '../shared/dates.js';
import { UsageError } from '../shared/errors.js';

/**
 * A window: one grammar for every command (DESIGN.md). Every window is measured from a base close (the last
 * session before it starts) to its last session, so `jan` = last close of December -> last close of January and
 * `first:7` = last close of the previous year -> close of the 7th session of the year.
 */
export type Window =
  | { kind: 'ytd' }
  | { kind: 'first'; sessions: number }
  | { kind: 'month'; month: number }
  | { kind: 'quarter'; quarter: number }
  | { kind: 'range'; from: TradingDate; to: TradingDate }
  | { kind: 'rolling'; sessions: number }
  | { kind: 'year' };

export const WINDOW_GRAMMAR =
  'windows: ytd | first:N (first N sessions of the year) | jan..dec or month:M | q1..q4 | range:YYYY-MM-DD..YYYY-MM-DD | rolling:N (last N sessions) | year';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] as const;

/** Parses the window grammar; throws UsageError with the grammar as hint. */
export function parseWindow(text: string): Window {
  const t = text.trim().toLowerCase();
  const bad = (why: string): never => {
    throw new UsageError(`window "${text}" ${why}`, WINDOW_GRAMMAR);
  };
  if (t === 'ytd') return { kind: 'ytd' };
  if (t === 'year') return { kind: 'year' };
  const mi = (MONTHS as readonly string[]).indexOf(t);
  if (mi >= 0) return { kind: 'month', month: mi + 1 };
  const q = /^q([1-4])$/.exec(t);
  if (q) return { kind: 'quarter', quarter: Number(q[1]) };
  const m = /^(first|rolling|month):(\d+)$/.exec(t);
  if (m) {
    const n = Number(m[2]);
    if (m[1] === 'month') {
      if (n < 1 || n > 12) bad('names no month (1-12)');
      return { kind: 'month', month: n };
    }
    return checkWindow(
      m[1] === 'first' ? { kind: 'first', sessions: n } : { kind: 'rolling', sessions: n },
      text,
    );
  }
  const r = /^range:(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(t);
  if (r) {
    const from = parseIsoDate(r[1] as string);
    const to = parseIsoDate(r[2] as string);
    if (!from || !to) return bad('has an impossible date');
    if (to < from) bad('ends before it starts');
    return { kind: 'range', from: from as TradingDate, to: to as TradingDate };
  }
  return bad('is not a window');
}

/** Most sessions a `first:N` or `rolling:N` window may span (a year of sessions). */
export const MAX_WINDOW_SESSIONS = 260;

/**
 * Returns the window when its bounds are possible, else throws a UsageError: every way a window is made (the
 * grammar, a claim sentence, a config) goes through the same bounds, so `first 0 sessions` is refused
 * everywhere instead of answering for an empty window.
 */
export function checkWindow(w: Window, text = formatWindow(w)): Window {
  const bad = (why: string): never => {
    throw new UsageError(`window "${text}" ${why}`, WINDOW_GRAMMAR);
  };
  switch (w.kind) {
    case 'first':
    case 'rolling':
      if (!Number.isInteger(w.sessions) || w.sessions < 1 || w.sessions > MAX_WINDOW_SESSIONS)
        bad(`needs N between 1 and ${MAX_WINDOW_SESSIONS}`);
      return w;
    case 'month':
      if (!Number.isInteger(w.month) || w.month < 1 || w.month > 12) bad('names no month (1-12)');
      return w;
    case 'quarter':
      if (!Number.isInteger(w.quarter) || w.quarter < 1 || w.quarter > 4) bad('names no quarter (1-4)');
      return w;
    case 'range':
      if (w.to < w.from) bad('ends before it starts');
      return w;
    case 'ytd':
    case 'year':
      return w;
  }
}

/** The window written back in the grammar (`first:7`, `jan`, …). */
export function formatWindow(w: Window): string {
  switch (w.kind) {
    case 'ytd':
    case 'year':
      return w.kind;
    case 'first':
      return `first:${w.sessions}`;
    case 'rolling':
      return `rolling:${w.sessions}`;
    case 'month':
      return MONTHS[w.month - 1] as string;
    case 'quarter':
      return `q${w.quarter}`;
    case 'range':
      return `range:${w.from}..${w.to}`;
  }
}

/** A compact id fragment for fact ids: `first7`, `jan`, `ytd`, `range20260102-20260331`. */
export function windowId(w: Window): string {
  return formatWindow(w)
    .replace(/[:.-]/g, '')
    .replace('range', 'range')
    .replace(/(\d{8})(\d{8})$/, '$1-$2');
}

/** A window resolved on a date list: returns run from the close at `baseIndex` to the close at `endIndex`. */
export type ResolvedWindow = {
  baseIndex: number;
  endIndex: number;
  baseDate: TradingDate;
  endDate: TradingDate;
  /** Sessions in the window (endIndex - baseIndex). */
  sessions: number;
  /**
   * False when the data stop inside the window (a month still running, fewer than N sessions so far): the
   * figures are to date, not for the whole window.
   */
  complete: boolean;
};

/** The last index with dates[i] < date (binary search); -1 when none. */
function lastBefore(dates: readonly string[], date: string): number {
  let lo = 0;
  let hi = dates.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((dates[mid] as string) < date) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** The last index with dates[i] <= date; -1 when none. */
function lastOnOrBefore(dates: readonly string[], date: string): number {
  return lastBefore(dates, `${date}\u0000`);
}

const pad = (n: number) => String(n).padStart(2, '0');

function spanOf(w: Window, year: number): { from: string; to: string } | null {
  switch (w.kind) {
    case 'ytd':
    case 'year':
    case 'first':
      return { from: `${year}-01-01`, to: `${year}-12-31` };
    case 'month':
      return { from: `${year}-${pad(w.month)}-01`, to: `${year}-${pad(w.month)}-31` };
    case 'quarter':
      return { from: `${year}-${pad(w.quarter * 3 - 2)}-01`, to: `${year}-${pad(w.quarter * 3)}-31` };
    case 'range':
      return { from: w.from, to: w.to };
    case 'rolling':
      return null;
  }
}

/**
 * Resolves a window on a series' own session dates (pure: the dates are the calendar). `year` picks the calendar
 * year for year-based windows (ignored by `rolling` and `range`); the data are those up to the as-of date, so the
 * last date given is the as-of session. Returns null when the window cannot be measured: no base close before it
 * (data start inside the window), or no session inside it.
 *
 * - `first:N`: base = last session of the previous year; end = the N-th session of the year (or the last one so
 *   far: complete = false).
 * - months, quarters, `year`: base = last session before the period; end = last session in it; complete when a
 *   later session exists (so the period is over in the data).
 * - `ytd`: base = last session of the previous year; end = last session of the year so far (always complete).
 * - `range:A..B`: base = last session before A; end = last session on or before B.
 * - `rolling:N`: end = last session; base = N sessions earlier.
 */
export function resolveWindow(
  w: Window,
  dates: readonly TradingDate[],
  year?: number,
): ResolvedWindow | null {
  checkWindow(w);
  const n = dates.length;
  if (n === 0) return null;
  const make = (baseIndex: number, endIndex: number, complete: boolean): ResolvedWindow | null => {
    if (baseIndex < 0 || endIndex <= baseIndex || endIndex >= n) return null;
    return {
      baseIndex,
      endIndex,
      baseDate: dates[baseIndex] as TradingDate,
      endDate: dates[endIndex] as TradingDate,
      sessions: endIndex - baseIndex,
      complete,
    };
  };
  if (w.kind === 'rolling') return make(n - 1 - w.sessions, n - 1, true);
  const y = year ?? Number((dates[n - 1] as string).slice(0, 4));
  const span = spanOf(w, y) as { from: string; to: string };
  const base = lastBefore(dates, span.from);
  const lastIn = lastOnOrBefore(dates, span.to);
  if (lastIn <= base) return null;
  const later = lastIn < n - 1;
  switch (w.kind) {
    case 'first': {
      const end = base + w.sessions;
      return end <= lastIn ? make(base, end, true) : make(base, lastIn, false);
    }
    case 'ytd':
      return make(base, lastIn, true);
    case 'year':
    case 'month':
    case 'quarter':
    case 'range':
      return make(base, lastIn, later);
  }
}

/** The same window in another year: ranges keep their month and day; other windows are per-year already. */
export function windowInYear(w: Window, year: number): Window {
  if (w.kind !== 'range') return w;
  const fromYear = Number(w.from.slice(0, 4));
  const shift = (d: string): TradingDate => {
    const y = Number(d.slice(0, 4)) - fromYear + year;
    let md = d.slice(4);
    if (md === '-02-29' && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0))) md = '-02-28';
    return `${y}${md}` as TradingDate;
  };
  return { kind: 'range', from: shift(w.from), to: shift(w.to) };
}
