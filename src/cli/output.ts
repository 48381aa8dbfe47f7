import { UsageError } from '../shared/errors.js';

export const FORMATS = ['table', 'json', 'csv'] as const;
export type Format = (typeof FORMATS)[number];

export function parseFormat(text: string | undefined, fallback: Format = 'table'): Format {
  if (text === undefined) return fallback;
  const f = text.toLowerCase();
  if ((FORMATS as readonly string[]).includes(f)) return f as Format;
  throw new UsageError(`unknown format "${text}"`, `use one of: ${FORMATS.join(', ')}`);
}

/** A column of a tabular result: `get` reads the raw value, `show` renders it for people (table only). */
export type Column<T> = {
  header: string;
  get: (row: T) => unknown;
  show?: (row: T) => string;
  align?: 'left' | 'right';
};

/** Percent with sign and two decimals: 0.0123 → "+1.23%". Rendering only; core keeps fractions. */
export function formatPct(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  const v = x * 100;
  return `${v > 0 ? '+' : v < 0 ? '' : ''}${v.toFixed(2)}%`;
}

export function formatNumber(x: number | null | undefined, digits = 2): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/**
 * A number to the precision it carries, at most `maxDigits` decimals, with thousands separators: 900 → "900",
 * 8.3 → "8.3", 2.345 → "2.35". For figures read from a source ("-$900M", "2.7%"), so no digits are invented.
 */
export function formatTrimmed(x: number | null | undefined, maxDigits = 2): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  return x.toLocaleString('en-US', { minimumFractionDigits: 0, maximumFractionDigits: maxDigits });
}

/** Text that a spreadsheet would run as a formula: it starts with = + - @, a tab or a carriage return. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell. Text cells that a spreadsheet would read as a formula (`=cmd|calc`, `@SUM(…)`) get a leading
 * `'` (the OWASP CSV-injection advice), so opening the file never runs anything; numbers are left as they are.
 */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const text = Array.isArray(v) ? v.map((x) => String(x)).join(';') : String(v);
  const s = typeof v !== 'number' && typeof v !== 'bigint' && FORMULA_START.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function renderCsv<T>(columns: readonly Column<T>[], rows: readonly T[]): string {
  const lines = [columns.map((c) => csvCell(c.header)).join(',')];
  for (const r of rows) lines.push(columns.map((c) => csvCell(c.get(r))).join(','));
  return lines.join('\n') + '\n';
}

export function renderTable<T>(columns: readonly Column<T>[], rows: readonly T[]): string {
  const cells = rows.map((r) =>
    columns.map((c) => {
      if (c.show) return c.show(r);
      const v = c.get(r);
      if (v === null || v === undefined) return '—';
      if (Array.isArray(v)) return v.join(', ');
      return String(v);
    }),
  );
  const widths = columns.map((c, i) =>
    Math.max(c.header.length, ...cells.map((row) => (row[i] ?? '').length)),
  );
  const pad = (s: string, i: number) => {
    const w = widths[i] ?? 0;
    return columns[i]?.align === 'right' ? s.padStart(w) : s.padEnd(w);
  };
  const out = [
    columns
      .map((c, i) => pad(c.header, i))
      .join('  ')
      .trimEnd(),
  ];
  out.push(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of cells)
    out.push(
      row
        .map((s, i) => pad(s, i))
        .join('  ')
        .trimEnd(),
    );
  return out.join('\n') + '\n';
}

/** JSON for scripts: fractions, never rounded. */
export function renderJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

/** Writes rows in the chosen format to stdout; `json` writes `jsonValue` (default: the rows). */
export function writeRows<T>(
  format: Format,
  columns: readonly Column<T>[],
  rows: readonly T[],
  jsonValue: unknown = rows,
): void {
  switch (format) {
    case 'json':
      process.stdout.write(renderJson(jsonValue));
      return;
    case 'csv':
      process.stdout.write(renderCsv(columns, rows));
      return;
    case 'table':
      process.stdout.write(renderTable(columns, rows));
      return;
  }
}
