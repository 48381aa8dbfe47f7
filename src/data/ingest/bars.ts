import type { BarBatch, MarketWriter } from '../store/store.js';
import type { BarMergeCounts, BarMergeOptions } from '../store/market-store.js';
import type { IngestEngine } from './engine.js';
import type { Bar, InstrumentKind } from '../../shared/domain.js';
import { SYMBOL_PATTERN, SYMBOL_RE, SYMBOL_RULE } from '../../shared/identifiers.js';
import {
  DATE_CHECK,
  futureCheck,
  isoDate,
  looseNumber,
  MAX_PRICE,
  MAX_QUANTITY,
  missing,
  notNumber,
  num,
  orderAndDuplicates,
  quoteValue,
  recordIndexSql,
  runChecks,
  type Check,
  type Locate,
} from './row-checks.js';

/**
 * Daily bars staged for writing, from a file or a provider response: one set of row checks, then the merge.
 * The staged table has raw VARCHAR columns sym, d, o, h, l, c, ac, v plus the typed columns of typedBarColumns.
 */

export type BarsResult = {
  added: number;
  updated: number;
  unchanged: number;
  keptFromOtherSource: number;
  symbols: string[];
  rows: number;
  firstDate: string | null;
  lastDate: string | null;
  warnings: string[];
};

/**
 * The SELECT list that adds typed columns (symbol, date, open, high, low, close, adj_close, volume) to raw VARCHAR
 * columns sym, d, o, h, l, c, ac, v. Staging applies it while loading, so the file is copied once. Tickers are
 * upper-cased (`iwm` and `IWM` are one symbol). `fallbackSymbol` must already match SYMBOL_RE (it is inlined).
 */
export function typedBarColumns(fallbackSymbol: string | null): string {
  if (fallbackSymbol !== null && !SYMBOL_RE.test(fallbackSymbol)) throw new Error('unchecked symbol');
  const fallback = fallbackSymbol === null ? 'NULL' : `'${fallbackSymbol.toUpperCase()}'`;
  return `*, upper(coalesce(nullif(trim(sym), ''), ${fallback})) AS symbol, ${isoDate('d')} AS date,
    ${num('o')} AS open, ${num('h')} AS high, ${num('l')} AS low, ${num('c')} AS close,
    ${num('ac')} AS adj_close, ${num('v')} AS volume`;
}

export type BarCheckOptions = {
  /** False when every row has the same, already checked symbol. */
  checkSymbols: boolean;
  today: string;
  locate: Locate;
  /** A provider response must hold only dates inside the window it was asked for. */
  window?: { from: string; to: string };
};

const PRICE_COLUMNS = [
  ['c', 'close', 'close'],
  ['o', 'open', 'open'],
  ['h', 'high', 'high'],
  ['l', 'low', 'low'],
  ['ac', 'adj_close', 'adj_close'],
] as const;

/**
 * Checks the bars staged in `table` and drops blank rows, rows without any price and exact duplicates (returned
 * as warnings). Throws an InputError naming line (or record) and field for the first bad row; writes nothing.
 */
