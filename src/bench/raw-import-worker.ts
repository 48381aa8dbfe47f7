/**
 * The raw DuckDB baseline of the import benchmark, alone in its process so that its peak memory is its own:
 *
 *   node dist/bench/raw-import-worker.js DB FILE
 *
 * Creates the DuckDB file DB (which must not exist), loads FILE into one table with DuckDB's own reader and no
 * checks (`rawDuckDbLoad`), closes it and prints one JSON line: wall time (open + load + close), rows, peak RSS.
 */
import { existsSync, statSync } from 'node:fs';
import { rawDuckDbLoad } from '../data/ingest/stage-raw.js';

async function main(): Promise<void> {
  const [db, file] = process.argv.slice(2);
  if (!db || !file) {
    process.stderr.write('usage: node dist/bench/raw-import-worker.js DB FILE\n');
    process.exitCode = 2;
    return;
  }
  if (existsSync(db)) throw new Error(`${db} exists: the baseline loads into a fresh file`);
  const started = performance.now();
  const rows = await rawDuckDbLoad(db, file);
  const wallMs = performance.now() - started;
  process.stdout.write(
    JSON.stringify({
      wall_ms: Math.round(wallMs),
      rows,
      rows_per_s: Math.round((rows / wallMs) * 1000),
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
      db_bytes: statSync(db).size,
    }) + '\n',
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
