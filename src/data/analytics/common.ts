/** Shared by the analytics entry points: run options, provenance and basis labels, members loading, warnings. */
import type { TradingDate } from '../../shared/brand.js';
import { NotFoundError } from '../../shared/errors.js';
import type { Basis } from '../../core/series/types.js';
import type { CloseBasis } from '../../shared/domain.js';
import { type Config } from '../config.js';
import { closeRangesWords, loadAligned, loadSeries, loadSeriesOutcome, type LoadedSeries } from '../load.js';
import { staleFor } from '../why/figures/common.js';
import type { Store } from '../store/store.js';

export type RunOptions = {
  asOf?: TradingDate | undefined;
  basis?: Basis | undefined;
  config?: Config | undefined;
  /** The session figures are due for when no `asOf` is given (the CLI's last completed session): stale labels. */
  due?: TradingDate | undefined;
};

/**
 * What a result was computed from: per leg, the field used, any basis note, and what its values are
 * (`closes`: dividend-adjusted, price, or null when the import declared nothing).
 */
export type Provenance = {
  symbol: string;
  field: string;
  source: string;
  note: string | null;
  closes: CloseBasis | 'mixed' | null;
}[];

/**
 * What a loaded series' values are: adjusted closes used, else the close column's declared basis, `mixed` when its
 * rows come from sources declared differently (LoadedSeries.closeRanges).
 */
export const closesOf = (s: LoadedSeries): CloseBasis | 'mixed' | null =>
  s.field === 'adj_close' || s.field === 'adj_close+close'
    ? 'adjusted'
    : new Set(s.closeRanges.map((r) => r.basis)).size > 1
      ? 'mixed'
      : s.closeBasis;

/**
 * Each leg's basis note for a row over `span` (null: the whole series), "IWM: …" joined, else null. A leg whose
 * closes mix bases gets the note of the one basis the span lies in (a span across bases is spanBasisNote's), so a
 * January 2026 row of IWM says its closes are dividend-adjusted, not that August's are raw.
 */
export function legBasisNotes(
  series: readonly LoadedSeries[],
  span: { from: TradingDate; to: TradingDate } | null,
): string | null {
  const notes = series.flatMap((s) => {
    if (closesOf(s) !== 'mixed' || !span) return s.note ? [`${s.symbol}: ${s.note}`] : [];
    const kinds = new Set(
      s.closeRanges.filter((r) => r.last >= span.from && r.first <= span.to).map((r) => r.basis),
    );
    const k = kinds.size === 1 ? [...kinds][0] : undefined;
    if (k === 'adjusted' && s.basis === 'price')
      return [
        `${s.symbol}: the closes over this window are dividend-adjusted (declared at import): returns include dividends`,
      ];
    if (k !== undefined && k !== 'adjusted' && s.basis === 'total')
      return [
        `${s.symbol}: the closes over this window are ${CLOSES_WORDS[k ?? 'undeclared']}: price return`,
      ];
    return [];
  });
  return notes.length > 0 ? notes.join('; ') : null;
}

/**
 * The words of a comparison row over `from`..`to` (its base close to its last close) in which a leg's closes change
 * basis, else null: "IWM: dividend-adjusted closes to 2026-07-31, price closes (no dividends) after". A row inside
 * one basis says nothing, even when the series mixes elsewhere.
 */
export function spanBasisNote(
  series: readonly LoadedSeries[],
  from: TradingDate,
  to: TradingDate,
): string | null {
  const parts = series.flatMap((s) => {
    if (s.field === 'adj_close' || s.field === 'adj_close+close') return [];
    const within = s.closeRanges.filter((r) => r.last >= from && r.first <= to);
    return new Set(within.map((r) => r.basis)).size > 1 ? [`${s.symbol}: ${closeRangesWords(within)}`] : [];
  });
  return parts.length > 0
    ? `spans closes of more than one basis (${parts.join('; ')}): returns include dividends only over the adjusted dates`
    : null;
}

export const provenance = (series: readonly LoadedSeries[]): Provenance =>
  series.map((s) => ({
    symbol: s.symbol,
    field: s.field,
    source: s.source,
    note: s.note,
    closes: closesOf(s),
  }));

export const CLOSES_WORDS: Record<CloseBasis | 'mixed' | 'undeclared', string> = {
  adjusted: 'dividend-adjusted closes',
  mixed: 'closes of more than one basis (dividend-adjusted over some dates, price over others)',
  price: 'price closes (no dividends)',
  undeclared: 'stored closes (basis not declared at import)',
};