export async function validateStagedBars(
  store: IngestEngine,
  table: string,
  opts: BarCheckOptions,
): Promise<string[]> {
  const rn = await recordIndexSql(store, table);
  const warnings: string[] = [];
  // Blank (whitespace-only) records are not rows.
  await store.exec(
    `DELETE FROM ${table} WHERE coalesce(sym, o, h, l, c, ac, v) IS NULL AND (d IS NULL OR trim(d) = '')`,
  );
  // Rows without any price (holidays in some exports) are skipped; the string test runs only if there are some.
  const noTypedPrice = 'coalesce(open, high, low, close, adj_close) IS NULL AND date IS NOT NULL';
  const [candidates] = await store.query<{ n: number }>(
    `SELECT count(*) AS n FROM ${table} WHERE ${noTypedPrice}`,
  );
  if (candidates && candidates.n > 0) {
    const noPrice = `${noTypedPrice} AND ${PRICE_COLUMNS.map(([r]) => missing(r)).join(' AND ')}`;
    const [skipped] = await store.query<{ n: number }>(`SELECT count(*) AS n FROM ${table} WHERE ${noPrice}`);
    if (skipped && skipped.n > 0) {
      await store.exec(`DELETE FROM ${table} WHERE ${noPrice}`);
      warnings.push(`skipped ${skipped.n} row${skipped.n === 1 ? '' : 's'} without any price`);
    }
  }

  const checks: Check[] = [
    { cond: 'symbol IS NULL', field: 'symbol', message: () => 'missing symbol; pass --symbol' },
    {
      cond: opts.checkSymbols ? `NOT regexp_full_match(symbol, '${SYMBOL_PATTERN}')` : 'FALSE',
      field: 'symbol',
      message: (r) => `invalid symbol ${quoteValue(r['sym'] ?? r['symbol'])}: ${SYMBOL_RULE}`,
    },
    DATE_CHECK,
    futureCheck(opts.today),
  ];
  if (opts.window)
    checks.push({
      cond: 'date < ?::DATE OR date > ?::DATE',
      params: [opts.window.from, opts.window.to],
      field: 'date',
      message: (r) =>
        `date ${quoteValue(r['d'])} is outside the requested window ${opts.window?.from}..${opts.window?.to}`,
    });
  for (const [raw, typed, field] of PRICE_COLUMNS) {
    checks.push(
      {
        cond: notNumber(raw, typed, false),
        exact: notNumber(raw, typed, true),
        field,
        message: (r) => `not a number: ${quoteValue(r[raw])}`,
      },
      {
        cond: looseNumber(raw, typed, false),
        exact: looseNumber(raw, typed, true),
        field,
        message: (r) => `not a plain decimal number: ${quoteValue(r[raw])}`,
      },
      {
        cond: `NOT isfinite(${typed}) OR abs(${typed}) > ${MAX_PRICE}`,
        field,
        message: (r) => `value ${quoteValue(r[raw])} is out of range (prices must be at most ${MAX_PRICE})`,
      },
      {
        cond: `${typed} <= 0`,
        field,
        message: (r) => `price must be positive, found ${quoteValue(r[raw])}`,
      },
    );
  }
  checks.push(
    { cond: 'close IS NULL', field: 'close', message: () => 'missing close' },
    {
      cond: 'high < low',
      field: 'high',
      message: (r) =>
        `high ${quoteValue(r['h'])} is below low ${quoteValue(r['l'])} (columns shifted or swapped?)`,
    },
    {
      cond: notNumber('v', 'volume', false),
      exact: notNumber('v', 'volume', true),
      field: 'volume',
      message: (r) => `not a number: ${quoteValue(r['v'])}`,
    },
    {
      cond: looseNumber('v', 'volume', false),
      exact: looseNumber('v', 'volume', true),
      field: 'volume',
      message: (r) => `not a plain decimal number: ${quoteValue(r['v'])}`,
    },
    {
      cond: `NOT isfinite(volume) OR volume < 0 OR volume > ${MAX_QUANTITY}`,
      field: 'volume',
      message: (r) => `volume ${quoteValue(r['v'])} is out of range (0 to ${MAX_QUANTITY})`,
    },
  );
  await runChecks(store, table, rn, checks, opts.locate);
  warnings.push(
    ...(await orderAndDuplicates(
      store,
      table,
      rn,
      'symbol',
      'date',
      ['open', 'high', 'low', 'close', 'adj_close', 'volume'],
      'symbol',
      opts.locate,
    )),
  );
  return warnings;
}

/**
 * Validates the bars staged in the engine's TEMP table `table` (see validateStagedBars) and hands them to the store
 * (`tx`) as one batch, recording new instruments. Throws an InputError naming line and field for the first bad row.
 */
export async function finishBars(
  engine: IngestEngine,
  tx: MarketWriter,
  table: string,
  opts: BarCheckOptions & {
    source: string;
    replace: boolean;
    dryRun: boolean;
    kind: InstrumentKind | undefined;
    defaultKind: InstrumentKind;
  },
): Promise<BarsResult> {
  const warnings = await validateStagedBars(engine, table, opts);
  const [meta] = await engine.query<{
    n: number;
    first: string | null;
    last: string | null;
    symbols: string[];
  }>(
    `SELECT count(*) AS n, min(date)::VARCHAR AS first, max(date)::VARCHAR AS last,
            list(DISTINCT symbol ORDER BY symbol) AS symbols FROM ${table}`,
  );
  const mergeOpts = { replaceOtherSources: opts.replace, dryRun: opts.dryRun };
  const counts =
    (await tx.mergeStagedBars({ engine, table }, opts.source, mergeOpts)) ??
    (await mergeInBatches(engine, tx, table, opts.source, mergeOpts));
  const symbols = meta?.symbols ?? [];
  if (!opts.dryRun) await recordInstruments(tx, symbols, opts);
  return {
    ...counts,
    symbols,
    rows: meta?.n ?? 0,
    firstDate: meta?.first ?? null,
    lastDate: meta?.last ?? null,
    warnings,
  };
}

/**
 * Records the instruments of an import's symbols: a new symbol gets `--kind`, else `index` for a caret symbol, else
 * the kind of the file's folder; a known one keeps its fields unless `--kind` is given.
 */
