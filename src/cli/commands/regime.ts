import type { Command } from 'commander';
import type { Regime } from '../../core/regime.js';
import { runRegime } from '../../data/analytics/rrg.js';
import { parseBasis } from '../../core/series/types.js';
import { loadConfig } from '../../data/config.js';
import { printWarnings } from '../analytics-load.js';
import { addConfigFlag } from './analytics-options.js';
import { parseAsOf, withStore, type GlobalOptions, lastCompletedSession } from '../context.js';
import { formatPct, parseFormat, renderJson, writeRows, type Column } from '../output.js';

type RegimeOptions = GlobalOptions & { basis?: string; asOf?: string; config?: string; format: string };

const columns: Column<Regime>[] = [
  { header: 'symbol', get: (r) => r.symbol },
  { header: 'date', get: (r) => r.date },
  { header: 'from_high', get: (r) => r.distance, show: (r) => formatPct(r.distance), align: 'right' },
  { header: 'high_date', get: (r) => r.highDate },
  { header: 'sessions_since_high', get: (r) => r.sessionsSinceHigh, align: 'right' },
  { header: 'state', get: (r) => r.state },
  { header: 'state_since', get: (r) => r.stateSince },
  { header: 'vs_50d', get: (r) => r.trend50.gap, show: (r) => formatPct(r.trend50.gap), align: 'right' },
  {
    header: 'slope_50d',
    get: (r) => r.trend50.slope,
    show: (r) => formatPct(r.trend50.slope),
    align: 'right',
  },
  { header: 'trend_50d', get: (r) => r.trend50.direction },
  { header: 'vs_200d', get: (r) => r.trend200.gap, show: (r) => formatPct(r.trend200.gap), align: 'right' },
  {
    header: 'slope_200d',
    get: (r) => r.trend200.slope,
    show: (r) => formatPct(r.trend200.slope),
    align: 'right',
  },
  { header: 'trend_200d', get: (r) => r.trend200.direction },
  { header: 'history_start', get: (r) => r.historyStart },
];

export function registerRegime(program: Command): void {
  const cmd = program
    .command('regime')
    .description(
      'regime tags per symbol: distance from the all-time high, correction (<= -10%) or bear (<= -20%) and since ' +
        'when, 50- and 200-session trend',
    )
    .argument(
      '[symbols...]',
      'symbols (default: the configured benchmarks and sectors: SPY QQQ IWM and the 11 SPDRs)',
    )
    .option('--basis <basis>', 'price (closes) | total (adjusted closes)', 'price')
    .option('--as-of <date>', 'use no data after this date (YYYY-MM-DD)')
    .option('--format <format>', 'table | json | csv', 'table');
  addConfigFlag(cmd)
    .addHelpText(
      'after',
      `
"All-time" means all stored history up to --as-of (history_start says where it begins).
State is near-high (> -10%), correction (<= -10%) or bear (<= -20%); slope = 50d/200d mean vs 20 sessions earlier.

Examples:
  rotation regime
  rotation regime QQQ IWM --as-of 2022-10-14
  rotation regime ^RUT --format json`,
    )
    .action(async function (this: Command, symbols: string[]) {
      const opts = this.optsWithGlobals<RegimeOptions>();
      const format = parseFormat(opts.format);
      const basis = parseBasis(opts.basis ?? 'price');
      const asOf = parseAsOf(opts.asOf);
      await withStore(opts, async (store) => {
        const json = await runRegime(store, symbols, {
          basis,
          asOf,
          config: await loadConfig(opts.config),
          due: lastCompletedSession(),
        });
        const { regimes: rows, warnings } = json;
        if (format === 'json') {
          process.stdout.write(renderJson(json));
          return;
        }
        printWarnings(warnings);
        writeRows(format, columns, rows);
      });
    });
}
