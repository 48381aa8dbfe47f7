import type { Command } from 'commander';
import { loadPositioningFigures } from '../../data/why/figures.js';
import { NotFoundError } from '../../shared/errors.js';
import { withStore } from '../context.js';
import { parsePositiveInt } from '../../core/positive-int.js';
import { checkConfigFlag, checkedConfigHelp, whyFlags, writeFacts } from './why-output.js';

export function registerPositioning(program: Command): void {
  program
    .command('positioning')
    .description(
      'positioning (CFTC TFF nets for E-mini Russell 2000 and Nasdaq-100, or any provider exposure/z-score): ' +
        'the 0-100 COT index against its trailing range, its percentile and "highest since …"',
    )
    .option('--as-of <date>', 'use only reports released by this date (YYYY-MM-DD); default today')
    .option('--lookback <weeks>', 'readings in the trailing range', '52')
    .option('--group <prefix>', 'only series whose group starts with this (e.g. cftc-tff:rty)')
    .option('--format <format>', 'table | json | csv', 'table')
    .option('--config <path>', checkedConfigHelp('the positioning figures'))
    .addHelpText(
      'after',
      `
Each reading also gets its week-over-week change and, with three years stored, a 3-year COT index. CFTC reports are
read as of their Friday release, not the Tuesday position date.

Examples:
  rotation sync cftc:rty cftc:nq cftc:es            # CFTC Traders in Financial Futures from publicreporting.cftc.gov
  rotation import fut_fin_txt_2025.csv              # or the CFTC's published yearly file
  rotation positioning --as-of 2026-01-16           # leveraged funds and asset managers in RTY and NQ
  rotation positioning --group cftc-tff:rty --lookback 156 --format json`,
    )
    .action(async function (this: Command) {
      const { opts, format, asOf } = whyFlags(this);
      await checkConfigFlag(opts);
      const o = this.opts<{ lookback: string; group?: string }>();
      const lookback = parsePositiveInt('--lookback', o.lookback);
      await withStore(opts, async (store) => {
        const r = await loadPositioningFigures(store, { asOf, lookback, group: o.group });
        if (r.seriesCount === 0)
          throw new NotFoundError(
            'no positioning series stored',
            'fetch CFTC positioning with `rotation sync cftc:rty cftc:nq cftc:es`, or import a CFTC TFF file or a "why" inputs file with positioning rows',
          );
        const facts = r.facts;
        if (facts.length === 0)
          throw new NotFoundError(
            `no positioning series has ${lookback} readings on or before ${asOf}`,
            'lower --lookback or import more history',
          );
        writeFacts(format, facts, { asOf, lookback }, r.dates);
      });
    });
}
