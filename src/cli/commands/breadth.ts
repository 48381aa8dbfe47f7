import type { Command } from 'commander';
import { runBreadth } from '../../data/analytics/breadth.js';
import { parseBasis } from '../../core/series/types.js';
import { loadConfig } from '../../data/config.js';
import { printWarnings } from '../analytics-load.js';
import { addConfigFlag } from './analytics-options.js';
import { parseAsOf, withStore, type GlobalOptions, lastCompletedSession } from '../context.js';
import { formatNumber, formatPct, parseFormat, renderJson, writeRows, type Column } from '../output.js';

type BreadthOptions = GlobalOptions & {
  universe?: string;
  constituents?: string;
  equal: string;
  cap?: string;
  basis?: string;
  asOf?: string;
  config?: string;
  format: string;
};

/** A share of a whole (no sign): 0.3 → "30.00%". */
function formatShare(x: number | null): string {
  return x === null || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(2)}%`;
}

/** One line of the long-form result: the same rows in table and CSV. */
type MetricRow = { section: string; metric: string; value: number | null; unit: string; detail: string };

const columns: Column<MetricRow>[] = [
  { header: 'section', get: (r) => r.section },
  { header: 'metric', get: (r) => r.metric },
  {
    header: 'value',
    get: (r) => r.value,
    show: (r) =>
      r.unit === 'fraction'
        ? formatPct(r.value)
        : r.unit === 'share'
          ? formatShare(r.value)
          : r.unit === 'count'
            ? formatNumber(r.value, 0)
            : formatNumber(r.value, 4),
    align: 'right',
  },
  { header: 'unit', get: (r) => r.unit },
  { header: 'detail', get: (r) => r.detail },
];

/** The long-form rows of a breadth result: what the table and `--format csv` print (and the API's CSV). */
export function breadthRows(result: Awaited<ReturnType<typeof runBreadth>>): MetricRow[] {
  const [rel, trend] = [result.equalVsCap.windows, result.equalVsCap.ratioTrend];
  const equal = { symbol: result.equalVsCap.equal };
  const cap = { symbol: result.equalVsCap.cap };
  const p50 = result.participation?.above50 ?? null;
  const p200 = result.participation?.above200 ?? null;
  const listed = result.participation?.listed ?? 0;
  const available = result.participation?.available ?? 0;
  const conc = result.concentration;
  const stale = result.warnings.some((w) => w.code === 'stale');
  const rows: MetricRow[] = [];
  const ev = `${equal.symbol} vs ${cap.symbol}`;
  for (const r of rel)
    rows.push({
      section: 'equal-vs-cap',
      metric: `${r.window} spread`,
      value: r.spread,
      unit: 'fraction',
      detail: r.from
        ? `${ev}: ${formatPct(r.retA)} vs ${formatPct(r.retB)}, ${r.from}..${r.to}`
        : `${ev}: not enough history`,
    });
  rows.push({
    section: 'equal-vs-cap',
    metric: 'ratio',
    value: trend.ratio,
    unit: 'ratio',
    detail: `${equal.symbol}/${cap.symbol} on ${trend.date ?? '—'}${stale ? ' (stale: see the warning)' : ''}`,
  });
  rows.push({
    section: 'equal-vs-cap',
    metric: 'ratio vs 50d mean',
    value: trend.sma50 === null || trend.ratio === null ? null : trend.ratio / trend.sma50 - 1,
    unit: 'fraction',
    detail: `trend ${trend.trend ?? '—'}; 50d mean slope over 20 sessions ${formatPct(trend.slope50)}`,
  });
  rows.push({
    section: 'equal-vs-cap',
    metric: 'ratio vs 200d mean',
    value: trend.sma200 === null || trend.ratio === null ? null : trend.ratio / trend.sma200 - 1,
    unit: 'fraction',
    detail: '',
  });
  if (result.participation) {
    const u = result.participation;
    rows.push({
      section: 'participation',
      metric: 'coverage',
      value: listed === 0 ? null : available / listed,
      unit: 'share',
      detail: `${available} of ${listed} ${u.universe} members have stored prices`,
    });
    for (const [label, p] of [
      ['above 50d mean', p50],
      ['above 200d mean', p200],
    ] as const)
      rows.push({
        section: 'participation',
        metric: label,
        value: p?.share ?? null,
        unit: 'share',
        detail: p ? `${p.above} of ${p.counted} with a full window on ${p.date}` : 'no stored member',
      });
  }
  if (conc) {
    const src = `${conc.universe ?? ''}${conc.snapshot ? ` weights ${conc.snapshot}` : ''}`;
    rows.push({
      section: 'concentration',
      metric: 'top 1 share',
      value: conc.top1,
      unit: 'share',
      detail: `${conc.top[0]?.symbol ?? ''} (${src})`,
    });
    rows.push({
      section: 'concentration',
      metric: 'top 5 share',
      value: conc.top5,
      unit: 'share',
      detail: conc.top
        .slice(0, 5)
        .map((t) => t.symbol)
        .join(' '),
    });
    rows.push({
      section: 'concentration',
      metric: 'top 10 share',
      value: conc.top10,
      unit: 'share',
      detail: '',
    });
    rows.push({
      section: 'concentration',
      metric: 'herfindahl',
      value: conc.herfindahl,
      unit: 'index',
      detail: `${conc.holdings} holdings, weights summing to ${formatPct(conc.weightSum)}`,
    });
    rows.push({
      section: 'concentration',
      metric: 'effective N',
      value: conc.effectiveN,
      unit: 'holdings',
      detail: '1 / herfindahl',
    });
  }
  return rows;
}

export function registerBreadth(program: Command): void {
  const cmd = program
    .command('breadth')
    .description(
      'is the market broad or narrow: equal weight vs cap weight (RSP vs SPY), the share of an index above its ' +
        '50- and 200-session averages, and top-N weight concentration',
    )
    .option(
      '--universe <name|file>',
      'sp500 | ndx | a CSV with a Symbol column (and optional Weight)',
      'sp500',
    )
    .option(
      '--constituents <dir>',
      'folder of sp500_weights_DATE.csv / nasdaq100_weights_DATE.csv (default: $ROTATION_CONSTITUENTS or ./constituents)',
    )
    .option('--equal <symbol>', 'the equal-weight fund', 'RSP')
    .option('--cap <symbol>', 'the cap-weight fund (default: the configured market benchmark, SPY)')
    .option('--basis <basis>', 'price (stored closes, as the brief) | total (adjusted closes)', 'price')
    .option('--as-of <date>', 'use no data after this date (YYYY-MM-DD)')
    .option('--format <format>', 'table | json | csv', 'table');
  addConfigFlag(cmd)
    .addHelpText(
      'after',
      `
