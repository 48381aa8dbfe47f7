import type { Command } from 'commander';
import type { SymbolSummary } from '../../data/store/store.js';
import { withStore, type GlobalOptions } from '../context.js';
import { parseFormat, writeRows, type Column } from '../output.js';

const columns: Column<SymbolSummary>[] = [
  { header: 'symbol', get: (r) => r.symbol },
  { header: 'kind', get: (r) => r.kind ?? (r.table === 'observations' ? 'series' : null) },
  { header: 'table', get: (r) => r.table },
  { header: 'rows', get: (r) => r.rows, align: 'right' },
  { header: 'first', get: (r) => r.firstDate },
  { header: 'last', get: (r) => r.lastDate },
  { header: 'sources', get: (r) => r.sources },
];

export function registerSymbols(program: Command): void {
  program
    .command('symbols')
    .description('list every stored symbol and series with its row count, date range and sources')
    .option('--format <format>', 'table | json | csv', 'table')
    .option('--kind <kind>', 'only this kind (index, etf, stock, basket, series)')
    .addHelpText(
      'after',
      '\nExamples:\n  rotation symbols\n  rotation symbols --kind etf --format csv > symbols.csv',
    )
    .action(async function (this: Command) {
      const opts = this.optsWithGlobals<GlobalOptions & { format: string; kind?: string }>();
      const format = parseFormat(opts.format);
      const rows = await withStore(opts, (store) => store.listSymbols());
      const wanted = opts.kind?.toLowerCase();
      const shown = wanted
        ? rows.filter((r) => (r.kind ?? (r.table === 'observations' ? 'series' : '')) === wanted)
        : rows;
      if (shown.length === 0 && format === 'table') {
        process.stderr.write(
          'The store is empty. Fill it with `rotation import PATH` (CSV, TSV, Parquet, JSON) or `rotation sync`.\n',
        );
        return;
      }
      writeRows(format, columns, shown);
    });
}
