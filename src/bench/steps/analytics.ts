/**
 * The analytics benchmark: a 3,000-symbol x 25-year universe, the analytics worker on it (the pandas peer's steps
 * and the product's own analytics with the core functions) and the pandas peer on the SAME file, side by side
 * with their checksums.
 */
import { existsSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { csvToParquet } from '../../data/export/convert.js';
import { END_YEAR, type BenchOptions } from '../args.js';
import { canReadParquet, compareWithPeer, PEER_PUBLISHED, pythonWithPandas, runPeer } from '../peer.js';
import { writeSyntheticCsv, type SyntheticCsvSummary } from '../synthetic-csv.js';
import { gc, log, runAnalyticsWorker } from '../workers.js';

/**
 * Generates the analytics universe into `dir` (CSV; Parquet too when `parquet`), or reuses the files a previous
 * run left there with the same parameters (`<file>.json` holds the generator's summary).
 */
export async function analyticsUniverse(
  opts: BenchOptions,
  dir: string,
  parquet: boolean,
): Promise<{
  file: string;
  /** The CSV the file was made from (the file itself without Parquet). */
  csv: string;
  summary: SyntheticCsvSummary;
  reused: boolean;
  generate_ms: number;
  parquet_convert_ms: number | null;
}> {
  const from = `${END_YEAR - opts.analyticsYears + 1}-01-01`;
  const to = `${END_YEAR}-12-31`;
  const base = join(dir, `analytics-${opts.analyticsSymbols}x${opts.analyticsYears}-seed${opts.seed}`);
  const csv = `${base}.csv`;
  const pq = `${base}.parquet`;
  const file = parquet ? pq : csv;
  const meta = `${csv}.json`;
  if (existsSync(meta) && existsSync(file)) {
    const summary = JSON.parse(await readFile(meta, 'utf8')) as SyntheticCsvSummary;
    log(`analytics: reusing ${file}`);
    return { file, csv, summary, reused: true, generate_ms: 0, parquet_convert_ms: null };
  }
  log(`analytics: generating ${opts.analyticsSymbols} symbols, ${from}..${to}, seed ${opts.seed}`);
  const g0 = performance.now();
  const summary = await writeSyntheticCsv({
    symbols: opts.analyticsSymbols,
    from,
    to,
    seed: opts.seed,
    out: csv,
  });
  const generateMs = Math.round(performance.now() - g0);
  let convertMs: number | null = null;
  if (parquet) {
    const p0 = performance.now();
    await csvToParquet(csv, pq);
    convertMs = Math.round(performance.now() - p0);
  }
  await writeFile(meta, JSON.stringify(summary) + '\n');
  return { file, csv, summary, reused: false, generate_ms: generateMs, parquet_convert_ms: convertMs };
}

/** The analytics benchmark (see the file comment); fills `report`. */
export async function analyticsBench(
  opts: BenchOptions,
  dir: string,
  report: Record<string, unknown>,
): Promise<void> {
  // The peer and our worker read the SAME file: Parquet when the peer's pandas can read it, else the CSV.
  const py = pythonWithPandas();
  const parquet = py !== null && canReadParquet(py);
  const u = await analyticsUniverse(opts, dir, parquet);
  const stats = await stat(u.file);
  report['analytics_dataset'] = {
    file: u.file,
    format: parquet ? 'parquet' : 'csv',
    format_reason: parquet
      ? "the peer's pandas reads Parquet"
      : py
        ? "the peer's pandas has no Parquet engine (pyarrow/fastparquet): both read the CSV"
        : 'no pandas: CSV',
    bytes: stats.size,
    symbols: u.summary.symbols,
    sessions: u.summary.sessions,
    bars: u.summary.bars,
    from: `${END_YEAR - opts.analyticsYears + 1}-01-01`,
    to: `${END_YEAR}-12-31`,
    seed: opts.seed,
    reused: u.reused,
    generate_ms: u.generate_ms,
    parquet_convert_ms: u.parquet_convert_ms,
  };
  const primary = await compareOn(opts, u.file, parquet ? 'parquet' : 'csv');
  report['analytics'] = primary.ours;
  report['peer'] = primary.peer;
  if (primary.compat) report['peer_compat'] = primary.compat;
  report['peer_published'] = PEER_PUBLISHED;
  if (primary.vs) report['vs_peer'] = primary.vs;
  if ('error' in primary.ours) return;
  // The target holds for both formats: with Parquet read, both sides also read the CSV it was made from.
  if (parquet) {
    const csv = await compareOn(opts, u.csv, 'csv');
    report['csv_run'] = {
      file: u.csv,
      analytics: csv.ours,
      peer: csv.peer,
      ...(csv.compat ? { peer_compat: csv.compat } : {}),
      ...(csv.vs ? { vs_peer: csv.vs } : {}),
    };
  }
  const ours = primary.ours;
  if (u.summary.symbols < 3000 || u.summary.sessions < 6000) {
    report['vs_peer_published'] = {
      note: 'not compared: the published figures are for 3,000 symbols x 6,300 sessions; this universe is smaller',
    };
    return;
  }
  report['vs_peer_published'] = {
    note: 'against figures NOT measured here (pandas 3.0, Parquet, 6,300 sessions): indicative only',
    speedup_total: Math.round((PEER_PUBLISHED.timings.total_ms / ours.peer_workload_ms) * 100) / 100,
    speedup_load: Math.round((PEER_PUBLISHED.timings.load_ms / (ours.steps['load_ms'] ?? NaN)) * 100) / 100,
    peak_rss_ratio: Math.round((PEER_PUBLISHED.peak_rss_mb / ours.peak_rss_mb) * 100) / 100,
  };
}

/** Our worker, then the peer, on one file; the comparison when both ran. */
async function compareOn(opts: BenchOptions, file: string, format: 'csv' | 'parquet') {
  log(`analytics: our worker (${format})`);
  gc();
  const ours = await runAnalyticsWorker(file);
  log(`analytics: the pandas peer on the same file (${format})`);
  const run = await runPeer(opts, file);
  const measured = !('error' in run.peer) && !('skipped' in run.peer) ? run.peer : run.compat;
  const vs =
    'error' in ours
      ? null
      : measured && !('error' in measured)
        ? {
            against: measured === run.peer ? 'peer (measured here)' : 'peer_compat (measured here)',
            ...compareWithPeer(ours, measured),
          }
        : { against: null, note: 'the peer could not be measured here; see peer_published' };
  return { ours, peer: run.peer, compat: run.compat, vs };
}
