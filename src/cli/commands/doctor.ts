import type { Command } from 'commander';
import { parsePositiveInt, parsePositiveNumber } from '../../core/positive-int.js';
import type { Finding } from '../../core/quality/findings.js';
import { runDoctor, type DoctorReport, type SymbolReport } from '../../data/doctor.js';
import { parseAsOf, todayInNewYork, withStore, type GlobalOptions } from '../context.js';
import { parseFormat, renderCsv, renderJson, renderTable, type Column } from '../output.js';

type DoctorCliOptions = GlobalOptions & {
  format: string;
  jump: string;
  staleDays: string;
  adjRatio: string;
  asOf?: string;
};

/** Findings shown per check in the table's details section; JSON and CSV list every one. */
const DETAILS_PER_CHECK = 5;

const summaryColumns: Column<SymbolReport>[] = [
  { header: 'symbol', get: (r) => r.symbol },
  { header: 'severity', get: (r) => r.severity },
  { header: 'table', get: (r) => r.table },
  { header: 'rows', get: (r) => r.rows, align: 'right' },
  { header: 'first', get: (r) => r.firstDate },
  { header: 'last', get: (r) => r.lastDate },
  {
    header: 'problems',
    get: (r) =>
      r.checks
        .filter((c) => c.severity !== 'ok')
        .map((c) => `${c.check} ${c.count}`)
        .join(', ') || 'none',
  },
];

const findingColumns: Column<Finding>[] = [
  { header: 'symbol', get: (f) => f.symbol },
  { header: 'check', get: (f) => f.check },
  { header: 'severity', get: (f) => f.severity },
  { header: 'date', get: (f) => f.date ?? null },
  { header: 'detail', get: (f) => f.detail },
];

function renderDoctorTable(report: DoctorReport): string {
  const { settings } = report;
  const out = [
    `Data doctor, as of ${report.asOf} (jumps beyond ${settings.jumpThreshold * 100}%, stale after ` +
      `${settings.staleSessions} sessions, adj/close ratio changes beyond ${settings.adjRatioThreshold * 100}%)`,
    '',
  ];
  const calendars = report.findings.filter((f) => f.check === 'release-calendar');
  // The store-wide duplicate bars come just before the release lists in report.findings (runDoctor).
  const duplicates = report.findings.slice(
    report.findings.length - calendars.length - report.duplicates.length,
    report.findings.length - calendars.length,
  );
  const calendarLines = () => [
    ...(duplicates.length > 0
      ? [
          '',
          `Duplicate bars in the store (error): ${duplicates.length} (symbol, date) stored more than once`,
          ...duplicates.slice(0, DETAILS_PER_CHECK).map((f) => `  - ${f.detail}`),
          ...(duplicates.length > DETAILS_PER_CHECK
            ? [`  … ${duplicates.length - DETAILS_PER_CHECK} more (--format json lists all)`]
            : []),
        ]
      : []),
    ...(calendars.length > 0
      ? ['', 'Release calendars (warn)', ...calendars.map((f) => `  - ${f.detail}`)]
      : []),
  ];
  if (report.symbols.length === 0) {
    out.push('The store holds no symbols: add data with `rotation import` or `rotation sync`.');
    out.push(...calendarLines());
    return out.join('\n') + '\n';
  }
  out.push(renderTable(summaryColumns, report.symbols).trimEnd());
  for (const r of report.symbols) {
    out.push('', `${r.symbol} (${r.severity})`);
    const width = Math.max(...r.checks.map((c) => c.check.length));
    for (const c of r.checks) {
      out.push(`  ${c.check.padEnd(width)}  ${c.severity.padEnd(5)}  ${c.summary}`);
      if (c.severity === 'ok') continue;
      // A finding that only repeats the summary line (e.g. stale) is not printed twice.
      const problems = r.findings.filter(
        (f) => f.check === c.check && f.severity !== 'info' && f.detail !== c.summary,
      );
      for (const f of problems.slice(0, DETAILS_PER_CHECK))
        out.push(`  ${''.padEnd(width)}         - ${f.detail}`);
      if (problems.length > DETAILS_PER_CHECK)
        out.push(
          `  ${''.padEnd(width)}         … ${problems.length - DETAILS_PER_CHECK} more (--format json lists all)`,
        );
    }
  }
  out.push(...calendarLines());
  return out.join('\n') + '\n';
}

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description(
      'check stored data: missing sessions, holiday bars, stale series, jumps and unadjusted splits, OHLC',
    )
    .argument('[symbols...]', 'symbols or series to check (case-insensitive); default: everything stored')
    .option('--as-of <date>', 'the date data should be current to (default: today in New York)')
    .option('--jump <fraction>', 'flag close-to-close moves beyond this fraction', '0.25')
    .option(
      '--stale-days <n>',
      'flag a series whose last bar is more than N sessions before the as-of date',
      '5',
    )
    .option(
      '--adj-ratio <fraction>',
      'flag adj_close/close changes beyond this fraction on days with no known action',
      '0.02',
    )
    .option('--format <format>', 'table | json | csv (csv: one row per finding)', 'table')
    .addHelpText(
      'after',
      [
        '',
        'Severity: ok (nothing found), warn (worth a look, e.g. a suspected unadjusted split), error (numbers',
        'would be wrong, e.g. duplicate rows or a split stored but not adjusted). Exit code 0 even with',
        'findings; 1 when a named symbol is unknown. Without symbols it also warns when a release list kept in',
        'the project (FOMC, CPI, jobs report dates) ends within 30 days of the as-of date.',
        '',
        'Examples:',
        '  rotation doctor                         every stored symbol',
        '  rotation doctor IWM QQQ --jump 0.15     tighter jump threshold',
        '  rotation doctor ^RUT --as-of 2026-02-27 --format json',
        '  rotation doctor CPIAUCSL                observations: coverage and staleness',
      ].join('\n'),
    )
    .action(async function (this: Command, symbols: string[]) {
      const opts = this.optsWithGlobals<DoctorCliOptions>();
      const format = parseFormat(opts.format);
      const asOf = parseAsOf(opts.asOf) ?? todayInNewYork();
      const jumpThreshold = parsePositiveNumber(
        '--jump',
        opts.jump,
        'give a fraction: --jump 0.25 flags moves beyond 25%',
      );
      const staleSessions = parsePositiveInt('--stale-days', opts.staleDays);
      const adjRatioThreshold = parsePositiveNumber('--adj-ratio', opts.adjRatio);
      await withStore(opts, async (store) => {
        const report = await runDoctor(store, {
          asOf,
          symbols,
          jumpThreshold,
          staleSessions,
          adjRatioThreshold,
        });
        switch (format) {
          case 'json':
            process.stdout.write(renderJson(report));
            return;
          case 'csv':
            process.stdout.write(renderCsv(findingColumns, report.findings));
            return;
          case 'table':
            process.stdout.write(renderDoctorTable(report));
            return;
        }
      });
    });
}
