/**
 * The import benchmark: generates a market (CSV and Parquet), imports each file into a fresh store with the
 * project's importer (each import in its own child process), repeats the CSV import into the same store (the
 * idempotent path), and runs the pandas peer's load on the same CSV when pandas is there.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { csvToParquet } from '../../data/export/convert.js';
import { END_YEAR, type BenchOptions } from '../args.js';
import { runPeer } from '../peer.js';
import { writeSyntheticCsv } from '../synthetic-csv.js';
import {
  figure,
  freshStore,
  gc,
  log,
  message,
  runImport,
  runRawImport,
  targetRatio,
  withRate,
  type Step,
} from '../workers.js';

/** The import benchmark (see the file comment); fills `report`. */
export async function importBench(
  opts: BenchOptions,
  dir: string,
  report: Record<string, unknown>,
): Promise<void> {
  const from = `${END_YEAR - opts.years + 1}-01-01`;
  const to = `${END_YEAR}-12-31`;
  const csv = join(dir, 'universe.csv');
  const parquet = join(dir, 'universe.parquet');
  log(`generating ${opts.symbols} symbols, ${from}..${to}, seed ${opts.seed} into ${dir}`);
  gc();
  const g0 = performance.now();
  const summary = await writeSyntheticCsv({ symbols: opts.symbols, from, to, seed: opts.seed, out: csv });
  const csvMs = performance.now() - g0;
  log(
    `CSV: ${summary.bars} bars, ${(summary.bytes / 2 ** 20).toFixed(0)} MiB in ${(csvMs / 1000).toFixed(1)} s`,
  );
  const p0 = performance.now();
  let parquetBytes: number | null = null;
  let parquetError: string | null = null;
  try {
    await csvToParquet(csv, parquet);
    parquetBytes = (await stat(parquet)).size;
  } catch (e) {
    parquetError = message(e);
  }
  const parquetMs = performance.now() - p0;
  report['dataset'] = {
    symbols: summary.symbols,
    sessions: summary.sessions,
    bars: summary.bars,
    from,
    to,
    seed: opts.seed,
    splits: summary.splits,
    dividends: summary.dividends,
    csv_bytes: summary.bytes,
    parquet_bytes: parquetBytes,
  };
  report['generate'] = {
    wall_ms: Math.round(csvMs),
    rows_per_s: Math.round((summary.bars / csvMs) * 1000),
    parquet_convert_ms: Math.round(parquetMs),
    ...(parquetError ? { parquet_error: parquetError } : {}),
  };

  const bars = summary.bars;
  const dbCsv = join(dir, 'import-csv.duckdb');
  const dbParquet = join(dir, 'import-parquet.duckdb');
  const dbRaw = join(dir, 'raw-duckdb.duckdb');
  const raw: Step = {
    note: "DuckDB's own reader into one table of a fresh DuckDB file, nothing checked (raw-import-worker.js)",
  };
  log('baseline: raw DuckDB read_csv of the CSV into a table');
  raw['csv'] = await runRawImport(csv, dbRaw);
  log('importing the CSV into a fresh store');
  // Fresh even under --keep, which reuses the generated files but never a store an earlier run filled.
  report['import_csv'] = withRate(await runImport(csv, await freshStore(dbCsv)), bars);
  log('importing the same CSV again into the same store');
  report['import_csv_repeat'] = withRate(await runImport(csv, dbCsv), bars);
  if (parquetError) report['import_parquet'] = { error: `no Parquet file: ${parquetError}` };
  else {
    log('baseline: raw DuckDB read_parquet of the Parquet file into a table');
    raw['parquet'] = await runRawImport(parquet, dbRaw);
    log('importing the Parquet file into a fresh store');
    report['import_parquet'] = withRate(await runImport(parquet, await freshStore(dbParquet)), bars);
  }
  await freshStore(dbRaw);
  report['import_raw_duckdb'] = raw;
  report['import_targets'] = importTargets(report, raw);

  report['engines'] = await engineImports(opts, csv, parquetError ? null : parquet, bars, report);

  log('peer (pandas) on the same CSV');
  const run = await runPeer(opts, csv);
  const peer: Step = run.peer;
  const measured = run.compat && !('error' in run.compat) ? run.compat : run.peer;
  const timings = measured['timings'] as Record<string, number> | undefined;
  const ours = report['import_csv'] as Step;
  if (timings && typeof timings['load_ms'] === 'number') {
    peer['vs_import_csv'] = {
      measured_with: measured === run.peer ? 'import_peer' : 'import_peer_compat',
      peer_load_ms: timings['load_ms'],
      import_csv_wall_ms: ours['wall_ms'] ?? null,
      peer_peak_rss_mb: measured['peak_rss_mb'] ?? null,
      import_csv_peak_rss_mb: ours['peak_rss_mb'] ?? null,
      note: 'pandas load = read + pivot in memory; import = validate + write a persistent store',
    };
  }
  report['import_peer'] = peer;
  if (run.compat) report['import_peer_compat'] = run.compat;
}

