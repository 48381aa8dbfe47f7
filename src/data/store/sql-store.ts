import type { VintageKind } from '../../core/why/known-at.js';
import type { DuckDbSession } from './duckdb-session.js';
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
import type {
  AppliedMigration,
  BarBatch,
  BarMergeCounts,
  FreshBars,
  ImportedFile,
  BarMergeOptions,
  DuplicateBar,
  ImportLogEntry,
  ImportLogRow,
  MarketStore,
  MarketWriter,
  ObservationBatch,
  ObservationNote,
  StoreEngine,
  SymbolSummary,
} from './market-store.js';
import { PublishState, type SqlStatements } from './publish-state.js';
import { resolveIn, type SqlMarket, type SqlSession } from './sql-market.js';

const statements = (s: SqlSession): SqlStatements => ({
  query: (sql, params) => s.query(sql, params),
  exec: (sql, params) => s.run(sql, params),
});

/** The SqlMarket behind a transaction's `tx` handle (a scoped proxy of it). */
const marketOf = (tx: MarketWriter): SqlMarket => tx as SqlMarket;

/**
 * What both engines share above their connections: every MarketStore method as a read (`read`) or as a write in
 * its own transaction (`transaction`), and the symbol caches when the engine allows them.
 */
export abstract class SqlStore implements MarketStore {
  abstract readonly engine: StoreEngine;
  abstract readonly location: string;
  abstract readonly readOnly: boolean;
  abstract transaction<T>(fn: (tx: MarketWriter) => Promise<T>): Promise<T>;
  abstract withRunLock<T>(name: string, fn: () => Promise<T>, opts?: { timeoutMs?: number }): Promise<T>;
  abstract close(): void;
  /** Runs a read on the store's connection (DuckDB: queued behind a running transaction). */
  protected abstract read<T>(fn: (m: SqlMarket) => Promise<T>): Promise<T>;
  /**
   * True when nothing but this handle can write the store while it is open (an embedded DuckDB file): the symbol
   * listing is then computed once and dropped on this handle's writes, so a brief's ~50 lookups cost one pass.
   */
  protected abstract readonly cacheSymbols: boolean;

  private publish: PublishState | null = null;

  /** The publish layer's tables (run steps, archive, subscribers, outbox, alerts) on this store's engine. */
  publishState(): PublishState {
    this.publish ??= new PublishState({
      query: (sql, params) => this.read((m) => m.session.query(sql, params)),
      exec: (sql, params) => this.transaction((tx) => marketOf(tx).session.run(sql, params)),
      transaction: (fn) => this.transaction((tx) => fn(statements(marketOf(tx).session))),
    });
    return this.publish;
  }

  private symbolsCache: Promise<SymbolSummary[]> | null = null;
  private symbolIndexCache: Promise<Map<string, string[]>> | null = null;

  protected dropSymbolCaches(): void {
    this.symbolsCache = null;
    this.symbolIndexCache = null;
  }

  private write<T>(fn: (tx: MarketWriter) => Promise<T>): Promise<T> {
    return this.transaction(fn);
  }

  async listSymbols(only?: readonly string[]): Promise<SymbolSummary[]> {
    if (only) {
      const keys = new Set(only.map((x) => x.toLowerCase()));
      if (this.cacheSymbols && this.symbolsCache)
        return (await this.listSymbols()).filter((s) => keys.has(s.symbol.toLowerCase()));
      // Every stored spelling of each name (the index resolveSymbol reads), then a listing of just those.
      const index = await this.symbolIndex();
      const spellings = [...keys].flatMap((k) => index.get(k) ?? []);
      return spellings.length > 0 ? this.read((m) => m.listSymbols(spellings)) : [];
    }
    if (!this.cacheSymbols) return this.read((m) => m.listSymbols());
    this.symbolsCache ??= this.read((m) => m.listSymbols());
    const list = this.symbolsCache;
    try {
      return (await list).map((s) => ({ ...s, sources: [...s.sources] }));
    } catch (e) {
      if (this.symbolsCache === list) this.symbolsCache = null;
      throw e;
    }
  }

  async resolveSymbol(text: string): Promise<string | null> {
    if (!this.cacheSymbols) return this.read((m) => m.resolveSymbol(text));
    return resolveIn(await this.symbolIndex(), text);
  }

  /** Every stored spelling by its lower case (SqlReads.symbolIndex), cached like the listing. */
  private async symbolIndex(): Promise<Map<string, string[]>> {
    if (!this.cacheSymbols) return this.loadSymbolIndex();
    this.symbolIndexCache ??= this.loadSymbolIndex();
    const pending = this.symbolIndexCache;
    try {
      return await pending;
    } catch (e) {
      if (this.symbolIndexCache === pending) this.symbolIndexCache = null;
      throw e;
    }
  }

  /** Reads the symbol index from the store (an engine with a read cache answers from it). */
  protected loadSymbolIndex(): Promise<Map<string, string[]>> {
    return this.read((m) => m.symbolIndex());
  }

  isEmpty(): Promise<boolean> {
    return this.read((m) => m.isEmpty());
  }

