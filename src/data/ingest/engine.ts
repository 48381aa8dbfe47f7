import { DuckDbSession } from '../store/duckdb-session.js';

/**
 * The ingest engine: an in-memory DuckDB, one per import or sync run, where files are read, staged and validated
 * with SQL (read_csv, read_parquet, row checks). Only validated rows leave it, as batches handed to the store
 * (MarketWriter.mergeBars / mergeObservations), whatever the store's engine.
 */
export type IngestEngine = DuckDbSession;

export function openIngestEngine(): Promise<IngestEngine> {
  return DuckDbSession.open(':memory:');
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
