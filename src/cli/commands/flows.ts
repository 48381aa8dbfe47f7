import type { Command } from 'commander';
import { loadFlowsFigures } from '../../data/why/figures.js';
import { NotFoundError } from '../../shared/errors.js';
import { withStore } from '../context.js';
import { checkConfigFlag, checkedConfigHelp, whyFlags, writeFacts } from './why-output.js';

export function registerFlows(program: Command): void {
  program
    .command('flows')
    .description(
      'weekly fund flows by sector or category: the week, the 4-week sum, a z-score against the trailing 52 weeks, ' +
        '"largest inflow since …", and tech vs everything else',
    )
    .option('--as-of <date>', 'use only flows known at this date (YYYY-MM-DD); default today')
    .option('--group <prefix>', 'only groups starting with this (e.g. sector:, ici:)')
    .option('--format <format>', 'table | json | csv', 'table')
    .option('--config <path>', checkedConfigHelp('flows'))
    .addHelpText(
      'after',
      `
Reads weekly series flows:<group>:net_flow (usd, period = week-ending date) from "why" inputs files and the
ICI weekly file (flows:ici:<category>:net_flow; rows after ICI's 2022 format change are refused at import).

Examples:
  rotation flows --as-of 2026-01-12                 # tech funds -$0.9B, other sectors +$8.3B
  rotation flows --group ici: --as-of 2019-12-31    # ICI mutual fund categories, end of 2019
  rotation flows --format csv > flows.csv`,
    )
    .action(async function (this: Command) {
      const { opts, format, asOf } = whyFlags(this);
      await checkConfigFlag(opts);
      const prefix = this.opts<{ group?: string }>().group;
      await withStore(opts, async (store) => {
        const r = await loadFlowsFigures(store, { asOf, group: prefix });
        if (r.seriesCount === 0)
          throw new NotFoundError(
            'no weekly flow series stored',
            'import a "why" inputs file or the ICI weekly file first',
          );
        writeFacts(format, r.facts, { asOf }, r.dates);
      });
    });
}
