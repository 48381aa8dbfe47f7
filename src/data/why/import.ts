import { basename } from 'node:path';
import type { TradingDate } from '../../shared/brand.js';
import { parseIsoDate } from '../../shared/dates.js';
import type { Observation } from '../../shared/domain.js';
import { InputError } from '../../shared/errors.js';
import type { Store } from '../store/store.js';
import { firstLine, parseCsvText, readWhyText, splitHeader } from './csv.js';
import { checkIciRows, ICI_COLUMNS, isIciHeader, parseIciTable } from './ici.js';
import { isTffHeader, parseTffTable, tffDateColumn } from './cftc.js';
import { checkOrder } from './row-checks.js';
import {
  isQuarterlyEpsHeader,
  isSectorEpsHeader,
  isShillerHeader,
  parseQuarterlyEpsTable,
  parseSectorEpsTable,
  parseShillerTable,
  spWorkbookDate,
  type ParsedObs,
} from './sp-earnings.js';
import { isWhyHeader, parseWhyTable } from './why-csv.js';

/** The file layouts this module reads (docs/why.md describes each). */
export const WHY_KINDS = [
  'why-csv',
  'ici-flows',
  'cftc-tff',
  'shiller',
  'sp-sector-eps',
  'sp-quarterly-eps',
] as const;
export type WhyKind = (typeof WHY_KINDS)[number];

export type WhyImportResult = {
  kind: WhyKind;
  added: number;
  updated: number;
  unchanged: number;
  series: string[];
  firstDate: string | null;
  lastDate: string | null;
  rows: number;
  warnings: string[];
};

/** Which "why" layout a file has, from its first ~64 KB of text (only the header line is read); null if none. */
export function detectWhyFile(_path: string, head: string): WhyKind | null {
  const header = splitHeader(firstLine(head));
  if (isWhyHeader(header)) return 'why-csv';
  if (isIciHeader(header)) return 'ici-flows';
  if (isTffHeader(header)) return 'cftc-tff';
  if (isShillerHeader(header)) return 'shiller';
  if (isSectorEpsHeader(header)) return 'sp-sector-eps';
  if (isQuarterlyEpsHeader(header)) return 'sp-quarterly-eps';
  return null;
}

type Parsed = {
  obs: Observation[];
  notes: { series: string; period: string; asOf: string; note: string }[];
  rows: number;
  warnings: string[];
};

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** The vintage of files that carry none: `--as-of`, else today (docs/why.md, "Vintages"). */
function vintageFor(file: string, opts: { asOf?: string; today: string }): string {
  const v = opts.asOf ?? opts.today;
  if (!parseIsoDate(v)) throw new InputError(`as-of "${v}" is not a date`, { file });
  return v;
}

function parseFile(
  path: string,
  text: string,
  kind: WhyKind,
  opts: { asOf?: string; today: string },
): Parsed {
  const file = basename(path);
  const table = parseCsvText(text, file);
  const rows = table.records.length;
  switch (kind) {
    case 'why-csv': {
      const recs = parseWhyTable(table, file, opts.today);
      return {
        obs: recs.map((r) => ({
          series: r.series,
          period: r.period,
          value: r.value,
          unit: r.unit,
          asOf: r.asOf as TradingDate,
          source: r.source,
        })),
        notes: recs
          .filter((r) => r.note)
          .map((r) => ({ series: r.series, period: r.period, asOf: r.asOf, note: r.note as string })),
        rows,
        warnings: [],
      };
    }
    case 'ici-flows': {
      // Order and duplicates by row (every column shares the row's date); exact repeats are dropped first so
      // that the mislabelling check sees each date once.
      const all = parseIciTable(table, file, opts.today);
      const order = checkOrder(
        all.map((r) => ({ line: r.line, key: 'ICI', period: r.date, value: JSON.stringify(r.values) })),
        file,
        'Date',
      );
      const ici = all.filter((_, i) => order.keep[i]);
      const check = checkIciRows(ici, file);
      const good = check.firstBadIndex === null ? ici : ici.slice(0, check.firstBadIndex);
      const asOf = vintageFor(file, opts) as TradingDate;
      // Weekly files have 7-day steps; monthly ones month ends. The metric says which.
      const weekly = /weekly/i.test(file) || medianGapDays(ici.map((r) => r.date)) < 20;
      const metric = weekly ? 'net_flow' : 'net_flow_monthly';
      const obs: Observation[] = [];
      for (const r of good)
        for (const c of ICI_COLUMNS) {
          const v = r.values[c];
          if (v !== null)
            obs.push({
              series: `flows:ici:${slug(c)}:${metric}`,
              period: r.date,
              value: v * 1e6,
              unit: 'usd',
              asOf,
              source: 'ICI',
            });
        }
      return {
        obs,
        notes: [],
        rows,
        warnings: [...order.warnings, ...(check.message ? [check.message] : [])],
      };
    }
    case 'cftc-tff': {
      const all = parseTffTable(table, file, opts.today, opts.asOf);
      const order = checkOrder(
        all.map((r) => ({ line: r.line, key: r.series, period: r.period, value: r.value })),
        file,
        tffDateColumn(table.header),
      );
      const recs = all.filter((_, i) => order.keep[i]);
      return {
        obs: recs.map((r) => ({
          series: r.series,
          period: r.period,
          value: r.value,
          unit: 'contracts',
          asOf: r.asOf as TradingDate,
          source: 'CFTC TFF',
        })),
        notes: [],
        rows,
        warnings: order.warnings,
      };
    }
    case 'shiller': {
      const parsed = parseShillerTable(table, file, opts.today);
      const { obs, warnings } = ordered(parsed.obs, file, 'Date');
      const asOf = vintageFor(file, opts) as TradingDate;
      return {
        obs: obs.map((o) => ({ ...o, asOf, source: 'Shiller (datasets/s-and-p-500)' })),
        notes: [],
        rows,
        warnings: [...warnings, ...parsed.warnings],
      };
    }
    case 'sp-sector-eps': {
      const book = opts.asOf ? null : spWorkbookDate(path);
      const asOf = (book?.date ?? vintageFor(file, opts)) as TradingDate;
      const { obs, warnings: order } = ordered(parseSectorEpsTable(table, file), file, 'year');
      const vintage = opts.asOf
        ? []
        : book
          ? [`${file}: S&P estimates recorded as of the workbook date ${asOf} (from ${basename(book.from)})`]
          : [
              `${file}: recent years are S&P estimates; recorded as known on ${asOf} (pass --as-of with the workbook date, e.g. 2026-01-16, to keep the true vintage)`,
            ];
      return {
        obs: obs.map((o) => ({ ...o, asOf, source: 'S&P Dow Jones Indices' })),
        notes: [],
        rows,
        warnings: [...order, ...vintage],
      };
    }
    case 'sp-quarterly-eps': {
      const asOf = ((opts.asOf ? null : spWorkbookDate(path))?.date ?? vintageFor(file, opts)) as TradingDate;
      const { obs, warnings } = ordered(parseQuarterlyEpsTable(table, file, opts.today), file, 'date');
      return {
        obs: obs.map((o) => ({ ...o, asOf, source: 'S&P Dow Jones Indices' })),
        notes: [],
        rows,
        warnings,
      };
    }
  }
}

