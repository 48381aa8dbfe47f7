import { loadSeries, type LoadedSeries } from '../data/load.js';
import type { Store } from '../data/store/store.js';
import type { Basis } from '../core/series/types.js';
import type { TradingDate } from '../shared/brand.js';
import { NotFoundError } from '../shared/errors.js';

/** A warning printed to stderr (table/csv) or carried in the JSON. */
export type CliWarning = { symbol: string; code: string; message: string };

/**
 * Loads symbols through the one loading layer (data/load.ts, which never reads after `asOf`). Symbols the user
 * typed must exist (NotFoundError); default members that are not stored are skipped with a warning, so a store
 * without XLC still gets an RRG of the other sectors.
 */
export async function loadMembers(
  store: Store,
  symbols: readonly string[],
  opts: { asOf?: TradingDate | undefined; basis: Basis; required: boolean },
): Promise<{ series: LoadedSeries[]; warnings: CliWarning[] }> {
  const series: LoadedSeries[] = [];
  const warnings: CliWarning[] = [];
  for (const s of symbols) {
    try {
      const loaded = await loadSeries(store, s, { asOf: opts.asOf, basis: opts.basis });
      series.push(loaded);
    } catch (e) {
      if (opts.required || !(e instanceof NotFoundError)) throw e;
      warnings.push({ symbol: s, code: 'not-stored', message: `${s}: ${e.message}; skipped` });
    }
  }
  return { series, warnings };
}

/** One warning per distinct basis note (e.g. adjusted closes stored as closes), naming the symbols it concerns. */
export function basisWarnings(series: readonly LoadedSeries[]): CliWarning[] {
  const notes = new Map<string, string[]>();
  for (const s of series) if (s.note) notes.set(s.note, [...(notes.get(s.note) ?? []), s.symbol]);
  return [...notes].map(([note, syms]) => ({
    symbol: syms.join(','),
    code: 'basis',
    message: `${syms.join(', ')}: ${note}`,
  }));
}

export function printWarnings(warnings: readonly CliWarning[]): void {
  for (const w of warnings) process.stderr.write(`warning: ${w.message}\n`);
}
