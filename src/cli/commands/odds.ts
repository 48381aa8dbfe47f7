import type { Command } from 'commander';
import { DEFAULT_HORIZONS, parseHorizons, type HorizonOdds } from '../../core/odds.js';
import { oddsJson, runOdds } from '../../data/analytics/precedents.js';
import { withStore, lastCompletedSession } from '../context.js';
import { formatPct, writeRows, type Column } from '../output.js';
import {
  addCommonFlags,
  addConditionFlags,
  parseCommon,
  parseCondition,
  type AnalyticsFlags,
  type ConditionFlags,
} from './analytics-options.js';
import { precedentsSummary } from './precedents.js';

const pct = (get: (h: HorizonOdds) => number | null, header: string): Column<HorizonOdds> => ({
  header,
  get,
  show: (h) => formatPct(get(h)),
  align: 'right',
});

const columns: Column<HorizonOdds>[] = [
  { header: 'horizon', get: (h) => h.horizon },
  { header: 'n', get: (h) => h.summary.n, align: 'right' },
  {
    // A share of cases, not a return: no sign.
    header: 'hit_rate',
    get: (h) => h.summary.hitRate,
    show: (h) => (h.summary.hitRate === null ? '—' : `${(h.summary.hitRate * 100).toFixed(0)}%`),
    align: 'right',
  },
  pct((h) => h.summary.median, 'median'),
  pct((h) => h.summary.q1, 'q1'),
  pct((h) => h.summary.q3, 'q3'),
  pct((h) => h.summary.mean, 'mean'),
  { header: 'pending', get: (h) => h.pending, align: 'right' },
  { header: 'sample', get: (h) => (h.sampleOk ? 'ok' : 'too small') },
];

export function registerOdds(program: Command): void {
  addCommonFlags(
    addConditionFlags(
      program
        .command('odds')
        .description('forward odds: what happened after each past occurrence of a condition'),
    ),
  )
    .option(
      '--horizons <list>',
      'rest-of-year and/or Nd (sessions), Nw (5), Nm (21)',
      DEFAULT_HORIZONS.map((h) => h.label).join(','),
    )
    .addHelpText(
      'after',
      `
For --beats the outcome is the forward spread (A - B) from the occurrence's close: hit rate = share of cases in
which A kept outperforming. For --extreme it is the symbol's forward return. Occurrences too recent for a horizon
count as pending, never as outcomes. Samples under 8 are flagged "too small".

Examples:
  rotation odds --beats ^RUT ^NDX --window first:7            # will the lead hold for the rest of the year?
  rotation odds --beats IWM QQQ --window jan --basis total --horizons rest-of-year,3m
  rotation odds --extreme ^RUT --side high --lookback 252 --format csv`,
    )
    .action(async function (this: Command) {
      const opts = this.optsWithGlobals<AnalyticsFlags & ConditionFlags & { horizons: string }>();
      const common = await parseCommon(opts);
      const condition = parseCondition(opts);
      const horizons = parseHorizons(opts.horizons);
      const run = await withStore(opts, (store) =>
        runOdds(store, condition, { ...common, horizons, due: lastCompletedSession() }),
      );
      writeRows(common.format, columns, run.odds, oddsJson(run, condition));
      if (common.format === 'table')
        process.stdout.write(
          `\n${precedentsSummary(run.precedents)}${run.stale.length > 0 ? 'stale: data end' : 'data to'} ${run.asOf}, ${run.basis} basis\n`,
        );
      if (common.format === 'table') for (const w of run.stale) process.stdout.write(`note: ${w.message}\n`);
    });
}
