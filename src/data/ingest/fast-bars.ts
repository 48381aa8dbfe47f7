import { closeSync, openSync, readSync } from 'node:fs';
import type { MarketWriter } from '../store/store.js';
import type { FreshBars } from '../store/market-store.js';
import { withReadProgress, type FileProgress, type IngestEngine } from './engine.js';
import { sqlString } from './csv.js';
import { recordInstruments, type BarsResult } from './bars.js';
import { MAX_PRICE, MAX_QUANTITY } from './row-checks.js';
import { SYMBOL_RE } from '../../shared/identifiers.js';
import type { InstrumentKind } from '../../shared/domain.js';
import type { Layout } from './sniff.js';

/**
 * The bulk path of a bars import (issue 16): ONE typed scan of the file (read_csv with the file's columns typed, or
 * read_parquet) straight into `bars`, inside the file's transaction, every row guarded on the way in; then the
 * file-wide checks as aggregates over the rows just inserted. It accepts only files the checked path
 * (bars.ts, row-checks.ts) would import unchanged, with no warning, into symbols that have no stored rows:
 *
 * - every cell is a plain decimal or empty (the file holds no `_` after its header: DuckDB's number reader takes
 *   `1_000`; `inf`, `nan` and every other spelling the checked path refuses fail the typed read or the guard);
 * - every date is spelled YYYY-MM-DD (ten characters), years 1000 and later, none after today;
 * - every row has a symbol that follows the name rule and is stored as written (upper case, no blanks), a close,
 *   prices in (0, MAX_PRICE], volume in [0, MAX_QUANTITY], high not below low;
 * - per symbol the dates step strictly one way (no duplicate, exact or not: the checked path drops or refuses them).
 *
 * Anything else (a failed guard, a reader error, stored rows of those symbols, a file the guard cannot judge)
 * throws BulkPathMiss: the caller rolls the transaction back and imports the file through the checked path, which
 * gives today's outcome and exact messages. The bulk path never produces an error message of its own.
 */

/** Not for the bulk path: import the file through the checked path (the transaction is rolled back). */
export class BulkPathMiss extends Error {
  override name = 'BulkPathMiss';
}

/**
 * What the bulk path learnt besides the file's outcome: the barsFingerprint of the rows it inserted (null until it
 * took the file), which is that of the file's symbols once the transaction commits (they had no stored rows).
 */
export type BulkSink = { fingerprint: string | null };

/** Where the bulk path reads the file's cells: a delimited text file, or a Parquet file and its column types. */
export type BulkSource =
  | { kind: 'csv'; path: string; delim: string; headerRows: number; width: number }
  | { kind: 'parquet'; path: string; columns: readonly { name: string; type: string }[] };

export type BulkOptions = {
  today: string;
  source: string;
  kind: InstrumentKind | undefined;
  defaultKind: InstrumentKind;
  /** The symbol of a file without a symbol column (already checked), else null. */
  fallbackSymbol: string | null;
  onProgress?: (p: FileProgress) => void;
  totalBytes?: number;
};

const PRICE_FIELDS = ['open', 'high', 'low', 'close', 'adjClose'] as const;
const NUMBER_FIELDS = [...PRICE_FIELDS, 'volume'] as const;
const COLUMN_OF = {
  open: 'open',
  high: 'high',
  low: 'low',
  close: 'close',
  adjClose: 'adj_close',
  volume: 'volume',
} as const;

/** Parquet column types whose values reach DOUBLE exactly as the checked path's text round trip gives them. */
const EXACT_NUMBER_TYPES = new Set(['DOUBLE', 'BIGINT', 'INTEGER', 'SMALLINT', 'TINYINT']);

/**
 * The CSV reader's buffer for the bulk path (issue 16). With DuckDB's default buffer the parallel insert leaves
 * partly filled row groups behind on some files, and the checkpoint at close then merges them by rewriting most
 * of the table: 0.4-0.6 s on two of four synthetic 3.7-5.1M-row files tried (0.4 s of a 2.9 s import). With 32 MB
 * it left none on any of the four (checkpoint 5-10 ms), for 50-150 MB more peak memory. docs/bench.md, session 13.
 */
const CSV_BUFFER_BYTES = 32_000_000;

const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/**
 * True when a byte `_` occurs after the first `headerRows` lines of the file (a header such as `adj_close` may
 * hold one): such a file goes to the checked path, which tells `1_000` from a number.
 */
