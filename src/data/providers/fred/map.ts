import type { TradingDate } from '../../../shared/brand.js';
import type { Observation } from '../../../shared/domain.js';
import { parseDecimal } from '../../../shared/identifiers.js';
import { ProviderError } from '../http.js';
import type { FredCsvRow, FredObservation } from './schema.js';

/** Series with values in percent (FRED rate and spread series). */
const PERCENT_SERIES =
  /^(DGS|FEDFUNDS|DFF|EFFR|SOFR|IORB|T10Y|T5Y|UNRATE|GS\d|BAML|DFEDTAR|FEDTARMD|DTB|TB3|MORTGAGE)/i;

/**
 * The unit we store a FRED series in, from its id: FRED's own numbers, unscaled (4.06 means 4.06 %). Rate and
 * spread series are `percent`, every other series an `index` level. The one rule for sync and file import.
 */
export function fredUnit(series: string): string {
  return PERCENT_SERIES.test(series) ? 'percent' : 'index';
}

/**
 * Keyless CSV rows to observations. The CSV carries no vintage, so as_of is the observation's own date: the
 * latest value is filed as known from its period on (an approximation for revised series like CPI; set
 * FRED_API_KEY for true vintages).
 */
export function csvToObservations(series: string, rows: readonly FredCsvRow[]): Observation[] {
  const unit = fredUnit(series);
  return rows
    .filter((r) => r.value !== '.')
    .map((r) => ({
      series,
      period: r.date,
      value: Number(r.value),
      unit,
      asOf: r.date as TradingDate,
      source: 'fred',
    }));
}

/**
 * API observations to observations, one per (period, vintage): as_of and known-at are the vintage's realtime_start
 * (the day ALFRED says that value became public).
 */
export function apiToObservations(series: string, rows: readonly FredObservation[]): Observation[] {
  const unit = fredUnit(series);
  const out: Observation[] = [];
  for (const r of rows) {
    if (r.value === '.' || r.value.trim() === '') continue;
    // A plain decimal only: Number() would read "0x10" as 16 and "1e999" as Infinity.
    const value = parseDecimal(r.value);
    if (value === null)
      throw new ProviderError(
        'fred',
        'schema-mismatch',
        `${series}: observation ${r.date} has value "${r.value.slice(0, 40)}", not a decimal number`,
      );
    const asOf = r.realtime_start as TradingDate;
    out.push({ series, period: r.date, value, unit, asOf, source: 'fred', knownAt: asOf });
  }
  return out;
}
