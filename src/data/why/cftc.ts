import { cotReleaseDate } from '../../core/why/macro-calendar.js';
import { parseIsoDate } from '../../shared/dates.js';
import { InputError } from '../../shared/errors.js';
import { rowMessages } from '../ingest/row-checks.js';
import type { CsvTable } from './csv.js';
import { whyNumber } from './row-checks.js';

/**
 * CFTC Traders in Financial Futures (TFF), futures only, as published in the yearly `fut_fin_txt_YYYY.zip` /
 * `FinFutWk.txt` files: one row per contract and report date (the Tuesday positions), released on Friday.
 * Columns are read by name, so the many change/percent/trader-count columns after them are ignored.
 */
export const TFF_FIELDS = {
  open_interest: 'Open_Interest_All',
  dealer_long: 'Dealer_Positions_Long_All',
  dealer_short: 'Dealer_Positions_Short_All',
  asset_mgr_long: 'Asset_Mgr_Positions_Long_All',
  asset_mgr_short: 'Asset_Mgr_Positions_Short_All',
  lev_money_long: 'Lev_Money_Positions_Long_All',
  lev_money_short: 'Lev_Money_Positions_Short_All',
} as const;
type TffField = keyof typeof TFF_FIELDS;

/** Contract codes of the contracts the rotation story watches, and their short group names. */
export const TFF_CONTRACTS: Record<string, { group: string; name: string }> = {
  '239742': { group: 'rty', name: 'E-mini Russell 2000' },
  '209742': { group: 'nq', name: 'E-mini Nasdaq-100' },
  '13874A': { group: 'es', name: 'E-mini S&P 500' },
};

/** The report-date column: named by format in the yearly text files, the weekly file and the Excel exports. */
const DATE_COLUMNS = ['Report_Date_as_YYYY-MM-DD', 'Report_Date_as_YYYY_MM_DD', 'Report_Date_as_MM_DD_YYYY'];

/** The name of the report-date column of a TFF header (`Report_Date_as_…`). */
export const tffDateColumn = (header: readonly string[]): string =>
  DATE_COLUMNS.find((c) => header.includes(c)) ?? 'date';

export function isTffHeader(header: readonly string[]): boolean {
  return (
    header.includes('Market_and_Exchange_Names') &&
    DATE_COLUMNS.some((c) => header.includes(c)) &&
    header.includes('Lev_Money_Positions_Long_All')
  );
}

/** One contract's positions on one report date, whatever the source (a published file or the Socrata service). */
export type TffPosition = {
  code: string;
  name: string;
  /** The Tuesday the positions are as of (YYYY-MM-DD). */
  reportDate: string;
  openInterest: number;
  dealerLong: number;
  dealerShort: number;
  assetMgrLong: number;
  assetMgrShort: number;
  levMoneyLong: number;
  levMoneyShort: number;
};

/** One TFF observation ready for the store. */
export type TffRecord = { line: number; series: string; period: string; value: number; asOf: string };

