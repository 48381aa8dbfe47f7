import type { TradingDate } from '../../shared/brand.js';
import type {
  Bar,
  CorporateAction,
  Instrument,
  InstrumentKind,
  Observation,
  WriteCounts,
} from '../../shared/domain.js';
import { cadenceOf, knownAtOf, type VintageKind } from '../../core/why/known-at.js';
import { symbolAliases } from '../../core/symbols.js';
import type { DuckDbSession, Row, SqlParam } from './duckdb-session.js';
import { MIGRATIONS } from './migrations.js';
import type {
  AppliedMigration,
  BarBatch,
  BarMergeCounts,
  BarMergeOptions,
  ImportLogEntry,
  ImportLogRow,
  MarketWriter,
  ObservationBatch,
  ObservationNote,
  StoreEngine,
  SymbolSummary,
} from './market-store.js';

/** Column types of staging tables, spelled the same in both engines. */
export type SqlType = 'VARCHAR' | 'DATE' | 'DOUBLE PRECISION' | 'BIGINT';

/**
 * What an engine gives the shared SQL below: statements with `?` parameters (PgStore numbers them), rows and
 * columns as plain JS (dates as `YYYY-MM-DD`, counts as numbers), and a bulk load into a new TEMP table (the
 * appender on DuckDB, COPY FROM STDIN on PostgreSQL).
 */
export interface SqlSession {
  readonly dialect: StoreEngine;
  query<T extends Row = Row>(sql: string, params?: readonly SqlParam[]): Promise<T[]>;
  columns(sql: string, params?: readonly SqlParam[]): Promise<Record<string, unknown[]>>;
  run(sql: string, params?: readonly SqlParam[]): Promise<void>;
  /** True when `other` runs on this session's connection (its TEMP tables are readable here). DuckDB only. */
  sharesConnection?(other: DuckDbSession): boolean;
  /** Creates TEMP table `table` with `columns` and loads `rows` into it. */
  load(
    table: string,
    columns: readonly (readonly [string, SqlType])[],
    rows: readonly (readonly SqlParam[])[],
  ): Promise<void>;
}

let stageCounter = 0;
/** A staging table name no other statement of this process uses (two merges never share a table). */
export function stageName(base: string): string {
  stageCounter += 1;
  return `${base}_${process.pid}_${stageCounter}`;
}

const BAR_COLUMNS = [
  ['symbol', 'VARCHAR'],
  ['date', 'DATE'],
  ['open', 'DOUBLE PRECISION'],
  ['high', 'DOUBLE PRECISION'],
  ['low', 'DOUBLE PRECISION'],
  ['close', 'DOUBLE PRECISION'],
  ['adj_close', 'DOUBLE PRECISION'],
  ['volume', 'DOUBLE PRECISION'],
] as const;

const OBS_COLUMNS = [
  ['series', 'VARCHAR'],
  ['period', 'VARCHAR'],
  ['value', 'DOUBLE PRECISION'],
  ['unit', 'VARCHAR'],
  ['as_of', 'DATE'],
  ['source', 'VARCHAR'],
  ['known_at', 'DATE'],
] as const;

/** Bars of one symbol as a batch. */
export function barBatch(symbol: string, bars: readonly Bar[]): BarBatch {
  return {
    symbol: bars.map(() => symbol),
    date: bars.map((b) => b.date),
    open: bars.map((b) => b.open),
    high: bars.map((b) => b.high),
    low: bars.map((b) => b.low),
    close: bars.map((b) => b.close),
    adjClose: bars.map((b) => b.adjClose),
    volume: bars.map((b) => b.volume),
  };
}

function barRows(b: BarBatch): SqlParam[][] {
  const rows: SqlParam[][] = new Array<SqlParam[]>(b.symbol.length);
  for (let i = 0; i < rows.length; i++)
    rows[i] = [
      b.symbol[i] as string,
      b.date[i] as string,
      b.open[i] ?? null,
      b.high[i] ?? null,
      b.low[i] ?? null,
      b.close[i] as number,
      b.adjClose[i] ?? null,
      b.volume[i] ?? null,
    ];
  return rows;
}

