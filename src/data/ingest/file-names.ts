/** What a file's name and folder say: its source label, its symbol (`RUT.csv` → ^RUT) and its instrument kind. */
import { basename, dirname } from 'node:path';
import type { InstrumentKind } from '../../shared/domain.js';
import { InputError } from '../../shared/errors.js';
import { fileStem } from './sniff.js';
import { SYMBOL_RE } from '../../shared/identifiers.js';

/** Index names whose files are stored under the caret symbol (`RUT.csv` → `^RUT`). */
export const INDEX_STEMS: Record<string, string> = {
  RUT: '^RUT',
  NDX: '^NDX',
  SPX: '^SPX',
  GSPC: '^GSPC',
  DJI: '^DJI',
  VIX: '^VIX',
  RUA: '^RUA',
};

/** `file:<parent folder>/<file name>`: the same file imported from another location keeps its source. */
export function sourceOf(path: string): string {
  return `file:${basename(dirname(path))}/${basename(path)}`;
}

/** The symbol a file name stands for: a known index name maps to its caret symbol, else the upper-cased stem. */
export function symbolFromFileName(path: string): string {
  const stem = fileStem(path);
  const mapped = INDEX_STEMS[stem.toUpperCase()];
  if (mapped) return mapped;
  const symbol = stem.toUpperCase();
  if (!SYMBOL_RE.test(symbol))
    throw new InputError(`cannot use the file name "${stem}" as a symbol; pass --symbol`, {
      field: 'symbol',
    });
  return symbol;
}

/**
 * The kind of instrument for symbols without a caret: from the nearest folder whose name contains `etf`
 * or `stock`; otherwise `stock`.
 */
export function kindFromPath(path: string): InstrumentKind {
  let dir = dirname(path);
  for (;;) {
    const name = basename(dir).toLowerCase();
    if (name.includes('etf')) return 'etf';
    if (name.includes('stock')) return 'stock';
    const up = dirname(dir);
    if (up === dir) return 'stock';
    dir = up;
  }
}
