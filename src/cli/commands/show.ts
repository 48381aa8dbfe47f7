import type { Command } from 'commander';
import { parsePositiveInt } from '../../core/positive-int.js';
import type { Bar, Observation } from '../../shared/domain.js';
import { NotFoundError } from '../../shared/errors.js';
import { parseAsOf, parseDateFlag, withStore, type GlobalOptions } from '../context.js';
import { formatNumber, parseFormat, writeRows, type Column } from '../output.js';

const barColumns: Column<Bar>[] = [
  { header: 'date', get: (b) => b.date },
  { header: 'open', get: (b) => b.open, show: (b) => formatNumber(b.open, 4), align: 'right' },
  { header: 'high', get: (b) => b.high, show: (b) => formatNumber(b.high, 4), align: 'right' },
  { header: 'low', get: (b) => b.low, show: (b) => formatNumber(b.low, 4), align: 'right' },
  { header: 'close', get: (b) => b.close, show: (b) => formatNumber(b.close, 4), align: 'right' },
  { header: 'adj_close', get: (b) => b.adjClose, show: (b) => formatNumber(b.adjClose, 4), align: 'right' },
  { header: 'volume', get: (b) => b.volume, show: (b) => formatNumber(b.volume, 0), align: 'right' },
];

const obsColumns: Column<Observation>[] = [
  { header: 'period', get: (o) => o.period },
  { header: 'value', get: (o) => o.value, align: 'right' },
  { header: 'unit', get: (o) => o.unit },
  { header: 'as_of', get: (o) => o.asOf },
  { header: 'source', get: (o) => o.source },
];

type ShowOptions = GlobalOptions & {
  from?: string;
  to?: string;
  asOf?: string;
  format: string;
  last?: string;
};

export function registerShow(program: Command): void {
  program
    .command('show')
    .description('print the stored bars of a symbol, or the observations of a series')
    .argument('<symbol>', 'a symbol (IWM, ^RUT) or series id (CPIAUCSL); case-insensitive')
    .option('--from <date>', 'first date (YYYY-MM-DD)')
    .option('--to <date>', 'last date (YYYY-MM-DD)')
    .option('--as-of <date>', 'for series: the vintage known at this date')
    .option('--last <n>', 'only the last N rows')
    .option('--format <format>', 'table | json | csv', 'table')
    .addHelpText(
      'after',
      '\nExamples:\n  rotation show IWM --from 2026-01-01 --to 2026-01-31\n  rotation show ^rut --last 5\n  rotation show CPIAUCSL --as-of 2025-12-31 --format csv',
    )
    .action(async function (this: Command, symbolText: string) {
      const opts = this.optsWithGlobals<ShowOptions>();
      const format = parseFormat(opts.format);
      const from = parseDateFlag('--from', opts.from);
      const to = parseDateFlag('--to', opts.to);
      const asOf = parseAsOf(opts.asOf);
      const last = opts.last === undefined ? undefined : parsePositiveInt('--last', opts.last);
      await withStore(opts, async (store) => {
        const symbol = await store.resolveSymbol(symbolText);
        if (!symbol)
          throw new NotFoundError(
            `unknown symbol "${symbolText}"`,
            'list what is stored with `rotation symbols`; add data with `rotation import` or `rotation sync`',
          );
        const upper = to && asOf ? (to < asOf ? to : asOf) : (to ?? asOf);
        const range = { ...(from ? { from } : {}), ...(upper ? { to: upper } : {}) };
        const bars = await store.loadBars(symbol, range);
        if (bars.length > 0) {
          const shown = last ? bars.slice(-last) : bars;
          writeRows(format, barColumns, shown, { symbol, bars: shown });
          return;
        }
        const obs = (await store.loadObservations(symbol, asOf ? { asOf } : {})).filter(
          (o) => (!from || o.period >= from) && (!to || o.period <= to),
        );
        const shown = last ? obs.slice(-last) : obs;
        writeRows(format, obsColumns, shown, { series: symbol, observations: shown });
      });
    });
}
