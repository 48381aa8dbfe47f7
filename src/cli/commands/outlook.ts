import type { Command } from 'commander';
import type { Fact } from '../../core/fact.js';
import { loadOutlook, outlookJson, QUARTER_SESSIONS } from '../../data/analytics/outlook.js';
import { NotFoundError } from '../../shared/errors.js';
import { withStore } from '../context.js';
import { writeRows, type Column } from '../output.js';
import { addCommonFlags, parseCommon, type AnalyticsFlags } from './analytics-options.js';

const columns: Column<Fact>[] = [
  { header: 'id', get: (f) => f.id },
  { header: 'value', get: (f) => f.value },
  { header: 'unit', get: (f) => f.unit },
  { header: 'label', get: (f) => f.label },
];

export function registerOutlook(program: Command): void {
  addCommonFlags(
    program
      .command('outlook')
      .description(
        'what would change the view of A vs B this year: the year-to-date lead, how often earlier years saw a ' +
          'quarter-long spread at least that wide, and the next FOMC decision, CPI release and jobs report',
      )
      .argument('<a>', 'first symbol or basket (e.g. IWM)')
      .argument('<b>', 'second symbol or basket (e.g. QQQ)'),
  )
    .addHelpText(
      'after',
      `
How to read it:
  The lead changes hands if the other leg outgains the leader by the year-to-date spread. The share says in how
  many of the earlier years' ${QUARTER_SESSIONS}-session spans (every session of every earlier year with a quarter
  before it) the spread moved at least that far, either way: 50% or more = common, the lead is not safe; under 20%
  = a reversal within a quarter would be unusual. It is a base rate of moves, not a forecast.
  The dates are the first scheduled after the as-of date in the project's sourced calendar
  (docs/known-at.md); a list that ends before the next event says how far it reaches.

Examples:
  rotation outlook IWM QQQ                         as of the latest stored session
  rotation outlook IWM QQQ --as-of 2026-07-31      as the brief of that day (same fact ids and values)
  rotation outlook ^RUT ^NDX --format json`,
    )
    .action(async function (this: Command, a: string, b: string) {
      const opts = this.optsWithGlobals<AnalyticsFlags>();
      const common = await parseCommon(opts);
      const o = await withStore(opts, (store) =>
        loadOutlook(store, a, b, { asOf: common.asOf, basis: common.basis, config: common.config }),
      );
      if (!o)
        throw new NotFoundError(
          `no outlook for ${a} vs ${b}${common.asOf ? ` in ${common.asOf.slice(0, 4)}` : ''}: the year needs the last close of the year before`,
          'check their coverage with `rotation symbols`',
        );
      const json = outlookJson(o);
      writeRows(common.format, columns, o.facts, json);
      if (common.format === 'table')
        process.stdout.write(
          `\n${o.lead} leads ${o.lag} by ${(Math.abs(o.spread) * 100).toFixed(2)} percentage points year to date (as of ${o.asOf}); ` +
            `${o.quarterMoves ? `earlier quarter-long spreads at least that wide: ${((o.quarterMoves.larger.value as number) * 100).toFixed(0)}% of ${String(o.quarterMoves.n.value)}` : 'no earlier quarter to compare'}\n` +
            o.unlisted.map((e) => `note: the next ${e.name} is beyond the project's calendar\n`).join(''),
        );
    });
}