/**
 * Issue 16's import targets, as ratios of this run: rows/s of each import over the raw DuckDB load of the same
 * file (>= 0.8), their peak RSS over raw DuckDB's (<= 2), and the first import's wall time over the repeat's
 * (>= 3: re-importing unchanged files).
 */
function importTargets(report: Record<string, unknown>, raw: Step): Step {
  const vsRaw = (ours: unknown, base: unknown): Step => ({
    rows_per_s: targetRatio(figure(ours, 'rows_per_s'), figure(base, 'rows_per_s'), 0.8, true, {
      import_rows_per_s: figure(ours, 'rows_per_s'),
      raw_rows_per_s: figure(base, 'rows_per_s'),
    }),
    peak_rss: targetRatio(figure(ours, 'peak_rss_mb'), figure(base, 'peak_rss_mb'), 2, false, {
      import_peak_rss_mb: figure(ours, 'peak_rss_mb'),
      raw_peak_rss_mb: figure(base, 'peak_rss_mb'),
    }),
  });
  const first = figure(report['import_csv'], 'wall_ms');
  const again = figure(report['import_csv_repeat'], 'wall_ms');
  return {
    csv_vs_raw_duckdb: vsRaw(report['import_csv'], raw['csv']),
    parquet_vs_raw_duckdb: vsRaw(report['import_parquet'], raw['parquet']),
    reimport_speedup: targetRatio(first, again, 3, true, {
      first_import_wall_ms: first,
      repeat_import_wall_ms: again,
    }),
  };
}

const rate = (step: unknown): unknown =>
  step && typeof step === 'object' ? ((step as Step)['rows_per_s'] ?? (step as Step)['error'] ?? null) : null;

/**
 * The same imports on PostgreSQL (`--pg`), each into an emptied database, and the rates of both engines side by
 * side (rows per second; the DuckDB figures are the ones measured above, in the same run).
 */
async function engineImports(
  opts: BenchOptions,
  csv: string,
  parquet: string | null,
  bars: number,
  report: Record<string, unknown>,
): Promise<Step> {
  const duckdb = {
    csv_rows_per_s: rate(report['import_csv']),
    csv_repeat_rows_per_s: rate(report['import_csv_repeat']),
    parquet_rows_per_s: rate(report['import_parquet']),
  };
  if (!opts.pg)
    return { duckdb, postgres: { skipped: 'no PostgreSQL: pass --pg URL or set ROTATION_BENCH_PG' } };
  log('importing the CSV into PostgreSQL (emptied first)');
  const csvStep = withRate(await runImport(csv, await freshStore(opts.pg)), bars);
  log('importing the same CSV again into PostgreSQL');
  const repeat = withRate(await runImport(csv, opts.pg), bars);
  let parquetStep: Step = { error: 'no Parquet file' };
  if (parquet) {
    log('importing the Parquet file into PostgreSQL (emptied first)');
    parquetStep = withRate(await runImport(parquet, await freshStore(opts.pg)), bars);
  }
  return {
    duckdb,
    postgres: {
      csv_rows_per_s: rate(csvStep),
      csv_repeat_rows_per_s: rate(repeat),
      parquet_rows_per_s: rate(parquetStep),
      import_csv: csvStep,
      import_csv_repeat: repeat,
      import_parquet: parquetStep,
    },
  };
}