/** Observations through the order and duplicate check (row-checks.ts), keyed by series; exact repeats dropped. */
function ordered(obs: ParsedObs[], file: string, field: string): { obs: ParsedObs[]; warnings: string[] } {
  const order = checkOrder(
    obs.map((o) => ({ line: o.line, key: o.series, period: o.period, value: o.value })),
    file,
    field,
  );
  return { obs: obs.filter((_, i) => order.keep[i]), warnings: order.warnings };
}

function medianGapDays(dates: readonly string[]): number {
  const gaps: number[] = [];
  for (let i = 1; i < dates.length; i++) {
    const a = Date.UTC(
      +dates[i - 1]!.slice(0, 4),
      +dates[i - 1]!.slice(5, 7) - 1,
      +dates[i - 1]!.slice(8, 10),
    );
    const b = Date.UTC(+dates[i]!.slice(0, 4), +dates[i]!.slice(5, 7) - 1, +dates[i]!.slice(8, 10));
    gaps.push((b - a) / 86_400_000);
  }
  gaps.sort((x, y) => x - y);
  return gaps[Math.floor(gaps.length / 2)] ?? 0;
}

/** A period as a date for first/last reporting: dates as they are, `YYYY-MM` as its first day; others null. */
function periodDate(p: string): string | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(p)) return p;
  if (/^\d{4}-\d{2}$/.test(p)) return `${p}-01`;
  return null;
}

/**
 * Imports one "why" file (see detectWhyFile) into the observations table, all or nothing. Revisions are kept as
 * vintages (Store.upsertObservations); notes go to observation_notes. Throws InputError (file, line, field) on
 * bad input before anything is written. With `dryRun` nothing is written and the counts say what would be.
 */
export async function importWhyFile(
  store: Store,
  path: string,
  opts: { asOf?: string; dryRun?: boolean; today: string },
): Promise<WhyImportResult> {
  const file = basename(path);
  const text = readWhyText(path, file);
  const kind = detectWhyFile(path, text.slice(0, 64 * 1024));
  if (!kind)
    throw new InputError('not a "why" file: the header matches none of the layouts in docs/why.md', {
      file,
      line: 1,
    });
  if (opts.asOf !== undefined && !parseIsoDate(opts.asOf))
    throw new InputError(`as-of "${opts.asOf}" is not a date`, { file });
  const parsed = parseFile(path, text, kind, opts);
  if (parsed.obs.length === 0)
    throw new InputError(
      parsed.warnings.length > 0 ? `nothing usable to import: ${parsed.warnings.join('; ')}` : 'no data rows',
      { file },
    );
  const counts = await store.transaction(async (tx) => {
    const c = await tx.upsertObservations(parsed.obs, opts.dryRun ? { dryRun: true } : {});
    if (!opts.dryRun) await tx.upsertNotes(parsed.notes);
    return c;
  });
  const series = [...new Set(parsed.obs.map((o) => o.series))].sort();
  const dates = parsed.obs
    .map((o) => periodDate(o.period))
    .filter((d): d is string => d !== null)
    .sort();
  const fallback = parsed.obs.map((o) => o.asOf as string).sort();
  const ds = dates.length > 0 ? dates : fallback;
  return {
    kind,
    ...counts,
    series,
    firstDate: ds[0] ?? null,
    lastDate: ds[ds.length - 1] ?? null,
    rows: parsed.rows,
    warnings: parsed.warnings,
  };
}
