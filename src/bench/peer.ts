/**
 * The pandas peer (shared/bench/peer_pandas.py): finding it and a python3 with pandas, running it unchanged (or
 * with the pandas-2 `nth` shim, peer-nth-shim.py), and comparing its timings and checksums with ours.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AnalyticsWorkerResult } from './analytics-worker.js';
import type { BenchOptions } from './args.js';
import { BENCH_DIR, log, message, type Step } from './workers.js';

/** The first python3 on the list that can import pandas, or null. */
export function pythonWithPandas(): string | null {
  for (const py of ['python3', '/usr/bin/python3', 'python']) {
    const r = spawnSync(py, ['-c', 'import pandas'], { stdio: 'ignore', timeout: 30_000 });
    if (r.status === 0) return py;
  }
  return null;
}

/** Whether `py`'s pandas can read Parquet (it needs pyarrow or fastparquet). */
export function canReadParquet(py: string): boolean {
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
        resolve(BENCH_DIR, '../../../shared/bench/peer_pandas.py'),
        resolve(process.cwd(), '../shared/bench/peer_pandas.py'),
        '/work/shared/bench/peer_pandas.py',
      ];
  return candidates.find((p) => existsSync(p)) ?? null;
}

/**
 * The shim that gives `groupby().nth()` its pandas >= 2.0 behaviour (peer-nth-shim.py, beside this module: `npm
 * run build` copies it to dist/bench). Run as `python3 <shim> <peer script> <args>`.
 */
export const PANDAS2_NTH_SHIM = join(BENCH_DIR, 'peer-nth-shim.py');

/** The published peer figures (shared/bench/README.md), for when the peer cannot be measured here. */
export const PEER_PUBLISHED = {
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
 * shim (peer-nth-shim.py) so that its timings and checksums can still be measured on this machine.
 */
export async function runPeer(opts: BenchOptions, file: string): Promise<PeerRun> {
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
  const compat = await runPython(py, [PANDAS2_NTH_SHIM, script, ...args]);
  return {
    peer,
    compat: {
      note: 'the unchanged peer script, run with groupby().nth() given its pandas >= 2.0 behaviour (the peer was written for pandas 2/3; see src/bench/peer-nth-shim.py)',
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
