import type { Command } from 'commander';
import { loadEarningsFigures } from '../../data/why/figures.js';
import { NotFoundError } from '../../shared/errors.js';
import { withStore } from '../context.js';
import { checkConfigFlag, checkedConfigHelp, whyFlags, writeFacts } from './why-output.js';

type EarningsOptions = { tech: string; nonTech: string; growth: string; value: string; period?: string };

export function registerEarnings(program: Command): void {
  program
    .command('earnings')
    .description(
      'consensus earnings growth by sector, style and size as known at a date, with revisions between vintages, ' +
        'tech vs non-tech and growth vs value spreads, and an earnings-weighted aggregate',
    )
    .option('--as-of <date>', 'use only estimates known at this date (YYYY-MM-DD); default today')
    .option('--period <period>', 'only this period (2025Q4, 2026)')
    .option('--tech <group>', 'group id of tech', 'sp500:tech')
    .option('--non-tech <group>', 'group id of everything but tech', 'sp500:ex-tech')
    .option('--growth <group>', 'group id of growth stocks', 'style:growth')
    .option('--value <group>', 'group id of value stocks', 'style:value')
    .option('--format <format>', 'table | json | csv', 'table')
    .option('--config <path>', checkedConfigHelp('the earnings figures'))
    .addHelpText(
      'after',
      `
Reads S&P Dow Jones Indices' sector and index EPS (sp_sector_eps_pe_annual.csv: growth of each S&P 500 sector
and of the S&P 500, 400, 600 and 1500, this year's estimate vs last year) and quarterly actuals
(sp500_quarterly_eps_actuals.csv: y/y), and series earnings:<group>:growth_yoy from a "why" inputs file
(docs/why.md). Figures the inputs cannot support (tech vs the rest from the S&P workbook) are listed as not
computed, with the reason.

Examples:
  rotation import ../shared/data/earnings           # S&P's files; the vintage is the workbook date
  rotation earnings --as-of 2026-01-20 --format json   # 11 S&P 500 sectors, 2026 est. vs 2025
  rotation import examples/why-inputs-2026-01-12.csv
  rotation earnings --as-of 2026-01-12             # tech +20%, non-tech +1% (cut from +9%)
  rotation earnings --as-of 2025-12-31             # the older vintage: non-tech still +9%
  rotation earnings --period 2026 --format json    # growth vs value 2026, fractions unrounded`,
    )
    .action(async function (this: Command) {
      const { opts, format, asOf } = whyFlags(this);
      await checkConfigFlag(opts);
      const o = this.opts<EarningsOptions>();
      await withStore(opts, async (store) => {
        const r = await loadEarningsFigures(store, { ...o, asOf });
        if (r.seriesCount === 0)
          throw new NotFoundError(
            'no earnings growth estimates or S&P earnings files stored',
            'import S&P\'s files (`rotation import ../shared/data/earnings`) or a "why" inputs file, e.g. `rotation import examples/why-inputs-2026-01-12.csv`',
          );
        const facts = r.facts;
        if (facts.length === 0)
          throw new NotFoundError(
            `no earnings figure was known on ${asOf}: every stored vintage is later`,
            'pick a later --as-of, or import estimates dated on or before it',
          );
        writeFacts(
          format,
          facts,
          { asOf, ...(r.sp.refusals.length > 0 ? { notComputed: r.sp.refusals } : {}) },
          r.dates,
        );
        if (format === 'table') for (const x of r.sp.refusals) process.stdout.write(`not computed: ${x}\n`);
      });
    });
}
