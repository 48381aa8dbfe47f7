/**
 * One brief, alone in its process, so that its wall time and peak memory are its own:
 *
 *   node dist/bench/brief-worker.js SPEC_JSON
 *
 * SPEC_JSON is `{"db", "outDir", "asOf": "YYYY-MM-DD" | null, "config": <config document> | null, "claims": []}`.
 * Opens the store DB, runs `generateBrief` (the `rotation brief` code path: build, fact check, render, write the
 * four files), closes the store and prints one JSON line on stdout: wall time (open + brief + close), the
 * brief's own timings per step, the files written with their sizes, the fact count, which sections say their data
 * are missing, and peak RSS.
 */
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { parseConfig } from '../data/config-schema.js';
import { Store } from '../data/store/store.js';
import { generateBrief, type GenerateResult } from '../report/publish.js';
import type { TradingDate } from '../shared/brand.js';

export type BriefWorkerSpec = {
  db: string;
  outDir: string;
  /** null: the brief's default (the last session stored for the small-cap benchmark). */
  asOf: string | null;
  /** A config document (parseConfig); null: the defaults. */
  config: unknown;
  claims: string[];
};

export type BriefWorkerResult = {
  as_of: string;
  /** Open the store + generateBrief + close. */
  wall_ms: number;
  open_ms: number;
  /** generateBrief alone. */
  brief_ms: number;
  /** The brief's own breakdown (race, sectors, why, macro, method, render, write, total), ms. */
  timings: Record<string, number>;
  files: { name: string; bytes: number }[];
  facts: number;
  charts: number;
  sections: number;
  /** Ids of the sections that say (some of) their data are missing. */
  sections_missing_data: string[];
  peak_rss_mb: number;
};

const round1 = (x: number) => Math.round(x * 10) / 10;

async function main(): Promise<void> {
  const [arg] = process.argv.slice(2);
  if (!arg) {
    process.stderr.write('usage: node dist/bench/brief-worker.js SPEC_JSON\n');
    process.exitCode = 2;
    return;
  }
  const spec = JSON.parse(arg) as BriefWorkerSpec;
  const config = spec.config === null ? undefined : parseConfig(spec.config, 'bench config');
  const t0 = performance.now();
  const store = await Store.open(spec.db);
  const t1 = performance.now();
  let result: GenerateResult;
  let t2: number;
  try {
    result = await generateBrief(store, {
      asOf: (spec.asOf ?? undefined) as TradingDate | undefined,
      outDir: spec.outDir,
      config,
      claims: spec.claims,
    });
    t2 = performance.now();
  } finally {
    store.close();
  }
  const t3 = performance.now();
  const { brief } = result;
  const out: BriefWorkerResult = {
    as_of: brief.asOf,
    wall_ms: Math.round(t3 - t0),
    open_ms: Math.round(t1 - t0),
    brief_ms: Math.round(t2 - t1),
    timings: Object.fromEntries(Object.entries(result.timings).map(([k, v]) => [k, round1(v)])),
    files: result.files.map((f) => ({ name: basename(f), bytes: statSync(f).size })),
    facts: result.facts.length,
    charts: brief.sections.reduce((a, s) => a + s.blocks.filter((b) => b.kind === 'chart').length, 0),
    sections: brief.sections.length,
    sections_missing_data: brief.sections
      .filter((s) => s.blocks.some((b) => b.kind === 'missing'))
      .map((s) => s.id),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