Participation counts only members whose prices are stored: the coverage rows say how many of the list that is.
Index membership is a snapshot (the latest file dated on or before --as-of), not point-in-time history.

Examples:
  rotation breadth --constituents ../shared/data/constituents
  rotation breadth --universe ndx --as-of 2026-06-30 --format json
  rotation breadth --universe my-list.csv --equal QQQE --cap QQQ`,
    )
    .action(async function (this: Command) {
      const opts = this.optsWithGlobals<BreadthOptions>();
      const format = parseFormat(opts.format);
      const basis = parseBasis(opts.basis ?? 'price');
      const asOf = parseAsOf(opts.asOf);
      const explicitUniverse = this.getOptionValueSource('universe') !== 'default';
      await withStore(opts, async (store) => {
        const result = await runBreadth(store, {
          universe: opts.universe ?? 'sp500',
          explicitUniverse,
          constituents: opts.constituents,
          equal: opts.equal,
          cap: opts.cap,
          basis,
          asOf,
          config: await loadConfig(opts.config),
          due: lastCompletedSession(),
        });
        const { warnings } = result;
        if (format === 'json') {
          process.stdout.write(renderJson(result));
          return;
        }
        printWarnings(warnings);
        const rows = breadthRows(result);
        writeRows(format, columns, rows);
      });
    });
}
