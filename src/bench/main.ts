/**
 * `npm run bench`: generates a synthetic market (CSV and Parquet), imports each file into a fresh store with the
 * project's importer (each import in its own child process, so its peak memory is its own), repeats the CSV
 * import into the same store (the idempotent path), runs the pandas peer on the same CSV when pandas is there,
 * and prints ONE JSON object on stdout. Progress goes to stderr.
 *
 *   npm run bench                                   # 1,000 symbols x 25 years (~5.1M bars)
 *   npm run bench -- --quick                        # ~50k bars, a smoke test
 *   node --expose-gc dist/bench/main.js --symbols 2000 --years 10 --seed 7 --keep /tmp/bench-files
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { csvToParquet } from '../data/export/convert.js';
import { UsageError } from '../shared/errors.js';
import type { ImportWorkerResult } from './import-worker.js';
import { writeSyntheticCsv } from './synthetic-csv.js';

/** The last year of the synthetic range: fixed, so a run does not depend on the clock. */
const END_YEAR = 2025;
/** The importer's "today" (bars after it would be rejected as future-dated). */
const TODAY = `${END_YEAR + 1}-01-02`;

export type BenchOptions = {
  symbols: number;
  years: number;
  seed: number;
  keep: string | null;
  peer: string | null;
};

type Step = Record<string, unknown>;

const here = dirname(fileURLToPath(import.meta.url));

const USAGE = `usage: node --expose-gc dist/bench/main.js [--symbols N] [--years N] [--seed N] [--keep DIR] [--quick]
                                              [--peer PATH]

Benchmarks the import of a synthetic market (default 1000 symbols x 25 years, about 5.1M bars) from CSV and
Parquet, and runs the pandas peer on the same CSV when some python3 has pandas. Prints one JSON object.

  --quick        50 symbols x 5 years (about 54k bars): a smoke test
  --keep DIR     write the files (and stores) to DIR and keep them
  --peer PATH    the peer script (default: shared/bench/peer_pandas.py beside the project)`;

function log(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

function positiveInt(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`${flag} must be a positive integer, got "${text}"`);
  return n;
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
  const years = v.years === undefined ? (v.quick ? 5 : 25) : positiveInt(v.years, '--years');
  if (END_YEAR - years + 1 < 1980)
    throw new UsageError(`--years ${years} reaches before the calendar (1980)`);
  return {
    symbols: v.symbols === undefined ? (v.quick ? 50 : 1000) : positiveInt(v.symbols, '--symbols'),
    years,
    seed,
    keep: v.keep ?? null,
    peer: v.peer ?? null,
  };
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Runs one import in a child process and returns the worker's JSON plus the child's own wall time. */
async function runImport(file: string, db: string): Promise<Step> {
  const started = performance.now();
  const child = spawn(process.execPath, [join(here, 'import-worker.js'), file, db, TODAY], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
    const last =
      stderr
        .trim()
        .split('\n')
        .find((l) => l.startsWith('error:')) ?? stderr.trim().split('\n').at(-1);
    return { error: `import worker exited with ${code}: ${last ?? 'no message'}`, process_ms: processMs };
  }
  const r = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as ImportWorkerResult;
  const step: Step = {
    wall_ms: r.wall_ms,
    import_ms: r.import_ms,
    process_ms: processMs,
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
function pythonWithPandas(): string | null {
  for (const py of ['python3', '/usr/bin/python3', 'python']) {
    const r = spawnSync(py, ['-c', 'import pandas'], { stdio: 'ignore', timeout: 30_000 });
    if (r.status === 0) return py;
  }
  return null;
}

function findPeerScript(explicit: string | null): string | null {
  const candidates = explicit
    ? [resolve(explicit)]
    : [
        resolve(here, '../../../shared/bench/peer_pandas.py'),
        resolve(process.cwd(), '../shared/bench/peer_pandas.py'),
        '/work/shared/bench/peer_pandas.py',
      ];
  return candidates.find((p) => existsSync(p)) ?? null;
}

async function runPeer(opts: BenchOptions, csv: string): Promise<Step> {
  const script = findPeerScript(opts.peer);
  if (!script) return { skipped: 'peer script not found (shared/bench/peer_pandas.py); pass --peer PATH' };
  const py = pythonWithPandas();
  if (!py) return { skipped: 'pandas not installed (apt-get install python3-pandas, or pip install pandas)' };
  log(`peer: ${py} ${script}`);
  const started = performance.now();
  const r = spawnSync(py, [script, csv, '--bench', 'S0000'], { encoding: 'utf8', maxBuffer: 16 << 20 });
  const processMs = Math.round(performance.now() - started);
  if (r.status !== 0)
    return { error: `peer exited with ${r.status}: ${(r.stderr ?? '').trim().split('\n').at(-1)}` };
  try {
    return { ...(JSON.parse(r.stdout) as Step), process_ms: processMs };
  } catch (e) {
    return { error: `peer printed no JSON: ${message(e)}` };
  }
}

/** Runs the benchmark and returns the report (every step either measured or `{ error }`). */
export async function runBench(opts: BenchOptions): Promise<Record<string, unknown>> {
  const from = `${END_YEAR - opts.years + 1}-01-01`;
  const to = `${END_YEAR}-12-31`;
  const dir = opts.keep ? resolve(opts.keep) : await mkdtemp(join(tmpdir(), 'rotation-bench-'));
  if (opts.keep) await mkdir(dir, { recursive: true });
  const csv = join(dir, 'universe.csv');
  const parquet = join(dir, 'universe.parquet');
  const report: Record<string, unknown> = {
    machine: {
      cpus: cpus().length,
      cpu_model: cpus()[0]?.model ?? null,
      memory_gb: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      /** Other work on the machine skews the timings: the 1-minute load average at the start says how much. */
      load_avg_1m: Math.round((loadavg()[0] ?? 0) * 100) / 100,
    },
  };
  try {
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
    const peer = await runPeer(opts, csv);
    const timings = peer['timings'] as Record<string, number> | undefined;
    const ours = report['import_csv'] as Step;
    if (timings && typeof timings['load_ms'] === 'number') {
      peer['vs_import_csv'] = {
        peer_load_ms: timings['load_ms'],
        import_csv_wall_ms: ours['wall_ms'] ?? null,
        peer_peak_rss_mb: peer['peak_rss_mb'] ?? null,
        import_csv_peak_rss_mb: ours['peak_rss_mb'] ?? null,
        note: 'pandas load = read + pivot in memory; import = validate + write a persistent store',
      };
    }
    report['peer'] = peer;
  } finally {
    if (!opts.keep) await rm(dir, { recursive: true, force: true });
  }
  return report;
}

async function cli(): Promise<void> {
  let opts;
  try {
    opts = parseBenchArgs(process.argv.slice(2));
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`error: ${e.message}\nhint: ${e.hint ?? 'see --help'}\n`);
      process.exitCode = 2;
      return;
    }
    throw e;
  }
  if (opts === 'help') {
    process.stdout.write(USAGE + '\n');
    return;
  }
  const report = await runBench(opts);
  process.stdout.write(JSON.stringify(report, null, 1) + '\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  cli().catch((e: unknown) => {
    process.stderr.write(`error: ${message(e)}\n`);
    process.exitCode = 1;
  });
}
