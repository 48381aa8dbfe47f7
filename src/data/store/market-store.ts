import type { VintageKind } from '../../core/why/known-at.js';
import type { DuckDbSession } from './duckdb-session.js';
import type { PublishState } from './publish-state.js';
import type {
  Bar,
  CloseColumns,
  CorporateAction,
  Instrument,
  InstrumentKind,
  Observation,
  WriteCounts,
  CloseRange,
  DeclaredBasis,
  SourceBasis,
} from '../../shared/domain.js';

/**
 * The one store interface everything above data/store speaks to (docs/scaling-out.md). Two engines implement it:
 * DuckDbStore (embedded file, the default) and PgStore (a PostgreSQL server). No SQL crosses it.
 */

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

/** One row of the import log as stored. */
export type ImportLogRow = {
  kind: 'import' | 'sync';
  target: string;
  symbol: string | null;
  status: 'ok' | 'failed' | 'unchanged';
  rowsAdded: number;
  rowsUpdated: number;
  rowsUnchanged: number;
  message: string | null;
};

/** Validated daily bars as columns (one array per field, same length): the batch ingest hands to the store. */
export type BarBatch = {
  symbol: readonly string[];
  date: readonly string[];
  open: readonly (number | null)[];
  high: readonly (number | null)[];
  low: readonly (number | null)[];
  close: readonly number[];
  adjClose: readonly (number | null)[];
  volume: readonly (number | null)[];
};

/** Validated observations as columns; a null knownAt is filled from the release rules (core/why/known-at.ts). */
export type ObservationBatch = {
  series: readonly string[];
  period: readonly string[];
  value: readonly number[];
  unit: readonly string[];
  asOf: readonly string[];
  source: readonly string[];
  knownAt: readonly (string | null)[];
};

export type BarMergeCounts = WriteCounts & { keptFromOtherSource: number };
export type BarMergeOptions = { replaceOtherSources?: boolean; dryRun?: boolean };
/**
 * What the bulk path of an import (MarketWriter.insertFreshBars) inserted, per symbol, for the ingest checks to
 * judge before the transaction commits: rows, first and last date, and how the dates step in file order (`up`,
 * `down`, `same`: rows whose date is after, before or equal to the previous row of that symbol).
 */
export type FreshBarsSymbol = {
  symbol: string;
  rows: number;
  first: string;
  last: string;
  up: number;
  down: number;
  same: number;
};
export type FreshBars = {
  symbols: FreshBarsSymbol[];
  /** Rows of those symbols stored before this insert (the bulk path applies only when there are none). */
  storedBefore: number;
  /**
   * barsFingerprint of the inserted rows: that of their symbols once committed when `storedBefore` is 0 (and
   * nothing else writes their bars in the transaction).
   */
  fingerprint: string;
};
/** A (symbol, date) that `bars` holds more than once (MarketReader.duplicateBars). */
export type DuplicateBar = {
  symbol: string;
  date: string;
  rows: number;
  /** The sources of those rows, sorted. */
  sources: string[];
};
export type ObservationNote = { series: string; period: string; asOf: string; note: string };
export type AppliedMigration = { version: number; name: string; appliedAt: string };

/** Reads: what every verb may ask. */
export interface MarketReader {
  /**
   * Every stored symbol and series (sorted by table, then name); with `only`, just those matching one of `only`
   * case-insensitively (every stored spelling), in the same order: cheap on a large store.
   */
  listSymbols(only?: readonly string[]): Promise<SymbolSummary[]>;
  /** True when no bars and no observations are stored (cheap on a large store). */
  isEmpty(): Promise<boolean>;
  /** The stored spelling of a typed symbol or series id (case-insensitive, then aliases); null when unknown. */
  resolveSymbol(text: string): Promise<string | null>;
  getInstrument(symbol: string): Promise<Instrument | null>;
  loadBars(symbol: string, range?: { from?: string; to?: string }): Promise<Bar[]>;
  /** The dates, closes and adjusted closes of `symbol`'s bars in `range` (loadBars' rows, three columns of them). */
  loadCloses(symbol: string, range?: { from?: string; to?: string }): Promise<CloseColumns>;
  /** What the symbol's stored closes are, as declared at import; null when nothing was declared. */
  loadCloseBasis(symbol: string): Promise<DeclaredBasis | null>;
  /** The stored bars of `symbol` in `range` as runs of one declared basis (by each row's source), oldest first. */
  loadCloseRanges(symbol: string, range?: { from?: string; to?: string }): Promise<CloseRange[]>;
  /** First and last stored bar dates and the count. */
  barSpan(symbol: string): Promise<{ first: string | null; last: string | null; n: number }>;
  /** The date of the bar `offset` sessions before the last stored one (0 = the last); null when none. */
  barDateFromEnd(symbol: string, offset: number): Promise<string | null>;
  loadCorporateActions(symbol: string): Promise<CorporateAction[]>;
  /** Observations of one series as known at `asOf` (see DuckDbStore docs); latest vintage per period. */
  loadObservations(series: string, opts?: { asOf?: string }): Promise<Observation[]>;
  /** Every vintage known at `asOf` (all when undefined), period then vintage order. */
  loadVintages(series: string, asOf?: string): Promise<Observation[]>;
  /** Notes of a series keyed `period|as_of`. */
  loadNotes(series: string): Promise<Map<string, string>>;
  /** Every stored series id starting with `prefix`, sorted. */
  seriesIds(prefix: string): Promise<string[]>;
  /** The import and sync log, oldest first. */
  importLog(): Promise<ImportLogRow[]>;
  schemaVersion(): Promise<number>;
  migrations(): Promise<AppliedMigration[]>;
  /**
   * Every (symbol, date) stored in `bars` more than once, symbol then date order (the data doctor's check; on
   * DuckDB the writers keep the pair unique since migration 7 dropped the key, PostgreSQL's key refuses them).
   */
  duplicateBars(): Promise<DuplicateBar[]>;
}