/** What the values of a set of series are, in words: one kind, or each kind with its symbols. */
export function closesLabel(series: readonly LoadedSeries[]): string {
  const by = new Map<CloseBasis | 'mixed' | 'undeclared', string[]>();
  for (const s of series) {
    const k = closesOf(s) ?? 'undeclared';
    by.set(k, [...(by.get(k) ?? []), s.symbol]);
  }
  if (by.size <= 1) return CLOSES_WORDS[[...by.keys()][0] ?? 'undeclared'];
  return [...by].map(([k, syms]) => `${CLOSES_WORDS[k]}: ${syms.join(', ')}`).join('; ');
}

/**
 * The words of a comparison that mixes a price series (a price index) with dividend-adjusted closes, else null:
 * such a spread favours the adjusted side by its dividends.
 */
export function basisMix(series: readonly LoadedSeries[]): string | null {
  const price = series.filter((s) => closesOf(s) === 'price').map((s) => s.symbol);
  const adjusted = series.filter((s) => closesOf(s) === 'adjusted').map((s) => s.symbol);
  if (price.length === 0 || adjusted.length === 0) return null;
  return `mixes price closes (${price.join(', ')}) with dividend-adjusted closes (${adjusted.join(', ')}): the spread includes the dividends of one side only`;
}

export async function aligned(store: Store, symbols: string[], opts: RunOptions) {
  const data = await loadAligned(store, symbols, {
    asOf: opts.asOf,
    basis: opts.basis ?? 'price',
    config: opts.config,
  });
  const last = data.dates[data.dates.length - 1];
  if (!last)
    throw new NotFoundError(
      `${symbols.join(' and ')} have no session in common${opts.asOf ? ` up to ${opts.asOf}` : ''}`,
      'check their coverage with `rotation symbols`',
    );
  return { ...data, last };
}

/** A warning carried in a verb's JSON (and printed to stderr by the CLI for table/csv). */
export type AnalyticsWarning = { symbol: string; code: string; message: string };

/**
 * Loads symbols through the one loading layer (data/load.ts, which never reads after `asOf`). Symbols the user
 * typed must exist (NotFoundError); default members that are not stored are skipped with a warning, so a store
 * without XLC still gets an RRG of the other sectors.
 */
export async function loadMembers(
  store: Store,
  symbols: readonly string[],
  opts: { asOf?: TradingDate | undefined; basis: Basis; required: boolean; config?: Config | undefined },
): Promise<{ series: LoadedSeries[]; warnings: AnalyticsWarning[] }> {
  const series: LoadedSeries[] = [];
  const warnings: AnalyticsWarning[] = [];
  for (const s of symbols) {
    const o = { asOf: opts.asOf, basis: opts.basis, config: opts.config };
    if (opts.required) {
      series.push(await loadSeries(store, s, o));
      continue;
    }
    const r = await loadSeriesOutcome(store, s, o);
    if ('absent' in r)
      warnings.push({ symbol: s, code: 'not-stored', message: `${s}: ${r.message}; skipped` });
    else series.push(r);
  }
  return { series, warnings };
}

/**
 * A `stale` warning per series whose last session is more than its cadence allows behind `due` (the as-of date, or
 * the last completed NYSE session the CLI passes when no as-of is given): "stale: last reading D, …", never latest.
 */
export function staleWarnings(
  series: readonly LoadedSeries[],
  due: TradingDate | undefined,
): AnalyticsWarning[] {
  if (!due) return [];
  return series.flatMap((s) => {
    const last = s.dates[s.dates.length - 1];
    const note = last ? staleFor(s.symbol, [], last, due) : undefined;
    return note ? [{ symbol: s.symbol, code: 'stale', message: `${s.symbol}: ${note}` }] : [];
  });
}

/** One warning per distinct basis note (e.g. adjusted closes stored as closes), naming the symbols it concerns. */
export function basisWarnings(series: readonly LoadedSeries[]): AnalyticsWarning[] {
  const notes = new Map<string, string[]>();
  for (const s of series) if (s.note) notes.set(s.note, [...(notes.get(s.note) ?? []), s.symbol]);
  return [...notes].map(([note, syms]) => ({
    symbol: syms.join(','),
    code: 'basis',
    message: `${syms.join(', ')}: ${note}`,
  }));
}
