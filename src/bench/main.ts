/**
 * `npm run bench`: three benchmarks, ONE JSON object on stdout (progress on stderr).
 *
 * - import: generates a market (CSV and Parquet), imports each file into a fresh store with the project's
 *   importer (each import in its own child process, so its peak memory is its own), repeats the CSV import into
 *   the same store (the idempotent path), and runs the pandas peer's load on the same CSV when pandas is there.
 * - analytics: generates a 3,000-symbol x 25-year universe, runs the analytics worker on it (the pandas peer's
 *   steps and the product's own analytics with the core functions) and the pandas peer on the SAME file, and puts
 *   both side by side with their checksums.
 * - brief: `generateBrief` (what `rotation brief` runs) on the default universe (shared/data imported into a temp
 *   store) as of 2026-01-12 and the latest session, and on the generated 3,000-symbol universe (the analytics
 *   file imported into a temp store) with a config for the synthetic market; each import and each brief in its
 *   own child process.
 *
 *   npm run bench                                   # all three
 *   npm run bench -- --only brief                   # the brief only
 *   npm run bench -- --only analytics --keep /tmp/bench-files   # reuse the generated universe next time
 *   npm run bench -- --quick                        # small data sets, a smoke test
 *   node --expose-gc dist/bench/main.js --symbols 2000 --years 10 --seed 7 --keep /tmp/bench-files
 */
import { parsePositiveInt } from '../core/positive-int.js';
import { runScript } from './script.js';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_CONFIG } from '../data/config.js';
import { csvToParquet } from '../data/export/convert.js';
import { UsageError } from '../shared/errors.js';
import type { AnalyticsWorkerResult } from './analytics-worker.js';
import { syntheticBriefConfig, universeFiles } from './brief-bench.js';
import type { BriefWorkerSpec } from './brief-worker.js';
import type { ImportWorkerResult } from './import-worker.js';
import { writeSyntheticCsv, type SyntheticCsvSummary } from './synthetic-csv.js';

/** The last year of the synthetic range: fixed, so a run does not depend on the clock. */
const END_YEAR = 2025;
/** The importer's "today" (bars after it would be rejected as future-dated). */
const TODAY = `${END_YEAR + 1}-01-02`;

export type BenchOnly = 'import' | 'analytics' | 'brief';

/** The importer's "today" for the shared data (last row 2026-08-21): fixed, so a run does not depend on the clock. */
const SHARED_DATA_TODAY = '2026-11-24';

/** The brief's as-of dates on the default universe: the 7th session of 2026, and null (the latest session). */
export const DEFAULT_BRIEF_AS_OF = ['2026-01-12', null] as const;

/** The claim checked in the default-universe briefs (the one quoted in January 2026; see docs/brief.md). */
const QUOTED_CLAIM =
  'the Russell 2000 beat the Nasdaq-100 over the first 7 sessions of 2026 for the first time since 2019';

export type BenchOptions = {
  symbols: number;
  years: number;
  seed: number;
  keep: string | null;
  peer: string | null;
  /** The shared data folder for the brief benchmark (default: shared/data beside the project). */
  data: string | null;
  /** Run one benchmark only (default: all three). */
  only: BenchOnly | null;
  /** The analytics universe (default 3,000 symbols x 25 years). */
  analyticsSymbols: number;
  analyticsYears: number;
};

type Step = Record<string, unknown>;

const here = dirname(fileURLToPath(import.meta.url));

const USAGE = `usage: node --expose-gc dist/bench/main.js [--only import|analytics|brief] [--symbols N] [--years N]
                                              [--seed N] [--analytics-symbols N] [--analytics-years N]
                                              [--keep DIR] [--quick] [--peer PATH] [--data DIR]

Benchmarks, on a deterministic synthetic market, (1) the import of 1000 symbols x 25 years (about 5.1M bars)
from CSV and Parquet, (2) the analytics (the pandas peer's workload and the product's own: race history,
precedents, odds, RRG, breadth) over 3000 symbols x 25 years (about 15M bars), side by side with the pandas peer
run on the same file when some python3 has pandas, and (3) the brief (rotation brief) on the default universe
(shared/data) and on the 3000-symbol universe. Prints one JSON object.

  --only WHICH            run only the import, the analytics or the brief benchmark (default: all three)
  --symbols/--years N     the import data set (default 1000 x 25)
  --analytics-symbols/--analytics-years N   the analytics universe (default 3000 x 25)
  --quick                 50 symbols x 5 years for both: a smoke test
  --keep DIR              write the files (and stores) to DIR and keep them; a universe already in DIR is reused
  --peer PATH             the peer script (default: shared/bench/peer_pandas.py beside the project)
  --data DIR              the default universe's data (default: shared/data beside the project)`;

