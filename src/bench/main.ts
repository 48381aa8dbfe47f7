/**
 * `npm run bench`: three benchmarks, ONE JSON object on stdout (progress on stderr).
 *
 * - import: generates a market (CSV and Parquet), imports each file into a fresh store with the project's
 *   importer (each import in its own child process, so its peak memory is its own), repeats the CSV import into
 *   the same store (the idempotent path), loads the same files with raw DuckDB (the baseline of the import
 *   targets), and runs the pandas peer's load on the same CSV when pandas is there.
 * - analytics: generates a 3,000-symbol x 25-year universe, runs the analytics worker on it (the pandas peer's
 *   steps and the product's own analytics with the core functions) and the pandas peer on the SAME file, and puts
 *   both side by side with their checksums.
 * - brief: `generateBrief` (what `rotation brief` runs) on the default universe (shared/data imported into a temp
 *   store) as of 2026-01-12 and the latest session, and on the generated 3,000-symbol universe (the analytics
 *   file imported into a temp store) with a config for the synthetic market; each import and each brief in its
 *   own child process.
 * - serve: the server under a fixed-rate load (steps/serve.ts).
 * - startup: `rotation --version`, `--help` and `race` on the default universe's store against `node -e 0`
 *   (alternated runs, medians).
 *
 *   npm run bench                                   # all three
 *   npm run bench -- --only brief                   # the brief only
 *   npm run bench -- --only analytics --keep /tmp/bench-files   # reuse the generated universe next time
 *   npm run bench -- --quick                        # small data sets, a smoke test
 *   node --expose-gc dist/bench/main.js --symbols 2000 --years 10 --seed 7 --keep /tmp/bench-files
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseBenchArgs, USAGE, type BenchOptions } from './args.js';
import { runScript } from './script.js';
import { analyticsBench } from './steps/analytics.js';
import { briefBench } from './steps/brief.js';
import { importBench } from './steps/import.js';
import { serveBench } from './steps/serve.js';
import { startupBench } from './steps/startup.js';
import { collectTargets } from './targets.js';
import { message, type Step } from './workers.js';

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
    // A benchmark that fails is reported as `<name>_error`; the others still run and the JSON is still printed.
    if (opts.only === null || opts.only === 'serve') {
      try {
        await serveBench(opts, dir, report);
      } catch (e) {
        report['serve_error'] = message(e);
      }
    }
    if (opts.only === null || opts.only === 'startup') {
      try {
        await startupBench(opts, dir, report);
      } catch (e) {
        report['startup_error'] = message(e);
      }
    }
  } finally {
    if (!opts.keep) await rm(dir, { recursive: true, force: true });
  }
  report['targets'] = collectTargets(report);
  report['bench_wall_ms'] = Math.round(performance.now() - started);
  return report;
}

runScript(import.meta.url, parseBenchArgs, USAGE, async (opts) => {
  const report = await runBench(opts);
  process.stdout.write(JSON.stringify(report, null, 1) + '\n');
});
