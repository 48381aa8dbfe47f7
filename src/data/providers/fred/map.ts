import type { TradingDate } from '../../../shared/brand.js';
import type { Observation } from '../../../shared/domain.js';
import type { FredCsvRow, FredObservation } from './schema.js';

/** The unit we store a FRED series in: FRED's own numbers, unscaled (4.06 means 4.06 %). */
export function fredUnit(series: string): string {
  const s = series.toUpperCase();
  if (/^(CPI|PCE|INDPRO|NASDAQCOM|SP500|WILL)/.test(s)) return 'index';
  if (/^(FEDFUNDS|DFF|DGS|GS\d|T10Y|T5Y|UNRATE|BAML|MORTGAGE|DTB|TB3)/.test(s)) return 'percent';
  return 'value';
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
    const value = Number(r.value);
    if (!Number.isFinite(value)) continue;
    const asOf = r.realtime_start as TradingDate;
    out.push({ series, period: r.date, value, unit, asOf, source: 'fred', knownAt: asOf });
  }
  return out;
}