function log(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

/** Parses the bench flags; throws UsageError. */
export function parseBenchArgs(argv: readonly string[]): BenchOptions | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        symbols: { type: 'string' },
        years: { type: 'string' },
        seed: { type: 'string', default: '42' },
        keep: { type: 'string' },
        quick: { type: 'boolean', default: false },
        peer: { type: 'string' },
        data: { type: 'string' },
        only: { type: 'string' },
        'analytics-symbols': { type: 'string' },
        'analytics-years': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (e) {
    throw new UsageError((e as Error).message, 'see --help');
  }
  const v = parsed.values;
  if (v.help) return 'help';
  const seed = Number(v.seed);
  if (!Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, got "${v.seed}"`);
  const yearsOf = (text: string | undefined, flag: string): number => {
    const y = text === undefined ? (v.quick ? 5 : 25) : parsePositiveInt(flag, text);
    if (END_YEAR - y + 1 < 1980) throw new UsageError(`${flag} ${y} reaches before the calendar (1980)`);
    return y;
  };
  const years = yearsOf(v.years, '--years');
  const analyticsYears = yearsOf(v['analytics-years'], '--analytics-years');
  if (v.only !== undefined && v.only !== 'import' && v.only !== 'analytics' && v.only !== 'brief')
    throw new UsageError(`--only must be import, analytics or brief, got "${v.only}"`);
  const symbolsOf = (text: string | undefined, flag: string, full: number): number => {
    const n = text === undefined ? (v.quick ? 50 : full) : parsePositiveInt(flag, text);
    if (flag === '--analytics-symbols' && n < 13)
      throw new UsageError(`${flag} must be at least 13 (the index, 11 sectors and a stock), got ${n}`);
    return n;
  };
  return {
    symbols: symbolsOf(v.symbols, '--symbols', 1000),
    years,
    seed,
    keep: v.keep ?? null,
    peer: v.peer ?? null,
    data: v.data ?? null,
    only: (v.only as BenchOnly | undefined) ?? null,
    analyticsSymbols: symbolsOf(v['analytics-symbols'], '--analytics-symbols', 3000),
    analyticsYears,
  };
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Runs one import in a child process and returns the worker's JSON plus the child's own wall time. */
async function runImport(files: string | string[], db: string, today = TODAY): Promise<Step> {
  const paths = typeof files === 'string' ? [files] : files;
  const out = await runWorker('import-worker.js', [db, today, ...paths]);
  if ('error' in out) return out;
  const r = out as unknown as ImportWorkerResult & { process_ms: number };
  const step: Step = {
    wall_ms: r.wall_ms,
    import_ms: r.import_ms,
    process_ms: r.process_ms,
    peak_rss_mb: r.peak_rss_mb,
    added: r.added,
    updated: r.updated,
    unchanged: r.unchanged,
    bars_in_store: r.bars_in_store,
    db_bytes: r.db_bytes,
    warnings: r.outcomes.flatMap((o) => (o.ok ? o.warnings : [])),
  };
  if (r.failed_files > 0)
    step['error'] = `${r.failed_files} file(s) failed: ${JSON.stringify(r.outcomes).slice(0, 500)}`;
  return step;
}

function withRate(step: Step, bars: number): Step {
  const ms = step['wall_ms'];
  if (typeof ms !== 'number' || ms <= 0) return step;
  return { ...step, rows_per_s: Math.round((bars / ms) * 1000) };
}

/** The first python3 on the list that can import pandas, or null. */
export function pythonWithPandas(): string | null {
  for (const py of ['python3', '/usr/bin/python3', 'python']) {
    const r = spawnSync(py, ['-c', 'import pandas'], { stdio: 'ignore', timeout: 30_000 });
    if (r.status === 0) return py;
  }
  return null;
}

/** Whether `py`'s pandas can read Parquet (it needs pyarrow or fastparquet). */
function canReadParquet(py: string): boolean {
  for (const engine of ['pyarrow', 'fastparquet']) {
    const r = spawnSync(py, ['-c', `import ${engine}`], { stdio: 'ignore', timeout: 30_000 });
    if (r.status === 0) return true;
  }
  return false;
}

export function findPeerScript(explicit: string | null): string | null {
  const candidates = explicit
    ? [resolve(explicit)]
    : [
        resolve(here, '../../../shared/bench/peer_pandas.py'),
        resolve(process.cwd(), '../shared/bench/peer_pandas.py'),
        '/work/shared/bench/peer_pandas.py',
      ];
  return candidates.find((p) => existsSync(p)) ?? null;
}

/**
 * Runs the peer script UNCHANGED, with one library call restored to its pandas >= 2.0 behaviour: from pandas 2.0,
 * `groupby().nth(n)` is a filter that keeps the original (date) index, which the peer relies on
 * (`first7.index.year`); before 2.0 it returned the group keys and the peer fails. The shim selects the same rows
 * (position n within each group) the way pandas 2 does; nothing else is touched, and on pandas >= 2 it does nothing.
 */
export const PANDAS2_NTH_SHIM = `
import runpy, sys
import pandas as pd
from pandas.core.groupby.generic import DataFrameGroupBy
if int(pd.__version__.split('.')[0]) < 2:
    def _nth(self, n, dropna=None):
        return self._selected_obj[(self.cumcount() == n).to_numpy()]
    DataFrameGroupBy.nth = _nth
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name='__main__')
`;

/** The published peer figures (shared/bench/README.md), for when the peer cannot be measured here. */
const PEER_PUBLISHED = {
  note: 'NOT measured here: the figures published in shared/bench/README.md (another 2-core machine, pandas 3.0, Parquet)',
  symbols: 3000,
  sessions: 6300,
  bars: 18_900_000,
  timings: { load_ms: 8800, analytics_ms: 2900, breadth_ms: 2550, total_ms: 11700 },
  peak_rss_mb: 2600,
};

type PeerRun = { peer: Step; compat: Step | null };

async function runPython(py: string, args: string[]): Promise<Step> {
  const started = performance.now();
  const child = spawn(py, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const code = await new Promise<number | null>((res, rej) => {
    child.once('error', rej);
    child.once('close', res);
  });
  const processMs = Math.round(performance.now() - started);
  if (code !== 0)
    return {
      error: `peer exited with ${code}: ${stderr.trim().split('\n').at(-1) ?? 'no message'}`,
      process_ms: processMs,
    };
  try {
    return { ...(JSON.parse(stdout) as Step), process_ms: processMs };
  } catch (e) {
    return { error: `peer printed no JSON: ${message(e)}`, process_ms: processMs };
  }
}

/**
 * Runs the pandas peer on `file`: first exactly as published; if that fails, once more with the pandas-2 `nth`
 * shim (PANDAS2_NTH_SHIM) so that its timings and checksums can still be measured on this machine.
 */
async function runPeer(opts: BenchOptions, file: string): Promise<PeerRun> {
  const script = findPeerScript(opts.peer);
  if (!script)
    return {
      peer: { skipped: 'peer script not found (shared/bench/peer_pandas.py); pass --peer PATH' },
      compat: null,
    };
  const py = pythonWithPandas();
  if (!py)
    return {
      peer: { skipped: 'pandas not installed (apt-get install python3-pandas, or pip install pandas)' },
      compat: null,
    };
  log(`peer: ${py} ${script} ${file}`);
  const args = [file, '--bench', 'S0000'];
  const peer = { python: py, file, ...(await runPython(py, [script, ...args])) };
  if (!('error' in peer)) return { peer, compat: null };
  log(`peer failed (${String(peer.error)}); again with the pandas-2 nth shim`);
  const compat = await runPython(py, ['-c', PANDAS2_NTH_SHIM, script, ...args]);
  return {
    peer,
    compat: {
      note: 'the unchanged peer script, run with groupby().nth() given its pandas >= 2.0 behaviour (the peer was written for pandas 2/3; see PANDAS2_NTH_SHIM in src/bench/main.ts)',
      python: py,
      file,
      ...compat,
    },
  };
}

/** Relative difference |a - b| / max(|a|, |b|); 0 when equal (both null included); Infinity when one is null. */
export function relativeDifference(a: unknown, b: unknown): number {
  if (a === null && b === null) return 0;
  if (typeof a !== 'number' || typeof b !== 'number') return Infinity;
  if (a === b) return 0;
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
}

/** Checksums agree when every relative difference is within this (floating-point summation order only). */
export const CHECKSUM_TOLERANCE = 1e-9;

/** Our analytics against a peer's run: speed-ups (peer / ours) per step and in total, and the checksums. */
export function compareWithPeer(ours: AnalyticsWorkerResult, peer: Step): Step {
  const timings = (peer['timings'] ?? {}) as Record<string, number>;
  const perStep: Record<string, number | null> = {};
  for (const k of ['load_ms', 'returns_ms', 'year_start_ms', 'breadth_ms', 'drawdown_ms', 'rrg_ms']) {
    const p = timings[k];
    const o = ours.steps[k];
    perStep[k.replace(/_ms$/, '')] =
      typeof p === 'number' && typeof o === 'number' && o > 0 ? Math.round((p / o) * 100) / 100 : null;
  }
  const theirs = (peer['checksums'] ?? {}) as Record<string, unknown>;
  const differences: Record<string, { ours: unknown; peer: unknown; relative: number }> = {};
  let match = true;
  for (const [k, v] of Object.entries(ours.checksums)) {
    const rel = relativeDifference(v, theirs[k] ?? null);
    if (!(rel <= CHECKSUM_TOLERANCE)) match = false;
    differences[k] = { ours: v, peer: theirs[k] ?? null, relative: rel === Infinity ? -1 : rel };
  }
  const total = timings['total_ms'];
  return {
    speedup_total: typeof total === 'number' ? Math.round((total / ours.peer_workload_ms) * 100) / 100 : null,
    speedup_analytics_only:
      typeof total === 'number' && typeof timings['load_ms'] === 'number'
        ? Math.round(
            ((total - timings['load_ms']) / (ours.peer_workload_ms - (ours.steps['load_ms'] ?? 0))) * 100,
          ) / 100
        : null,
    speedup_per_step: perStep,
    peak_rss_ratio:
      typeof peer['peak_rss_mb'] === 'number'
        ? Math.round((peer['peak_rss_mb'] / ours.peak_rss_mb) * 100) / 100
        : null,
    checksums_match: match,
    checksum_tolerance: CHECKSUM_TOLERANCE,
    checksum_differences: differences,
  };
}

/** Runs the analytics worker in a child process and returns its JSON (or `{ error }`). */
async function runAnalyticsWorker(file: string): Promise<AnalyticsWorkerResult | { error: string }> {
  const out = await runWorker('analytics-worker.js', [file, 'S0000']);
  return 'error' in out ? { error: String(out['error']) } : (out as unknown as AnalyticsWorkerResult);
}

function machine(): Step {
  return {
    cpus: cpus().length,
    cpu_model: cpus()[0]?.model ?? null,
    memory_gb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    /** Other work on the machine skews the timings: the 1-minute load average at the start says how much. */
    load_avg_1m: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}

/** The import benchmark (see the file comment); fills `report`. */
async function importBench(opts: BenchOptions, dir: string, report: Record<string, unknown>): Promise<void> {
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
  log('importing the CSV into a fresh store');
  report['import_csv'] = withRate(await runImport(csv, dbCsv), bars);
  log('importing the same CSV again into the same store');
  report['import_csv_repeat'] = withRate(await runImport(csv, dbCsv), bars);
  if (parquetError) report['import_parquet'] = { error: `no Parquet file: ${parquetError}` };
  else {
    log('importing the Parquet file into a fresh store');
    report['import_parquet'] = withRate(await runImport(parquet, dbParquet), bars);
  }

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
 * Generates the analytics universe into `dir` (CSV; Parquet too when `parquet`), or reuses the files a previous
 * run left there with the same parameters (`<file>.json` holds the generator's summary).
 */
async function analyticsUniverse(
  opts: BenchOptions,
  dir: string,
  parquet: boolean,
): Promise<{
  file: string;
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
    return { file, summary, reused: true, generate_ms: 0, parquet_convert_ms: null };
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
  return { file, summary, reused: false, generate_ms: generateMs, parquet_convert_ms: convertMs };
}

/** The analytics benchmark (see the file comment); fills `report`. */
async function analyticsBench(
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
  log('analytics: our worker');
  gc();
  const ours = await runAnalyticsWorker(u.file);
  report['analytics'] = ours;
  log('analytics: the pandas peer on the same file');
  const run = await runPeer(opts, u.file);
  report['peer'] = run.peer;
  if (run.compat) report['peer_compat'] = run.compat;
  report['peer_published'] = PEER_PUBLISHED;
  if ('error' in ours) return;
  const measured = !('error' in run.peer) && !('skipped' in run.peer) ? run.peer : run.compat;
  if (measured && !('error' in measured))
    report['vs_peer'] = {
      against: measured === run.peer ? 'peer (measured here)' : 'peer_compat (measured here)',
      ...compareWithPeer(ours, measured),
    };
  else report['vs_peer'] = { against: null, note: 'the peer could not be measured here; see peer_published' };
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

/** The shared data folder: `explicit`, else shared/data beside the project; null when there is none. */
export function findSharedData(explicit: string | null): string | null {
  const candidates = explicit
    ? [resolve(explicit)]
    : [resolve(here, '../../../shared/data'), resolve(process.cwd(), '../shared/data'), '/work/shared/data'];
  return candidates.find((p) => existsSync(p)) ?? null;
}

/** Runs a worker script in a child process; its last stdout line parsed as JSON, or `{ error }`. */
async function runWorker(script: string, args: string[]): Promise<Step> {
  const started = performance.now();
  const child = spawn(process.execPath, [join(here, script), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
    process.stderr.write(d);
  });
  const code = await new Promise<number | null>((res, rej) => {
    child.once('error', rej);
    child.once('close', res);
  });
  const processMs = Math.round(performance.now() - started);
  if (code !== 0) {
    const lines = stderr.trim().split('\n');
    const last = lines.find((l) => l.startsWith('error:')) ?? lines.at(-1);
    return { error: `${script} exited with ${code}: ${last || 'no message'}`, process_ms: processMs };
  }
  return { ...(JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Step), process_ms: processMs };
}

/** One brief in its own process (`brief-worker.js`). */
function runBrief(spec: BriefWorkerSpec): Promise<Step> {
  log(`brief: as of ${spec.asOf ?? 'the latest session'} from ${spec.db}`);
  return runWorker('brief-worker.js', [JSON.stringify(spec)]);
}

/** A fresh store path: a store left by an earlier `--keep` run is removed, so every import starts empty. */
async function freshStore(path: string): Promise<string> {
  await rm(path, { force: true });
  await rm(`${path}.wal`, { force: true });
  return path;
}

/** An import step for the report: the importer's warnings counted, not listed. */
function importStep(step: Step, bars: number | null): Step {
  const { warnings, ...rest } = step;
  const out = bars === null ? rest : withRate(rest, bars);
  return Array.isArray(warnings) ? { ...out, warnings: warnings.length } : out;
}

/** Relative paths ('/'-separated) of the files in `root`'s folders (one level down: `indices/RUT.csv`). */
async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const folder of await readdir(root, { withFileTypes: true })) {
    if (!folder.isDirectory()) continue;
    for (const f of await readdir(join(root, folder.name), { withFileTypes: true }))
      if (f.isFile()) out.push(`${folder.name}/${f.name}`);
  }
  return out.sort();
}

/** The brief on the default universe: shared/data imported into a temp store, then two as-of dates. */
async function defaultUniverseBrief(opts: BenchOptions, dir: string): Promise<Step> {
  const data = findSharedData(opts.data);
  if (!data) return { skipped: 'shared/data not found beside the project; pass --data DIR' };
  const u = universeFiles(await listFiles(data), DEFAULT_CONFIG.universe);
  const db = await freshStore(join(dir, 'brief-default.duckdb'));
  log(`brief: importing the default universe (${u.files.length} files from ${data})`);
  const imported = importStep(
    await runImport(
      u.files.map((f) => join(data, f)),
      db,
      SHARED_DATA_TODAY,
    ),
    null,
  );
  const result: Step = {
    data,
    universe: {
      note: 'DEFAULT_CONFIG.universe: one file per symbol (indices, etf_daily, stocks_daily first), the FRED series and the FRED cache',
      files: u.files,
      missing: u.missing,
    },
    import: imported,
  };
  if ('error' in imported) return result;
  const runs: Step[] = [];
  for (const asOf of DEFAULT_BRIEF_AS_OF) {
    gc();
    runs.push({
      requested_as_of: asOf ?? 'latest',
      ...(await runBrief({
        db,
        outDir: join(dir, 'brief-default'),
        asOf,
        config: null,
        claims: [QUOTED_CLAIM],
      })),
    });
  }
  result['claims'] = [QUOTED_CLAIM];
  result['runs'] = runs;
  return result;
}

/**
 * The brief on the generated universe: the analytics file (generated, or reused from `dir`) imported into a
 * temp store, then the brief with `syntheticBriefConfig` as of the 7th session of the last year and the latest.
 */
async function generatedUniverseBrief(opts: BenchOptions, dir: string): Promise<Step> {
  // The same file the analytics benchmark reads (so a run of both, or --keep, generates it once).
  const py = pythonWithPandas();
  const u = await analyticsUniverse(opts, dir, py !== null && canReadParquet(py));
  // The CSV is written in any case (Parquet is converted from it); the importer reads it faster.
  const csv = u.file.replace(/\.parquet$/, '.csv');
  const file = existsSync(csv) ? csv : u.file;
  const work = join(dir, 'brief-generated');
  await mkdir(work, { recursive: true });
  const db = await freshStore(join(dir, 'brief-generated.duckdb'));
  log(`brief: importing ${file} (${u.summary.bars} bars; about a minute for 15M)`);
  gc();
  const imported = importStep(await runImport(file, db), u.summary.bars);
  const config = syntheticBriefConfig(u.summary.symbols);
  const result: Step = {
    file,
    symbols: u.summary.symbols,
    sessions: u.summary.sessions,
    bars: u.summary.bars,
    reused: u.reused,
    config: {
      note: 'the synthetic market has no small-cap index: S0000 (the market) stands for small caps, S0008 (the Information Technology sector index) for Big Tech; MAG7 is an equal-weight basket of the first seven stocks',
      benchmarks: config.benchmarks,
      MAG7: config.baskets['MAG7']?.members ?? [],
    },
    import: imported,
  };
  if ('error' in imported) return result;
  const runs: Step[] = [];
  for (const asOf of [`${END_YEAR}-01-13`, null]) {
    gc();
    runs.push({
      requested_as_of: asOf ?? 'latest',
      ...(await runBrief({ db, outDir: work, asOf, config, claims: [] })),
    });
  }
  result['runs'] = runs;
  return result;
}

/** The brief benchmark (see the file comment); fills `report.brief`. Each half reports `{ error }` on its own. */
async function briefBench(opts: BenchOptions, dir: string, report: Record<string, unknown>): Promise<void> {
  const brief: Record<string, Step> = {};
  report['brief'] = brief;
  try {
    brief['default_universe'] = await defaultUniverseBrief(opts, dir);
  } catch (e) {
    brief['default_universe'] = { error: message(e) };
  }
  try {
    brief['generated_universe'] = await generatedUniverseBrief(opts, dir);
  } catch (e) {
    brief['generated_universe'] = { error: message(e) };
  }
}

/** Runs the benchmark(s) and returns the report (every step either measured or `{ error }`). */
export async function runBench(opts: BenchOptions): Promise<Record<string, unknown>> {
  const dir = opts.keep ? resolve(opts.keep) : await mkdtemp(join(tmpdir(), 'rotation-bench-'));
  if (opts.keep) await mkdir(dir, { recursive: true });
  const report: Record<string, unknown> = { machine: machine() };
  const started = performance.now();
  try {
    if (opts.only === null || opts.only === 'import') {
      try {
        await importBench(opts, dir, report);
      } catch (e) {
        report['import_error'] = message(e);
      }
    }
    if (opts.only === null || opts.only === 'analytics') {
      try {
        await analyticsBench(opts, dir, report);
      } catch (e) {
        report['analytics_error'] = message(e);
      }
    }
    if (opts.only === null || opts.only === 'brief') await briefBench(opts, dir, report);
  } finally {
    if (!opts.keep) await rm(dir, { recursive: true, force: true });
  }
  report['bench_wall_ms'] = Math.round(performance.now() - started);
  return report;
}

runScript(import.meta.url, parseBenchArgs, USAGE, async (opts) => {
  const report = await runBench(opts);
  process.stdout.write(JSON.stringify(report, null, 1) + '\n');
});
