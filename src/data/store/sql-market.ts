import type {
  Bar,
  CorporateAction,
  Instrument,
  InstrumentKind,
  Observation,
  WriteCounts,
  CloseBasis,
  SourceBasis,
  DeclaredBasis,
} from '../../shared/domain.js';
import type { VintageKind } from '../../core/why/known-at.js';
import type { DuckDbSession, SqlParam } from './duckdb-session.js';
import type {
  BarBatch,
  BarMergeCounts,
  BarMergeOptions,
  DuplicateBar,
  FreshBars,
  FreshBarsSymbol,
  ImportedFile,
  ImportLogEntry,
  MarketWriter,
  ObservationBatch,
  ObservationNote,
} from './market-store.js';
import { SqlReads } from './sql-reads.js';
import { stageName } from './sql-schema.js';

export { indexSymbols, resolveIn } from './sql-reads.js';
export type { SqlSession } from './sql-schema.js';

/**
 * The store's shared SQL, part 3 of 3: the writes (merges of bars and observations, instruments, corporate
 * actions, notes, the import log). The schema (sql-schema.ts) and the reads (sql-reads.ts) are the classes it
 * extends.
 */

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
 * barsFingerprint's text: the count of the bars and their greatest stamp (migration 9). Every write of a bar
 * (insert or update) gives it a new stamp, numbered above every earlier one (DuckDB, the one engine with a
 * fingerprint, has one writer at a time), and no bar is ever deleted: so any write to the bars of some symbols
 * changes their count or their greatest stamp.
 */
const fingerprintOf = (rows: number, stamp: number | null): string => `${rows}:${stamp ?? '-'}`;

/**
 * The store's SQL, written once for both engines (portable SQL: `count(*) FILTER`, `IS DISTINCT FROM`,
 * `ON CONFLICT`, window functions, `array_agg`), run on one SqlSession: the store's own connection for single
 * calls, the transaction's connection for `tx`.
 */
export class SqlMarket extends SqlReads implements MarketWriter {
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