function obsRows(b: ObservationBatch): SqlParam[][] {
  const rows: SqlParam[][] = new Array<SqlParam[]>(b.series.length);
  for (let i = 0; i < rows.length; i++)
    rows[i] = [
      b.series[i] as string,
      b.period[i] as string,
      b.value[i] as number,
      b.unit[i] as string,
      b.asOf[i] as string,
      b.source[i] as string,
      b.knownAt[i] ?? null,
    ];
  return rows;
}

/**
 * The store's SQL, written once for both engines (portable SQL: `count(*) FILTER`, `IS DISTINCT FROM`,
 * `ON CONFLICT`, window functions, `array_agg`), run on one SqlSession: the store's own connection for single
 * calls, the transaction's connection for `tx`.
 */
export class SqlMarket implements MarketWriter {
  private readonly s: SqlSession;
  constructor(session: SqlSession) {
    this.s = session;
  }

  /** The connection's statements, for the store's other SQL modules (publish-state); not part of MarketWriter. */
  get session(): SqlSession {
    return this.s;
  }

  // ---- schema -------------------------------------------------------------------------------------

  async schemaVersion(): Promise<number> {
    const rows = await this.s.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
    return rows[0]?.v ?? 0;
  }

  async migrations(): Promise<AppliedMigration[]> {
    return this.s.query<AppliedMigration>(
      'SELECT version, name, applied_at::VARCHAR AS "appliedAt" FROM schema_migrations ORDER BY version',
    );
  }

  /** Migrations not yet applied (all of them when schema_migrations does not exist). */
  async pendingMigrations(): Promise<number> {
    const [t] = await this.s.query<{ n: number }>(
      "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'schema_migrations' AND table_type = 'BASE TABLE'",
    );
    if (!t || t.n === 0) return MIGRATIONS.length;
    const current = await this.schemaVersion();
    return MIGRATIONS.filter((m) => m.version > current).length;
  }

