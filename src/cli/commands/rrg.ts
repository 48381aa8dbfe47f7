import type { Command } from 'commander';
import type { RrgMember, RrgPeriod, RrgPoint } from '../../core/rrg.js';
import { runRrg } from '../../data/analytics/rrg.js';
import type { SectorNewsItem } from '../../data/analytics/sector-news.js';
import { UsageError } from '../../shared/errors.js';
import { parsePositiveInt } from '../../core/positive-int.js';
import { parseBasis } from '../../core/series/types.js';
import { loadConfig } from '../../data/config.js';
import { printWarnings } from '../analytics-load.js';
import { addConfigFlag } from './analytics-options.js';
import { parseAsOf, withStore, type GlobalOptions, lastCompletedSession } from '../context.js';
import { formatNumber, parseFormat, renderJson, writeRows, type Column } from '../output.js';

type RrgOptions = GlobalOptions & {
  benchmark?: string;
  period: string;
  tail: string;
  window?: string;
  lag?: string;
  basis?: string;
  asOf?: string;
  config?: string;
  format: string;
  news?: boolean;
};

const summary: Column<RrgMember>[] = [
  { header: 'symbol', get: (m) => m.symbol },
  { header: 'date', get: (m) => m.latest?.date ?? null },
  {
    header: 'rs_ratio',
    get: (m) => m.latest?.ratio ?? null,
    show: (m) => formatNumber(m.latest?.ratio, 2),
    align: 'right',
  },
  {
    header: 'rs_momentum',
    get: (m) => m.latest?.momentum ?? null,
    show: (m) => formatNumber(m.latest?.momentum, 2),
    align: 'right',
  },
  { header: 'quadrant', get: (m) => m.quadrant },
  {
    header: 'since',
    get: (m) => m.quadrantSince,
    show: (m) => (m.quadrantSince ? `${m.quadrantSinceStart ? '≤' : ''}${m.quadrantSince}` : '—'),
  },
  {
    header: 'tail transitions',
    get: (m) => m.transitions.map((t) => `${t.date} ${t.from}->${t.to}`),
    show: (m) => m.transitions.map((t) => `${t.date} ${t.from}→${t.to}`).join(', ') || '—',
  },
];

type TailRow = RrgPoint & { symbol: string };
const tailColumns: Column<TailRow>[] = [
  { header: 'symbol', get: (r) => r.symbol },
  { header: 'date', get: (r) => r.date },
  { header: 'rs', get: (r) => r.rs },
  { header: 'rs_ratio', get: (r) => r.ratio },
  { header: 'rs_momentum', get: (r) => r.momentum },
  { header: 'quadrant', get: (r) => r.quadrant },
];

export function registerRrg(program: Command): void {
  const cmd = program
    .command('rrg')
    .description(
      'Relative Rotation Graph: RS-Ratio and RS-Momentum (around 100) of each symbol against a benchmark, with ' +
        'quadrant (leading, weakening, lagging, improving), tail and quadrant changes',
    )
    .argument('[symbols...]', 'symbols to place (default: the configured sectors, the 11 sector SPDRs)')
    .option('--benchmark <symbol>', 'the benchmark (default: the configured market benchmark, SPY)')
    .option('--period <period>', 'weekly (last session of each week) | daily', 'weekly')
    .option('--tail <n>', 'points in each tail', '8')
    .option('--window <n>', 'z-score window N in periods (default: 52 weekly, 63 daily)')
    .option('--lag <n>', 'RS-Momentum change K in periods (default: 10)')
    .option('--basis <basis>', 'price (stored closes, as the brief) | total (adjusted closes)', 'price')
    .option('--as-of <date>', 'use no data after this date (YYYY-MM-DD)')
    .option(
      '--news',
      "also the week's sector news: members entering or leaving Leading, ranked against every earlier week (the brief's)",
    )
    .option('--format <format>', 'table | json | csv (csv: one row per tail point)', 'table');
  addConfigFlag(cmd)
    .addHelpText(
      'after',
      `
Formulas (open approximation of the proprietary JdK method; see docs/analytics-rrg-breadth-regime.md):
  RS = close / benchmark close;  RS-Ratio = 100 + z-score of RS over the last N periods;
  RS-Momentum = 100 + z-score of (RS-Ratio - RS-Ratio K periods ago) over the last N periods.
  Trailing windows only: a past point never changes when new data arrive.

Examples:
  rotation rrg                                   the 11 sectors vs SPY, weekly, 8-week tails
  rotation rrg --as-of 2026-01-12                as it looked on that date
  rotation rrg IWM QQQ RSP --benchmark SPY --period daily --tail 20
  rotation rrg --format csv > rrg-tails.csv      tails for a spreadsheet chart
  rotation rrg --news --as-of 2026-07-31         with that week's sector news: who entered or left Leading,
                                                 and in what share of earlier weeks no sector did`,
    )
    .action(async function (this: Command, symbols: string[]) {
      const opts = this.optsWithGlobals<RrgOptions>();
      const format = parseFormat(opts.format);
      const period = opts.period.toLowerCase();
      if (period !== 'weekly' && period !== 'daily')
        throw new UsageError(`unknown period "${opts.period}"`, 'use weekly or daily');
      const tail = opts.tail === undefined ? 8 : parsePositiveInt('--tail', opts.tail);
      await withStore(opts, async (store) => {
        const { params, json } = await runRrg(store, {
          symbols,
          benchmark: opts.benchmark,
          period: period as RrgPeriod,
          tail,
          window: opts.window === undefined ? undefined : parsePositiveInt('--window', opts.window),
          lag: opts.lag === undefined ? undefined : parsePositiveInt('--lag', opts.lag),
          basis: parseBasis(opts.basis ?? 'price'),
          asOf: parseAsOf(opts.asOf),
          config: await loadConfig(opts.config),
          due: lastCompletedSession(),
          news: opts.news === true,
        });
        const { basis, closes, warnings: allWarnings, ...result } = json;
        const stale = allWarnings.some((w) => w.code === 'stale' && w.symbol === result.benchmark);
        if (format === 'json') {
          process.stdout.write(renderJson(json));
          return;
        }
        printWarnings(allWarnings);
        if (format === 'csv') {
          const rows = result.members.flatMap((m) => m.tail.map((p) => ({ symbol: m.symbol, ...p })));
          writeRows(format, tailColumns, rows);
          return;
        }
        process.stdout.write(
          `RRG vs ${result.benchmark}, ${period}, N=${params.window} K=${params.lag}, ${basis} basis (${closes}), ${stale ? 'stale: data end' : 'as of'} ${result.asOf ?? '—'}\n`,
        );
        writeRows(format, summary, result.members);
        if (json.news) process.stdout.write(newsText(json.news, result.benchmark));
      });
    });
}

/** The news lines under the table: one per direction, with how unusual the week is. */
function newsText(items: readonly SectorNewsItem[], bench: string): string {
  if (items.length === 0)
    return `\nnews: no sector entered or left Leading vs ${bench} this week (beyond the band)\n`;
  return items
    .map(
      (x) =>
        `\nnews: ${x.moves.map((m) => m.symbol).join(', ')} ${x.entered ? 'entered' : 'left'} Leading vs ${bench}; in ${((x.score.value as number) * 100).toFixed(0)}% of the ${String(x.historyN.value)} earlier weeks since ${String(x.firstWeek.value)} no sector did\n`,
    )
    .join('');
}
