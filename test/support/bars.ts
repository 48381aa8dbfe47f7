import type { TradingDate } from '../../src/shared/brand.js';
import type { Bar } from '../../src/shared/domain.js';

/** A bar with only its close (open, high, low, adjusted close and volume null), `extra` overriding any field. */
export const closeBar = (date: string, close: number, extra: Partial<Bar> = {}): Bar => ({
  date: date as TradingDate,
  open: null,
  high: null,
  low: null,
  close,
  adjClose: null,
  volume: null,
  ...extra,
});
