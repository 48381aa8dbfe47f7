import { DuckDbSession } from '../store/duckdb-session.js';
import { DuckDbStore, type Store } from '../store/store.js';

/**
 * The ingest engine: a DuckDB connection, one per import or sync run, where files are read, staged and validated
 * with SQL (read_csv, read_parquet, row checks). Only validated rows leave it, handed to the store
 * (MarketWriter.mergeStagedBars, else batches through mergeBars / mergeObservations), whatever the store's engine.
 *
 * For a writable DuckDB store it is a view of the store's own connection (DuckDbStore.ingestSession): the staged
 * tables are TEMP tables beside the store, created inside the file's transaction (a failed file leaves nothing,
 * not even its staging), and the checked rows reach `bars` with one INSERT … SELECT. For PostgreSQL (and a
 * read-only DuckDB) it is an in-memory DuckDB of its own.
 */
export type IngestEngine = DuckDbSession;

export function openIngestEngine(store?: Store): Promise<IngestEngine> {
  const shared = store instanceof DuckDbStore ? store.ingestSession() : null;
  return shared ? Promise.resolve(shared) : DuckDbSession.open(':memory:');
}

/** Runs `fn` with a fresh ingest engine and closes it. */
export async function withIngestEngine<T>(fn: (engine: IngestEngine) => Promise<T>): Promise<T> {
  const engine = await openIngestEngine();
  try {
    return await fn(engine);
  } finally {
    engine.close();
  }
}
