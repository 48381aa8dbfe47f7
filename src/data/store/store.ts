import type * as DuckDB from '@duckdb/node-api';
import type { DuckDBConnection, DuckDBInstance, DuckDBValue } from '@duckdb/node-api';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import type { TradingDate } from '../../shared/brand.js';
import { InputError } from '../../shared/errors.js';
import type {
  Bar,
  CorporateAction,
  Instrument,
  InstrumentKind,
  Observation,
  WriteCounts,
} from '../../shared/domain.js';
import { cadenceOf, knownAtOf, type VintageKind } from '../../core/why/known-at.js';
import { MIGRATIONS } from './migrations.js';
import { symbolAliases } from '../../core/symbols.js';

/** A value bound to a SQL parameter. Dates travel as `YYYY-MM-DD` strings and are cast in SQL. */
export type SqlParam = string | number | boolean | null | bigint;
export type Row = Record<string, unknown>;

/** What `rotation symbols` lists: every stored symbol with its coverage. */
export type SymbolSummary = {
  symbol: string;
  kind: InstrumentKind | null;
  name: string | null;
  /** 'bars' for price series, 'observations' for non-price series. */
  table: 'bars' | 'observations';
  rows: number;
  firstDate: string | null;
  lastDate: string | null;
  sources: string[];
};

export type ImportLogEntry = {
  kind: 'import' | 'sync';
  target: string;
  symbol: string | null;
  status: 'ok' | 'failed' | 'unchanged';
  counts: WriteCounts;
  firstDate: string | null;
  lastDate: string | null;
  message: string | null;
  startedAt: Date;
  finishedAt: Date;
};

/** A store file that cannot be opened: not a DuckDB file, locked by another process, unreadable. */
export class StoreOpenError extends InputError {
  override name = 'StoreOpenError';
}

/** DuckDB files carry the magic bytes `DUCK` at offset 8. */
const DUCKDB_MAGIC = Buffer.from('DUCK');

/**
 * Refuses a path that exists but is not a DuckDB store: a folder, or a non-empty file without DuckDB's magic
 * bytes (DuckDB would open a CSV or Parquet file as a read-only view). A missing or empty file is created.
 */
function checkStoreFile(path: string): void {
  if (!existsSync(path)) return;
  const st = statSync(path);
  if (st.isDirectory())
    throw new StoreOpenError('is a folder, not a store file; pass --db FILE.duckdb', { file: path });
  if (!st.isFile()) throw new StoreOpenError('is not a regular file; pass --db FILE.duckdb', { file: path });
  if (st.size === 0) return;
  const head = Buffer.alloc(12);
  const fd = openSync(path, 'r');
  let n: number;
  try {
    n = readSync(fd, head, 0, 12, 0);
  } finally {
    closeSync(fd);
  }
  if (n < 12 || !head.subarray(8, 12).equals(DUCKDB_MAGIC))
    throw new StoreOpenError(
      'is not a DuckDB store (no DuckDB header); --db names the store file, e.g. --db rotation.duckdb, and data files go to `rotation import`',
      { file: path },
    );
}

/** DuckDB's open errors as one line: who holds a lock and what to do, or the cause without DuckDB's prefix. */
export function storeOpenError(path: string, e: unknown): StoreOpenError {
  const message = e instanceof Error ? e.message : String(e);
  const lock = /Conflicting lock is held in (.*?) \(PID (\d+)\)/.exec(message);
  if (lock || /Could not set lock/i.test(message))
    return new StoreOpenError(
      `is in use by another process${lock ? ` (${lock[1]}, PID ${lock[2]})` : ''}: a sync or import is writing it; ` +
        'wait for it to finish, or stop it, then run again',
      { file: path },
    );
  const first = (message.split('\n')[0] ?? message).replace(/^[A-Za-z ]*Error: /, '');
  return new StoreOpenError(`cannot open the store: ${first}`, { file: path });
}

/** The default store file, in the working directory; `--db PATH` and `ROTATION_DB` override it. */
export const DEFAULT_DB_FILE = 'rotation.duckdb';

/** Converts DuckDB's JS values once, here: BIGINT to number, DATE to `YYYY-MM-DD`, TIMESTAMP to ISO text. */
function toPlain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) {
    const iso = value.toISOString();
    // A DuckDB DATE arrives as UTC midnight: its UTC calendar date is the stored date, whatever the machine's zone.
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  return value;
}

