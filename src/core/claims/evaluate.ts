import type { TradingDate } from '../../shared/brand.js';
import { epochDay } from '../../shared/dates.js';
import type { PeriodRow } from '../precedents.js';
import type { ClaimStatus } from '../claim.js';
import type { Precedent } from './precedent.js';

/** Average days per month, to turn "in nearly a year" into a gap between dates. */
const DAYS_PER_MONTH = 30.4375;

/** Checked against the data: a status, the figures behind it, and why in words (no rounded numbers). */
export type LevelCheck = {
  status: ClaimStatus;
  reason: string;
  /** The session checked and its close. */
  date: TradingDate;
  value: number;
  /** The last earlier session whose close was at least as high (low), null when none in the data. */
  lastBeyond: TradingDate | null;
  /** Whole months between lastBeyond and date. */
  gapMonths: number | null;
};

/**
 * Checks a level extreme ("its highest in nearly a year", "highest since March 2025", "a record high") at session
 * `at` (an index into dates/values, the article's session). Finds the last earlier close at least as high (for a
 * high; as low for a low): "highest in N months" holds when that close is N months back or more (with "nearly",
 * "about": at least three quarters of N) and less than N plus a quarter of N (plus a month for short spans) back;
 * "since Y" holds when that close falls in Y (and month M); a record when there is none. When the data start after
 * the span the claim needs, the answer is "no data".
 */
export function checkExtreme(
  dates: readonly TradingDate[],
  values: readonly number[],
  at: number,
  p: Extract<Precedent, { kind: 'extreme' }>,
): LevelCheck {
  const v = values[at] as number;
  const date = dates[at] as TradingDate;
  const beyond = (x: number) => (p.side === 'high' ? x >= v : x <= v);
  let j = at - 1;
  while (j >= 0 && !beyond(values[j] as number)) j--;
  const lastBeyond = j >= 0 ? (dates[j] as TradingDate) : null;
  const gapMonths = lastBeyond ? (epochDay(date) - epochDay(lastBeyond)) / DAYS_PER_MONTH : null;
  const months = gapMonths === null ? null : Math.floor(gapMonths);
  const base = { date, value: v, lastBeyond, gapMonths: months };
  const word = p.side === 'high' ? 'higher' : 'lower';
  const spanMonths = (epochDay(date) - epochDay(dates[0] as string)) / DAYS_PER_MONTH;
  if (p.record) {
    if (lastBeyond === null)
      return { status: 'holds', ...base, reason: `no ${word} close since the data start ${dates[0]}` };
    return { status: 'fails', ...base, reason: `a close as ${p.side} or ${word} on ${lastBeyond}` };
  }
  if (p.months !== null) {
    const min = p.approx ? p.months * 0.75 : p.months;
    const max = p.months + Math.max(1, p.months / 4);
    if (gapMonths === null)
      return spanMonths < min
        ? {
            status: 'no data',
            ...base,
            reason: `data start ${dates[0]}, too late to look back ${p.months} months`,
          }
        : {
            status: 'fails',
            ...base,
            reason: `no ${word} close since the data start ${dates[0]}: a longer span than claimed`,
          };
    if (gapMonths < min)
      return {
        status: 'fails',
        ...base,
        reason: `a ${word} close on ${lastBeyond}, more recent than claimed`,
      };
    if (gapMonths >= max)
      return {
        status: 'fails',
        ...base,
        reason: `last ${word} close on ${lastBeyond}, longer ago than claimed`,
      };
    return { status: 'holds', ...base, reason: `last ${word} close on ${lastBeyond}` };
  }
  const y = p.sinceYear;
  if (y === null && p.sinceMonth === null)
    return { status: 'no data', ...base, reason: 'the claim names no span' };
  const ym = lastBeyond?.slice(0, 7) ?? null;
  const claimed =
    y !== null && p.sinceMonth !== null
      ? `${y}-${String(p.sinceMonth).padStart(2, '0')}`
      : y !== null
        ? String(y)
        : null;
  if (lastBeyond === null)
    return Number((dates[0] as string).slice(0, 4)) > (y ?? 0)
      ? { status: 'no data', ...base, reason: `data start ${dates[0]}, after the claimed date` }
      : { status: 'fails', ...base, reason: `no ${word} close since the data start ${dates[0]}` };
  const matches =
    claimed === null
      ? Number(lastBeyond.slice(5, 7)) === p.sinceMonth
      : claimed.length === 4
        ? lastBeyond.startsWith(claimed)
        : ym === claimed;
  return matches
    ? { status: 'holds', ...base, reason: `last ${word} close on ${lastBeyond}` }
    : {
        status: 'fails',
        ...base,
        reason: `last ${word} close on ${lastBeyond}, not in ${claimed ?? `month ${p.sinceMonth}`}`,
      };
}

/**
 * Does a figure as printed match a computed one? A figure is taken to be rounded to the decimals it was written
 * with ("6%" covers 5.5% to 6.5%, "6.2%" 6.15% to 6.25%; "63 points" 62.5 to 63.5), and its sign must agree.
 * `scale` is 100 for fractions shown as percent, 1 for points.
 */
export function figureMatches(stated: number, computed: number, decimals: number, scale: number): boolean {
  const tol = (0.5 * 10 ** -decimals) / scale + 1e-12;
  return Math.abs(stated - computed) <= tol;
}

/**
 * "The widest margin since Y": the claimed year's spread is wider than that of every year after Y and before the
 * claimed one, and Y's own spread was at least as wide. Rows are the precedents' year rows (one definition).
 */
export function checkLargestSince(
  rows: readonly PeriodRow[],
  year: number,
  since: number,
): { status: ClaimStatus; reason: string; widerYear: number | null } {
  const row = rows.find((r) => r.year === year);
  if (!row) return { status: 'no data', reason: `no data for ${year}`, widerYear: null };
  if (!row.complete)
    return {
      status: 'pending',
      reason: `window still running: figures so far, to ${row.endDate}`,
      widerYear: null,
    };
  if (!rows.some((r) => r.year <= since))
    return { status: 'no data', reason: `data start after ${since}`, widerYear: null };
  const between = rows.filter((r) => r.year > since && r.year < year && r.complete && r.spread >= row.spread);
  const last = between[between.length - 1];
  if (last)
    return { status: 'fails', reason: `${last.year} had a margin at least as wide`, widerYear: last.year };
  const s = rows.find((r) => r.year === since);
  if (!s || s.spread < row.spread) {
    const earlier = rows.filter((r) => r.year < since && r.spread >= row.spread).pop();
    return {
      status: 'fails',
      reason: earlier
        ? `the last margin at least as wide was in ${earlier.year}, not ${since}`
        : `no margin as wide in the data before ${year}`,
      widerYear: earlier?.year ?? null,
    };
  }
  return { status: 'holds', reason: `widest since ${since}`, widerYear: since };
}