/** The store group of a contract: `rty`, `nq`, `es` for the known codes, else `cftc-<code>` (or the name slugged). */
export function tffGroup(code: string, name: string): string {
  const known = TFF_CONTRACTS[code];
  if (known) return known.group;
  if (code !== '') return `cftc-${code.toLowerCase()}`;
  return name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/**
 * The release (vintage and known-at) of a report: the CFTC's release day for its report date (cotReleaseDate: the
 * Friday, the next business day in a week with a federal holiday after the Tuesday, the 2025 catch-up dates). Pure:
 * it depends on the report date only, never on the day the file was read or synced, so a report is known at the
 * same day whenever it was fetched. A report dated after today is refused at the edge (the row checks), not here.
 */
export const tffRelease = (reportDate: string): string => cotReleaseDate(reportDate);

/**
 * The series of one position record: `positioning:cftc-tff:<group>:<field>` in contracts: open interest, longs and
 * shorts of asset managers and leveraged funds, and the nets (`dealer_net`, `asset_mgr_net`, `lev_money_net`).
 */
export function tffObservations(p: TffPosition, vintage: string, line = 0): TffRecord[] {
  const group = tffGroup(p.code, p.name);
  const put = (field: string, value: number): TffRecord => ({
    line,
    series: `positioning:cftc-tff:${group}:${field}`,
    period: p.reportDate,
    value,
    asOf: vintage,
  });
  return [
    put('open_interest', p.openInterest),
    put('asset_mgr_long', p.assetMgrLong),
    put('asset_mgr_short', p.assetMgrShort),
    put('lev_money_long', p.levMoneyLong),
    put('lev_money_short', p.levMoneyShort),
    put('dealer_net', p.dealerLong - p.dealerShort),
    put('asset_mgr_net', p.assetMgrLong - p.assetMgrShort),
    put('lev_money_net', p.levMoneyLong - p.levMoneyShort),
  ];
}

/** `01/13/2026` or `2026-01-13` (the published files use both, by file) as YYYY-MM-DD; null when neither. */
function reportDateOf(cell: string): string | null {
  const c = cell.trim();
  const us = /^(\d{2})\/(\d{2})\/(\d{4})/.exec(c);
  const d = us ? `${us[3] as string}-${us[1] as string}-${us[2] as string}` : c.slice(0, 10);
  return parseIsoDate(d) ? d : null;
}

/**
 * Turns TFF rows of a published file into store records (tffObservations). `period` is the report (position)
 * date; the vintage is the Friday release (tffRelease), unless `asOf` is given. Cells go through the row checks
 * (row-checks.ts); a report date after `today` is refused.
 */
export function parseTffTable(table: CsvTable, file: string, today: string, asOf?: string): TffRecord[] {
  const col = (name: string) => table.header.indexOf(name);
  const dateCol = DATE_COLUMNS.map(col).find((i) => i >= 0) ?? -1;
  const codeCol = col('CFTC_Contract_Market_Code');
  const nameCol = col('Market_and_Exchange_Names');
  const idx = Object.fromEntries(Object.entries(TFF_FIELDS).map(([k, c]) => [k, col(c)])) as Record<
    TffField,
    number
  >;
  for (const [k, i] of Object.entries(idx))
    if (i < 0) throw new InputError(`missing column ${TFF_FIELDS[k as TffField]}`, { file, line: 1 });
  const out: TffRecord[] = [];
  for (const rec of table.records) {
    const cell = rec.cells[dateCol] ?? '';
    const date = reportDateOf(cell);
    const dateAt = { file, line: rec.line, field: table.header[dateCol] ?? 'date' };
    if (!date) throw new InputError(rowMessages.badDate(cell), dateAt);
    if (date > today) throw new InputError(rowMessages.futureDate(date, today), dateAt);
    const v = {} as Record<TffField, number>;
    for (const [k, i] of Object.entries(idx)) {
      const field = TFF_FIELDS[k as TffField];
      const raw = (rec.cells[i] ?? '').trim();
      // Thousands commas (`12,345`) as the CFTC's spreadsheets write them; nothing else is loosened.
      const c = /^[+-]?\d{1,3}(,\d{3})+$/.test(raw) ? raw.replace(/,/g, '') : raw;
      const n = whyNumber(c, field, { file, line: rec.line, field });
      if (n === null)
        throw new InputError(rowMessages.notNumber(field, raw), { file, line: rec.line, field });
      v[k as TffField] = n;
    }
    const pos: TffPosition = {
      code: codeCol >= 0 ? (rec.cells[codeCol] ?? '').trim() : '',
      name: (rec.cells[nameCol] ?? '').trim(),
      reportDate: date,
      openInterest: v.open_interest,
      dealerLong: v.dealer_long,
      dealerShort: v.dealer_short,
      assetMgrLong: v.asset_mgr_long,
      assetMgrShort: v.asset_mgr_short,
      levMoneyLong: v.lev_money_long,
      levMoneyShort: v.lev_money_short,
    };
    out.push(...tffObservations(pos, asOf ?? tffRelease(date), rec.line));
  }
  return out;
}
