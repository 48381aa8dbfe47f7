import type { Command } from 'commander';
import type { TradingDate } from '../../shared/brand.js';
import { dayOfWeek } from '../../shared/dates.js';
import { calendarJson } from '../../data/analytics/calendar.js';
import { parseDateFlag, todayInNewYork, type GlobalOptions } from '../context.js';
import { parseFormat, renderCsv, renderJson, renderTable, type Column } from '../output.js';

type CalendarOptions = GlobalOptions & { from?: string; to?: string; format: string };

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

type Row = {
  date: TradingDate;
  status: 'session' | 'early-close' | 'holiday';
  close: string | null;
  name: string | null;
};

const weekday = (r: { date: string }) => WEEKDAYS[dayOfWeek(r.date)] ?? '';

const sessionColumns: Column<Row>[] = [
  { header: 'date', get: (r) => r.date },
  { header: 'day', get: weekday },
  { header: 'close', get: (r) => r.close },
  { header: 'note', get: (r) => r.name ?? '', show: (r) => r.name ?? '' },
];

const csvColumns: Column<Row>[] = [
  { header: 'date', get: (r) => r.date },
  { header: 'weekday', get: weekday },
  { header: 'status', get: (r) => r.status },
  { header: 'close', get: (r) => r.close },
  { header: 'name', get: (r) => r.name },
];

const holidayColumns: Column<{ date: TradingDate; name: string }>[] = [
  { header: 'date', get: (h) => h.date },
  { header: 'day', get: weekday },
  { header: 'holiday', get: (h) => h.name },
];

/** Parses --from/--to; defaults to the current New York calendar year (calendarJson checks the range). */
function rangeOf(opts: CalendarOptions): { from: TradingDate; to: TradingDate } {
  const year = todayInNewYork().slice(0, 4);
  const from = parseDateFlag('--from', opts.from) ?? (`${year}-01-01` as TradingDate);
  const to = parseDateFlag('--to', opts.to) ?? (`${year}-12-31` as TradingDate);
  return { from, to };
}

export function registerCalendar(program: Command): void {
  program
    .command('calendar')
    .description('list NYSE sessions with their close time, and the holidays and early closes in a range')
    .option('--from <date>', 'first date (YYYY-MM-DD); default: January 1 of the current year')
    .option('--to <date>', 'last date (YYYY-MM-DD); default: December 31 of the current year')
    .option('--format <format>', 'table | json | csv', 'table')
    .addHelpText(
      'after',
      [
        '',
        'Sessions close at 16:00 New York time, or 13:00 on early-close days (day before Independence Day,',
        'day after Thanksgiving, Christmas Eve; 14:00 before 1993). Covers 1980–2030, including one-off closures',
        '(9/11, Sandy, national days of mourning) and unscheduled early closes (1987 backlog days, snow).',
        '',
        'Examples:',
        '  rotation calendar                                   this year',
        '  rotation calendar --from 2026-11-20 --to 2026-12-31',
        '  rotation calendar --from 2001-09-01 --to 2001-09-30 --format csv',
        '  rotation calendar --from 2025-01-01 --to 2025-12-31 --format json',
      ].join('\n'),
    )
    .action(function (this: Command) {
      const opts = this.optsWithGlobals<CalendarOptions>();
      const format = parseFormat(opts.format);
      const { from, to } = rangeOf(opts);
      const { json, sessions: days } = calendarJson(from, to);
      const { holidays, earlyCloses } = json;
      const sessions: Row[] = days.map((d) => ({ ...d, status: d.name ? 'early-close' : 'session' }));
      switch (format) {
        case 'json':
          process.stdout.write(renderJson(json));
          return;
        case 'csv': {
          const rows: Row[] = [
            ...sessions,
            ...holidays.map((h): Row => ({ date: h.date, status: 'holiday', close: null, name: h.name })),
          ].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
          process.stdout.write(renderCsv(csvColumns, rows));
          return;
        }
        case 'table': {
          const out = [
            `NYSE sessions ${from}..${to}: ${sessions.length} (${earlyCloses.length} closing early)`,
            '',
            renderTable(sessionColumns, sessions).trimEnd(),
            '',
            `Holidays in range: ${holidays.length === 0 ? 'none' : holidays.length}`,
          ];
          if (holidays.length > 0) out.push(renderTable(holidayColumns, holidays).trimEnd());
          process.stdout.write(out.join('\n') + '\n');
          return;
        }
      }
    });
}
