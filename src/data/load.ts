import type { TradingDate } from '../shared/brand.js';
import type { CloseBasis, CloseColumns, CloseRange } from '../shared/domain.js';
import { NotFoundError } from '../shared/errors.js';
import { alignSeries, type AlignOptions } from '../core/series/align.js';
import type { Basis } from '../core/series/types.js';
import { basketIndex } from '../core/basket.js';
import type { BasketConfig, Config } from './config.js';
import { DEFAULT_CONFIG } from './config.js';
import type { Store } from './store/store.js';

/**
 * Which stored field a loaded series came from:
 * - `close`: closes (price basis, or total basis for a symbol with no adjusted closes — see `note`);
 * - `adj_close`: adjusted closes on every date;
 * - `adj_close+close`: adjusted closes where present, extended over dates without one by carrying the nearest
 *   adjustment factor (adj_close / close) — so the close-to-close moves of those dates are kept;
 * - `basket`: a basket index computed from its members (each on the same basis).
 */
export type ValueField = 'close' | 'adj_close' | 'adj_close+close' | 'basket';

/** A series ready for analytics: one value per session, nothing after `asOf`. */
export type LoadedSeries = {
  /** The stored spelling (`^RUT`), or the basket id (`MAG7`). */
  symbol: string;
  dates: TradingDate[];
  values: number[];
  basis: Basis;
  field: ValueField;
  /** Where the values came from: `bars` or `basket:MAG7(AAPL,MSFT,…)`. */
  source: string;
  /** Set when the requested basis could not be honoured exactly (e.g. total basis from closes only). */
  note: string | null;
  /**
   * What the stored close column holds, as declared at import (a basket: its members' common declaration);
   * null when nothing was declared.
   */
  closeBasis: CloseBasis | null;
  /**
   * The loaded dates as runs of one declared basis, from each stored row's source (docs/known-at.md "Basis"); more
   * than one basis means the series mixes (IWM: dividend-adjusted closes to 2026-07-31, price closes after). A
   * basket: empty (its members' notes say it).
   */
  closeRanges: CloseRange[];
};

export type LoadOptions = {
  /** Nothing dated after this is read. */
  asOf?: TradingDate | undefined;
  /** Default `price`. */
  basis?: Basis | undefined;
  /** Baskets come from here; default DEFAULT_CONFIG. */
  config?: Config | undefined;
  /** Optional first date (inclusive). */
  from?: TradingDate | undefined;
  /**
   * Baskets: `full` (default) starts the basket on the first date every member is held (MAG7: after META's first
   * quarter end, 2012-06-29), so no figure stands on a partial basket; `partial` starts when the first member has
   * data, members joining at the rebalance after they list.
   */
  basketCoverage?: 'full' | 'partial' | undefined;
};

const SYMBOL_HINT =
  'list what is stored with `rotation symbols` and baskets with `rotation basket`; add data with `rotation import` or `rotation sync`';

/** The basket id matching `text` case-insensitively, or null. */
export function findBasket(config: Config, text: string): { id: string; basket: BasketConfig } | null {
  for (const [id, basket] of Object.entries(config.baskets))
    if (id.toLowerCase() === text.toLowerCase()) return { id, basket };
  return null;
}

/** The note of a price-basis series whose stored closes were declared dividend-adjusted. */
const ADJUSTED_CLOSES_NOTE =
  'the stored closes are dividend-adjusted (declared at import): returns include dividends';

/** The one declared basis of every range, else null (none declared, or more than one: see `closeRanges`). */
export function singleBasis(ranges: readonly CloseRange[]): CloseBasis | null {
  const kinds = new Set(ranges.map((r) => r.basis));
  return kinds.size === 1 ? ([...kinds][0] ?? null) : null;
}

const RANGE_WORDS: Record<CloseBasis | 'undeclared', string> = {
  adjusted: 'dividend-adjusted closes',
  price: 'price closes (no dividends)',
  undeclared: 'closes of undeclared basis',
};

/**
 * Runs of closes in words, each up to its last date and the last "after": "dividend-adjusted closes to
 * 2026-07-31, price closes (no dividends) after".
 */
export function closeRangesWords(ranges: readonly CloseRange[]): string {
  return ranges
    .map((r, i) =>
      i < ranges.length - 1
        ? `${RANGE_WORDS[r.basis ?? 'undeclared']} to ${r.last}`
        : `${RANGE_WORDS[r.basis ?? 'undeclared']} after`,
    )
    .join(', ');
}

