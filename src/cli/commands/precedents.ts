import type { Command } from 'commander';
import type { Precedents } from '../../core/precedents.js';
import { precedentsJson, runPrecedents } from '../../data/analytics/precedents.js';
import { withStore, lastCompletedSession } from '../context.js';
import { formatNumber, formatPct, writeRows, type Column } from '../output.js';
import {
  addCommonFlags,
  addConditionFlags,
  parseCommon,
  parseCondition,
  type AnalyticsFlags,
  type ConditionFlags,
} from './analytics-options.js';

type OccRow = { date: string; year: number; value: number; kind: 'beats' | 'extreme' };

const columns: Column<OccRow>[] = [
  { header: 'date', get: (r) => r.date },
  { header: 'year', get: (r) => r.year },
  {
    header: 'value',
    get: (r) => r.value,
    show: (r) => (r.kind === 'beats' ? formatPct(r.value) : formatNumber(r.value, 2)),
    align: 'right',
  },
];

/** The one-paragraph summary printed under a precedents/odds table. */
export function precedentsSummary(p: Precedents): string {
  const lines: string[] = [];
  const trials = p.unit === 'year' ? 'years' : 'sessions';
  lines.push(
    `${p.condition}: ${p.count} occurrence${p.count === 1 ? '' : 's'} in ${p.tested} ${trials} tested`,
  );
  if (p.latest) {
    const state = p.latest.hit ? 'met' : 'not met';
    lines.push(
      `latest (${p.latest.date}): ${state}${p.latest.complete ? '' : ' so far (window still running)'}` +
        (p.latest.hit
          ? p.lastBefore
            ? ` — first time since ${p.lastBefore.date} (${p.lastBefore.year})`
            : ' — first time in the data'
          : p.lastBefore
            ? `; last met ${p.lastBefore.date}`
            : ''),
    );
  }
  lines.push(`streak: ${p.streak.current} now, longest ${p.streak.longest} ${trials}`);
  if (!p.sampleOk)
    lines.push(
      `too few occurrences (${p.count} < ${p.minSample}) to state a precedent: treat any pattern as anecdote`,
    );
  return lines.join('\n') + '\n';
}

export function registerPrecedents(program: Command): void {
  addCommonFlags(
    addConditionFlags(
      program
        .command('precedents')
        .description(
          'every time a condition happened before: occurrences, the last one ("first time since"), streaks',
        ),
    ),
  )
    .addHelpText(
      'after',
      `
--beats tests each year: did A return more than B over --window? --extreme tests each session: a close above
(below) every close of the previous --lookback sessions; hits within 21 sessions form one episode.
With fewer than 8 occurrences the output says the sample is too small instead of stating a precedent.

Examples:
  rotation precedents --beats IWM QQQ --window first:7
  rotation precedents --beats ^RUT ^NDX --window jan --min-spread 0.02 --as-of 2026-01-30
  rotation precedents --extreme ^RUT --side high --lookback 252 --format json`,
    )
    .action(async function (this: Command) {
      const opts = this.optsWithGlobals<AnalyticsFlags & ConditionFlags>();
      const common = await parseCommon(opts);
      const condition = parseCondition(opts);
      const run = await withStore(opts, (store) =>
        runPrecedents(store, condition, { ...common, due: lastCompletedSession() }),
      );
      const p = run.precedents;
      const rows: OccRow[] = p.occurrences.map((o) => ({
        date: o.date,
        year: o.year,
        value: o.value,
        kind: condition.kind,
      }));
      writeRows(common.format, columns, rows, precedentsJson(run, condition));
      if (common.format === 'table')
        process.stdout.write(
          `\n${precedentsSummary(p)}${run.stale.length > 0 ? 'stale: data end' : 'data to'} ${run.asOf}, ${run.basis} basis\n`,
        );
      if (common.format === 'table') for (const w of run.stale) process.stdout.write(`note: ${w.message}\n`);
    });
}
