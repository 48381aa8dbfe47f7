/**
 * Regime tags per symbol: how far from its all-time high, whether in a correction or a bear market and since
 * when, and its 50- and 200-session trend.
 *
 * - Distance from the high: close_t / max(close_0..close_t) - 1, always <= 0 (the running maximum of the closes
 *   given, i.e. up to the as-of date; "all-time" means all the stored history).
 * - State from that distance: `near-high` (> -10%), `correction` (<= -10% and > -20%), `bear` (<= -20%). The
 *   state is a function of the day's distance alone (no hysteresis); `stateSince` is the first session of the
 *   current unbroken run of that state.
 * - Trend over 50 and 200 sessions: SMA, close vs SMA (gap = close / SMA - 1), slope = SMA_t / SMA_{t-20} - 1;
 *   `up` when the close is above a rising SMA, `down` when below a falling one, `mixed` otherwise.
 */
import type { TradingDate } from '../shared/brand.js';
import { epochDay } from '../shared/dates.js';
import { cutSeries } from './series/align.js';
import { drawdowns } from './series/drawdown.js';
import { rollingMean } from './series/rolling.js';
import type { CloseSeries } from './series/types.js';

export const CORRECTION = -0.1;
export const BEAR = -0.2;
/** Sessions over which an SMA's slope is measured. */
export const SLOPE_SESSIONS = 20;

export type RegimeState = 'near-high' | 'correction' | 'bear';

export function stateOf(distance: number): RegimeState {
  return distance <= BEAR ? 'bear' : distance <= CORRECTION ? 'correction' : 'near-high';
}

export type Trend = {
  window: number;
  sma: number | null;
  /** close / SMA - 1. */
  gap: number | null;
  above: boolean | null;
  slope: number | null;
  direction: 'up' | 'down' | 'mixed' | null;
};

export type Regime = {
  symbol: string;
  date: TradingDate;
  close: number;
  high: number;
  highDate: TradingDate;
  /** close / high - 1 (<= 0). */
  distance: number;
  state: RegimeState;
  stateSince: TradingDate;
  sessionsSinceHigh: number;
  calendarDaysSinceHigh: number;
  trend50: Trend;
  trend200: Trend;
  /** The first stored date: the high is "all-time" only back to here. */
  historyStart: TradingDate;
};

function trend(closes: readonly number[], window: number): Trend {
  const sma = rollingMean(closes, window);
  const t = closes.length - 1;
  const m = sma[t] ?? null;
  const before = t >= SLOPE_SESSIONS ? (sma[t - SLOPE_SESSIONS] ?? null) : null;
  const c = closes[t] as number;
  const slope = m !== null && before !== null ? m / before - 1 : null;
  const direction =
    m === null || slope === null ? null : c > m && slope > 0 ? 'up' : c < m && slope < 0 ? 'down' : 'mixed';
  return {
    window,
    sma: m,
    gap: m === null ? null : c / m - 1,
    above: m === null ? null : c > m,
    slope,
    direction,
  };
}

/** The regime of one symbol at its last date on or before `asOf`; null when it has no close by then. */
export function regime(symbol: string, series: CloseSeries, asOf?: string): Regime | null {
  const s = asOf ? cutSeries(series, asOf) : series;
  const n = s.values.length;
  if (n === 0) return null;
  const dd = drawdowns(s.values);
  let hi = 0;
  for (let i = 1; i < n; i++) if ((s.values[i] as number) >= (s.values[hi] as number)) hi = i; // latest high on ties
  const t = n - 1;
  const distance = dd[t] as number;
  const state = stateOf(distance);
  let since = t;
  while (since > 0 && stateOf(dd[since - 1] as number) === state) since--;
  const date = s.dates[t] as TradingDate;
  const highDate = s.dates[hi] as TradingDate;
  return {
    symbol,
    date,
    close: s.values[t] as number,
    high: s.values[hi] as number,
    highDate,
    distance,
    state,
    stateSince: s.dates[since] as TradingDate,
    sessionsSinceHigh: t - hi,
    calendarDaysSinceHigh: epochDay(date) - epochDay(highDate),
    trend50: trend(s.values, 50),
    trend200: trend(s.values, 200),
    historyStart: s.dates[0] as TradingDate,
  };
}
