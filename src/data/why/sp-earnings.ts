import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseIsoDate } from '../../shared/dates.js';
import { InputError } from '../../shared/errors.js';
import { firstLine, parseCsvText, splitHeader, type CsvTable } from './csv.js';
import { whyDate, whyNumber } from './row-checks.js';

/** An observation parsed from a file, with its line. The vintage is added by the importer. */
export type ParsedObs = { line: number; series: string; period: string; value: number; unit: string };

const slug = (s: string) =>
  s
    .trim()
    .toLowerCase()
    .replace(/&/g, 'and')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

// ---- Shiller S&P 500 monthly ------------------------------------------------------------------------

export const SHILLER_HEADER = [
  'Date',
  'SP500',
  'Dividend',
  'Earnings',
  'Consumer Price Index',
  'Long Interest Rate',
  'Real Price',
  'Real Dividend',
  'Real Earnings',
  'PE10',
];
const SHILLER_UNITS: Record<string, string> = {
  SP500: 'index',
  Dividend: 'points',
  Earnings: 'points',
  'Consumer Price Index': 'index',
  'Long Interest Rate': 'percent',
  'Real Price': 'index',
  'Real Dividend': 'points',
  'Real Earnings': 'points',
  PE10: 'ratio',
};

export const isShillerHeader = (h: readonly string[]) =>
  h.length === SHILLER_HEADER.length && SHILLER_HEADER.every((c, i) => h[i] === c);

/**
 * Shiller's monthly S&P 500 table as series `earnings:shiller-sp500:<column>`. In the public copy a 0 means
 * "no data" (every field but SP500 is 0 after Shiller's data end, 2023-06; PE10 is 0 for 1871–1880), so zeros are
 * dropped and counted in a warning instead of being stored as real zeros. Cells and dates go through the row
 * checks (row-checks.ts): a date after `today` is refused.
 */
export function parseShillerTable(
  table: CsvTable,
  file: string,
  today: string,
): { obs: ParsedObs[]; warnings: string[] } {
  const obs: ParsedObs[] = [];
  const zeros = new Map<string, { n: number; first: string; last: string }>();
  for (const rec of table.records) {
    const date = whyDate(rec.cells[0], today, { file, line: rec.line, field: 'Date' });
    SHILLER_HEADER.slice(1).forEach((c, i) => {
      const series = `earnings:shiller-sp500:${slug(c)}`;
      const v = whyNumber(rec.cells[i + 1], series, { file, line: rec.line, field: c });
      if (v === null) return;
      if (v === 0) {
        const z = zeros.get(c) ?? { n: 0, first: date, last: date };
        z.n++;
        z.last = date;
        zeros.set(c, z);
        return;
      }
      obs.push({
        line: rec.line,
        series,
        period: date,
        value: v,
        unit: SHILLER_UNITS[c] ?? 'index',
      });
    });
  }
  const warnings = [...zeros].map(
    ([c, z]) =>
      `${file}: ${c}: dropped ${z.n} zero value(s) (${z.first} … ${z.last}); 0 means "no data" in this table`,
  );
  return { obs, warnings };
}

// ---- S&P sector EPS and P/E, annual ---------------------------------------------------------------

const SECTOR_KEYS = ['year', 'index', 'index_type', 'earnings_type', 'earnings_metric'];
export const isSectorEpsHeader = (h: readonly string[]) =>
  SECTOR_KEYS.every((k) => h.includes(k)) && h.includes('Information Technology');

/**
 * S&P Dow Jones Indices' annual sector EPS and P/E (SP500, SP400, SP600, SP1500; operating and as-reported) as
 * series `earnings:<sp500|sp400|sp600|sp1500>[:<sector>]:<eps|pe>_<op|rep>`, period = the year. EPS is in index
 * points (unit points), P/E a ratio. Empty cells (some 2026 as-reported rows) are skipped; the `real interest
 * rate` column is not earnings and is left out.
 */