/**
 * Picks the values of a symbol's closes (Store.loadCloses) on a basis (see ValueField). `declared` is what the close
 * column holds (import declaration, one basis or the runs of each row's source): closes declared adjusted are the
 * total-return series, a price basis on them says so, and closes of more than one basis say where each applies.
 */
export function barValues(
  bars: CloseColumns,
  basis: Basis,
  declaredRanges: CloseBasis | null | readonly CloseRange[] = null,
): { values: number[]; field: ValueField; note: string | null } {
  const ranges = typeof declaredRanges === 'string' || declaredRanges === null ? null : declaredRanges;
  const declared = ranges ? singleBasis(ranges) : (declaredRanges as CloseBasis | null);
  const kinds = new Set((ranges ?? []).map((r) => r.basis));
  if (ranges && kinds.size > 1) {
    const picked = barValuesOf(bars, basis, null);
    const words = `the stored closes mix bases: ${closeRangesWords(ranges)} (declared per file at import)`;
    return {
      ...picked,
      note:
        picked.field === 'close' ? `${words}: returns include dividends only over the adjusted dates` : words,
    };
  }
  return barValuesOf(bars, basis, declared);
}

function barValuesOf(
  bars: CloseColumns,
  basis: Basis,
  declared: CloseBasis | null,
): { values: number[]; field: ValueField; note: string | null } {
  const { close, adjClose } = bars;
  const n = close.length;
  let withAdj = 0;
  for (const a of adjClose) if (a !== null) withAdj++;
  if (basis === 'price')
    return {
      values: close.slice(),
      field: 'close',
      note: declared === 'adjusted' && withAdj === 0 ? ADJUSTED_CLOSES_NOTE : null,
    };
  if (withAdj === 0 && declared === 'adjusted') return { values: close.slice(), field: 'close', note: null };
  if (withAdj === 0)
    return {
      values: close.slice(),
      field: 'close',
      note: 'total basis requested but no adjusted closes are stored: closes used (price return)',
    };
  if (withAdj === n) return { values: adjClose.slice() as number[], field: 'adj_close', note: null };
  // Mixed: carry the adjustment factor forward (and back before the first adjusted close).
  const factorAt = (i: number): number | null => {
    const a = adjClose[i];
    return a === null || a === undefined ? null : a / (close[i] as number);
  };
  const factors: (number | null)[] = Array.from({ length: n }, (_, i) => factorAt(i));
  let f: number | null = null;
  for (let i = 0; i < n; i++) {
    if (factors[i] !== null) f = factors[i] as number;
    else factors[i] = f;
  }
  f = null;
  for (let i = n - 1; i >= 0; i--) {
    const own = factorAt(i);
    if (own !== null) f = own;
    if (factors[i] === null) factors[i] = f;
  }
  return {
    values: close.map((c, i) => c * (factors[i] as number)),
    field: 'adj_close+close',
    note: `adjusted closes on ${withAdj} of ${n} dates; the others extended with closes`,
  };
}

/** Why a series could not be loaded: an expected absence, a value (the reason code, the words, a hint). */
export type SeriesAbsence = {
  absent: 'unknown' | 'no-bars' | 'basket-incomplete' | 'basket-never-full';
  message: string;
  hint: string;
};

/**
 * Loads one symbol or basket as a series on a basis, never reading bars after `asOf`. Symbols resolve
 * case-insensitively (Store.resolveSymbol); baskets come from the config (MAG7 by default). Unknown names,
 * symbols without bars and incomplete baskets are a SeriesAbsence. This is the single path from the store to
 * analytics; `loadSeries` and `loadSeriesOrNull` are its two faces.
 */
