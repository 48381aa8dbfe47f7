import { addDays, parseIsoDate } from '../../../shared/dates.js';
import { InputError } from '../../../shared/errors.js';
import { ICI_FILES, ICI_LABELS, ICI_REQUIRED, type IciCell, type IciFileKind } from './schema.js';

/** One period row of an ICI sheet: its sheet row (1-based), the date and the figures by category id, in usd. */
export type IciPeriodRow = { line: number; date: string; values: Record<string, number> };

/** An ICI sheet read into the project's words (the only code that knows ICI's labels and layout). */
export type IciSheet = {
  kind: IciFileKind;
  /** Category ids in column order. */
  categories: string[];
  weeks: IciPeriodRow[];
  months: IciPeriodRow[];
};

/** Excel's day 0 for serial dates (the 1900 date system, with Lotus's leap-year bug: serial 60 is 1900-02-29). */
const EXCEL_EPOCH = '1899-12-30';

/** A date cell: an Excel serial number, `m/d/yyyy` or `yyyy-mm-dd`; null when the cell is not a date. */
export function iciDate(cell: IciCell): string | null {
  if (typeof cell === 'number') {
    if (!Number.isInteger(cell) || cell < 20_000 || cell > 80_000) return null; // 1954 … 2119
    return addDays(EXCEL_EPOCH, cell);
  }
  if (typeof cell !== 'string') return null;
  const t = cell.trim();
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t);
  const iso = us ? `${us[3]}-${us[1]?.padStart(2, '0')}-${us[2]?.padStart(2, '0')}` : t;
  return parseIsoDate(iso);
}

const colName = (i: number): string => {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
};

const text = (c: IciCell | undefined): string =>
  typeof c === 'string'
    ? c
        .replace(/\s+/g, ' ')
        .replace(/[*\d]+$/, '')
        .trim()
    : '';

/** A block marker: a row whose only text is in column A and names the weekly or monthly block. */
function marker(row: readonly IciCell[]): 'weekly' | 'monthly' | null {
  if (row.slice(1).some((c) => c !== null && String(c).trim() !== '')) return null;
  const t = text(row[0] ?? null).toLowerCase();
  if (/note|source/.test(t)) return null;
  return /weekly/.test(t) ? 'weekly' : /monthly/.test(t) ? 'monthly' : null;
}

/**
 * Reads one ICI flow sheet (rows of cells as SheetJS gives them). The header block is the rows above the first
 * dated row that label figure columns; each figure column's label is its header cells joined (ICI_LABELS). Rows
 * after a "Monthly" cell in column A are months, after a "Weekly" cell weeks (without such cells, a sheet whose
 * dates are at most 10 days apart is all weeks). Figures are millions of dollars; empty cells are left out.
 * Throws InputError naming the sheet row and column for a figure that is not a number, an unknown layout or a
 * missing category.
 */
export function toIciSheet(rows: readonly (readonly IciCell[])[], kind: IciFileKind, file: string): IciSheet {
  const first = rows.findIndex((r) => iciDate(r[0] ?? null) !== null);
  if (first < 0)
    throw new InputError(`no dated row: not an ICI "${ICI_FILES[kind].title}" sheet`, { file, line: 1 });
  // Header rows: above the first dated row, with text in some column after A.
  const header = rows.slice(0, first).filter((r) => r.slice(1).some((c) => text(c) !== ''));
  const width = Math.max(...rows.map((r) => r.length));
  const labels = ICI_LABELS[kind];
  const columns: { index: number; category: string; label: string }[] = [];
  const unknown: string[] = [];
  for (let i = 1; i < width; i++) {
    const label = header
      .map((r) => text(r[i]))
      .filter(Boolean)
      .join(' ')
      .toLowerCase();
    if (!label) continue;
    const category = labels[label];
    if (category) columns.push({ index: i, category, label });
    else unknown.push(`${colName(i)} "${label}"`);
  }
  const missing = Object.entries(labels)
    .filter(([, c]) => ICI_REQUIRED[kind].includes(c) && !columns.some((x) => x.category === c))
    .map(([l]) => `"${l}"`);
  if (missing.length > 0)
    throw new InputError(
      `the header does not name ${missing.join(', ')}` +
        (unknown.length > 0 ? ` (it names ${unknown.join(', ')})` : '') +
        `: not the layout of ICI's ${ICI_FILES[kind].prefix}_YYYY.xls`,
      { file, line: header.length > 0 ? rows.indexOf(header[0] as IciCell[]) + 1 : 1 },
    );
  const weeks: IciPeriodRow[] = [];
  const months: IciPeriodRow[] = [];
  let block: 'weekly' | 'monthly' | null = null;
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] ?? [];
    const a = row[0] ?? null;
    const date = iciDate(a);
    if (date === null) {
      const m = marker(row);
      if (m) block = m;
      continue;
    }
    const values: Record<string, number> = {};
    for (const c of columns) {
      const cell = row[c.index] ?? null;
      if (cell === null || (typeof cell === 'string' && cell.trim() === '')) continue;
      const v = typeof cell === 'number' ? cell : Number(String(cell).replace(/,/g, '').trim());
      if (typeof cell === 'boolean' || !Number.isFinite(v))
        throw new InputError(`"${String(cell)}" is not a number (millions of dollars)`, {
          file,
          line: r + 1,
          field: `${colName(c.index)} ${c.label}`,
        });
      values[c.category] = v * 1e6;
    }
    const out = { line: r + 1, date, values };
    if (block === 'monthly') months.push(out);
    else if (block === 'weekly') weeks.push(out);
    else weeks.push(out); // no marker yet: decided below
  }
  const marked = rows.some((r) => marker(r) !== null);
  if (!marked) {
    const ds = weeks.map((w) => w.date).sort();
    const wide = ds.slice(1).some((d, i) => d > addDays(ds[i] as string, 10));
    if (wide)
      throw new InputError('no "Monthly" or "Weekly" block marker and the dates are not weekly', {
        file,
        line: first + 1,
      });
  }
  const seen = new Set<string>();
  for (const w of weeks) {
    if (seen.has(w.date))
      throw new InputError(`week ${w.date} appears twice`, { file, line: w.line, field: 'A (date)' });
    seen.add(w.date);
  }
  weeks.sort((x, y) => (x.date < y.date ? -1 : 1));
  months.sort((x, y) => (x.date < y.date ? -1 : 1));
  return { kind, categories: columns.map((c) => c.category), weeks, months };
}