  /** Creates schema_migrations if needed. Each migration is then applied by `applyMigration` in its own transaction. */
  async ensureMigrationTable(): Promise<void> {
    await this.s.run(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)',
    );
  }

  async applyMigration(m: (typeof MIGRATIONS)[number]): Promise<void> {
    await this.s.run(m.sql);
    await this.s.run('INSERT INTO schema_migrations VALUES (?, ?, now())', [m.version, m.name]);
    // Rows stored before known-at dates existed: a vintage equal to the period was set from the row's own date
    // (no vintage); any other vintage is taken as the day it was published.
    if (m.version === 3) await this.fillKnownAt('observations', 'auto');
  }

  /**
   * Sets `known_at` on the rows of `table` (observations or a staged copy) where it is NULL, from the release rules
   * in core/why/known-at.ts. `vintage` says what the rows' as_of means: `publication` (the day the value was
   * published), `none` (no vintage given: as_of is the period, or a fetch date), `auto` (publication unless as_of
   * equals the period). Cadences come from the periods of each series in `table` and in the store.
   */
  private async fillKnownAt(table: string, vintage: VintageKind | 'auto'): Promise<void> {
    const rows = await this.s.columns(
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
        const stored = await this.s.query<{ period: string }>(
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
    const fill = stageName('known_at_fill');
    await this.s.load(
      fill,
      [
        ['series', 'VARCHAR'],
        ['period', 'VARCHAR'],
        ['as_of', 'VARCHAR'],
        ['known_at', 'VARCHAR'],
      ],
      out,
    );
    await this.s.run(
      `UPDATE ${table} AS t SET known_at = f.known_at::DATE FROM ${fill} f
       WHERE t.known_at IS NULL AND t.series = f.series AND t.period = f.period AND t.as_of = f.as_of::DATE`,
    );
    await this.s.run(`DROP TABLE ${fill}`);
  }

  // ---- instruments and symbols -------------------------------------------------------------------

  /** Inserts an instrument, or fills in the fields that are given (never blanks a known field). */
  async upsertInstrument(i: Instrument): Promise<void> {
    await this.s.run(
      `INSERT INTO instruments (symbol, name, kind, sector, currency, exchange) VALUES (?, ?, ?, ?, ?, ?)
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
    const bySymbol = new Map(rows.map((r) => [r.symbol, r.kind]));
    const stage = stageName('stage_instruments');
    await this.s.load(
      stage,
      [
        ['symbol', 'VARCHAR'],
        ['kind', 'VARCHAR'],
      ],
      [...bySymbol].map(([symbol, kind]) => [symbol, kind]),
    );
    await this.s.run(
      `INSERT INTO instruments (symbol, name, kind, sector, currency, exchange)
       SELECT symbol, NULL, kind, NULL, 'USD', NULL FROM ${stage}
       ON CONFLICT (symbol) DO ${opts.overwriteKind ? 'UPDATE SET kind = excluded.kind' : 'NOTHING'}`,
    );
    await this.s.run(`DROP TABLE ${stage}`);
  }

  async getInstrument(symbol: string): Promise<Instrument | null> {
    const rows = await this.s.query<Instrument>(
      'SELECT symbol, name, kind, sector, currency, exchange FROM instruments WHERE symbol = ?',
      [symbol],
    );
    return rows[0] ?? null;
  }

  async resolveSymbol(text: string): Promise<string | null> {
    return resolveIn(await this.symbolIndex(), text);
  }

  /** Every stored spelling by its lower case, sorted (the order `resolveSymbol` picks from). */
  async symbolIndex(): Promise<Map<string, string[]>> {
    const rows = await this.s.query<{ symbol: string }>(
      this.s.dialect === 'postgres'
        ? // A loose index scan over the primary keys: one index probe per distinct symbol, not a pass over every row.
          `WITH RECURSIVE b AS (
             SELECT min(symbol) AS symbol FROM bars
             UNION ALL SELECT (SELECT min(symbol) FROM bars WHERE symbol > b.symbol) FROM b WHERE b.symbol IS NOT NULL
           ), o AS (
             SELECT min(series) AS symbol FROM observations
             UNION ALL SELECT (SELECT min(series) FROM observations WHERE series > o.symbol) FROM o WHERE o.symbol IS NOT NULL
           )
           SELECT symbol FROM instruments UNION SELECT symbol FROM b WHERE symbol IS NOT NULL
           UNION SELECT symbol FROM o WHERE symbol IS NOT NULL`
        : `SELECT symbol FROM instruments UNION SELECT DISTINCT symbol FROM bars
           UNION SELECT DISTINCT series FROM observations`,
    );
    const all = [...new Set(rows.map((r) => r.symbol))].sort();
    const index = new Map<string, string[]>();
    for (const symbol of all) {
      const key = symbol.toLowerCase();
      const spellings = index.get(key);
      if (spellings) spellings.push(symbol);
      else index.set(key, [symbol]);
    }
    return index;
  }

  /** Every stored symbol and series with row counts and date range. */
  async listSymbols(): Promise<SymbolSummary[]> {
    const rows = await this.s.query<{
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
                array_agg(DISTINCT source ORDER BY source) AS sources
         FROM bars GROUP BY symbol
       ), o AS (
         SELECT series AS symbol, 'observations' AS tbl, count(DISTINCT period) AS n, min(period) AS first,
                max(period) AS last, array_agg(DISTINCT source ORDER BY source) AS sources
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

  async loadBars(symbol: string, range: { from?: string; to?: string } = {}): Promise<Bar[]> {
    const cols = await this.s.columns(
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

  async barSpan(symbol: string): Promise<{ first: string | null; last: string | null; n: number }> {
    const [span] = await this.s.query<{ first: string | null; last: string | null; n: number }>(
      'SELECT min(date)::VARCHAR AS first, max(date)::VARCHAR AS last, count(*) AS n FROM bars WHERE symbol = ?',
      [symbol],
    );
    return span ?? { first: null, last: null, n: 0 };
  }

  async barDateFromEnd(symbol: string, offset: number): Promise<string | null> {
    const [row] = await this.s.query<{ d: string }>(
      'SELECT date::VARCHAR AS d FROM bars WHERE symbol = ? ORDER BY date DESC LIMIT 1 OFFSET ?',
      [symbol, Math.max(0, offset)],
    );
    return row?.d ?? null;
  }

  /**
   * Merges a batch into `bars` and returns how many were added, updated or already equal. Rows equal to the
   * stored ones are not rewritten, so a repeated import leaves ingested_at alone. Rows stored from another source
   * are kept unless `replaceOtherSources` (they count as unchanged, and `keptFromOtherSource` says how many).
   */
  async mergeBars(batch: BarBatch, source: string, opts: BarMergeOptions = {}): Promise<BarMergeCounts> {
    const stage = stageName('stage_bars');
    await this.s.load(stage, BAR_COLUMNS, barRows(batch));
    try {
      return await this.mergeFromTable(stage, source, opts);
    } finally {
      await this.s.run(`DROP TABLE ${stage}`);
    }
  }

  private async mergeFromTable(
    stage: string,
    source: string,
    opts: BarMergeOptions,
  ): Promise<BarMergeCounts> {
    const changed = `(s.open IS DISTINCT FROM b.open OR s.high IS DISTINCT FROM b.high OR s.low IS DISTINCT FROM b.low
      OR s.close IS DISTINCT FROM b.close OR s.adj_close IS DISTINCT FROM b.adj_close OR s.volume IS DISTINCT FROM b.volume)`;
    const replace = opts.replaceOtherSources ? 'TRUE' : 'b.source = ?';
    const replaceParams: SqlParam[] = opts.replaceOtherSources ? [] : [source];
    const [counts] = await this.s.query<{ added: number; updated: number; unchanged: number; kept: number }>(
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
    // Two set-based statements instead of an upsert: DuckDB checks ON CONFLICT row by row, which cost most of a
    // large import. Changed rows are updated in place (the key never changes); new rows, which by the count above
    // have no stored row (and no twin in the batch: the checks dropped duplicates), are inserted as they are.
    if (result.updated > 0)
      await this.s.run(
        `UPDATE bars AS b SET open = s.open, high = s.high, low = s.low, close = s.close, adj_close = s.adj_close,
           volume = s.volume, source = ?::VARCHAR, ingested_at = now()
         FROM ${stage} s WHERE b.symbol = s.symbol AND b.date = s.date AND ${replace} AND ${changed}`,
        [source, ...replaceParams],
      );
    if (result.added > 0)
      await this.s.run(
        `INSERT INTO bars (symbol, date, open, high, low, close, adj_close, volume, source, ingested_at)
         SELECT s.symbol, s.date, s.open, s.high, s.low, s.close, s.adj_close, s.volume, ?::VARCHAR, now()
         FROM ${stage} s WHERE NOT EXISTS (SELECT 1 FROM bars b WHERE b.symbol = s.symbol AND b.date = s.date)`,
        [source],
      );
    return result;
  }

  /**
   * Merges bars staged in TEMP table `table` of the ingest engine `engine` (columns symbol, date, open, high, low,
   * close, adj_close, volume; checked) straight from SQL when the engine runs on this connection: no row passes
   * through JS. Returns null when it does not (PostgreSQL, a read-only DuckDB): the caller sends batches.
   */
  async mergeStagedBars(
    staged: { engine: DuckDbSession; table: string },
    source: string,
    opts: BarMergeOptions = {},
  ): Promise<BarMergeCounts | null> {
    if (!this.s.sharesConnection?.(staged.engine)) return null;
    if (!/^[a-z_][a-z0-9_]*$/.test(staged.table)) throw new Error(`staged table name ${staged.table}`);
    return this.mergeFromTable(staged.table, source, opts);
  }

  async upsertBars(
    symbol: string,
    bars: readonly Bar[],
    source: string,
    opts: BarMergeOptions = {},
  ): Promise<BarMergeCounts> {
    return this.mergeBars(barBatch(symbol, bars), source, opts);
  }

  // ---- corporate actions -------------------------------------------------------------------------

  async upsertCorporateActions(actions: readonly CorporateAction[]): Promise<WriteCounts> {
    const counts: WriteCounts = { added: 0, updated: 0, unchanged: 0 };
    for (const a of actions) {
      const value = a.kind === 'split' ? a.ratio : a.amount;
      const existing = await this.s.query<{ value: number }>(
        'SELECT value FROM corporate_actions WHERE symbol = ? AND date = ?::DATE AND kind = ?',
        [a.symbol, a.date, a.kind],
      );
      const prev = existing[0];
      if (prev && prev.value === value) {
        counts.unchanged++;
        continue;
      }
      await this.s.run(
        `INSERT INTO corporate_actions (symbol, date, kind, value, source, ingested_at) VALUES (?, ?::DATE, ?, ?, ?, now())
         ON CONFLICT (symbol, date, kind) DO UPDATE SET value = excluded.value, source = excluded.source,
           ingested_at = excluded.ingested_at`,
        [a.symbol, a.date, a.kind, value, a.source],
      );
      if (prev) counts.updated++;
      else counts.added++;
    }
    return counts;
  }

  async loadCorporateActions(symbol: string): Promise<CorporateAction[]> {
    const rows = await this.s.query<{
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
   * Merges a batch of observations. Revisions are kept: a value is written as a new vintage only when it differs
   * from the latest vintage known at its as-of date; an equal value counts as unchanged; a different value for the
   * same (series, period, as_of) replaces it and counts as updated. A null known_at is filled from the release
   * rules, reading the as_of as `opts.vintage` (default `none`: no vintage was given, or only a fetch date).
   */
  async mergeObservations(
    batch: ObservationBatch,
    opts: { dryRun?: boolean; vintage?: VintageKind } = {},
  ): Promise<WriteCounts> {
    const stage = stageName('stage_obs');
    const cmp = stageName('stage_obs_cmp');
    await this.s.load(stage, OBS_COLUMNS, obsRows(batch));
    try {
      await this.fillKnownAt(stage, opts.vintage ?? 'none');
      const known = `(SELECT o.value FROM observations o WHERE o.series = s.series AND o.period = s.period
                        AND o.as_of <= s.as_of ORDER BY o.as_of DESC LIMIT 1)`;
      const same = `(SELECT o.value FROM observations o WHERE o.series = s.series AND o.period = s.period
                        AND o.as_of = s.as_of)`;
      await this.s.run(
        `CREATE TEMP TABLE ${cmp} AS
         SELECT s.*, ${known} AS known_value, ${same} AS same_vintage_value FROM ${stage} s`,
      );
      const [c] = await this.s.query<{ added: number; updated: number; unchanged: number }>(
        `SELECT
           count(*) FILTER (WHERE known_value IS DISTINCT FROM value AND same_vintage_value IS NULL) AS added,
           count(*) FILTER (WHERE same_vintage_value IS NOT NULL AND same_vintage_value IS DISTINCT FROM value) AS updated,
           count(*) FILTER (WHERE known_value IS NOT DISTINCT FROM value) AS unchanged
         FROM ${cmp}`,
      );
      const counts = { added: c?.added ?? 0, updated: c?.updated ?? 0, unchanged: c?.unchanged ?? 0 };
      if (!opts.dryRun && counts.added + counts.updated > 0) {
        await this.s.run(
          `INSERT INTO observations (series, period, value, unit, as_of, source, ingested_at, known_at)
           SELECT series, period, value, unit, as_of, source, now(), known_at FROM ${cmp}
           WHERE known_value IS DISTINCT FROM value
           ON CONFLICT (series, period, as_of) DO UPDATE SET value = excluded.value, unit = excluded.unit,
             source = excluded.source, ingested_at = excluded.ingested_at, known_at = excluded.known_at`,
        );
      }
      return counts;
    } finally {
      await this.s.run(`DROP TABLE IF EXISTS ${cmp}`);
      await this.s.run(`DROP TABLE ${stage}`);
    }
  }

  /**
   * Writes observations from memory: same rules as mergeObservations. Their as_of is read as a publication date
   * unless `vintage: 'none'` (a keyless FRED CSV, whose as_of is the period).
   */
  async upsertObservations(
    obs: readonly Observation[],
    opts: { dryRun?: boolean; vintage?: VintageKind } = {},
  ): Promise<WriteCounts> {
    return this.mergeObservations(
      {
        series: obs.map((o) => o.series),
        period: obs.map((o) => o.period),
        value: obs.map((o) => o.value),
        unit: obs.map((o) => o.unit),
        asOf: obs.map((o) => o.asOf),
        source: obs.map((o) => o.source),
        knownAt: obs.map((o) => o.knownAt ?? null),
      },
      { vintage: opts.vintage ?? 'publication', ...(opts.dryRun ? { dryRun: true } : {}) },
    );
  }

  /**
   * Observations of one series as known at `asOf`, in period order: only rows whose known_at is on or before
   * `asOf`; per period the latest vintage with as_of <= asOf, else (a history file whose only vintage is later, e.g.
   * its fetch date) the earliest later vintage, which the caller sees as `asOf > opts.asOf`. Without asOf, the
   * latest vintage of every period.
   */
  async loadObservations(series: string, opts: { asOf?: string } = {}): Promise<Observation[]> {
    const rows = await this.s.query<{
      series: string;
      period: string;
      value: number;
      unit: string;
      as_of: string;
      source: string;
      known_at: string;
    }>(
      `SELECT series, period, value, unit, as_of, source, known_at FROM (
         SELECT series, period, value, unit, as_of::VARCHAR AS as_of, source, known_at::VARCHAR AS known_at,
           row_number() OVER (PARTITION BY period ORDER BY
             (as_of <= coalesce(?::DATE, DATE '9999-12-31')) DESC,
             CASE WHEN as_of <= coalesce(?::DATE, DATE '9999-12-31') THEN as_of END DESC NULLS LAST, as_of) AS rk
         FROM observations
         WHERE series = ? AND known_at <= coalesce(?::DATE, DATE '9999-12-31')
       ) ranked WHERE rk = 1
       ORDER BY period`,
      [opts.asOf ?? null, opts.asOf ?? null, series, opts.asOf ?? null],
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

  async loadVintages(series: string, asOf?: string): Promise<Observation[]> {
    const rows = await this.s.query<{
      period: string;
      value: number;
      unit: string;
      as_of: string;
      source: string;
      known_at: string;
    }>(
      `SELECT period, value, unit, as_of::VARCHAR AS as_of, source, known_at::VARCHAR AS known_at FROM observations
       WHERE series = ? AND as_of <= coalesce(?::DATE, DATE '9999-12-31')
         AND known_at <= coalesce(?::DATE, DATE '9999-12-31')
       ORDER BY period, as_of`,
      [series, asOf ?? null, asOf ?? null],
    );
    return rows.map((r) => ({
      series,
      period: r.period,
      value: r.value,
      unit: r.unit,
      asOf: r.as_of as TradingDate,
      source: r.source,
      knownAt: r.known_at as TradingDate,
    }));
  }

  async loadNotes(series: string): Promise<Map<string, string>> {
    const rows = await this.s.query<{ period: string; as_of: string; note: string }>(
      'SELECT period, as_of::VARCHAR AS as_of, note FROM observation_notes WHERE series = ?',
      [series],
    );
    return new Map(rows.map((r) => [`${r.period}|${r.as_of}`, r.note]));
  }

  async upsertNotes(notes: readonly ObservationNote[]): Promise<void> {
    for (const n of notes)
      await this.s.run(
        `INSERT INTO observation_notes (series, period, as_of, note) VALUES (?, ?, ?::DATE, ?)
         ON CONFLICT (series, period, as_of) DO UPDATE SET note = excluded.note`,
        [n.series, n.period, n.asOf, n.note],
      );
  }

  async seriesIds(prefix: string): Promise<string[]> {
    const rows = await this.s.query<{ series: string }>(
      'SELECT DISTINCT series FROM observations WHERE starts_with(series, ?) ORDER BY series',
      [prefix],
    );
    return rows.map((r) => r.series);
  }

  // ---- import and sync log -----------------------------------------------------------------------

  async logImport(e: ImportLogEntry): Promise<void> {
    await this.s.run(
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

  async importLog(): Promise<ImportLogRow[]> {
    return this.s.query<ImportLogRow>(
      `SELECT kind, target, symbol, status, rows_added AS "rowsAdded", rows_updated AS "rowsUpdated",
              rows_unchanged AS "rowsUnchanged", message FROM import_log ORDER BY id`,
    );
  }
}

/** Looks a typed symbol up in a symbol index: its own spelling, else its aliases (core/symbols: `^GSPC` → `^SPX`). */
export function resolveIn(index: Map<string, string[]>, text: string): string | null {
  for (const name of symbolAliases(text)) {
    const matches = index.get(name.toLowerCase());
    if (matches) return matches.includes(name) ? name : (matches[0] ?? null);
  }
  return null;
}