/** Writes: the store methods, or the `tx` handle inside `transaction`. */
export interface MarketWriter extends MarketReader {
  upsertInstrument(i: Instrument): Promise<void>;
  addInstruments(
    rows: readonly { symbol: string; kind: InstrumentKind }[],
    opts?: { overwriteKind?: boolean },
  ): Promise<void>;
  /** Merges a batch of bars: rows equal to the stored ones are not rewritten; other sources kept unless replaced. */
  mergeBars(batch: BarBatch, source: string, opts?: BarMergeOptions): Promise<BarMergeCounts>;
  /**
   * Merges bars staged (and checked) in a TEMP table of the ingest engine, with SQL alone, when the engine runs
   * on the store's own connection (a DuckDB store); null otherwise, and the caller sends them with mergeBars.
   */
  mergeStagedBars(
    staged: { engine: DuckDbSession; table: string },
    source: string,
    opts?: BarMergeOptions,
  ): Promise<BarMergeCounts | null>;
  /**
   * The bulk path of an import: inserts the rows of `select` (a SELECT over the ingest engine's reader, columns
   * symbol, date, open, high, low, close, adj_close, volume, every row already checked by it) straight into bars
   * with `source`, and returns what was inserted (FreshBars) for the caller to judge before it commits; `symbol`,
   * when every row has that one symbol, which already has stored rows: nothing is inserted. Null when
   * the engine is not on this connection (PostgreSQL, a read-only DuckDB): nothing was written.
   */
  insertFreshBars(
    staged: { engine: DuckDbSession; select: string; symbol?: string },
    source: string,
  ): Promise<FreshBars | null>;
  upsertBars(
    symbol: string,
    bars: readonly Bar[],
    source: string,
    opts?: BarMergeOptions,
  ): Promise<BarMergeCounts>;
  upsertCorporateActions(actions: readonly CorporateAction[]): Promise<WriteCounts>;
  /** Merges observations, keeping revisions as vintages; `vintage` says what a batch's as_of means. */
  mergeObservations(
    batch: ObservationBatch,
    opts?: { dryRun?: boolean; vintage?: VintageKind },
  ): Promise<WriteCounts>;
  upsertObservations(
    obs: readonly Observation[],
    opts?: { dryRun?: boolean; vintage?: VintageKind },
  ): Promise<WriteCounts>;
  upsertNotes(notes: readonly ObservationNote[]): Promise<void>;
  /** Records (or replaces) the declared close basis of symbols. */
  setCloseBasis(rows: readonly DeclaredBasis[]): Promise<void>;
  /** Records (or replaces) the declared close basis of the rows one source stored for symbols. */
  setSourceBasis(rows: readonly SourceBasis[]): Promise<void>;
  logImport(e: ImportLogEntry): Promise<void>;
  /** The record of a file's last import (by absolute path), or null. */
  importedFile(path: string): Promise<ImportedFile | null>;
  recordImportedFile(f: ImportedFile): Promise<void>;
  /**
   * A fingerprint of every stored bar of `symbols` (their count and greatest stamp, migration 9): equal only if no
   * write of the store's has touched those rows since. Null on PostgreSQL: files are always read again there.
   */
  barsFingerprint(symbols: readonly string[]): Promise<string | null>;
}

/** What a bars file's last import left (table imported_files): see MarketWriter.importedFile. */
export type ImportedFile = {
  path: string;
  size: number;
  /** The content's SHA-256, or '' when it was not computed (the stat identity was trusted, migration 7). */
  sha256: string;
  /**
   * The file's stat identity when it was imported (size, mtime and ctime in ns, inode, device: what git's index
   * trusts to skip re-hashing a file); null in records from before migration 7.
   */
  identity: string | null;
  /** The import options that shape the result, as JSON. */
  options: string;
  today: string;
  /** barsFingerprint of the file's symbols right after the import. */
  fingerprint: string;
  /** The import's outcome, as JSON. */
  outcome: string;
  recordedMs: number;
};

export type StoreEngine = 'duckdb' | 'postgres';

/** A store handle: reads and single writes, transactions, the daily-run lock. */
export interface MarketStore extends MarketWriter {
  readonly engine: StoreEngine;
  /** The file path, or the server URL without its password. */
  readonly location: string;
  /** True when opened read-only (DuckDB: a read-only verb on an up-to-date file). */
  readonly readOnly: boolean;
  /**
   * Runs `fn` in one transaction, all or nothing; `tx` is the only handle that writes inside it. A second
   * transaction on the same handle waits for the first: transactions never join or interleave.
   */
  transaction<T>(fn: (tx: MarketWriter) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` holding the named run lock (an advisory lock on PostgreSQL, a lock file beside the DuckDB file), so
   * two daily runs never write at once; the second waits up to `timeoutMs` (default 30 s), then throws RunLockError.
   */
  withRunLock<T>(name: string, fn: () => Promise<T>, opts?: { timeoutMs?: number }): Promise<T>;
  /** The publish layer's state (subscribers, outbox, alerts, archive: docs/publish.md) on this engine. */
  publishState(): PublishState;
  close(): void;
}
