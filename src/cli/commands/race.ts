import type { Command } from 'commander';
import { parseWindow } from '../../core/window.js';
import { raceJson, runRace } from '../../data/analytics/race.js';
import type { RaceYear } from '../../core/race.js';
import type { Fact } from '../../core/fact.js';
import { parsePositiveInt } from '../../core/positive-int.js';
import { loadRaceHistory } from '../../data/race-history.js';
import { NotFoundError } from '../../shared/errors.js';
import { withStore, lastCompletedSession } from '../context.js';
import { formatNumber, formatPct, writeRows, type Column } from '../output.js';
import {
  addCommonFlags,
  parseCommon,
  parseYear,
  parseYears,
  type AnalyticsFlags,
} from './analytics-options.js';

type Row = RaceYear & { a: string; b: string };

const cols = (a: string, b: string): Column<Row>[] => [
  { header: 'year', get: (r) => r.year },
  { header: 'from', get: (r) => r.race?.baseDate ?? null },
  { header: 'to', get: (r) => r.race?.endDate ?? null },
  { header: 'sessions', get: (r) => r.race?.sessions ?? null, align: 'right' },
  {
    header: `ret_${a}`,
    get: (r) => r.race?.retA ?? null,
    show: (r) => formatPct(r.race?.retA),
    align: 'right',
  },
  {
    header: `ret_${b}`,
    get: (r) => r.race?.retB ?? null,
    show: (r) => formatPct(r.race?.retB),
    align: 'right',
  },
  {
    header: 'spread',
    get: (r) => r.race?.spread ?? null,
    show: (r) => formatPct(r.race?.spread),
    align: 'right',
  },
  {
    header: 'ratio',
    get: (r) => r.race?.ratio.values.at(-1) ?? null,
    show: (r) => formatNumber(r.race?.ratio.values.at(-1), 4),
    align: 'right',
  },
  {
    header: 'winner',
    get: (r) => (r.race ? (r.race.winner === 'a' ? a : r.race.winner === 'b' ? b : 'tie') : null),
    show: (r) =>
      r.race
        ? (r.race.winner === 'a' ? a : r.race.winner === 'b' ? b : 'tie') +
          (r.race.complete ? '' : ' (so far)')
        : (r.reason ?? '—'),
  },
];

export function registerRace(program: Command): void {
  addCommonFlags(
    program
      .command('race')
      .description('leadership race: A vs B over a window — returns, spread (A - B) and the ratio line A/B')
      .argument('<a>', 'first leg: symbol or basket (IWM, ^RUT, MAG7); case-insensitive')
      .argument('<b>', 'second leg')
      .option(
        '--window <window>',
        'ytd | first:N | jan..dec | month:M | q1..q4 | range:A..B | rolling:N | year',
        'ytd',
      )
      .option('--year <year>', 'the year of the window (default: the as-of year)')
      .option('--years <list>', 'the same window year by year, e.g. 1988-2026 (aligned by session of year)')
      .option(
        '--history',
        "the as-of year's race history instead: lead changes, widest lead and deficit, and the news ranked against earlier years (the brief's facts)",
      )
      .option('--first <sessions>', 'with --history: sessions in the year-start window the news ranks', '7'),
  )
    .addHelpText(
      'after',
      `
The window runs from the last close before it to its last close: first:7 = Dec 31 close -> 7th session close.
Spread = retA - retB (shown in %, i.e. percentage points); ratio = (A/B) rebased to 1 at the base close.

Examples:
  rotation race ^RUT ^NDX --window first:7 --year 2026
  rotation race IWM QQQ --window jan --years 2001-2026 --basis total
  rotation race IWM MAG7 --window ytd --as-of 2026-03-31 --format json
  rotation race IWM QQQ --window rolling:63
  rotation race IWM QQQ --history --as-of 2026-07-31 --format json`,
    )
    .action(async function (this: Command, a: string, b: string) {
      const opts = this.optsWithGlobals<
        AnalyticsFlags & { window: string; year?: string; years?: string; history?: boolean; first: string }
      >();
      const common = await parseCommon(opts);
      if (opts.history) return raceHistory(a, b, opts, common);
      const window = parseWindow(opts.window);
      const year = parseYear('--year', opts.year);
      const years = opts.years !== undefined ? parseYears(opts.years) : undefined;
      const run = await withStore(opts, (store) =>
        runRace(store, a, b, window, {
          ...common,
          year,
          years,
          requireData: true,
          due: lastCompletedSession(),
        }),
      );
      const rows: Row[] = run.years
        ? run.years.map((r) => ({ ...r, a: run.a, b: run.b }))
        : [
            {
              year: run.race?.year ?? year ?? Number(run.asOf.slice(0, 4)),
              race: run.race,
              reason: run.race ? null : 'no data for this window',
              a: run.a,
              b: run.b,
            },
          ];
      writeRows(common.format, cols(run.a, run.b), rows, raceJson(run));
      if (common.format === 'table') {
        process.stdout.write(
          `\n${run.a} vs ${run.b}, ${run.window}, ${run.basis} basis, ${run.stale.length > 0 ? 'stale: data end' : 'data to'} ${run.asOf}\n`,
        );
        if (run.years) {
          const measured = run.years.filter((r) => r.race?.complete);
          const wins = measured.filter((r) => r.race?.winner === 'a').length;
          process.stdout.write(`${run.a} won ${wins} of ${measured.length} complete years\n`);
        }
        if (run.legNotes) process.stdout.write(`note: ${run.legNotes}\n`);
        if (run.mix) process.stdout.write(`note: ${run.mix}\n`);
        if (run.spanMix) process.stdout.write(`note: ${run.spanMix}\n`);
        for (const w of run.stale) process.stdout.write(`note: ${w.message}\n`);
      }
    });
}

/**
 * `rotation race A B --history`: the as-of year's race history through data/race-history.ts, the function the brief
 * reads, so its lead-change dates, extremes and news scores are the brief's facts (same ids, same values).
 */
async function raceHistory(
  a: string,
  b: string,
  opts: AnalyticsFlags & { first: string },
  common: Awaited<ReturnType<typeof parseCommon>>,
): Promise<void> {
  const first = parsePositiveInt('--first', opts.first);
  const h = await withStore(opts, (store) =>
    loadRaceHistory(store, a, b, first, { asOf: common.asOf, basis: common.basis, config: common.config }),
  );
  if (!h)
    throw new NotFoundError(
      `no race history for ${a} vs ${b}${common.asOf ? ` in ${common.asOf.slice(0, 4)}` : ''}: the year needs the last close of the year before`,
      'check their coverage with `rotation symbols`',
    );
  const json = {
    a: h.a,
    b: h.b,
    asOf: h.asOf,
    year: h.year,
    changes: h.changes,
    lead: h.lead,
    deficit: h.deficit,
    news: h.news,
    facts: h.facts,
  };
  writeRows(common.format, historyColumns, h.facts, json);
}

const historyColumns: Column<Fact>[] = [
  { header: 'id', get: (f) => f.id },
  { header: 'value', get: (f) => f.value },
  { header: 'unit', get: (f) => f.unit },
  { header: 'label', get: (f) => f.label },
];
