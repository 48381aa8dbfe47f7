/**
 * The start-up benchmark: how long `rotation --version`, `rotation --help` and `rotation race` on the default
 * universe's store take against a bare `node -e 0`, as hyperfine would measure them: every command once per
 * round, rounds alternated (so a burst of other work on the machine hits all of them), medians compared. `race`
 * runs twice a round: cold (its read cache removed, so it opens DuckDB and fills the cache) and then warm.
 */
import { spawn } from 'node:child_process';
import { existsSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_CONFIG } from '../../data/config.js';
import { readCacheDir } from '../../data/store/read-cache.js';
import { SHARED_DATA_TODAY, type BenchOptions } from '../args.js';
import { universeFiles } from '../brief-bench.js';
import {
  BENCH_DIR,
  figure,
  freshStore,
  importStep,
  log,
  runImport,
  targetRatio,
  type Step,
} from '../workers.js';
import { findSharedData, listFiles } from './brief.js';

/** The race timed on the real store: the one the README opens with. */
const RACE = ['race', '^RUT', '^NDX', '--window', 'first:7', '--year', '2026', '--format', 'json'];

/** Wall time of one child process, ms; throws when it fails (a start-up that errors is not a start-up). */
function timeOnce(args: readonly string[], before?: () => void): Promise<number> {
  before?.();
  return new Promise((res, rej) => {
    const started = performance.now();
    const child = spawn(process.execPath, [...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.once('error', rej);
    child.once('close', (code) => {
      const ms = performance.now() - started;
      if (code === 0) res(ms);
      else
        rej(new Error(`node ${args.join(' ')} exited with ${code}: ${stderr.trim().split('\n')[0] ?? ''}`));
    });
  });
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/** The store `race` reads: the brief benchmark's default-universe store when it is there, else imported here. */
async function raceStore(opts: BenchOptions, dir: string): Promise<{ db: string | null; step: Step }> {
  const brief = join(dir, 'brief-default.duckdb');
  if (existsSync(brief)) return { db: brief, step: { reused: 'brief-default.duckdb' } };
  const data = findSharedData(opts.data);
  if (!data)
    return { db: null, step: { skipped: 'shared/data not found beside the project; pass --data DIR' } };
  const u = universeFiles(await listFiles(data), DEFAULT_CONFIG.universe);
  const db = await freshStore(join(dir, 'startup.duckdb'));
  log(`startup: importing the default universe (${u.files.length} files) for race`);
  const step = importStep(
    await runImport(
      u.files.map((f) => join(data, f)),
      db,
      SHARED_DATA_TODAY,
    ),
    null,
  );
  return { db: 'error' in step ? null : db, step };
}

/** Runs the start-up benchmark; `rounds` alternated rounds (each command once per round). */
export async function startupBench(
  opts: BenchOptions,
  dir: string,
  report: Record<string, unknown>,
): Promise<void> {
  const cli = resolve(BENCH_DIR, '../cli/bin.js');
  const store = await raceStore(opts, dir);
  const commands: [string, string[], (() => void)?][] = [
    ['node_e0', ['-e', '0']],
    ['version', [cli, '--version']],
    ['help', [cli, '--help']],
  ];
  if (store.db) {
    const db = store.db;
    // The read cache fills only from a file last written a second ago or more (read-cache.ts): let it settle.
    const age = Date.now() - statSync(db).mtimeMs;
    if (age < 1100) await new Promise((r) => setTimeout(r, 1100 - age));
    // Not a target: `race` with its read cache removed first, so it opens DuckDB (and fills the cache again).
    commands.push([
      'race_cold',
      [cli, '--db', db, ...RACE],
      () => rmSync(readCacheDir(db), { recursive: true, force: true }),
    ]);
    // The target: `race` as a user runs it again, on the read cache the run before filled.
    commands.push(['race', [cli, '--db', db, ...RACE]]);
    // Not a target: the floor under `race_cold`, the store opened as every verb opens it without a read cache and
    // closed (store-open-floor.ts).
    commands.push(['store_open', [resolve(BENCH_DIR, '../cli/bundle/store-open-floor.js'), db]]);
  }
  const rounds = opts.startupRounds;
  log(`startup: ${rounds} alternated rounds of ${commands.map(([n]) => n).join(', ')}`);
  const times = new Map<string, number[]>(commands.map(([n]) => [n, []]));
  try {
    // One warm-up round: the first run of each pays the disk cache, not the start-up.
    for (const [, args, before] of commands) await timeOnce(args, before);
    for (let r = 0; r < rounds; r++)
      for (const [name, args, before] of commands) times.get(name)?.push(await timeOnce(args, before));
  } catch (e) {
    report['startup'] = { error: e instanceof Error ? e.message : String(e) };
    return;
  }
  const medians: Step = {};
  for (const [name, xs] of times) medians[name] = Math.round(median(xs) * 10) / 10;
  const base = figure(medians, 'node_e0');
  const vsNode = (name: string, target: number): Step =>
    targetRatio(figure(medians, name), base, target, false, {
      median_ms: figure(medians, name),
      node_e0_median_ms: base,
    });
  report['startup'] = {
    rounds,
    race_args: RACE,
    race_store: store.step,
    median_ms: medians,
    runs_ms: Object.fromEntries([...times].map(([n, xs]) => [n, xs.map((x) => Math.round(x))])),
  };
  report['startup_targets'] = {
    version_vs_node: vsNode('version', 2),
    help_vs_node: vsNode('help', 2),
    race_vs_node: store.db ? vsNode('race', 2.5) : { skipped: store.step['skipped'] ?? 'no store for race' },
  };
  const open = figure(medians, 'store_open');
  const cold = figure(medians, 'race_cold');
  if (open !== null && cold !== null && base !== null)
    report['startup_floor'] = {
      note: "not a target: `node dist/cli/bundle/store-open-floor.js DB` loads the CLI's DuckDB chunk, opens the store read-only as a verb does without a read cache and closes it; race_cold (its read cache removed before each run) cannot start faster",
      store_open_median_ms: open,
      store_open_vs_node: Math.round((open / base) * 1000) / 1000,
      race_cold_median_ms: cold,
      race_cold_vs_node: Math.round((cold / base) * 1000) / 1000,
      race_cold_after_open_ms: Math.round((cold - open) * 10) / 10,
    };
}