export function underscoreAfterHeader(path: string, headerRows: number): boolean {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(1 << 22);
    let pos = 0;
    let linesToSkip = headerRows;
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, pos);
      if (n === 0) return false;
      pos += n;
      let start = 0;
      while (linesToSkip > 0) {
        const nl = buf.indexOf(0x0a, start);
        if (nl < 0 || nl >= n) {
          start = n;
          break;
        }
        start = nl + 1;
        linesToSkip--;
      }
      const hit = buf.indexOf(0x5f, start);
      if (hit >= 0 && hit < n) return true;
    }
  } finally {
    closeSync(fd);
  }
}

/** The reader and the SQL of each field over it, or a miss when the file's columns cannot be judged here. */
function readerOf(
  layout: Extract<Layout, { table: 'bars' }>,
  src: BulkSource,
): { from: string; cell: (i: number) => string; dateText: boolean } {
  const numeric = new Set(NUMBER_FIELDS.map((f) => layout.fields[f]).filter((i) => i !== undefined));
  if (src.kind === 'csv') {
    const columns = Array.from(
      { length: src.width },
      (_, i) => `'c${i}': '${numeric.has(i) ? 'DOUBLE' : 'VARCHAR'}'`,
    ).join(', ');
    return {
      from: `read_csv(${sqlString(src.path)}, header = false, skip = ${src.headerRows}, columns = {${columns}},
        delim = ${sqlString(src.delim)}, quote = '"', escape = '"', strict_mode = true, null_padding = false,
        auto_detect = false, parallel = true, buffer_size = ${CSV_BUFFER_BYTES})`,
      cell: (i) => `c${i}`,
      dateText: true,
    };
  }
  const col = (i: number) => src.columns[i] ?? { name: '', type: '' };
  for (const i of numeric)
    if (!EXACT_NUMBER_TYPES.has(col(i).type)) throw new BulkPathMiss(`column ${col(i).name}: ${col(i).type}`);
  const dateType = col(layout.date).type;
  if (dateType !== 'DATE' && dateType !== 'VARCHAR') throw new BulkPathMiss(`date column: ${dateType}`);
  const sym = layout.fields.symbol;
  if (sym !== undefined && col(sym).type !== 'VARCHAR')
    throw new BulkPathMiss(`symbol column: ${col(sym).type}`);
  return {
    from: `read_parquet(${sqlString(src.path)})`,
    cell: (i) =>
      numeric.has(i) && col(i).type !== 'DOUBLE'
        ? `CAST(${quoteIdent(col(i).name)} AS DOUBLE)`
        : quoteIdent(col(i).name),
    dateText: dateType === 'VARCHAR',
  };
}

/** The guarded SELECT (columns symbol, date, open … volume) that the store inserts into bars. */
export function bulkSelect(
  layout: Extract<Layout, { table: 'bars' }>,
  src: BulkSource,
  opts: BulkOptions,
): string {
  const r = readerOf(layout, src);
  const f = layout.fields;
  const value = (field: (typeof NUMBER_FIELDS)[number]) => {
    const i = f[field];
    return i === undefined ? 'NULL::DOUBLE' : r.cell(i);
  };
  if (opts.fallbackSymbol !== null && !SYMBOL_RE.test(opts.fallbackSymbol))
    throw new Error('unchecked symbol');
  const symbol =
    f.symbol !== undefined ? r.cell(f.symbol) : `'${(opts.fallbackSymbol ?? '').toUpperCase()}'::VARCHAR`;
  if (f.symbol === undefined && opts.fallbackSymbol === null) throw new BulkPathMiss('no symbol');
  const d = r.cell(layout.date);
  const date = r.dateText ? `TRY_CAST(${d} AS DATE)` : d;
  // A row the checked path would not store unchanged fails the guard (or a NOT NULL of `bars`: a missing symbol,
  // date or close). The prices are judged together: DuckDB's least/greatest skip NULLs and order NaN above every
  // number, so one comparison each catches a price <= 0 or -inf (least) and one > MAX_PRICE, +inf or NaN
  // (greatest); a NULL-only row gives NULL, which is no failure (issue 16: 0.1 s less on 5.1M rows than a test per
  // column). A LIKE of ten characters also fixes the length.
  const prices = PRICE_FIELDS.map((p) => COLUMN_OF[p]).join(', ');
  const guard = [
    ...(r.dateText
      ? [`d NOT LIKE '____-__-__'`]
      : ['NOT isfinite(date)', 'year(date) < 1000', 'year(date) > 9999']),
    `NOT (least(${prices}) > 0 AND greatest(${prices}) <= ${MAX_PRICE})`,
    `NOT (volume >= 0 AND volume <= ${MAX_QUANTITY})`,
    'high < low',
  ].join(' OR ');
  const typed = [
    `${symbol} AS symbol`,
    `${date} AS date`,
    ...NUMBER_FIELDS.map((p) => `${value(p)} AS ${COLUMN_OF[p]}`),
    ...(r.dateText ? [`${d} AS d`] : []),
  ].join(', ');
  return `SELECT symbol, date, open, high, low,
      CASE WHEN ${guard} THEN error('rotation: a row for the checked import path') ELSE close END AS close,
      adj_close, volume
    FROM (SELECT ${typed} FROM ${r.from})`;
}

