import type { Command } from 'commander';
import { parseClaim, type Claim } from '../../core/claim.js';
import { parseWindow } from '../../core/window.js';
import { runCheck, type CheckRow } from '../../data/analytics.js';
import { UsageError } from '../../shared/errors.js';
import { withStore } from '../context.js';
import { formatPct, writeRows, type Column } from '../output.js';
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
  { header: 'why', get: (r) => r.evaluation.reason },
];

type CheckFlags = AnalyticsFlags & {
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
  rotation check --a ^RUT --b ^NDX --window first:7 --year 2026 --first-since 2019 --format json`,
    )
    .action(async function (this: Command, sentence: string | undefined) {
      const opts = this.optsWithGlobals<CheckFlags>();
      const common = parseCommon(opts);
      let claim: Claim;
      if (sentence) {
        if (opts.a || opts.b) throw new UsageError('give the claim as a sentence or with --a/--b, not both');
        claim = parseClaim(sentence);
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
      const run = await withStore(opts, (store) => runCheck(store, claim, common));
      writeRows(common.format, columns, run.rows, run);
      if (common.format === 'table') {
        const c = run.claim;
        process.stdout.write(
          `\nclaim: ${c.a} beat ${c.b} over ${run.rows[0]?.windowText ?? ''} of ${run.year}${c.firstSince ? ` for the first time since ${c.firstSince}` : ''}` +
            `${run.asOf ? ` (data to ${run.asOf})` : ''}\nverdict: ${run.verdict}\n`,
        );
      }
    });
}