  getInstrument(symbol: string): Promise<Instrument | null> {
    return this.read((m) => m.getInstrument(symbol));
  }
  loadBars(symbol: string, range?: { from?: string; to?: string }): Promise<Bar[]> {
    return this.read((m) => m.loadBars(symbol, range));
  }
  loadCloses(symbol: string, range?: { from?: string; to?: string }): Promise<CloseColumns> {
    return this.read((m) => m.loadCloses(symbol, range));
  }
  loadCloseBasis(symbol: string): Promise<DeclaredBasis | null> {
    return this.read((m) => m.loadCloseBasis(symbol));
  }
  loadCloseRanges(symbol: string, range?: { from?: string; to?: string }): Promise<CloseRange[]> {
    return this.read((m) => m.loadCloseRanges(symbol, range));
  }
  barSpan(symbol: string): Promise<{ first: string | null; last: string | null; n: number }> {
    return this.read((m) => m.barSpan(symbol));
  }
  barDateFromEnd(symbol: string, offset: number): Promise<string | null> {
    return this.read((m) => m.barDateFromEnd(symbol, offset));
  }
  loadCorporateActions(symbol: string): Promise<CorporateAction[]> {
    return this.read((m) => m.loadCorporateActions(symbol));
  }
  loadObservations(series: string, opts?: { asOf?: string }): Promise<Observation[]> {
    return this.read((m) => m.loadObservations(series, opts));
  }
  loadVintages(series: string, asOf?: string): Promise<Observation[]> {
    return this.read((m) => m.loadVintages(series, asOf));
  }
  loadNotes(series: string): Promise<Map<string, string>> {
    return this.read((m) => m.loadNotes(series));
  }
  seriesIds(prefix: string): Promise<string[]> {
    return this.read((m) => m.seriesIds(prefix));
  }
  importLog(): Promise<ImportLogRow[]> {
    return this.read((m) => m.importLog());
  }
  schemaVersion(): Promise<number> {
    return this.read((m) => m.schemaVersion());
  }
  migrations(): Promise<AppliedMigration[]> {
    return this.read((m) => m.migrations());
  }
  duplicateBars(): Promise<DuplicateBar[]> {
    return this.read((m) => m.duplicateBars());
  }

  upsertInstrument(i: Instrument): Promise<void> {
    return this.write((tx) => tx.upsertInstrument(i));
  }
  setCloseBasis(rows: readonly DeclaredBasis[]): Promise<void> {
    return this.write((tx) => tx.setCloseBasis(rows));
  }
  setSourceBasis(rows: readonly SourceBasis[]): Promise<void> {
    return this.write((tx) => tx.setSourceBasis(rows));
  }
  addInstruments(
    rows: readonly { symbol: string; kind: InstrumentKind }[],
    opts?: { overwriteKind?: boolean },
  ): Promise<void> {
    return this.write((tx) => tx.addInstruments(rows, opts));
  }
  mergeBars(batch: BarBatch, source: string, opts?: BarMergeOptions): Promise<BarMergeCounts> {
    return this.write((tx) => tx.mergeBars(batch, source, opts));
  }
  importedFile(path: string): Promise<ImportedFile | null> {
    return this.read((m) => m.importedFile(path));
  }
  recordImportedFile(f: ImportedFile): Promise<void> {
    return this.write((tx) => tx.recordImportedFile(f));
  }
  barsFingerprint(symbols: readonly string[]): Promise<string | null> {
    return this.read((m) => m.barsFingerprint(symbols));
  }
  mergeStagedBars(
    staged: { engine: DuckDbSession; table: string },
    source: string,
    opts?: BarMergeOptions,
  ): Promise<BarMergeCounts | null> {
    return this.write((tx) => tx.mergeStagedBars(staged, source, opts));
  }
  insertFreshBars(
    staged: { engine: DuckDbSession; select: string; symbol?: string },
    source: string,
  ): Promise<FreshBars | null> {
    return this.write((tx) => tx.insertFreshBars(staged, source));
  }
  upsertBars(
    symbol: string,
    bars: readonly Bar[],
    source: string,
    opts?: BarMergeOptions,
  ): Promise<BarMergeCounts> {
    return this.write((tx) => tx.upsertBars(symbol, bars, source, opts));
  }
  upsertCorporateActions(actions: readonly CorporateAction[]): Promise<WriteCounts> {
    return this.write((tx) => tx.upsertCorporateActions(actions));
  }
  mergeObservations(
    batch: ObservationBatch,
    opts?: { dryRun?: boolean; vintage?: VintageKind },
  ): Promise<WriteCounts> {
    return this.write((tx) => tx.mergeObservations(batch, opts));
  }
  upsertObservations(
    obs: readonly Observation[],
    opts?: { dryRun?: boolean; vintage?: VintageKind },
  ): Promise<WriteCounts> {
    return this.write((tx) => tx.upsertObservations(obs, opts));
  }
  upsertNotes(notes: readonly ObservationNote[]): Promise<void> {
    return this.write((tx) => tx.upsertNotes(notes));
  }
  logImport(e: ImportLogEntry): Promise<void> {
    return this.write((tx) => tx.logImport(e));
  }
}

/**
 * A transaction's handle: the SqlMarket on the transaction's connection, refusing every call once the transaction
 * has ended (a `tx` kept past its callback cannot write outside it).
 */
export function scopedWriter(market: SqlMarket, isOpen: () => boolean): MarketWriter {
  return new Proxy(market, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (!isOpen()) throw new Error(`tx.${String(prop)}: the transaction is over; use the store`);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
