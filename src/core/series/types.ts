import type { TradingDate } from '../../shared/brand.js';

/** One dated series: `values[i]` is the value on `dates[i]`; dates strictly increasing. */
export type Series = {
  readonly dates: readonly TradingDate[];
  readonly values: readonly number[];
};

/** Several series on one set of dates: `values[k][i]` is series k on `dates[i]`. */
export type AlignedSeries = {
  readonly dates: readonly TradingDate[];
  readonly values: readonly (readonly number[])[];
};

/** Price basis: `price` uses close; `total` uses the adjusted close (dividends reinvested) where present. */
export type Basis = 'price' | 'total';
export const BASES: readonly Basis[] = ['price', 'total'];
