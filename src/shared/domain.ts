import type { TradingDate } from './brand.js';

export const InstrumentKind = {
  Index: 'index',
  Etf: 'etf',
  Stock: 'stock',
  Basket: 'basket',
  Series: 'series',
} as const;
export type InstrumentKind = (typeof InstrumentKind)[keyof typeof InstrumentKind];
export const INSTRUMENT_KINDS: readonly InstrumentKind[] = Object.values(InstrumentKind);

export type Instrument = {
  symbol: string;
  name: string | null;
  kind: InstrumentKind;
  sector: string | null;
  currency: string;
  exchange: string | null;
};

/** One daily bar, keyed by its exchange-local trading date. */
export type Bar = {
  date: TradingDate;
  open: number | null;
  high: number | null;
  low: number | null;
  close: number;
  /** Split- and dividend-adjusted close; null when the source gives none. */
  adjClose: number | null;
  volume: number | null;
};

/**
 * One symbol's closes as columns, oldest first: what analytics reads of its bars (data/load.ts). The three columns
 * of `bars` it needs, without the other four and without an object per row: `rotation race` converted twice as
 * many values before (docs/bench.md, session 11).
 */
export type CloseColumns = {
  dates: TradingDate[];
  close: number[];
  /** null where the source gives no adjusted close. */
  adjClose: (number | null)[];
};

export type CorporateAction =
  | { kind: 'split'; symbol: string; date: TradingDate; ratio: number; source: string }
  | { kind: 'dividend'; symbol: string; date: TradingDate; amount: number; source: string };

/** A non-price data point: macro, earnings estimate, fund flow, positioning. */
export type Observation = {
  series: string;
  /** A date (`2025-09-01`) or a period label (`2025Q4`, `2026`). */
  period: string;
  value: number;
  unit: string;
  /** The vintage: when this value was known. */
  asOf: TradingDate;
  source: string;
  /**
   * The day this vintage became public (docs/known-at.md). Set on every observation read from the store; on write,
   * an explicit date (a provider's realtime date, a file's `known_at` column), else derived from the release rules.
   */
  knownAt?: TradingDate;
};

/** How many rows an import or sync added, changed or found unchanged. */
export type WriteCounts = { added: number; updated: number; unchanged: number };

/**
 * What a stored close column holds, as declared at import (`--basis`, a config entry, an `Adj Close` column):
 * `adjusted` = dividend-adjusted closes (total return), `price` = closes as traded or a price index.
 */
export const CLOSE_BASES = ['adjusted', 'price'] as const;
export type CloseBasis = (typeof CLOSE_BASES)[number];

/** A symbol's declared close basis and who declared it (`--basis adjusted`, `config: etf_daily`). */
export type DeclaredBasis = { symbol: string; basis: CloseBasis; declaredBy: string };

/** The declared basis of the closes one source (an imported file) stored for a symbol. */
export type SourceBasis = DeclaredBasis & { source: string };

/**
 * A run of consecutive stored bars of one symbol whose closes share a declared basis (null: not declared), from
 * the basis of each row's source: IWM on ../shared/data is `adjusted` to 2026-07-31 and `price` after.
 */
export type CloseRange = {
  basis: CloseBasis | null;
  first: TradingDate;
  last: TradingDate;
  sessions: number;
};
