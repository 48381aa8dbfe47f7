import type { CsvTable } from './csv.js';
import { whyDate, whyNumber } from './row-checks.js';

/** The ICI long-term mutual fund flow columns (millions of USD), in file order after `Date`. */
export const ICI_COLUMNS = [
  'Total Equity',
  'Domestic Equity',
  'World Equity',
  'Hybrid',
  'Total Bond',
  'Taxable Bond',
  'Municipal Bond',
  'Total',
] as const;
export type IciColumn = (typeof ICI_COLUMNS)[number];

/** One ICI row: its file line, date and the eight cells (null when empty). */
export type IciRow = { line: number; date: string; values: Record<IciColumn, number | null> };

/** The outcome of checking an ICI file for the post-2020 column mislabelling. */
export type IciCheck = {
  /** Index (into the rows given) of the first mislabelled row; null when every row is labelled as it claims. */
  firstBadIndex: number | null;
  /** How many rows from the first mislabelled one on are unusable (all of them are dropped). */
  dropped: number;
  /** The warning (or refusal reason) for people, naming the file line, the date and the evidence; null if clean. */
  message: string | null;
};

export function isIciHeader(header: readonly string[]): boolean {
  return (
    header.length === ICI_COLUMNS.length + 1 &&
    (header[0] ?? '').toLowerCase() === 'date' &&
    ICI_COLUMNS.every((c, i) => header[i + 1] === c)
  );
}

/**
 * Finds the first mislabelled row of an ICI flows file. From the source's format change (monthly rows from
 * 2020-12-31, weekly rows from 2022-07-06 in the public datasets/investor-flow-of-funds-us copy) Domestic Equity,
 * Hybrid, Taxable Bond and Total are empty and the remaining columns hold other series: on every such row
 * `World Equity` = `Total Bond` + `Municipal Bond` within ±1 (rounding), an identity no labelled row satisfies
 * by design. A row is flagged when the four columns are empty; the identity is quoted as the evidence.
 * Every row from the first flagged one on is unusable (a later row with all cells filled could still be
 * mislabelled), so the caller drops them all and says so: numbers are never silently wrong.
 */
export function checkIciRows(rows: readonly IciRow[], file = 'ICI file'): IciCheck {
  const idx = rows.findIndex((r) =>
    (['Domestic Equity', 'Hybrid', 'Taxable Bond', 'Total'] as const).every((c) => r.values[c] === null),
  );
  if (idx < 0) return { firstBadIndex: null, dropped: 0, message: null };
  const r = rows[idx] as IciRow;
  const w = r.values['World Equity'];
  const tb = r.values['Total Bond'];
  const mu = r.values['Municipal Bond'];
  const identity =
    w !== null && tb !== null && mu !== null && Math.abs(w - (tb + mu)) <= 1
      ? `World Equity ${w} = Total Bond ${tb} + Municipal Bond ${mu}`
      : null;
  const matching = rows.slice(idx).filter((x) => {
    const a = x.values['World Equity'];
    const b = x.values['Total Bond'];
    const c = x.values['Municipal Bond'];
    return a !== null && b !== null && c !== null && Math.abs(a - (b + c)) <= 1;
  }).length;
  const dropped = rows.length - idx;
  const message =
    `${file}:${r.line} (${r.date}): ICI columns are mislabelled from this row on — Domestic Equity, Hybrid, ` +
    `Taxable Bond and Total are empty` +
    (identity ? ` and ${identity} (±1)` : '') +
    `; the identity holds on ${matching} of the ${dropped} rows from here. ` +
    `Dropped ${dropped} row(s) dated ${r.date} or later; imported the ${idx} labelled row(s) before. ` +
    `Re-derive later rows from ICI's own releases before using them.`;
  return { firstBadIndex: idx, dropped, message };
}

/**
 * Reads the ICI table into rows through the row checks (row-checks.ts): a bad or future date (after `today`) or
 * a cell that is not a plain decimal is an InputError naming the line and column; empty cells are null.
 */
export function parseIciTable(table: CsvTable, file: string, today: string): IciRow[] {
  return table.records.map((rec) => {
    const date = whyDate(rec.cells[0], today, { file, line: rec.line, field: 'Date' });
    const values = {} as Record<IciColumn, number | null>;
    ICI_COLUMNS.forEach((c, i) => {
      values[c] = whyNumber(rec.cells[i + 1], `ICI ${c}`, { file, line: rec.line, field: c });
    });
    return { line: rec.line, date, values };
  });
}
