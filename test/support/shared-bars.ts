import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TradingDate } from '../../src/shared/brand.js';
import type { Bar } from '../../src/shared/domain.js';
import { Store } from '../../src/data/store/store.js';
import { SHARED_DATA } from './shared-data.js';

/**
 * Test-only reader for the shared data files (the project's importer is the real path; this keeps the analytics
 * tests independent of it). Understands three layouts:
 * - `Date,Close,High,Low,Open,Volume` (indices/RUT.csv): closes, no adjusted close;
 * - the yfinance 3-row header `Price,Adj Close,Close,…` / `Ticker,…` / `Date,,…` (indices/NDX.csv, SPX.csv);
 * - `Date,Close` adjusted closes (etf_daily/, stocks_daily/): stored as both close and adj_close, since these
 *   files carry only the adjusted series.
 */
export function readSharedBars(relPath: string): { symbol: string; bars: Bar[] } {
  const text = readFileSync(join(SHARED_DATA, relPath), 'utf8');
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  const header = (lines[0] ?? '').split(',');
  const stem = relPath
    .split('/')
    .pop()!
    .replace(/\.csv$/, '');
  let symbol = stem;
  let rows = lines.slice(1);
  let col = (name: string) => header.indexOf(name);
  if (header[0] === 'Price') {
    symbol = (lines[1] ?? '').split(',')[1] ?? stem;
    rows = lines.slice(3);
    col = (name: string) => (name === 'Date' ? 0 : header.indexOf(name));
  }
  const adjusted = header.length === 2 && header[1] === 'Close';
  const num = (cells: string[], name: string): number | null => {
    const i = col(name);
    if (i < 0) return null;
    const v = Number(cells[i]);
    return cells[i] === '' || !Number.isFinite(v) ? null : v;
  };
  const bars: Bar[] = [];
  for (const line of rows) {
    const c = line.split(',');
    const close = num(c, 'Close');
    if (close === null) continue;
    bars.push({
      date: (c[0] as string).slice(0, 10) as TradingDate,
      open: num(c, 'Open'),
      high: num(c, 'High'),
      low: num(c, 'Low'),
      close,
      adjClose: adjusted ? close : num(c, 'Adj Close'),
      volume: num(c, 'Volume'),
    });
  }
  return { symbol, bars };
}

/** Opens a ':memory:' store holding the given shared files (symbol from the file: RUT.csv -> ^RUT). */
export async function storeWithSharedBars(relPaths: readonly string[]): Promise<Store> {
  const store = await Store.open(':memory:');
  for (const p of relPaths) {
    const { symbol, bars } = readSharedBars(p);
    const sym = symbol === 'RUT' ? '^RUT' : symbol;
    const kind = sym.startsWith('^') ? 'index' : p.startsWith('stocks') ? 'stock' : 'etf';
    await store.upsertInstrument({
      symbol: sym,
      name: null,
      kind,
      sector: null,
      currency: 'USD',
      exchange: null,
    });
    await store.upsertBars(sym, bars, `test:${p}`);
  }
  return store;
}

export type YearStartRow = {
  year: number;
  rutJan: number;
  ndxJan: number;
  rut7: number;
  ndx7: number;
  iwmQqqJan: number | null;
  iwmQqq7: number | null;
  day7Date: string;
};

/** derived/year_start_russell2000_vs_nasdaq100.csv: the independent reference table (see its README). */
export function readYearStartReference(): YearStartRow[] {
  const lines = readFileSync(join(SHARED_DATA, 'derived/year_start_russell2000_vs_nasdaq100.csv'), 'utf8')
    .split(/\r?\n/)
    .filter(Boolean);
  const h = (lines[0] as string).split(',');
  return lines.slice(1).map((l) => {
    const c = l.split(',');
    const get = (name: string) => c[h.indexOf(name)] ?? '';
    const n = (name: string) => (get(name) === '' ? null : Number(get(name)));
    return {
      year: Number(get('year')),
      rutJan: n('rut_jan_price_ret') as number,
      ndxJan: n('ndx_jan_price_ret') as number,
      rut7: n('rut_7d_price_ret') as number,
      ndx7: n('ndx_7d_price_ret') as number,
      iwmQqqJan: n('iwm_minus_qqq_jan'),
      iwmQqq7: n('iwm_minus_qqq_7d'),
      day7Date: get('day7_date'),
    };
  });
}