  /**
   * Merges a batch into `bars` and returns how many were added, updated or already equal. Rows equal to the
   * stored ones are not rewritten, so a repeated import leaves their stamp (source, ingested_at) alone. Rows
   * stored from another source are kept unless `replaceOtherSources` (they count as unchanged, and
   * `keptFromOtherSource` says how many).
   */
  async mergeBars(batch: BarBatch, source: string, opts: BarMergeOptions = {}): Promise<BarMergeCounts> {
    const stage = stageName('stage_bars');
    await this.s.load(stage, BAR_COLUMNS, barRows(batch));
    try {
      // DuckDB's bars have no primary key (migration 7): a batch that repeats a key is refused here, as the key
      // refused it before (the staged imports drop or refuse duplicates before they merge).
      if (this.s.dialect === 'duckdb') {
        const [twice] = await this.s.query<{ symbol: string; date: string }>(
          `SELECT symbol, date::VARCHAR AS date FROM ${stage} GROUP BY symbol, date HAVING count(*) > 1 LIMIT 1`,
        );
        if (twice) throw new Error(`bars batch holds ${twice.symbol} ${twice.date} twice`);
      }
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
    const replace = opts.replaceOtherSources
      ? 'TRUE'
      : 'b.stamp IN (SELECT stamp FROM bar_stamps WHERE source = ?)';
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
    const stamp = await this.newStamp(source);
    // Two set-based statements instead of an upsert: DuckDB checks ON CONFLICT row by row, which cost most of a
    // large import. Changed rows are updated in place (the key never changes); new rows, which by the count above
    // have no stored row (and no twin in the batch: the checks dropped duplicates), are inserted as they are.
    if (result.updated > 0)
      await this.s.run(
        `UPDATE bars AS b SET open = s.open, high = s.high, low = s.low, close = s.close, adj_close = s.adj_close,
           volume = s.volume, stamp = ?::INTEGER
         FROM ${stage} s WHERE b.symbol = s.symbol AND b.date = s.date AND ${replace} AND ${changed}`,
        [stamp, ...replaceParams],
      );
    if (result.added > 0)
      await this.s.run(
        `INSERT INTO bars (symbol, date, open, high, low, close, adj_close, volume, stamp)
         SELECT s.symbol, s.date, s.open, s.high, s.low, s.close, s.adj_close, s.volume, ?::INTEGER
         FROM ${stage} s WHERE NOT EXISTS (SELECT 1 FROM bars b WHERE b.symbol = s.symbol AND b.date = s.date)`,
        [stamp],
      );
    return result;
  }

  /**
   * A new stamp for the bars a write of `source` stores (migration 9). It is above every earlier stamp (a
   * sequence); its time is the transaction's start (now()).
   */
  private async newStamp(source: string): Promise<number> {
    const [row] = await this.s.query<{ b: number }>("SELECT nextval('bar_stamp_id')::INTEGER AS b");
    // An integer from the store itself: insertFreshBars writes it into its SQL text.
    if (!row || !Number.isSafeInteger(row.b)) throw new Error('bar_stamp_id gave no integer');
    await this.s.run('INSERT INTO bar_stamps (stamp, source, ingested_at) VALUES (?, ?, now())', [
      row.b,
      source,
    ]);
    return row.b;
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

  async insertFreshBars(
    staged: { engine: DuckDbSession; select: string; symbol?: string },
    source: string,
  ): Promise<FreshBars | null> {
    if (!this.s.sharesConnection?.(staged.engine)) return null;
    // A file of one known symbol that has stored rows is not read at all; an empty store needs no look.
    const [stored] = await this.s.query<{ n: number }>(
      staged.symbol === undefined
        ? 'SELECT count(*) AS n FROM bars'
        : 'SELECT count(*) AS n FROM bars WHERE symbol = ?',
      staged.symbol === undefined ? [] : [staged.symbol],
    );
    if (staged.symbol !== undefined && (stored?.n ?? 0) > 0)
      return { symbols: [], storedBefore: stored?.n ?? 0, fingerprint: fingerprintOf(0, null) };
    const stamp = await this.newStamp(source);
    await this.s.run(
      `INSERT INTO bars (symbol, date, open, high, low, close, adj_close, volume, stamp)
       SELECT symbol, date, open, high, low, close, adj_close, volume, ${stamp} FROM (${staged.select})`,
    );
    // The rows this statement inserted are those with its stamp; rowid keeps their insertion (file) order. Into a
    // table with no rows at all before (counted in this transaction, so rows an earlier statement of it wrote
    // count), they are all its rows: no row need be tested.
    const fresh = staged.symbol === undefined && (stored?.n ?? 0) === 0 ? 'TRUE' : `stamp = ${stamp}`;
    const summary = (prev: (col: string) => string) =>
      `SELECT symbol, count(*) AS rows, min(date)::VARCHAR AS first, max(date)::VARCHAR AS last,
              count(*) FILTER (WHERE prev_symbol IS DISTINCT FROM symbol) AS runs,
              count(*) FILTER (WHERE prev_symbol = symbol AND date > prev) AS up,
              count(*) FILTER (WHERE prev_symbol = symbol AND date < prev) AS down,
              count(*) FILTER (WHERE prev_symbol = symbol AND date = prev) AS same,
              count(*) FILTER (WHERE r <= prev_r) AS unordered
       FROM (SELECT symbol, date, rowid AS r, ${prev('date')} AS prev, ${prev('symbol')} AS prev_symbol,
                    ${prev('rowid')} AS prev_r FROM bars WHERE ${fresh})
       GROUP BY symbol ORDER BY symbol`;
    type Row = FreshBarsSymbol & { runs: number; unordered: number };
    // A file holds each symbol's rows together (one run) nearly always: then one streaming pass over the rows in
    // scan order compares each row with the one before it. It proves itself: the scan order must be rowid order
    // (no unordered step) and each symbol one run, else the rows are compared per symbol in rowid order.
    let rows = await this.s.query<Row>(summary((col) => `lag(${col}) OVER ()`));
    if (rows.some((r) => r.runs !== 1 || r.unordered !== 0))
      rows = await this.s.query<Row>(
        summary((col) => `lag(${col}) OVER (PARTITION BY symbol ORDER BY rowid)`),
      );
    const symbols = rows.map(({ symbol, rows: n, first, last, up, down, same }) => ({
      symbol,
      rows: n,
      first,
      last,
      up,
      down,
      same,
    }));
    // With no stored rows of these symbols before, the fresh rows are all their rows: after the commit their
    // count and greatest stamp (this one) are the store's barsFingerprint of them, with no pass over the rows.
    const fingerprint = fingerprintOf(
      rows.reduce((a, r) => a + r.rows, 0),
      stamp,
    );
    if ((stored?.n ?? 0) === 0 || staged.symbol !== undefined)
      return { symbols, storedBefore: 0, fingerprint };
    const [before] = await this.s.query<{ n: number }>(
      `SELECT count(*) AS n FROM bars WHERE NOT (${fresh}) AND symbol IN (${symbols.map(() => '?').join(', ')})`,
      symbols.map((s) => s.symbol),
    );
    return { symbols, storedBefore: before?.n ?? 0, fingerprint };
  }

  async upsertBars(
    symbol: string,
    bars: readonly Bar[],
    source: string,
    opts: BarMergeOptions = {},
  ): Promise<BarMergeCounts> {
    return this.mergeBars(barBatch(symbol, bars), source, opts);
  }

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

  async upsertNotes(notes: readonly ObservationNote[]): Promise<void> {
    for (const n of notes)
      await this.s.run(
        `INSERT INTO observation_notes (series, period, as_of, note) VALUES (?, ?, ?::DATE, ?)
         ON CONFLICT (series, period, as_of) DO UPDATE SET note = excluded.note`,
        [n.series, n.period, n.asOf, n.note],
      );
  }

  // ---- declared close basis (migration 5) ---------------------------------------------------------

  async setCloseBasis(rows: readonly DeclaredBasis[]): Promise<void> {
    for (const r of rows)
      await this.s.run(
        `INSERT INTO instrument_basis (symbol, basis, declared_by) VALUES (?, ?, ?)
         ON CONFLICT (symbol) DO UPDATE SET basis = excluded.basis, declared_by = excluded.declared_by`,
        [r.symbol, r.basis, r.declaredBy],
      );
  }

  async setSourceBasis(rows: readonly SourceBasis[]): Promise<void> {
    for (const r of rows)
      await this.s.run(
        `INSERT INTO source_basis (symbol, source, basis, declared_by) VALUES (?, ?, ?, ?)
         ON CONFLICT (symbol, source) DO UPDATE SET basis = excluded.basis, declared_by = excluded.declared_by`,
        [r.symbol, r.source, r.basis, r.declaredBy],
      );
  }

  async loadCloseBasis(symbol: string): Promise<DeclaredBasis | null> {
    const rows = await this.s.query<{ symbol: string; basis: CloseBasis; declared_by: string }>(
      'SELECT symbol, basis, declared_by FROM instrument_basis WHERE symbol = ?',
      [symbol],
    );
    const r = rows[0];
    return r ? { symbol: r.symbol, basis: r.basis, declaredBy: r.declared_by } : null;
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

  async importedFile(path: string): Promise<ImportedFile | null> {
    const [r] = await this.s.query<ImportedFile>(
      `SELECT path, size, sha256, identity, options, today, fingerprint, outcome, recorded_ms AS "recordedMs"
       FROM imported_files WHERE path = ?`,
      [path],
    );
    return r ?? null;
  }

  async recordImportedFile(f: ImportedFile): Promise<void> {
    await this.s.run(
      `INSERT INTO imported_files (path, size, sha256, identity, options, today, fingerprint, outcome, recorded_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (path) DO UPDATE SET size = excluded.size, sha256 = excluded.sha256, identity = excluded.identity,
         options = excluded.options, today = excluded.today, fingerprint = excluded.fingerprint,
         outcome = excluded.outcome, recorded_ms = excluded.recorded_ms`,
      [f.path, f.size, f.sha256, f.identity, f.options, f.today, f.fingerprint, f.outcome, f.recordedMs],
    );
  }

  async barsFingerprint(symbols: readonly string[]): Promise<string | null> {
    if (this.s.dialect !== 'duckdb' || symbols.length === 0) return null;
    const [r] = await this.s.query<{ n: number; b: number | null }>(
      `SELECT count(*) AS n, max(stamp) AS b FROM bars WHERE symbol IN (${symbols.map(() => '?').join(', ')})`,
      symbols,
    );
    return fingerprintOf(r?.n ?? 0, r?.b ?? null);
  }

  async duplicateBars(): Promise<DuplicateBar[]> {
    const rows = await this.s.query<{ symbol: string; date: string; n: number | string; sources: string }>(
      `WITH twice AS (SELECT symbol, date FROM bars GROUP BY symbol, date HAVING count(*) > 1)
       SELECT b.symbol, b.date::VARCHAR AS date, count(*) AS n,
              string_agg(DISTINCT k.source, '|' ORDER BY k.source) AS sources
       FROM twice t JOIN bars b ON b.symbol = t.symbol AND b.date = t.date JOIN bar_stamps k ON k.stamp = b.stamp
       GROUP BY b.symbol, b.date ORDER BY b.symbol, b.date`,
    );
    return rows.map((r) => ({
      symbol: r.symbol,
      date: r.date,
      rows: Number(r.n),
      sources: r.sources.split('|'),
    }));
  }
}
