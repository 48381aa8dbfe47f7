/**
 * Pure helpers for the brief benchmark (`npm run bench -- --only brief`): which shared-data files make the
 * default universe, and the config that points the brief at the synthetic market.
 */
import type { Config } from '../data/config.js';
import { parseConfig } from '../data/config-schema.js';
import { SECTORS } from './synthetic-market.js';

/**
 * Folders of shared/data searched for a symbol's file, in order: one file per symbol, so that no series mixes
 * sources (etf_daily is the consistent total-return set; the OHLCV folders only fill what it lacks).
 */
export const SYMBOL_FOLDERS = [
  'indices',
  'etf_daily',
  'stocks_daily',
  'etf_daily_ohlcv',
  'stocks_daily_ohlcv',
] as const;

export type UniverseFiles = {
  /** Paths relative to the data folder ('/'-separated), sorted. */
  files: string[];
  /** Symbols and FRED series of the universe without a file. */
  missing: string[];
};

function stemOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

/**
 * The files of a data folder (its relative paths, `present`) that hold a universe: for each symbol the first
 * `<folder>/<SYMBOL>.csv` along SYMBOL_FOLDERS (`^RUT` is `indices/RUT.csv`); for each FRED series
 * `macro/<ID>.csv` or else the first `macro/<ID>_*.csv`; plus the FRED cache (`macro/fred_cache*.json`, later
 * observations of the same series) when the universe has FRED series.
 */
export function universeFiles(
  present: readonly string[],
  universe: { symbols: readonly string[]; fred: readonly string[] },
): UniverseFiles {
  const have = new Set(present);
  const files = new Set<string>();
  const missing: string[] = [];
  for (const symbol of universe.symbols) {
    const stem = symbol.startsWith('^') ? symbol.slice(1) : symbol;
    const hit = SYMBOL_FOLDERS.map((f) => `${f}/${stem}.csv`).find((p) => have.has(p));
    if (hit) files.add(hit);
    else missing.push(symbol);
  }
  const macro = [...present].filter((p) => p.startsWith('macro/')).sort();
  for (const id of universe.fred) {
    const hit =
      macro.find((p) => p === `macro/${id}.csv`) ??
      macro.find((p) => p.endsWith('.csv') && stemOf(p).startsWith(`${id}_`));
    if (hit) files.add(hit);
    else missing.push(id);
  }
  if (universe.fred.length > 0)
    for (const p of macro) if (/^macro\/fred_cache[^/]*\.json$/.test(p)) files.add(p);
  return { files: [...files].sort(), missing };
}

/** The name of synthetic symbol `i` in a market of `symbols` symbols (as `syntheticMarket` names it). */
export function syntheticSymbol(i: number, symbols: number): string {
  const width = Math.max(4, String(symbols - 1).length);
  return `S${String(i).padStart(width, '0')}`;
}

/** Index of the synthetic "Information Technology" sector index (S0008): the nearest thing to Big Tech. */
export const SYNTHETIC_TECH = 1 + SECTORS.indexOf('Information Technology');

/**
 * The brief's config for a synthetic market of `symbols` symbols (`syntheticMarket`: S0000 the market index,
 * S0001..S0011 the sector indexes, S0012.. stocks), built with parseConfig:
 *
 * - market and small caps: S0000 (the synthetic market has no small-cap index; the race is then "the market vs
 *   tech", the same computation);
 * - big tech: S0008, the Information Technology sector index;
 * - sectors: S0001..S0011;
 * - MAG7: an equal-weight basket of the first seven stocks, S0012..S0018 (fewer when the market is smaller).
 *
 * Throws RangeError below 13 symbols (the index, 11 sectors and one stock).
 */
export function syntheticBriefConfig(symbols: number): Config {
  if (!Number.isInteger(symbols) || symbols < 13)
    throw new RangeError(`the synthetic brief needs at least 13 symbols, got ${symbols}`);
  const name = (i: number) => syntheticSymbol(i, symbols);
  const members = Array.from({ length: Math.min(7, symbols - 12) }, (_, k) => name(12 + k));
  return parseConfig(
    {
      universe: { symbols: Array.from({ length: 12 + members.length }, (_, i) => name(i)), fred: [] },
      baskets: {
        MAG7: {
          name: 'Synthetic Magnificent 7',
          members,
          weighting: 'equal',
          rebalance: 'quarterly',
          description: `${members.join(' ')}, equal weight, rebalanced quarterly (synthetic stocks)`,
        },
      },
      benchmarks: {
        smallCaps: name(0),
        bigTech: name(SYNTHETIC_TECH),
        market: name(0),
        sectors: Array.from({ length: 11 }, (_, k) => name(1 + k)),
      },
    },
    'synthetic brief config',
  );
}