export async function loadSeriesOutcome(
  store: Store,
  symbolOrBasket: string,
  opts: LoadOptions,
): Promise<LoadedSeries | SeriesAbsence> {
  const basis = opts.basis ?? 'price';
  const config = opts.config ?? DEFAULT_CONFIG;
  const range = { ...(opts.from ? { from: opts.from } : {}), ...(opts.asOf ? { to: opts.asOf } : {}) };
  const symbol = await store.resolveSymbol(symbolOrBasket);
  if (symbol) {
    const bars = await store.loadCloses(symbol, range);
    if (bars.dates.length > 0) {
      const closeRanges = await store.loadCloseRanges(symbol, range);
      const { values, field, note } = barValues(bars, basis, closeRanges);
      const dates = bars.dates.slice();
      const closeBasis = singleBasis(closeRanges);
      return { symbol, dates, values, basis, field, source: 'bars', note, closeBasis, closeRanges };
    }
  }
  const found = findBasket(config, symbolOrBasket);
  if (found) {
    const members = [];
    const missing: string[] = [];
    // One note per distinct wording, naming its members ("AAPL, MSFT: the stored closes are …").
    const notes = new Map<string, string[]>();
    const declared = new Set<CloseBasis | null>();
    for (const m of found.basket.members) {
      const stored = await store.resolveSymbol(m);
      const bars = stored ? await store.loadCloses(stored, range) : null;
      if (!stored || !bars || bars.dates.length === 0) {
        missing.push(m);
        continue;
      }
      const ranges = await store.loadCloseRanges(stored, range);
      declared.add(singleBasis(ranges));
      const { values, note } = barValues(bars, basis, ranges);
      if (note) notes.set(note, [...(notes.get(note) ?? []), stored]);
      members.push({ symbol: stored, dates: bars.dates.slice(), values });
    }
    if (missing.length > 0)
      return {
        absent: 'basket-incomplete',
        message: `basket ${found.id} needs ${missing.join(', ')}, not in the store${opts.asOf ? ` up to ${opts.asOf}` : ''}`,
        hint: `add them with \`rotation import\` or \`rotation sync ${missing.join(' ')}\``,
      };
    const idx = basketIndex(members, found.basket);
    let start = 0;
    if ((opts.basketCoverage ?? 'full') === 'full') {
      const full = idx.held.findIndex((h) => h === members.length);
      // the rebalance that brought the last member in happened at the close before: that close is the base
      start = full > 0 ? full - 1 : full;
      if (start < 0)
        return {
          absent: 'basket-never-full',
          message: `basket ${found.id} never holds all ${members.length} members${opts.asOf ? ` up to ${opts.asOf}` : ''}`,
          hint: "check the members' coverage with `rotation basket " + found.id + '`',
        };
    }
    return {
      symbol: found.id,
      dates: idx.dates.slice(start),
      values: idx.values.slice(start),
      basis,
      field: 'basket',
      source: `basket:${found.id}(${found.basket.members.join(',')}; ${found.basket.weighting}, ${found.basket.rebalance})`,
      note: notes.size > 0 ? [...notes].map(([n, syms]) => `${syms.join(', ')}: ${n}`).join('; ') : null,
      closeBasis: declared.size === 1 ? ([...declared][0] ?? null) : null,
      closeRanges: [],
    };
  }
  if (symbol)
    return {
      absent: 'no-bars',
      message: `no bars stored for "${symbol}"${opts.asOf ? ` up to ${opts.asOf}` : ''}`,
      hint: SYMBOL_HINT,
    };
  return { absent: 'unknown', message: `unknown symbol or basket "${symbolOrBasket}"`, hint: SYMBOL_HINT };
}

/** A series, or NotFoundError (with a hint) when the user asked for something the store does not hold. */
export async function loadSeries(
  store: Store,
  symbolOrBasket: string,
  opts: LoadOptions = {},
): Promise<LoadedSeries> {
  const r = await loadSeriesOutcome(store, symbolOrBasket, opts);
  if ('absent' in r) throw new NotFoundError(r.message, r.hint);
  return r;
}

/** A series, or null where the caller expects absence (a default member not stored, a basket not yet full). */
export async function loadSeriesOrNull(
  store: Store,
  symbolOrBasket: string,
  opts: LoadOptions = {},
): Promise<LoadedSeries | null> {
  const r = await loadSeriesOutcome(store, symbolOrBasket, opts);
  return 'absent' in r ? null : r;
}

export type LoadedAligned = {
  symbols: string[];
  dates: TradingDate[];
  /** values[k][i]: series k on dates[i]. */
  values: number[][];
  series: LoadedSeries[];
};

/** Loads several symbols/baskets and aligns them on common sessions (inner join unless `fillMaxSessions`). */
export async function loadAligned(
  store: Store,
  symbols: readonly string[],
  opts: LoadOptions & AlignOptions = {},
): Promise<LoadedAligned> {
  const series: LoadedSeries[] = [];
  for (const s of symbols) series.push(await loadSeries(store, s, opts));
  const aligned = alignSeries(
    series,
    opts.fillMaxSessions !== undefined ? { fillMaxSessions: opts.fillMaxSessions } : {},
  );
  return {
    symbols: series.map((s) => s.symbol),
    dates: [...aligned.dates],
    values: aligned.values.map((v) => [...v]),
    series,
  };
}