export async function recordInstruments(
  tx: MarketWriter,
  symbols: readonly string[],
  opts: { kind: InstrumentKind | undefined; defaultKind: InstrumentKind },
): Promise<void> {
  const kindOf = (symbol: string): InstrumentKind =>
    opts.kind ?? (symbol.startsWith('^') ? 'index' : opts.defaultKind);
  if (symbols.length === 1) {
    const symbol = symbols[0] as string;
    const existing = await tx.getInstrument(symbol);
    if (!existing || opts.kind) {
      await tx.upsertInstrument({
        symbol,
        name: existing?.name ?? null,
        kind: kindOf(symbol),
        sector: existing?.sector ?? null,
        currency: existing?.currency ?? 'USD',
        exchange: existing?.exchange ?? null,
      });
    }
  } else if (symbols.length > 1) {
    await tx.addInstruments(
      symbols.map((symbol) => ({ symbol, kind: kindOf(symbol) })),
      { overwriteKind: opts.kind !== undefined },
    );
  }
}

/** A number as a cell of the raw staging table: providers' numbers go through the same text checks as a file's. */
const cell = (x: number | null): string | null => (x === null ? null : String(x));

/**
 * Stages bars held in memory (a provider response) as TEMP table `table`, in the raw + typed shape of a file
 * import, so that validateStagedBars checks them exactly as it checks a file's rows. Record i is `bars[i]`.
 */
export async function stageBarsFromMemory(
  store: IngestEngine,
  table: string,
  symbol: string,
  bars: readonly Bar[],
): Promise<void> {
  await store.exec(
    `CREATE OR REPLACE TEMP TABLE ${table}_raw (sym VARCHAR, d VARCHAR, o VARCHAR, h VARCHAR, l VARCHAR, c VARCHAR,
       ac VARCHAR, v VARCHAR)`,
  );
  await store.append(
    `${table}_raw`,
    bars.map((b) => [
      symbol,
      b.date,
      cell(b.open),
      cell(b.high),
      cell(b.low),
      cell(b.close),
      cell(b.adjClose),
      cell(b.volume),
    ]),
  );
  await store.exec(
    `CREATE OR REPLACE TEMP TABLE ${table} AS SELECT ${typedBarColumns(null)} FROM ${table}_raw;
     DROP TABLE ${table}_raw`,
  );
}

/** Rows per batch when staged bars travel to a store that cannot read the engine's tables (PostgreSQL). */
const BATCH_ROWS = 100_000;

/**
 * Hands the checked rows of `table` to the store in batches of BATCH_ROWS (record order), inside the caller's
 * transaction, and sums the counts: the file's rows are never all held in JS at once. Rows of different
 * batches never share a (symbol, date) (duplicates are gone), so the counts equal one merge's.
 */
async function mergeInBatches(
  engine: IngestEngine,
  tx: MarketWriter,
  table: string,
  source: string,
  opts: BarMergeOptions,
): Promise<BarMergeCounts> {
  const [span] = await engine.query<{ lo: string | null; hi: string | null }>(
    `SELECT min(rowid)::VARCHAR AS lo, max(rowid)::VARCHAR AS hi FROM ${table}`,
  );
  const total: BarMergeCounts = { added: 0, updated: 0, unchanged: 0, keptFromOtherSource: 0 };
  if (!span?.lo || !span.hi) return total;
  for (let lo = BigInt(span.lo), hi = BigInt(span.hi); lo <= hi; lo += BigInt(BATCH_ROWS)) {
    const batch = await stagedBarBatch(
      engine,
      `${table} WHERE rowid >= ${lo}::BIGINT AND rowid < ${lo + BigInt(BATCH_ROWS)}::BIGINT`,
    );
    if (batch.symbol.length === 0) continue;
    const c = await tx.mergeBars(batch, source, opts);
    total.added += c.added;
    total.updated += c.updated;
    total.unchanged += c.unchanged;
    total.keptFromOtherSource += c.keptFromOtherSource;
  }
  return total;
}

/** The validated rows of a staged bars table (`from`: the table, or the table and a WHERE) as one batch. */
export async function stagedBarBatch(engine: IngestEngine, from: string): Promise<BarBatch> {
  const c = await engine.queryColumns(
    `SELECT symbol, date::VARCHAR AS date, open, high, low, close, adj_close, volume FROM ${from} ORDER BY rowid`,
  );
  return {
    symbol: (c['symbol'] ?? []) as string[],
    date: (c['date'] ?? []) as string[],
    open: (c['open'] ?? []) as (number | null)[],
    high: (c['high'] ?? []) as (number | null)[],
    low: (c['low'] ?? []) as (number | null)[],
    close: (c['close'] ?? []) as number[],
    adjClose: (c['adj_close'] ?? []) as (number | null)[],
    volume: (c['volume'] ?? []) as (number | null)[],
  };
}
