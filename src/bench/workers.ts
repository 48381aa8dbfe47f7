/**
 * The bench's child processes: each import, analytics run and brief runs in its own node process (so its peak
 * memory is its own) and prints one JSON line; these helpers start them and shape their results for the report.
 */
import { spawn } from 'node:child_process';
import { isPostgresUrl, PgStore } from '../data/store/store.js';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AnalyticsWorkerResult } from './analytics-worker.js';
import { TODAY } from './args.js';
import type { BriefWorkerSpec } from './brief-worker.js';
import type { ImportWorkerResult } from './import-worker.js';

/** One step of the report: measured figures, or `{ error }` / `{ skipped }`. */
export type Step = Record<string, unknown>;

/** The folder of the bench's modules (dist/bench at run time): the worker scripts and the peer's shim sit here. */
export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));

export function log(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

export function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

export function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Runs a worker script in a child process; its last stdout line parsed as JSON, or `{ error }`. */
export async function runWorker(
  script: string,
  args: string[],
  /** A command the worker runs under (`taskset -c 0`: the serve bench pins its load client), else none. */
  under: readonly string[] = [],
): Promise<Step> {
  const started = performance.now();
  const command = [...under, process.execPath, join(BENCH_DIR, script), ...args];
  const child = spawn(command[0] as string, command.slice(1), {
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
    const lines = stderr.trim().split('\n');
    const last = lines.find((l) => l.startsWith('error:')) ?? lines.at(-1);
    return { error: `${script} exited with ${code}: ${last || 'no message'}`, process_ms: processMs };
  }
  return { ...(JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Step), process_ms: processMs };
}

/** Runs one import in a child process and returns the worker's JSON plus the child's own wall time. */
export async function runImport(files: string | string[], db: string, today = TODAY): Promise<Step> {
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

export function withRate(step: Step, bars: number): Step {
  const ms = step['wall_ms'];
  if (typeof ms !== 'number' || ms <= 0) return step;
  return { ...step, rows_per_s: Math.round((bars / ms) * 1000) };
}

/** Runs the analytics worker in a child process and returns its JSON (or `{ error }`). */
export async function runAnalyticsWorker(file: string): Promise<AnalyticsWorkerResult | { error: string }> {
  const out = await runWorker('analytics-worker.js', [file, 'S0000']);
  return 'error' in out ? { error: String(out['error']) } : (out as unknown as AnalyticsWorkerResult);
}

/** One brief in its own process (`brief-worker.js`). */
export function runBrief(spec: BriefWorkerSpec): Promise<Step> {
  log(`brief: as of ${spec.asOf ?? 'the latest session'} from ${spec.db}`);
  return runWorker('brief-worker.js', [JSON.stringify(spec)]);
}

/** A fresh store path: a store left by an earlier `--keep` run is removed, so every import starts empty. */
export async function freshStore(path: string): Promise<string> {
  if (isPostgresUrl(path)) {
    await PgStore.wipe(path);
    return path;
  }
  await rm(path, { force: true });
  await rm(`${path}.wal`, { force: true });
  return path;
}

/** An import step for the report: the importer's warnings counted, not listed. */
export function importStep(step: Step, bars: number | null): Step {
  const { warnings, ...rest } = step;
  const out = bars === null ? rest : withRate(rest, bars);
  return Array.isArray(warnings) ? { ...out, warnings: warnings.length } : out;
}

/** Runs the raw DuckDB baseline (`raw-import-worker.js`) on `file` into the fresh DuckDB file `db`. */
export async function runRawImport(file: string, db: string): Promise<Step> {
  await freshStore(db);
  return runWorker('raw-import-worker.js', [db, file]);
}

/**
 * One target of issue 16 as the report shows it: the ratio measured in this run, both sides' figures, the
 * target and whether it holds. `atLeast`: the ratio must reach `target`; else it must stay at or below it.
 */
export function targetRatio(
  ours: number | null,
  theirs: number | null,
  target: number,
  atLeast: boolean,
  sides: Step,
): Step {
  if (ours === null || theirs === null || theirs === 0) return { ...sides, target, ratio: null, met: null };
  const ratio = Math.round((ours / theirs) * 1000) / 1000;
  return {
    ...sides,
    ratio,
    target: `${atLeast ? '>=' : '<='} ${target}`,
    met: atLeast ? ratio >= target : ratio <= target,
  };
}

/** A number of a step, or null (an error or a skipped step). */
export function figure(step: unknown, key: string): number | null {
  if (!step || typeof step !== 'object') return null;
  const v = (step as Step)[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}
