/**
 * One import, alone in its process, so that its peak memory is its own:
 *
 *   node dist/bench/import-worker.js DB TODAY FILE [FILE...]
 *
 * Opens (or creates) the store DB, imports the FILEs (one call of `importPaths`, as `rotation import` does) with
 * the project's importer (rows dated after TODAY are refused), closes the store and prints one
 * JSON line on stdout: wall time (open + import + close), peak RSS, the write counts and the bars now stored.
 */
import { stat } from 'node:fs/promises';
import { importPaths, type FileOutcome } from '../data/ingest/import.js';
import { isPostgresUrl, Store } from '../data/store/store.js';

export type ImportWorkerResult = {
  wall_ms: number;
  import_ms: number;
  peak_rss_mb: number;
  added: number;
  updated: number;
  unchanged: number;
  failed_files: number;
  bars_in_store: number;
  /** The store file's size; null on PostgreSQL (a server, not a file). */
  db_bytes: number | null;
  /** The importer's outcomes, without their per-file warning lists. */
  outcomes: FileOutcome[];
};

function count(outcome: FileOutcome, key: 'added' | 'updated' | 'unchanged'): number {
  return outcome.ok ? outcome[key] : 0;
}

async function main(): Promise<void> {
  const [db, today, ...files] = process.argv.slice(2);
  if (!db || !today || files.length === 0) {
    process.stderr.write('usage: node dist/bench/import-worker.js DB TODAY FILE [FILE...]\n');
    process.exitCode = 2;
    return;
  }
  const started = performance.now();
  const store = await Store.open(db);
  let importMs = 0;
  let outcomes: FileOutcome[] = [];
  let barsInStore = 0;
  let countMs = 0;
  try {
    const t0 = performance.now();
    outcomes = await importPaths(store, files, { today });
    importMs = performance.now() - t0;
    // Counting what is stored checks the import; it is not part of the timed work.
    const t1 = performance.now();
    barsInStore = (await store.listSymbols())
      .filter((s) => s.table === 'bars')
      .reduce((a, s) => a + s.rows, 0);
    countMs = performance.now() - t1;
  } finally {
    store.close();
  }
  const wallMs = performance.now() - started - countMs;
  const result: ImportWorkerResult = {
    wall_ms: Math.round(wallMs),
    import_ms: Math.round(importMs),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    added: outcomes.reduce<number>((a, o) => a + count(o, 'added'), 0),
    updated: outcomes.reduce<number>((a, o) => a + count(o, 'updated'), 0),
    unchanged: outcomes.reduce<number>((a, o) => a + count(o, 'unchanged'), 0),
    failed_files: outcomes.filter((o) => !o.ok).length,
    bars_in_store: barsInStore,
    db_bytes: isPostgresUrl(db) ? null : (await stat(db)).size,
    outcomes: outcomes.map((o) => (o.ok ? { ...o, warnings: o.warnings.slice(0, 5) } : o)),
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