/** The DuckDB binding, loaded on the first `Store.open` (a third of a second): verbs without a store never pay it. */
type Driver = typeof DuckDB;
let driver: Driver | null = null;

/** A statement that only reads (a plain SELECT): it leaves the symbol caches valid. */
function isReadOnlySql(sql: string): boolean {
  return /^\s*SELECT\b/i.test(sql);
}

/**
 * The market-data store: the only module that talks to DuckDB. Every other layer uses these methods;
 * `query`/`exec` are for the data layer's own modules (ingest, doctor, load), never for cli or report.
 */
export class Store {
  readonly path: string;
  private readonly instance: DuckDBInstance;
  private readonly conn: DuckDBConnection;
  private inTransaction = false;
  /**
   * The tail of the statement queue. A DuckDB connection runs one statement at a time; callers that start
   * several at once (`Promise.all` over two loads, as `check` does) are queued here, so no statement's result
   * can be lost to another's and read as "nothing stored".
   */
  private queue: Promise<unknown> = Promise.resolve();

  private serial<T>(run: () => Promise<T>): Promise<T> {
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * What this handle has read of the symbol listing, computed once and dropped on any write through the handle
   * (DuckDB lets no other process write the file while it is open), so a brief's ~50 lookups cost one pass.
   */
  private symbolsCache: Promise<SymbolSummary[]> | null = null;
  private symbolIndexCache: Promise<Map<string, string[]>> | null = null;

  private constructor(path: string, instance: DuckDBInstance, conn: DuckDBConnection) {
    this.path = path;
    this.instance = instance;
    this.conn = conn;
  }

  /**
   * Opens (creating if needed) a store file, or `:memory:`, and applies pending migrations. With `readOnly`, an
   * existing, up-to-date store is opened read-only (several readers may then run together); a missing or older
   * store is opened read-write once so it can be created or migrated. Refuses a file that is not a DuckDB store
   * (a CSV or Parquet file named by mistake would otherwise open as a read-only view and swallow writes) and
   * turns DuckDB's lock and IO errors into one line naming the file and what to do (StoreOpenError).
   */
  static async open(path: string, opts: { readOnly?: boolean } = {}): Promise<Store> {
    if (path !== ':memory:') checkStoreFile(path);
    const readOnly = Boolean(opts.readOnly) && path !== ':memory:' && existsSync(path);
    let store = await Store.connect(path, readOnly);
    if (readOnly && (await store.pendingMigrations()) > 0) {
      store.close();
      store = await Store.connect(path, false);
    }
    if (!store.readOnly) await store.migrate();
    return store;
  }

  private static async connect(path: string, readOnly: boolean): Promise<Store> {
    driver ??= await import('@duckdb/node-api');
    let instance: DuckDBInstance;
    try {
      instance = await driver.DuckDBInstance.create(path === ':memory:' ? ':memory:' : path, {
        autoinstall_known_extensions: 'false',
        autoload_known_extensions: 'false',
        ...(readOnly ? { access_mode: 'READ_ONLY' } : {}),
      });
    } catch (e) {
      throw storeOpenError(path, e);
    }
    const conn = await instance.connect();
    const store = new Store(path, instance, conn);
    store.readOnly = readOnly;
    return store;
  }

  /** True when the store was opened read-only (a read-only verb on an up-to-date store). */
  readOnly = false;

  private async pendingMigrations(): Promise<number> {
    const [t] = await this.query<{ n: number }>(
      "SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'schema_migrations' AND NOT temporary",
    );
    if (!t || t.n === 0) return MIGRATIONS.length;
    const current = await this.schemaVersion();
    return MIGRATIONS.filter((m) => m.version > current).length;
  }

  close(): void {
    this.conn.closeSync();
    this.instance.closeSync();
  }

  /** Runs one statement (or several separated by `;` when there are no params). */
  async exec(sql: string, params?: readonly SqlParam[]): Promise<void> {
    this.dropSymbolCaches();
    await this.serial(() => this.conn.run(sql, params as DuckDBValue[] | undefined));
  }

  /** Runs a query and returns plain JS rows (see toPlain for the conversions). */
  async query<T extends Row = Row>(sql: string, params?: readonly SqlParam[]): Promise<T[]> {
    if (!isReadOnlySql(sql)) this.dropSymbolCaches();
    const reader = await this.serial(() => this.conn.runAndReadAll(sql, params as DuckDBValue[] | undefined));
    const rows = reader.getRowObjectsJS();
    return rows.map((r) => {
      const out: Row = {};
      for (const [k, v] of Object.entries(r)) out[k] = toPlain(v);
      return out as T;
    });
  }

  /** A query's result as columns (fast path for long series). */
  async queryColumns(sql: string, params?: readonly SqlParam[]): Promise<Record<string, unknown[]>> {
    if (!isReadOnlySql(sql)) this.dropSymbolCaches();
    const reader = await this.serial(() => this.conn.runAndReadAll(sql, params as DuckDBValue[] | undefined));
    const cols = reader.getColumnsObjectJS();
    const out: Record<string, unknown[]> = {};
    for (const [k, v] of Object.entries(cols)) out[k] = v.map(toPlain);
    return out;
  }

  /**
   * Streams a query's result chunk by chunk as Float64Array columns (in select order), read straight from DuckDB's
   * vectors with no per-value conversion: the bulk path for dense numeric matrices (millions of cells). Every
   * column must be DOUBLE (cast in SQL); NULL arrives as NaN. The arrays are valid only during the callback.
   * Returns the number of rows.
   */
  async streamFloat64(
    sql: string,
    params: readonly SqlParam[] | undefined,
    onChunk: (columns: readonly Float64Array[], rows: number) => void,
  ): Promise<number> {
    return this.serial(() => this.streamUnqueued(sql, params, onChunk));
  }

  private async streamUnqueued(
    sql: string,
    params: readonly SqlParam[] | undefined,
    onChunk: (columns: readonly Float64Array[], rows: number) => void,
  ): Promise<number> {
    const result = await this.conn.stream(sql, params as DuckDBValue[] | undefined);
    let total = 0;
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const rows = chunk.rowCount;
      const columns: Float64Array[] = [];
      for (let c = 0; c < chunk.columnCount; c++) {
        const vector = chunk.getColumnVector(c);
        if (!driver || !(vector instanceof driver.DuckDBDoubleVector))
          throw new TypeError(`streamFloat64: column ${c + 1} is ${vector.type.toString()}, not DOUBLE`);
        const items = new Float64Array(rows);
        for (let i = 0; i < rows; i++) items[i] = vector.getItem(i) ?? NaN;
        columns.push(items);
      }
      onChunk(columns, rows);
      total += rows;
    }
    return total;
  }