/** Why the rows just inserted are not what the checked path would store (null when they are). */
function missReason(fresh: FreshBars, today: string, checkSymbols: boolean): string | null {
  if (fresh.symbols.length === 0) return 'no rows';
  if (fresh.storedBefore > 0) return 'symbols with stored rows';
  for (const s of fresh.symbols) {
    if (checkSymbols && (!SYMBOL_RE.test(s.symbol) || s.symbol !== s.symbol.toUpperCase()))
      return `symbol ${s.symbol}`;
    if (s.same > 0 || (s.up > 0 && s.down > 0)) return `order of ${s.symbol}`;
    if (s.first < '1000-01-01' || s.last > today) return `dates of ${s.symbol}`;
  }
  return null;
}

/**
 * Imports a bars file through the bulk path (see the file comment) inside the caller's transaction `tx`, or throws
 * BulkPathMiss (the caller then rolls back and takes the checked path). Sets `sink.fingerprint` when it took it.
 */
export async function importBulkBars(
  engine: IngestEngine,
  tx: MarketWriter,
  layout: Extract<Layout, { table: 'bars' }>,
  src: BulkSource,
  opts: BulkOptions,
  sink: BulkSink = { fingerprint: null },
): Promise<BarsResult> {
  if (src.kind === 'csv' && underscoreAfterHeader(src.path, src.headerRows))
    throw new BulkPathMiss('an underscore in the data');
  const select = bulkSelect(layout, src, opts);
  let fresh: FreshBars | null;
  try {
    fresh = await withReadProgress(engine, opts.totalBytes ?? 0, opts.onProgress, () =>
      tx.insertFreshBars(
        {
          engine,
          select,
          ...(layout.fields.symbol === undefined && opts.fallbackSymbol !== null
            ? { symbol: opts.fallbackSymbol.toUpperCase() }
            : {}),
        },
        opts.source,
      ),
    );
  } catch (e) {
    // DuckDB refused a cell (a typed read error, the guard's error(), a constraint): the checked path says why.
    throw new BulkPathMiss(e instanceof Error ? e.message : String(e));
  }
  if (!fresh) throw new BulkPathMiss('the store cannot read the engine');
  const reason = missReason(fresh, opts.today, layout.fields.symbol !== undefined);
  if (reason) throw new BulkPathMiss(reason);
  sink.fingerprint = fresh.fingerprint;
  const symbols = fresh.symbols.map((s) => s.symbol);
  await recordInstruments(tx, symbols, opts);
  const rows = fresh.symbols.reduce((a, s) => a + s.rows, 0);
  const first = fresh.symbols.reduce((a, s) => (s.first < a ? s.first : a), fresh.symbols[0]?.first ?? '');
  const last = fresh.symbols.reduce((a, s) => (s.last > a ? s.last : a), fresh.symbols[0]?.last ?? '');
  opts.onProgress?.({
    phase: 'check',
    bytesRead: opts.totalBytes ?? 0,
    totalBytes: opts.totalBytes ?? 0,
    rows,
  });
  return {
    added: rows,
    updated: 0,
    unchanged: 0,
    keptFromOtherSource: 0,
    symbols,
    rows,
    firstDate: first,
    lastDate: last,
    warnings: [],
  };
}
