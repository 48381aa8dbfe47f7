import type { Command } from 'commander';
import { loadConfig } from '../../data/config.js';
import { plain } from '../../report/narrative/text.js';
import { generateBrief } from '../../report/publish.js';
import { UsageError } from '../../shared/errors.js';
import { lastCompletedSession, parseAsOf, withStore, type GlobalOptions } from '../context.js';

type BriefOptions = GlobalOptions & {
  asOf?: string;
  out: string;
  config?: string;
  first: string;
  claim?: string[];
};

export function registerBrief(program: Command): void {
  program
    .command('brief')
    .description(
      'write the market brief: who leads (small caps or Big Tech), the race, what history says next, sector ' +
        'rotation, macro, and the method — as brief-DATE.html (self-contained, printable), .md, .txt and ' +
        'facts-DATE.json (every number with its inputs)',
    )
    .option(
      '--as-of <date>',
      'use no data after this date (YYYY-MM-DD); default: the latest IWM session stored',
    )
    .option('--out <dir>', 'folder to write the four files into', '.')
    .option('--first <sessions>', 'sessions in the year-start window', '7')
    .option('--claim <sentence...>', 'a claim in words to check and report (repeatable)')
    .option(
      '--config <path>',
      'config file with benchmarks and baskets (default ./rotation.config.json if present)',
    )
    .addHelpText(
      'after',
      `
Every number in the text is a fact in facts-DATE.json (id, value, unit, inputs, window, as-of, method); the HTML
marks each with <span data-fact="id">. Sections whose data are missing say which data to add.

Examples:
  rotation brief --as-of 2026-01-12 --out briefs/       # the year-start brief
  rotation brief --as-of 2026-07-31                     # mid-year
  rotation brief --claim "the Russell 2000 beat the Nasdaq-100 over the first 7 sessions of 2026 for the first time since 2019"`,
    )
    .action(async function (this: Command) {
      const opts = this.optsWithGlobals<BriefOptions>();
      const asOf = parseAsOf(opts.asOf);
      const first = Number(opts.first);
      if (!Number.isInteger(first) || first < 1 || first > 60)
        throw new UsageError(`--first "${opts.first}" is not a whole number of sessions between 1 and 60`);
      const config = await loadConfig(opts.config);
      await withStore(opts, async (store) => {
        const r = await generateBrief(store, {
          asOf,
          outDir: opts.out,
          config,
          firstSessions: first,
          claims: opts.claim,
          lastCompletedSession: lastCompletedSession(),
        });
        if (r.brief.banner) process.stderr.write(`warning: ${plain(r.brief.banner)}\n`);
        for (const f of r.files) process.stdout.write(`${f}\n`);
        process.stderr.write(
          `brief as of ${r.brief.asOf}: ${r.facts.length} facts in ${Math.round(r.timings['total'] ?? 0)} ms\n`,
        );
      });
    });
}
