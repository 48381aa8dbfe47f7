import type { TradingDate } from '../shared/brand.js';
import type { Basis } from './series/types.js';

/** Units of a Fact's value (DESIGN.md). */
export type FactUnit =
  'fraction' | 'usd' | 'index' | 'percent-points' | 'points' | 'count' | 'ratio' | 'year' | 'date';

/**
 * A figure a report can print, with what it was computed from (DESIGN.md "Fact"). Ids are stable and readable:
 * `race.iwm-qqq.first7.spread`.
 */
export type Fact = {
  id: string;
  value: number | string | null;
  unit: FactUnit;
  label: string;
  /** Symbols or series used. */
  inputs: string[];
  window?: string;
  basis?: Basis;
  asOf: TradingDate;
  /** How it was computed, in one line. */
  method: string;
};

/** A symbol as an id fragment: `^RUT` -> `rut`, `BRK.B` -> `brkb`. */
export function symbolId(symbol: string): string {
  return symbol.toLowerCase().replace(/[^a-z0-9]/g, '');
}