  /**
   * Runs `fn` in one transaction: all of it is written, or none of it. Nested calls join the outer one.
   */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.inTransaction) return fn();
    await this.exec('BEGIN TRANSACTION');
    this.inTransaction = true;
    try {
      const result = await fn();
      await this.exec('COMMIT');
      return result;
    } catch (e) {
      await this.exec('ROLLBACK');
      throw e;
    } finally {
      this.inTransaction = false;
    }
  }

  /** Appends rows to a table through DuckDB's appender (fast bulk path). Values must match column order. */
  async append(table: string, rows: readonly (readonly SqlParam[])[]): Promise<void> {
    this.dropSymbolCaches();
    await this.serial(() => this.appendUnqueued(table, rows));
  }

  private async appendUnqueued(table: string, rows: readonly (readonly SqlParam[])[]): Promise<void> {
    const appender = await this.conn.createAppender(table);
    try {
      for (const row of rows) {
        for (const v of row) {
          if (v === null) appender.appendNull();
          else if (typeof v === 'number') appender.appendDouble(v);
          else if (typeof v === 'string') appender.appendVarchar(v);
          else if (typeof v === 'boolean') appender.appendBoolean(v);
          else appender.appendBigInt(v);
        }
        appender.endRow();
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
  }

  async schemaVersion(): Promise<number> {
    const rows = await this.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
    return rows[0]?.v ?? 0;
  }

  private async migrate(): Promise<void> {
    await this.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)',
    );
    const current = await this.schemaVersion();
    for (const m of MIGRATIONS) {
      if (m.version <= current) continue;
      await this.transaction(async () => {
        await this.exec(m.sql);
        await this.exec('INSERT INTO schema_migrations VALUES (?, ?, now())', [m.version, m.name]);
        // Rows stored before known-at dates existed: a vintage equal to the period was set from the row's own date
        // (no vintage); any other vintage is taken as the day it was published.
        if (m.version === 3) await this.fillKnownAt('observations', 'auto');
      });
    }
  }

  /**
   * Sets `known_at` on the rows of `table` (observations or a staged copy) where it is NULL, from the release rules
   * in core/why/known-at.ts. `vintage` says what the rows' as_of means: `publication` (the day the value was
   * published), `none` (no vintage given: as_of is the period, or a fetch date), `auto` (publication unless as_of
   * equals the period). Cadences come from the periods of each series in `table` and in the store.
   */
  async fillKnownAt(table: string, vintage: VintageKind | 'auto'): Promise<void> {
    const rows = await this.queryColumns(
      `SELECT series, period, as_of::VARCHAR AS as_of FROM ${table} WHERE known_at IS NULL`,
    );
    const series = (rows['series'] ?? []) as string[];
    if (series.length === 0) return;
    const period = (rows['period'] ?? []) as string[];
    const asOf = (rows['as_of'] ?? []) as string[];
    const periodsOf = new Map<string, string[]>();
    for (let i = 0; i < series.length; i++) {
      const s = series[i] as string;
      let list = periodsOf.get(s);
      if (!list) periodsOf.set(s, (list = []));
      list.push(period[i] as string);
    }
    const cadence = new Map<string, ReturnType<typeof cadenceOf>>();
    for (const [s, ps] of periodsOf) {
      let c = cadenceOf(s, ps);
      if (c === null && table !== 'observations') {
        const stored = await this.query<{ period: string }>(
          'SELECT DISTINCT period FROM observations WHERE series = ? ORDER BY period DESC LIMIT 60',
          [s],
        );
        c = cadenceOf(s, [...ps, ...stored.map((r) => r.period)]);
      }
      cadence.set(s, c);
    }
    const out: SqlParam[][] = [];
    for (let i = 0; i < series.length; i++) {
      const s = series[i] as string;
      const p = period[i] as string;
      const a = asOf[i] as string;
      const kind: VintageKind =
        vintage === 'auto' ? (a === p.slice(0, 10) ? 'none' : 'publication') : vintage;
      out.push([
        s,
        p,
        a,
        knownAtOf({ series: s, period: p, asOf: a, vintage: kind, cadence: cadence.get(s) ?? null }),
      ]);
    }
    await this.exec(
      'CREATE OR REPLACE TEMP TABLE known_at_fill (series VARCHAR, period VARCHAR, as_of VARCHAR, known_at VARCHAR)',
    );
    await this.append('known_at_fill', out);
    await this.exec(
      `UPDATE ${table} AS t SET known_at = f.known_at::DATE FROM known_at_fill f
       WHERE t.known_at IS NULL AND t.series = f.series AND t.period = f.period AND t.as_of = f.as_of::DATE`,
    );
    await this.exec('DROP TABLE known_at_fill');
  }

  // ---- instruments and symbols -------------------------------------------------------------------

  /** Inserts an instrument, or fills in the fields that are given (never blanks a known field). */
  async upsertInstrument(i: Instrument): Promise<void> {
    await this.exec(
      `INSERT INTO instruments VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (symbol) DO UPDATE SET
         name = coalesce(excluded.name, instruments.name),
         kind = excluded.kind,
         sector = coalesce(excluded.sector, instruments.sector),
         currency = excluded.currency,
         exchange = coalesce(excluded.exchange, instruments.exchange)`,
      [i.symbol, i.name, i.kind, i.sector, i.currency, i.exchange],
    );
  }

  /**
   * Records instruments met in an import: new symbols are added with the given kind; a known symbol keeps its
   * fields, except its kind when `overwriteKind` (an explicit `--kind`).
   */
  async addInstruments(
    rows: readonly { symbol: string; kind: InstrumentKind }[],
    opts: { overwriteKind?: boolean } = {},
  ): Promise<void> {
    if (rows.length === 0) return;
    await this.transaction(async () => {
      await this.exec('CREATE OR REPLACE TEMP TABLE stage_instruments (symbol VARCHAR, kind VARCHAR)');
      await this.append(
        'stage_instruments',
        rows.map((r) => [r.symbol, r.kind]),
      );
      await this.exec(
        `INSERT INTO instruments (symbol, name, kind, sector, currency, exchange)
         SELECT DISTINCT symbol, NULL, kind, NULL, 'USD', NULL FROM stage_instruments
         ON CONFLICT (symbol) DO ${opts.overwriteKind ? 'UPDATE SET kind = excluded.kind' : 'NOTHING'}`,
      );
      await this.exec('DROP TABLE stage_instruments');
    });
  }

  async getInstrument(symbol: string): Promise<Instrument | null> {
    const rows = await this.query<Instrument>(
      'SELECT symbol, name, kind, sector, currency, exchange FROM instruments WHERE symbol = ?',
      [symbol],
    );
    return rows[0] ?? null;
  }

  /**
   * The stored spelling of a symbol or series id typed by a user, looked up case-insensitively
   * across instruments, bars and observations, then through its aliases (core/symbols: `^GSPC` finds a stored
   * `^SPX`); null when nothing matches.
   */
  async resolveSymbol(text: string): Promise<string | null> {
    this.symbolIndexCache ??= this.loadSymbolIndex();
    const pending = this.symbolIndexCache;
    let index: Map<string, string[]>;
    try {
      index = await pending;
    } catch (e) {
      if (this.symbolIndexCache === pending) this.symbolIndexCache = null;
      throw e;
    }
    for (const name of symbolAliases(text)) {
      const matches = index.get(name.toLowerCase());
      if (matches) return matches.includes(name) ? name : (matches[0] ?? null);
    }
    return null;
  }

  /** Every stored spelling by its lower case, sorted (the order `resolveSymbol` picks from). */
  private async loadSymbolIndex(): Promise<Map<string, string[]>> {
    const [instruments, listed] = await Promise.all([
      this.query<{ symbol: string }>('SELECT symbol FROM instruments'),
      this.listSymbols(),
    ]);
    const all = [...new Set([...instruments.map((r) => r.symbol), ...listed.map((s) => s.symbol)])].sort();
    const index = new Map<string, string[]>();
    for (const symbol of all) {
      const key = symbol.toLowerCase();
      const spellings = index.get(key);
      if (spellings) spellings.push(symbol);
      else index.set(key, [symbol]);
    }
    return index;
  }

  private dropSymbolCaches(): void {
    this.symbolsCache = null;
    this.symbolIndexCache = null;
  }

  /** Every stored symbol and series with row counts and date range. */
  async listSymbols(): Promise<SymbolSummary[]> {
    this.symbolsCache ??= this.loadSymbolList();
    const list = this.symbolsCache;
    try {
      return (await list).map((s) => ({ ...s, sources: [...s.sources] }));
    } catch (e) {
      if (this.symbolsCache === list) this.symbolsCache = null;
      throw e;
    }
  }

  private async loadSymbolList(): Promise<SymbolSummary[]> {
    const rows = await this.query<{
      symbol: string;
      kind: InstrumentKind | null;
      name: string | null;
      tbl: 'bars' | 'observations';
      n: number;
      first: string | null;
      last: string | null;
      sources: string[];
    }>(
      `WITH b AS (
         SELECT symbol, 'bars' AS tbl, count(*) AS n, min(date)::VARCHAR AS first, max(date)::VARCHAR AS last,
                list(DISTINCT source ORDER BY source) AS sources
         FROM bars GROUP BY symbol
       ), o AS (
         SELECT series AS symbol, 'observations' AS tbl, count(DISTINCT period) AS n, min(period) AS first,
                max(period) AS last, list(DISTINCT source ORDER BY source) AS sources
         FROM observations GROUP BY series
       ), u AS (SELECT * FROM b UNION ALL SELECT * FROM o)
       SELECT u.symbol, i.kind, i.name, u.tbl, u.n, u.first, u.last, u.sources
       FROM u LEFT JOIN instruments i ON i.symbol = u.symbol
       ORDER BY u.tbl, u.symbol`,
    );
    return rows.map((r) => ({
      symbol: r.symbol,
      kind: r.kind,
      name: r.name,
      table: r.tbl,
      rows: r.n,
      firstDate: r.first,
      lastDate: r.last,
      sources: r.sources,
    }));
  }

  // ---- bars --------------------------------------------------------------------------------------

  /** Bars of one symbol in date order, optionally limited to [from, to] (inclusive). */
  async loadBars(symbol: string, range: { from?: string; to?: string } = {}): Promise<Bar[]> {
    const cols = await this.queryColumns(
      `SELECT date::VARCHAR AS date, open, high, low, close, adj_close, volume FROM bars
       WHERE symbol = ? AND date >= coalesce(?::DATE, DATE '0001-01-01') AND date <= coalesce(?::DATE, DATE '9999-12-31')
       ORDER BY date`,
      [symbol, range.from ?? null, range.to ?? null],
    );
    const date = (cols['date'] ?? []) as string[];
    const open = (cols['open'] ?? []) as (number | null)[];
    const high = (cols['high'] ?? []) as (number | null)[];
    const low = (cols['low'] ?? []) as (number | null)[];
    const close = (cols['close'] ?? []) as number[];
    const adj = (cols['adj_close'] ?? []) as (number | null)[];
    const volume = (cols['volume'] ?? []) as (number | null)[];
    const bars: Bar[] = new Array<Bar>(date.length);
    for (let i = 0; i < date.length; i++) {
      bars[i] = {
        date: date[i] as TradingDate,
        open: open[i] ?? null,
        high: high[i] ?? null,
        low: low[i] ?? null,
        close: close[i] as number,
        adjClose: adj[i] ?? null,
        volume: volume[i] ?? null,
      };
    }
    return bars;
  }

  /**
   * Merges rows staged in `stage` (columns symbol, date, open, high, low, close, adj_close, volume) into
   * `bars`, and returns how many were added, updated or already equal. Rows equal to the stored ones are not
   * rewritten, so a repeated import leaves ingested_at alone. Rows stored from another source are kept
   * unless `replaceOtherSources` (they count as unchanged, and `keptFromOtherSource` says how many).
   */
  async mergeStagedBars(
    stage: string,
    source: string,
    opts: { replaceOtherSources?: boolean; dryRun?: boolean } = {},
  ): Promise<WriteCounts & { keptFromOtherSource: number }> {
    const changed = `(s.open IS DISTINCT FROM b.open OR s.high IS DISTINCT FROM b.high OR s.low IS DISTINCT FROM b.low
      OR s.close IS DISTINCT FROM b.close OR s.adj_close IS DISTINCT FROM b.adj_close OR s.volume IS DISTINCT FROM b.volume)`;
    const replace = opts.replaceOtherSources ? 'TRUE' : 'b.source = ?';
    const replaceParams: SqlParam[] = opts.replaceOtherSources ? [] : [source];
    const [counts] = await this.query<{ added: number; updated: number; unchanged: number; kept: number }>(
      `SELECT
         count(*) FILTER (WHERE b.symbol IS NULL) AS added,
         count(*) FILTER (WHERE b.symbol IS NOT NULL AND ${replace} AND ${changed}) AS updated,
         count(*) FILTER (WHERE b.symbol IS NOT NULL AND NOT (${replace} AND ${changed})) AS unchanged,
         count(*) FILTER (WHERE b.symbol IS NOT NULL AND NOT (${replace}) AND ${changed}) AS kept
       FROM ${stage} s LEFT JOIN bars b ON b.symbol = s.symbol AND b.date = s.date`,
      [...replaceParams, ...replaceParams, ...replaceParams],
    );
    const result = {
      added: counts?.added ?? 0,
      updated: counts?.updated ?? 0,
      unchanged: counts?.unchanged ?? 0,
      keptFromOtherSource: counts?.kept ?? 0,
    };
    if (opts.dryRun || result.added + result.updated === 0) return result;
    await this.exec(
      `INSERT INTO bars
       SELECT s.symbol, s.date, s.open, s.high, s.low, s.close, s.adj_close, s.volume, ?, now()
       FROM ${stage} s LEFT JOIN bars b ON b.symbol = s.symbol AND b.date = s.date
       WHERE b.symbol IS NULL OR (${replace} AND ${changed})
       ON CONFLICT (symbol, date) DO UPDATE SET
         open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close,
         adj_close = excluded.adj_close, volume = excluded.volume, source = excluded.source,
         ingested_at = excluded.ingested_at`,
      [source, ...replaceParams],
    );
    return result;
  }

  /** Writes bars of one symbol from memory (providers, JSON): same rules as mergeStagedBars. */
  async upsertBars(
    symbol: string,
    bars: readonly Bar[],
    source: string,
    opts: { replaceOtherSources?: boolean; dryRun?: boolean } = {},
  ): Promise<WriteCounts & { keptFromOtherSource: number }> {
    return this.transaction(async () => {
      await this.exec(
        `CREATE OR REPLACE TEMP TABLE stage_bars (symbol VARCHAR, date DATE, open DOUBLE, high DOUBLE, low DOUBLE,
           close DOUBLE, adj_close DOUBLE, volume DOUBLE)`,
      );
      await this.append(
        'stage_bars',
        bars.map((b) => [symbol, b.date, b.open, b.high, b.low, b.close, b.adjClose, b.volume]),
      );
      const counts = await this.mergeStagedBars('stage_bars', source, opts);
      await this.exec('DROP TABLE stage_bars');
      return counts;
    });
  }

  // ---- corporate actions -------------------------------------------------------------------------

  async upsertCorporateActions(actions: readonly CorporateAction[]): Promise<WriteCounts> {
    const counts: WriteCounts = { added: 0, updated: 0, unchanged: 0 };
    await this.transaction(async () => {
      for (const a of actions) {
        const value = a.kind === 'split' ? a.ratio : a.amount;
        const existing = await this.query<{ value: number }>(
          'SELECT value FROM corporate_actions WHERE symbol = ? AND date = ?::DATE AND kind = ?',
          [a.symbol, a.date, a.kind],
        );
        const prev = existing[0];
        if (prev && prev.value === value) {
          counts.unchanged++;
          continue;
        }
        await this.exec(
          `INSERT INTO corporate_actions VALUES (?, ?::DATE, ?, ?, ?, now())
           ON CONFLICT (symbol, date, kind) DO UPDATE SET value = excluded.value, source = excluded.source,
             ingested_at = excluded.ingested_at`,
          [a.symbol, a.date, a.kind, value, a.source],
        );
        if (prev) counts.updated++;
        else counts.added++;
      }
    });
    return counts;
  }

  async loadCorporateActions(symbol: string): Promise<CorporateAction[]> {
    const rows = await this.query<{
      date: string;
      kind: 'split' | 'dividend';
      value: number;
      source: string;
    }>(
      'SELECT date::VARCHAR AS date, kind, value, source FROM corporate_actions WHERE symbol = ? ORDER BY date, kind',
      [symbol],
    );
    return rows.map((r) =>
      r.kind === 'split'
        ? { kind: 'split', symbol, date: r.date as TradingDate, ratio: r.value, source: r.source }
        : { kind: 'dividend', symbol, date: r.date as TradingDate, amount: r.value, source: r.source },
    );
  }

  // ---- observations ------------------------------------------------------------------------------

  /**
   * Merges observations staged in `stage` (columns series, period, value, unit, as_of, source, known_at). Revisions
   * are kept: a value is written as a new vintage only when it differs from the latest vintage known at its
   * as-of date; an equal value counts as unchanged; a different value for the same (series, period, as_of)
   * replaces it and counts as updated. A NULL known_at is filled from the release rules (fillKnownAt), reading the
   * staged as_of as `opts.vintage` (default `none`: no vintage was given, or only a fetch date).
   */
  async mergeStagedObservations(
    stage: string,
    opts: { dryRun?: boolean; vintage?: VintageKind } = {},
  ): Promise<WriteCounts> {
    await this.fillKnownAt(stage, opts.vintage ?? 'none');
    const known = `(SELECT o.value FROM observations o WHERE o.series = s.series AND o.period = s.period
                      AND o.as_of <= s.as_of ORDER BY o.as_of DESC LIMIT 1)`;
    const same = `(SELECT o.value FROM observations o WHERE o.series = s.series AND o.period = s.period
                      AND o.as_of = s.as_of)`;
    await this.exec(
      `CREATE OR REPLACE TEMP TABLE stage_obs_cmp AS
       SELECT s.*, ${known} AS known_value, ${same} AS same_vintage_value FROM ${stage} s`,
    );
    const [c] = await this.query<{ added: number; updated: number; unchanged: number }>(
      `SELECT
         count(*) FILTER (WHERE known_value IS DISTINCT FROM value AND same_vintage_value IS NULL) AS added,
         count(*) FILTER (WHERE same_vintage_value IS NOT NULL AND same_vintage_value IS DISTINCT FROM value) AS updated,
         count(*) FILTER (WHERE known_value IS NOT DISTINCT FROM value) AS unchanged
       FROM stage_obs_cmp`,
    );
    const counts = { added: c?.added ?? 0, updated: c?.updated ?? 0, unchanged: c?.unchanged ?? 0 };
    if (!opts.dryRun && counts.added + counts.updated > 0) {
      await this.exec(
        `INSERT INTO observations (series, period, value, unit, as_of, source, ingested_at, known_at)
         SELECT series, period, value, unit, as_of, source, now(), known_at FROM stage_obs_cmp
         WHERE known_value IS DISTINCT FROM value
         ON CONFLICT (series, period, as_of) DO UPDATE SET value = excluded.value, unit = excluded.unit,
           source = excluded.source, ingested_at = excluded.ingested_at, known_at = excluded.known_at`,
      );
    }
    await this.exec('DROP TABLE stage_obs_cmp');
    return counts;
  }

  /**
   * Writes observations from memory: same rules as mergeStagedObservations. Their as_of is read as a publication
   * date unless `vintage: 'none'` (a keyless FRED CSV, whose as_of is the period).
   */
  async upsertObservations(
    obs: readonly Observation[],
    opts: { dryRun?: boolean; vintage?: VintageKind } = {},
  ): Promise<WriteCounts> {
    return this.transaction(async () => {
      await this.exec(
        `CREATE OR REPLACE TEMP TABLE stage_obs (series VARCHAR, period VARCHAR, value DOUBLE, unit VARCHAR,
           as_of DATE, source VARCHAR, known_at DATE)`,
      );
      await this.append(
        'stage_obs',
        obs.map((o) => [o.series, o.period, o.value, o.unit, o.asOf, o.source, o.knownAt ?? null]),
      );
      const counts = await this.mergeStagedObservations('stage_obs', {
        vintage: opts.vintage ?? 'publication',
        ...(opts.dryRun ? { dryRun: true } : {}),
      });
      await this.exec('DROP TABLE stage_obs');
      return counts;
    });
  }

  /**
   * Observations of one series as known at `asOf`, in period order: only rows whose known_at is on or before
   * `asOf`; per period the latest vintage with as_of <= asOf, else (a history file whose only vintage is later, e.g.
   * its fetch date) the earliest later vintage, which the caller sees as `asOf > opts.asOf`. Without asOf, the
   * latest vintage of every period.
   */
  async loadObservations(series: string, opts: { asOf?: string } = {}): Promise<Observation[]> {
    const rows = await this.query<{
      series: string;
      period: string;
      value: number;
      unit: string;
      as_of: string;
      source: string;
      known_at: string;
    }>(
      `SELECT series, period, value, unit, as_of::VARCHAR AS as_of, source, known_at::VARCHAR AS known_at
       FROM observations
       WHERE series = ? AND known_at <= coalesce(?::DATE, DATE '9999-12-31')
       QUALIFY row_number() OVER (PARTITION BY period ORDER BY
         (as_of <= coalesce(?::DATE, DATE '9999-12-31')) DESC,
         CASE WHEN as_of <= coalesce(?::DATE, DATE '9999-12-31') THEN as_of END DESC NULLS LAST, as_of) = 1
       ORDER BY period`,
      [series, opts.asOf ?? null, opts.asOf ?? null, opts.asOf ?? null],
    );
    return rows.map((r) => ({
      series: r.series,
      period: r.period,
      value: r.value,
      unit: r.unit,
      asOf: r.as_of as TradingDate,
      source: r.source,
      knownAt: r.known_at as TradingDate,
    }));
  }

  // ---- import and sync log -----------------------------------------------------------------------

  async logImport(e: ImportLogEntry): Promise<void> {
    await this.exec(
      `INSERT INTO import_log (kind, target, symbol, status, rows_added, rows_updated, rows_unchanged,
         first_date, last_date, message, started_at, finished_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?::DATE, ?::DATE, ?, ?::TIMESTAMP, ?::TIMESTAMP)`,
      [
        e.kind,
        e.target,
        e.symbol,
        e.status,
        e.counts.added,
        e.counts.updated,
        e.counts.unchanged,
        e.firstDate,
        e.lastDate,
        e.message,
        e.startedAt.toISOString(),
        e.finishedAt.toISOString(),
      ],
    );
  }
}
