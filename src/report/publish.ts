import { join } from 'node:path';
import type { Config } from '../data/config.js';
import { ensureDir, writeFileAtomic } from '../data/files.js';
import type { Store } from '../data/store/store.js';
import type { TradingDate } from '../shared/brand.js';
import { buildBrief } from './build.js';
import type { BriefFact } from './facts/registry.js';
import { unfactedNumbers } from './facts/unfacted.js';
import type { Brief } from './model.js';
import { renderHtml, renderMarkdown, renderText } from './render/render.js';

export type GenerateOptions = {
  asOf?: TradingDate | undefined;
  outDir: string;
  config?: Config | undefined;
  firstSessions?: number | undefined;
  claims?: readonly string[] | undefined;
  /** The last completed NYSE session from the clock (the CLI edge); see BriefOptions. */
  lastCompletedSession?: TradingDate | undefined;
};

export type GenerateResult = {
  /** Paths written: brief-DATE.html, .md, .txt and facts-DATE.json. */
  files: string[];
  facts: BriefFact[];
  brief: Brief;
  /** Milliseconds per step (race, sectors, why, macro, method, render, write) and total. */
  timings: Record<string, number>;
};

/**
 * The facts file: every number the brief prints, with its inputs, window, as-of date and method, and the series
 * read (their `field` in words; the method table's facted form of it is the brief's, its dates are in `facts`).
 */
export function renderFactsJson(brief: Brief): string {
  const series = brief.series.map(({ fieldText: _, ...u }) => u);
  return `${JSON.stringify({ asOf: brief.asOf, facts: brief.facts, series }, null, 2)}\n`;
}

/**
 * Builds the brief as of a date and writes brief-DATE.html, brief-DATE.md, brief-DATE.txt and facts-DATE.json into
 * `outDir`. Throws NotFoundError on an empty store, and Error when the HTML prints a number without a fact (a bug).
 */
export async function generateBrief(store: Store, opts: GenerateOptions): Promise<GenerateResult> {
  const timings: Record<string, number> = {};
  const t0 = performance.now();
  const brief = await buildBrief(store, {
    asOf: opts.asOf,
    config: opts.config,
    firstSessions: opts.firstSessions,
    claims: opts.claims,
    lastCompletedSession: opts.lastCompletedSession,
    onTiming: (step, ms) => (timings[step] = ms),
  });
  const t1 = performance.now();
  const html = renderHtml(brief);
  const loose = unfactedNumbers(html);
  if (loose.length > 0)
    throw new Error(`the brief prints numbers without a fact: ${loose.slice(0, 5).join(', ')}`);
  const docs: [string, string][] = [
    [`brief-${brief.asOf}.html`, html],
    [`brief-${brief.asOf}.md`, renderMarkdown(brief)],
    [`brief-${brief.asOf}.txt`, renderText(brief)],
    [`facts-${brief.asOf}.json`, renderFactsJson(brief)],
  ];
  const t2 = performance.now();
  ensureDir(opts.outDir);
  const files = docs.map(([name, body]) => {
    const path = join(opts.outDir, name);
    writeFileAtomic(path, body);
    return path;
  });
  const t3 = performance.now();
  Object.assign(timings, { render: t2 - t1, write: t3 - t2, total: t3 - t0 });
  return { files, facts: brief.facts, brief, timings };
}
