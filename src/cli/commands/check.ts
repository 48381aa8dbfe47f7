import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Claim } from '../../core/claim.js';
import type { ArticleFormat } from '../../core/claims/article.js';
import { parseWindow } from '../../core/window.js';
import { readClaim, runCheck, type CheckRow } from '../../data/analytics/check.js';
import { checkArticle } from '../../data/article/check-article.js';
import { renderArticleCheck } from '../../report/article/render.js';
import { NotFoundError, UsageError } from '../../shared/errors.js';
import { lastCompletedSession, parseDateFlag, withStore } from '../context.js';
import { formatPct, renderJson, writeRows, type Column } from '../output.js';
import { addCommonFlags, parseCommon, parseYear, type AnalyticsFlags } from './analytics-options.js';

const columns: Column<CheckRow>[] = [
  { header: 'a', get: (r) => r.a },
  { header: 'b', get: (r) => r.b },
  { header: 'window', get: (r) => r.windowText },
  { header: 'basis', get: (r) => r.basis },
  {
    header: 'status',
    get: (r) => r.evaluation.status,
    show: (r) => r.evaluation.status + (r.asStated ? ' *' : ''),
  },
  {
    header: 'spread',
    get: (r) => r.evaluation.spread,
    show: (r) => formatPct(r.evaluation.spread),
    align: 'right',
  },
  { header: 'last_before', get: (r) => r.evaluation.lastBefore },
  {
    header: 'why',
    get: (r) => [r.evaluation.reason, r.basisNote, r.mix, r.spanMix].filter(Boolean).join('; ') || null,
  },
];

type CheckFlags = AnalyticsFlags & {
  file?: string;
  date?: string;
  input?: string;
  a?: string;
  b?: string;
  window?: string;
  year?: string;
  firstSince?: string;
};

export function registerCheck(program: Command): void {
  addCommonFlags(
    program
      .command('check')
      .description(
        'check a claim ("A beat B over W for the first time since Y") under every reasonable definition',
      )
      .argument('[claim]', 'the claim as a sentence, in quotes')
      .option('--file <path>', 'check a whole article (plain text, Markdown or HTML; - for stdin)')
      .option('--date <date>', "the article's date (anchors 'this year', 'last week'); default: its dateline")
      .option('--input <format>', 'the article format: text | markdown | html (default: sniffed)')
      .option('--a <symbol>', 'structured form: the leg said to win')
      .option('--b <symbol>', 'structured form: the other leg')
      .option('--window <window>', 'structured form: first:N, jan, …')
      .option('--year <year>', 'the year claimed (default: the as-of year)')
      .option('--first-since <year>', 'the claim says "for the first time since YEAR"'),
  )
    .addHelpText(
      'after',
      `
Definitions checked: A as given and its index/ETF twin (^RUT <-> IWM); B as given, and for Big Tech every proxy
(^NDX, QQQ, XLK, MAG7); the window as given and, for year-start windows, first 5, 7, 10 sessions and January;
price and total return. A definition holds when A beat B that year and (with "first time since Y") the previous
year it happened was exactly Y. Missing data say "no data", never a guess. * marks the definition as stated.

Examples:
  rotation check "Russell 2000 beat Big Tech over the first 7 sessions of 2026 for the first time since 2019"
  rotation check "small caps outperformed the Mag 7 in January 2026"
  rotation check --a ^RUT --b ^NDX --window first:7 --year 2026 --first-since 2019 --format json
  rotation check --file story.md --format html > check.html

Articles (--file): every sentence is read by the claim reader; each claim gets a verdict: holds, fails, depends
on definition, pending (window not over), needs data (and the command that adds it), reported figure (a third
party's estimate: compared with the stored reported figures of its topic), opinion, or "not sure" (the reader
says what it could not read). --format table (text) | json | md | html. The check reads only data known at
--as-of, default the article's date (--date or its dateline).`,
    )
    .action(async function (this: Command, sentence: string | undefined) {
      const opts = this.optsWithGlobals<CheckFlags>();
      if (opts.file !== undefined) return checkFile(opts, sentence);
      const common = await parseCommon(opts);
      let claim: Claim;
      if (sentence) {
        if (opts.a || opts.b) throw new UsageError('give the claim as a sentence or with --a/--b, not both');
        claim = readClaim(sentence, parseDateFlag('--date', opts.date) ?? common.asOf ?? null);
        const year = parseYear('--year', opts.year);
        if (year !== undefined) claim = { ...claim, year };
        const fs = parseYear('--first-since', opts.firstSince);
        if (fs !== undefined) claim = { ...claim, firstSince: fs };
      } else {
        if (!opts.a || !opts.b)
          throw new UsageError(
            'no claim given',
            'pass a sentence in quotes, or --a A --b B --window W [--year Y] [--first-since Y]',
          );
        claim = {
          a: opts.a,
          b: opts.b,
          aText: opts.a,
          bText: opts.b,
          window: parseWindow(opts.window ?? 'first:7'),
          year: parseYear('--year', opts.year) ?? null,
          firstSince: parseYear('--first-since', opts.firstSince) ?? null,
        };
      }
      const run = await withStore(opts, (store) =>
        runCheck(store, claim, { ...common, due: lastCompletedSession() }),
      );
      writeRows(common.format, columns, run.rows, run);
      if (common.format === 'table') {
        const c = run.claim;
        process.stdout.write(
          `\nclaim: ${c.a} beat ${c.b} over ${run.rows[0]?.windowText ?? ''} of ${run.year}${c.firstSince ? ` for the first time since ${c.firstSince}` : ''}` +
            `${run.asOf ? (run.stale ? ` (stale: data end ${run.asOf})` : ` (data to ${run.asOf})`) : ''}\nverdict: ${run.verdict}\n`,
        );
      }
      // No definition measured and none still running: not a verdict, so not a success (as `race` without data).
      if (run.unanswerable) throw new NotFoundError(run.unanswerable.message, run.unanswerable.hint);
    });
}

const ARTICLE_FORMATS = ['table', 'json', 'md', 'html'] as const;

async function checkFile(opts: CheckFlags, sentence: string | undefined): Promise<void> {
  if (sentence) throw new UsageError('give a sentence or --file, not both');
  const format = (opts.format ?? 'table').toLowerCase();
  if (!(ARTICLE_FORMATS as readonly string[]).includes(format))
    throw new UsageError(
      `unknown format "${opts.format}" for an article`,
      'use --format table, json, md or html',
    );
  const input = opts.input?.toLowerCase();
  if (input !== undefined && !['text', 'markdown', 'html'].includes(input))
    throw new UsageError(`unknown input format "${opts.input}"`, 'use --input text, markdown or html');
  const path = opts.file as string;
  let src: string;
  try {
    src = readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (e) {
    throw new UsageError(
      `cannot read the article ${path === '-' ? 'from stdin' : path}: ${(e as Error).message}`,
    );
  }
  const common = await parseCommon({ ...opts, format: 'table' });
  const date = parseDateFlag('--date', opts.date);
  const check = await withStore(opts, (store) =>
    checkArticle(store, src, {
      date,
      asOf: common.asOf,
      format: input as ArticleFormat | undefined,
      config: common.config,
    }),
  );
  const title = path === '-' ? 'article from stdin' : (path.split('/').pop() ?? path);
  if (format === 'json') process.stdout.write(renderJson(check));
  else process.stdout.write(renderArticleCheck(check, title, format as 'table' | 'md' | 'html'));
}
