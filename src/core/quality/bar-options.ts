import type { TradingDate } from '../../shared/brand.js';
import type { CorporateAction } from '../../shared/domain.js';

/** The data doctor's bar-check thresholds and inputs (check-bars.ts runs every check with them). */
export type BarCheckOptions = {
  /** The date the data should be current to (the CLI passes today's New York date or --as-of). */
  asOf: TradingDate;
  /** A |close-to-close move| above this fraction is a suspicious jump. Default 0.25. */
  jumpThreshold?: number;
  /** The last bar may lag the as-of date by at most this many sessions. Default 5. */
  staleSessions?: number;
  /**
   * A day-over-day change of adj_close/close above this fraction, on a date with no known corporate action,
   * is flagged. Default 0.02: regular quarterly dividends move the ratio by 0.1–1.5 %, so 2 % catches broken
   * adjustments (and special dividends) without flagging every ex-dividend date.
   */
  adjRatioThreshold?: number;
  /** A run of at least this many consecutive missing sessions is a long gap. Default 5. */
  longGapSessions?: number;
  /** Known splits and dividends: adjusted-ratio changes on their dates are expected. */
  actions?: readonly CorporateAction[];
};

export const DEFAULT_BAR_CHECK_OPTIONS = {
  jumpThreshold: 0.25,
  staleSessions: 5,
  adjRatioThreshold: 0.02,
  longGapSessions: 5,
} as const;
