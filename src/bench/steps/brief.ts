/**
 * The brief benchmark: `generateBrief` (what `rotation brief` runs) on the default universe (shared/data imported
 * into a temp store) as of 2026-01-12 and the latest session, and on the generated 3,000-symbol universe (the
 * analytics file imported into a temp store) with a config for the synthetic market; each import and each brief
 * in its own child process. Issue 16's target compares the same default-universe briefs on two stores: the shared
 * data alone, and the shared data plus the generated universe (`large_store`: the same inputs, a bigger store).
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DEFAULT_CONFIG } from '../../data/config.js';
import { END_YEAR, SHARED_DATA_TODAY, type BenchOptions } from '../args.js';
import { syntheticBriefConfig, universeFiles } from '../brief-bench.js';
import { canReadParquet, pythonWithPandas } from '../peer.js';
import {
  BENCH_DIR,
  freshStore,
  gc,
  importStep,
  log,
  message,
  runBrief,
  runImport,
  type Step,
} from '../workers.js';
import { analyticsUniverse } from './analytics.js';

/** The brief's as-of dates on the default universe: the 7th session of 2026, and null (the latest session). */
export const DEFAULT_BRIEF_AS_OF = ['2026-01-12', null] as const;

/** The claim checked in the default-universe briefs (the one quoted in January 2026; see docs/brief.md). */
const QUOTED_CLAIM =
  'the Russell 2000 beat the Nasdaq-100 over the first 7 sessions of 2026 for the first time since 2019';

/** The shared data folder: `explicit`, else shared/data beside the project; null when there is none. */
export function findSharedData(explicit: string | null): string | null {
  const candidates = explicit
    ? [resolve(explicit)]
    : [
        resolve(BENCH_DIR, '../../../shared/data'),
        resolve(process.cwd(), '../shared/data'),
        '/work/shared/data',
      ];
  return candidates.find((p) => existsSync(p)) ?? null;
}

/** Relative paths ('/'-separated) of the files in `root`'s folders (one level down: `indices/RUT.csv`). */
export async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const folder of await readdir(root, { withFileTypes: true })) {
    if (!folder.isDirectory()) continue;
    for (const f of await readdir(join(root, folder.name), { withFileTypes: true }))
      if (f.isFile()) out.push(`${folder.name}/${f.name}`);
  }
  return out.sort();
}

/**
 * The brief on the default universe: shared/data imported into a temp store, then two as-of dates; with `--pg`,
 * the same on PostgreSQL (`postgres`), side by side.
 */
async function defaultUniverseBrief(opts: BenchOptions, dir: string): Promise<Step> {
  const data = findSharedData(opts.data);
  if (!data) return { skipped: 'shared/data not found beside the project; pass --data DIR' };
  const duckdb = await defaultUniverseBriefOn(data, dir, join(dir, 'brief-default.duckdb'));
  if (!opts.pg)
    return { ...duckdb, postgres: { skipped: 'no PostgreSQL: pass --pg URL or set ROTATION_BENCH_PG' } };
  log('brief: the default universe on PostgreSQL (emptied first)');
  const postgres = await defaultUniverseBriefOn(data, dir, opts.pg);
  return { ...duckdb, postgres: { import: postgres['import'], runs: postgres['runs'] ?? null } };
}

/** Imports `files` (relative to `data`) into the store `db` as of the shared data's day. */
async function importFiles(data: string, files: readonly string[], db: string): Promise<Step> {
  return importStep(
    await runImport(
      files.map((f) => join(data, f)),
      db,
      SHARED_DATA_TODAY,
    ),
    null,
  );
}

async function defaultUniverseBriefOn(data: string, dir: string, target: string): Promise<Step> {
  const u = universeFiles(await listFiles(data), DEFAULT_CONFIG.universe);
  const db = await freshStore(target);
  log(`brief: importing the default universe (${u.files.length} files from ${data})`);
  const imported = await importFiles(data, u.files, db);
  const result: Step = {
    holds: { note: 'the default universe of shared/data only', shared_data: { data, files: u.files.length } },
    data,
    universe: {
      note: 'DEFAULT_CONFIG.universe: one file per symbol (indices, etf_daily, stocks_daily first), the FRED series and the FRED cache',
      files: u.files,
      missing: u.missing,
    },
    import: imported,
  };
  if ('error' in imported) return result;
  result['claims'] = [QUOTED_CLAIM];
  result['runs'] = await defaultBriefs(db, join(dir, 'brief-default'));
  return result;
}

