import { addDays, parseIsoDate } from '../../shared/dates.js';
import { InputError } from '../../shared/errors.js';
import type { CsvTable } from './csv.js';

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

const DATE_COLUMNS = ['Report_Date_as_YYYY-MM-DD', 'Report_Date_as_YYYY_MM_DD'];

export function isTffHeader(header: readonly string[]): boolean {
  return (
    header.includes('Market_and_Exchange_Names') &&
    DATE_COLUMNS.some((c) => header.includes(c)) &&
    header.includes('Lev_Money_Positions_Long_All')
  );
}

/** One TFF observation ready for the store. */
export type TffRecord = { line: number; series: string; period: string; value: number; asOf: string };

/**
 * Turns TFF rows into series `positioning:cftc-tff:<group>:<field>` in contracts: open interest, longs and
 * shorts of asset managers and leveraged funds, and the nets (`dealer_net`, `asset_mgr_net`, `lev_money_net`).
 * `period` is the report (position) date; the vintage is the Friday release, report date + 3 days (capped at
 * `today`), unless `asOf` is given. Contracts other than the known codes get group `cftc-<code>`.
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
    const date = (rec.cells[dateCol] ?? '').trim().slice(0, 10);
    if (!parseIsoDate(date))
      throw new InputError(`"${date}" is not a date`, {
        file,
        line: rec.line,
        field: table.header[dateCol] ?? 'date',
      });
    const code = codeCol >= 0 ? (rec.cells[codeCol] ?? '').trim() : '';
    const known = TFF_CONTRACTS[code];
    const group =
      known?.group ??
      (code !== ''
        ? `cftc-${code.toLowerCase()}`
        : (rec.cells[nameCol] ?? '')
            .trim()
            .toLowerCase()
            .replace(/[^a-z0-9]+/g, '-')
            .replace(/^-|-$/g, ''));
    const v = {} as Record<TffField, number>;
    for (const [k, i] of Object.entries(idx)) {
      const cell = (rec.cells[i] ?? '').trim().replace(/,/g, '');
      const n = Number(cell);
      if (cell === '' || !Number.isFinite(n))
        throw new InputError(`"${cell}" is not a number`, {
          file,
          line: rec.line,
          field: TFF_FIELDS[k as TffField],
        });
      v[k as TffField] = n;
    }
    const release = addDays(date, 3);
    const vintage = asOf ?? (release > today ? today : release);
    const put = (field: string, value: number) =>
      out.push({
        line: rec.line,
        series: `positioning:cftc-tff:${group}:${field}`,
        period: date,
        value,
        asOf: vintage,
      });
    put('open_interest', v.open_interest);
    put('asset_mgr_long', v.asset_mgr_long);
    put('asset_mgr_short', v.asset_mgr_short);
    put('lev_money_long', v.lev_money_long);
    put('lev_money_short', v.lev_money_short);
    put('dealer_net', v.dealer_long - v.dealer_short);
    put('asset_mgr_net', v.asset_mgr_long - v.asset_mgr_short);
    put('lev_money_net', v.lev_money_long - v.lev_money_short);
  }
  return out;
}
