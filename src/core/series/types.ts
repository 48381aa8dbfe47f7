import type { TradingDate } from '../../shared/brand.js';
import { UsageError } from '../../shared/errors.js';

/** A value or a gap (no bar, not enough history, undefined statistic). */
export type Maybe = number | null;

/** One dated series: `values[i]` is the value on `dates[i]`; dates strictly increasing. */
export type Series = {
  readonly dates: readonly TradingDate[];
  readonly values: readonly number[];
};

/** A series whose dates are plain `YYYY-MM-DD` strings (what rrg, breadth and regime accept; `Series` fits). */
export type CloseSeries = { readonly dates: readonly string[]; readonly values: readonly number[] };

/** Several series on one set of dates: `values[k][i]` is series k on `dates[i]`. */
export type AlignedSeries = {
  readonly dates: readonly TradingDate[];
  readonly values: readonly (readonly number[])[];
};

/** Price basis: `price` uses close; `total` uses the adjusted close (dividends reinvested) where present. */
export type Basis = 'price' | 'total';
export const BASES: readonly Basis[] = ['price', 'total'];

/** The one basis parser (case-insensitive); UsageError naming the two bases otherwise. */
export function parseBasis(text: string): Basis {
  const b = text.trim().toLowerCase();
  const found = BASES.find((x) => x === b);
  if (found === undefined)
    throw new UsageError(
      `unknown basis "${text}"`,
      'use price (closes) or total (adjusted closes, dividends reinvested)',
    );
  return found;
}
