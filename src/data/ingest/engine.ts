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

/** How far a large file's loading is: bytes read of the file's size, then its rows once read. */
export type FileProgress = {
  /** `read`: the file is being read (bytes from DuckDB's estimate); `check`: read, rows being checked and written. */
  phase: 'read' | 'check';
  bytesRead: number;
  totalBytes: number;
  /** Rows staged (known once read). */
  rows: number | null;
};

/** How often a long statement's progress is read, ms. */
const PROGRESS_EVERY_MS = 250;

/**
 * Runs `statement` on `engine` and, while it runs, reports DuckDB's own estimate of how far it is as bytes of a
 * file of `totalBytes` (every PROGRESS_EVERY_MS, only when the estimate moved). Without `report`, just runs it.
 */
export async function withReadProgress<T>(
  engine: IngestEngine,
  totalBytes: number,
  report: ((p: FileProgress) => void) | undefined,
  statement: () => Promise<T>,
): Promise<T> {
  if (!report) return statement();
  await engine.exec('SET enable_progress_bar = true; SET enable_progress_bar_print = false');
  let last = -1;
  const timer = setInterval(() => {
    const { percentage } = engine.progress();
    if (percentage <= last || percentage < 0) return;
    last = percentage;
    report({
      phase: 'read',
      bytesRead: Math.min(totalBytes, Math.round((percentage / 100) * totalBytes)),
      totalBytes,
      rows: null,
    });
  }, PROGRESS_EVERY_MS);
  timer.unref();
  try {
    return await statement();
  } finally {
    clearInterval(timer);
    // After a failed read the file's transaction is aborted and refuses any statement until it is rolled back;
    // the setting then stays on, which only keeps DuckDB counting (it prints nothing).
    await engine.exec('RESET enable_progress_bar').catch(() => undefined);
  }
}