/** The default universe's briefs (DEFAULT_BRIEF_AS_OF, the default config, the quoted claim) on the store `db`. */
async function defaultBriefs(db: string, outDir: string): Promise<Step[]> {
  const runs: Step[] = [];
  for (const asOf of DEFAULT_BRIEF_AS_OF) {
    gc();
    runs.push({
      requested_as_of: asOf ?? 'latest',
      ...(await runBrief({ db, outDir, asOf, config: null, claims: [QUOTED_CLAIM] })),
    });
  }
  return runs;
}

/**
 * The default universe's briefs on a large store: the generated universe's store (`generatedDb`, copied) with
 * the shared data's default universe imported into it. The briefs read the same inputs as on the default store
 * (no synthetic symbol is in the default config), so only the store's size differs: issue 16's "brief time
 * independent of store size".
 */
async function largeStoreBrief(
  opts: BenchOptions,
  dir: string,
  generated: { db: string; symbols: number; sessions: number; bars: number },
): Promise<Step> {
  const data = findSharedData(opts.data);
  if (!data) return { skipped: 'shared/data not found beside the project; pass --data DIR' };
  const u = universeFiles(await listFiles(data), DEFAULT_CONFIG.universe);
  const db = await freshStore(join(dir, 'brief-large.duckdb'));
  await copyFile(generated.db, db);
  if (existsSync(`${generated.db}.wal`)) await copyFile(`${generated.db}.wal`, `${db}.wal`);
  log(`brief: importing the default universe (${u.files.length} files) into a copy of the generated store`);
  const imported = await importFiles(data, u.files, db);
  const result: Step = {
    holds: {
      note: 'the generated universe (as in generated_universe) plus the default universe of shared/data (as in default_universe); the briefs are the default universe briefs, so they read the same inputs as on the default store',
      generated: { symbols: generated.symbols, sessions: generated.sessions, bars: generated.bars },
      shared_data: { data, files: u.files.length },
    },
    import: imported,
  };
  if ('error' in imported) return result;
  result['claims'] = [QUOTED_CLAIM];
  result['runs'] = await defaultBriefs(db, join(dir, 'brief-large'));
  return result;
}

/**
 * The brief on the generated universe: the analytics file (generated, or reused from `dir`) imported into a
 * temp store, then the brief with `syntheticBriefConfig` as of the 7th session of the last year and the latest.
 */
async function generatedUniverseBrief(
  opts: BenchOptions,
  dir: string,
): Promise<{ step: Step; store: { db: string; symbols: number; sessions: number; bars: number } | null }> {
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
  if ('error' in imported) return { step: result, store: null };
  const runs: Step[] = [];
  for (const asOf of [`${END_YEAR}-01-13`, null]) {
    gc();
    runs.push({
      requested_as_of: asOf ?? 'latest',
      ...(await runBrief({ db, outDir: work, asOf, config, claims: [] })),
    });
  }
  result['runs'] = runs;
  const { symbols, sessions, bars } = u.summary;
  return { step: result, store: { db, symbols, sessions, bars } };
}

/** The brief benchmark (see the file comment); fills `report.brief`. Each half reports `{ error }` on its own. */
export async function briefBench(
  opts: BenchOptions,
  dir: string,
  report: Record<string, unknown>,
): Promise<void> {
  const brief: Record<string, Step> = {};
  report['brief'] = brief;
  try {
    brief['default_universe'] = await defaultUniverseBrief(opts, dir);
  } catch (e) {
    brief['default_universe'] = { error: message(e) };
  }
  let generated: Awaited<ReturnType<typeof generatedUniverseBrief>>['store'] = null;
  try {
    const g = await generatedUniverseBrief(opts, dir);
    brief['generated_universe'] = g.step;
    generated = g.store;
  } catch (e) {
    brief['generated_universe'] = { error: message(e) };
  }
  try {
    brief['large_store'] = generated
      ? await largeStoreBrief(opts, dir, generated)
      : { skipped: 'the generated universe was not imported' };
  } catch (e) {
    brief['large_store'] = { error: message(e) };
  }
}
