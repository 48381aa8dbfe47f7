import type { Command } from 'commander';
import { DEFAULT_HORIZONS, parseHorizons, type HorizonOdds } from '../../core/odds.js';
import { loadHonestOdds, type HonestOdds } from '../../data/analytics/odds-honest.js';
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
    .option(
      '--base-rate',
      'with --beats A B --window first:N: the rest-of-year odds beside the base rate of every year, 95% Wilson ' +
        "intervals for both, and the move since the condition was met this year (the brief's honest odds)",
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
  rotation odds --extreme ^RUT --side high --lookback 252 --format csv
  rotation odds --beats IWM QQQ --window first:7 --horizons rest-of-year --base-rate
      # is the hit rate an edge? the same horizon in every earlier year, with intervals: a difference inside
      # the conditional interval is the usual odds, not an edge`,
    )
    .action(async function (this: Command) {
      const opts = this.optsWithGlobals<
        AnalyticsFlags & ConditionFlags & { horizons: string; baseRate?: boolean }
      >();
      const common = await parseCommon(opts);
      const condition = parseCondition(opts);
      const horizons = parseHorizons(opts.horizons);
      const runOpts = { ...common, horizons, due: lastCompletedSession() };
      const { run, honest } = await withStore(opts, async (store) => {
        const run = await runOdds(store, condition, runOpts);
        const honest = opts.baseRate ? await loadHonestOdds(store, run, condition, runOpts) : null;
        return { run, honest };
      });
      const json = oddsJson(run, condition);
      writeRows(
        common.format,
        columns,
        run.odds,
        opts.baseRate ? { ...json, baseRate: honest, facts: honest?.facts ?? [] } : json,
      );
      if (common.format === 'table' && opts.baseRate) process.stdout.write(baseRateText(honest));
      if (common.format === 'table')
        process.stdout.write(
          `\n${precedentsSummary(run.precedents)}${run.stale.length > 0 ? 'stale: data end' : 'data to'} ${run.asOf}, ${run.basis} basis\n`,
        );
      if (common.format === 'table') for (const w of run.stale) process.stdout.write(`note: ${w.message}\n`);
    });
}

/** The base-rate lines under the odds table (`--base-rate`). */
function baseRateText(h: HonestOdds | null): string {
  if (!h) return '\nbase rate: no earlier year has a finished rest of year\n';
  const share = (x: number | string | null) => `${((x as number) * 100).toFixed(0)}%`;
  const range = (w: HonestOdds['base']) => (w ? `${share(w.low.value)} to ${share(w.high.value)}` : 'n/a');
  return (
    `\nbase rate (every earlier year, rest of year): ${share(h.baseRate.value)} of ${String(h.baseN.value)} years, ` +
    `95% interval ${range(h.base)}; after the condition: 95% interval ${range(h.conditional)}; ` +
    `difference ${formatPct(h.difference.value as number)} — ${h.edge ? 'an edge (the base rate is outside the conditional interval)' : 'not an edge (the base rate is inside the conditional interval)'}\n` +
    (h.since
      ? `since the condition was met (${String(h.since.metOn.value)} close): ${h.lead} minus ${h.lag} ${formatPct(h.since.move.value as number)}\n`
      : '')
  );
}