export function parseSectorEpsTable(table: CsvTable, file: string): ParsedObs[] {
  const h = table.header;
  const at = (k: string) => h.indexOf(k);
  const sectorCols = h
    .map((c, i) => ({ c, i }))
    .filter(({ c }) => !SECTOR_KEYS.includes(c) && c !== 'real interest rate');
  const out: ParsedObs[] = [];
  for (const rec of table.records) {
    const year = (rec.cells[at('year')] ?? '').trim();
    if (!/^\d{4}$/.test(year))
      throw new InputError(`"${year}" is not a year`, { file, line: rec.line, field: 'year' });
    const idxType = (rec.cells[at('index_type')] ?? '').trim().toLowerCase();
    const type = (rec.cells[at('earnings_type')] ?? '').trim().toLowerCase();
    const metric = (rec.cells[at('earnings_metric')] ?? '').trim().toLowerCase();
    if (!/^sp\d+$/.test(idxType))
      throw new InputError(`unknown index_type "${idxType}"`, { file, line: rec.line, field: 'index_type' });
    if (type !== 'op' && type !== 'rep')
      throw new InputError(`unknown earnings_type "${type}"`, {
        file,
        line: rec.line,
        field: 'earnings_type',
      });
    if (metric !== 'eps' && metric !== 'p/e')
      throw new InputError(`unknown earnings_metric "${metric}"`, {
        file,
        line: rec.line,
        field: 'earnings_metric',
      });
    const m = `${metric === 'eps' ? 'eps' : 'pe'}_${type}`;
    const unit = metric === 'eps' ? 'points' : 'ratio';
    const put = (group: string, cell: string | undefined, field: string) => {
      const series = `earnings:${group}:${m}`;
      const v = whyNumber(cell, series, { file, line: rec.line, field });
      if (v !== null) out.push({ line: rec.line, series, period: year, value: v, unit });
    };
    put(idxType, rec.cells[at('index')], 'index');
    for (const { c, i } of sectorCols) put(`${idxType}:${slug(c)}`, rec.cells[i], c);
  }
  return out;
}

// ---- S&P 500 quarterly EPS actuals ----------------------------------------------------------------

export const isQuarterlyEpsHeader = (h: readonly string[]) =>
  h[0] === 'date' && h.includes('op_eps') && h.includes('rep_eps') && h.includes('yr_qtr');

const QUARTERLY_UNITS: Record<string, string> = {
  price: 'index',
  op_eps: 'points',
  rep_eps: 'points',
  op_pe: 'ratio',
  rep_pe: 'ratio',
  '12m_op_eps': 'points',
  '12m_rep_eps': 'points',
  op_margin: 'fraction',
  div_ps: 'points',
  sales_ps: 'points',
  bk_val_ps: 'points',
  capex_ps: 'points',
  divisor: 'count',
  'real interest rate': 'percent',
};

/**
 * S&P 500 quarterly EPS actuals as `earnings:sp500-quarterly:<column>`, period = the row's date (quarter end;
 * the last row may be a mid-quarter price date). Empty cells are skipped; `yr_qtr` is a label, not a value.
 * Cells and dates go through the row checks (row-checks.ts): a date after `today` is refused.
 */
export function parseQuarterlyEpsTable(table: CsvTable, file: string, today: string): ParsedObs[] {
  const out: ParsedObs[] = [];
  for (const rec of table.records) {
    const date = whyDate(rec.cells[0], today, { file, line: rec.line, field: 'date' });
    table.header.forEach((c, i) => {
      if (i === 0 || c === 'yr_qtr') return;
      const series = `earnings:sp500-quarterly:${slug(c)}`;
      const v = whyNumber(rec.cells[i], series, { file, line: rec.line, field: c });
      if (v !== null)
        out.push({
          line: rec.line,
          series,
          period: date,
          value: v,
          unit: QUARTERLY_UNITS[c] ?? 'points',
        });
    });
  }
  return out;
}

// ---- The workbook's date ----------------------------------------------------------------------------

/**
 * The date of the S&P workbook a file was built from, when the files say it: the quarterly EPS table ends with rows
 * that carry only a price (the quarter end not yet reported, and the workbook's own date, e.g. `2026-01-16`), so its
 * last row's date is the workbook date when that row has a price and no EPS. The sector table carries no date; it
 * comes from the same workbook as the quarterly table beside it (the same folder), so it takes that table's date.
 * Null when no such table is found: the importer then falls back to `--as-of`, else today, and warns.
 */
export function spWorkbookDate(path: string): { date: string; from: string } | null {
  const candidates = [path];
  try {
    for (const f of readdirSync(dirname(path)).sort())
      if (/\.csv$/i.test(f)) candidates.push(join(dirname(path), f));
  } catch {
    return null;
  }
  for (const c of candidates) {
    let text: string;
    try {
      text = readFileSync(c, 'utf8');
    } catch {
      continue;
    }
    if (!isQuarterlyEpsHeader(splitHeader(firstLine(text.slice(0, 4096))))) continue;
    const table = parseCsvText(text, c);
    const h = table.header;
    const last = table.records.at(-1);
    if (!last) continue;
    const date = (last.cells[0] ?? '').trim();
    const price = (last.cells[h.indexOf('price')] ?? '').trim();
    const eps = (last.cells[h.indexOf('op_eps')] ?? '').trim();
    if (parseIsoDate(date) && price !== '' && eps === '') return { date, from: c };
  }
  return null;
}
