import type { TradingDate } from '../shared/brand.js';
import type { Basis } from './series/types.js';

/** Units of a Fact's value (DESIGN.md). */
export type FactUnit =
  'fraction' | 'usd' | 'index' | 'percent-points' | 'points' | 'count' | 'ratio' | 'year' | 'date';

/**
 * `computed`: a figure this project computed from stored data; `reported`: a third party's figure typed in as given
 * (an estimate, a consensus, a published actual), printed as reported with its source and date and never evidence
 * for a claim check (DESIGN.md "Fact").
 */
export type FactKind = 'computed' | 'reported';

/**
 * A figure a report can print, with what it was computed from (DESIGN.md "Fact"). Ids are stable and readable:
 * `race.iwm-qqq.first7.spread`.
 */
export type Fact = {
  id: string;
  /** Absent means `computed` (the brief's facts file writes it on every fact). */
  kind?: FactKind;
  /** Who reported a `reported` figure (`BofA`, `press report (provider not recorded)`). */
  source?: string;
  /** The day a `reported` figure was reported (its vintage). */
  date?: string;
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
