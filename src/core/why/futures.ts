import { addDays, dayOfWeek } from '../../shared/dates.js';

/** One session's move of a futures contract: points and fraction, and whether it may straddle a contract roll. */
export type FuturesMove = {
  from: string;
  to: string;
  points: number;
  change: number;
  /** True when the session falls in the roll window of a quarterly equity-index contract (see rollWindow). */
  nearRoll: boolean;
};

/** The third Friday of a month (`YYYY-MM`): the expiry day of the quarterly CME equity-index futures. */
export function thirdFriday(month: string): string {
  const first = `${month}-01`;
  const offset = (5 - dayOfWeek(first) + 7) % 7; // days to the first Friday
  return addDays(first, offset + 14);
}

/**
 * Whether `date` lies in the roll window of the quarterly E-mini contracts (March, June, September, December):
 * from 8 days before the third-Friday expiry to the expiry itself. CME's roll date is the Thursday 8 days before
 * expiry; Yahoo's continuous `=F` series switch contracts around it, so a change across those days can mix two
 * contracts (a jump of the calendar spread, not a market move).
 * @see CME Group, "Equity Index Roll Dates" (roll 8 calendar days before the third-Friday expiration).
 */
export function inRollWindow(date: string): boolean {
  const m = Number(date.slice(5, 7));
  if (m % 3 !== 0) return false;
  const expiry = thirdFriday(date.slice(0, 7));
  return date >= addDays(expiry, -8) && date <= expiry;
}

/**
 * The move from the previous close to the last close on or before `asOf` of a daily futures series: points
 * (close − previous close) and fraction (close / previous − 1). Null with fewer than two closes.
 */
export function sessionMove(
  closes: readonly { date: string; close: number }[],
  asOf: string,
): FuturesMove | null {
  const xs = closes.filter((c) => c.date <= asOf);
  const last = xs[xs.length - 1];
  const prev = xs[xs.length - 2];
  if (!last || !prev || !(prev.close > 0)) return null;
  return {
    from: prev.date,
    to: last.date,
    points: last.close - prev.close,
    change: last.close / prev.close - 1,
    nearRoll: inRollWindow(last.date) || inRollWindow(prev.date),
  };
}
