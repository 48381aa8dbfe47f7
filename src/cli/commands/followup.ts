import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { DEFAULT_STORY, followupStory } from '../../data/article/followup.js';
import { loadConfig } from '../../data/config.js';
import type { Brief } from '../../report/model.js';
import { followupFacts, followupSection } from '../../report/article/followup.js';
import { renderHtml, renderMarkdown, renderText } from '../../report/render/render.js';
import { UsageError } from '../../shared/errors.js';
import { parseAsOf, parseDateFlag, withStore, type GlobalOptions } from '../context.js';
import { renderJson } from '../output.js';

type FollowupFlags = GlobalOptions & {
  asOf?: string;
  to?: string;
  file?: string;
  format?: string;
  config?: string;
};

const FORMATS = ['table', 'json', 'md', 'html'] as const;

export function registerFollowup(program: Command): void {
  program
    .command('followup')
    .description('for a story dated --as-of: what happened next to each of its computed claims')
    .argument('[claim]', `a claim sentence (default: "${DEFAULT_STORY}")`)
    .requiredOption('--as-of <date>', "the story's date: claims are read and checked with data known then")
    .option('--to <date>', 'follow up to this date (default: the latest stored data)')
    .option('--file <path>', 'the story (plain text, Markdown or HTML; - for stdin)')
    .option('--config <path>', 'config file with baskets')
    .option('--format <format>', 'table | json | md | html', 'table')
    .addHelpText(
      'after',
      `
For each comparison the story makes (A beat B over a window): the race on the story's date, the same window
at --to (did the lead hold; "so far" while the window runs), A vs B since the story, and what the odds said on
the story's date (earlier years with the same lead: how often A kept leading over the rest of the year).

Examples:
  rotation followup --as-of 2026-01-12 --to 2026-02-13
  rotation followup --as-of 2026-01-12 --file story.md --format md`,
    )
    .action(async function (this: Command, sentence: string | undefined) {
      const opts = this.optsWithGlobals<FollowupFlags>();
      const format = (opts.format ?? 'table').toLowerCase();
      if (!(FORMATS as readonly string[]).includes(format))
        throw new UsageError(`unknown format "${opts.format}"`, 'use --format table, json, md or html');
      if (sentence && opts.file) throw new UsageError('give a sentence or --file, not both');
      const storyDate = parseAsOf(opts.asOf);
      if (!storyDate) throw new UsageError('--as-of is required: the date of the story');
      const to = parseDateFlag('--to', opts.to);
      let story = sentence ?? DEFAULT_STORY;
      if (opts.file) {
        try {
          story = readFileSync(opts.file === '-' ? 0 : opts.file, 'utf8');
        } catch (e) {
          throw new UsageError(`cannot read the story ${opts.file}: ${(e as Error).message}`);
        }
      }
      const config = await loadConfig(opts.config);
      const f = await withStore(opts, (store) => followupStory(store, story, { storyDate, to, config }));
      if (format === 'json') {
        process.stdout.write(renderJson(f));
        return;
      }
      const model: Brief = {
        asOf: f.to ?? storyDate,
        headline: [`Follow-up of the story of ${storyDate}`],
        banner: null,
        lede: [],
        sections: [followupSection(f)],
        facts: followupFacts(f),
        series: [],
      };
      const render = format === 'md' ? renderMarkdown : format === 'html' ? renderHtml : renderText;
      process.stdout.write(render(model));
    });
}
