import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TradingDate } from '../../src/shared/brand.js';
import { SHARED_DATA } from './shared-data.js';

/**
 * Test-only reader of the shared `Date,Close` CSVs (etf_daily/, stocks_daily/): enough to feed core functions and
 * a ':memory:' store without depending on the importer. Not a product parser: it trusts the verified files.
 */
export function readCloseCsv(relPath: string): { dates: TradingDate[]; values: number[] } {
  const text = readFileSync(join(SHARED_DATA, relPath), 'utf8');
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  if (lines[0] !== 'Date,Close') throw new Error(`${relPath}: expected a Date,Close header, got ${lines[0]}`);
  const dates: TradingDate[] = [];
  const values: number[] = [];
  for (const line of lines.slice(1)) {
    const [d, c] = line.split(',');
    dates.push(d as TradingDate);
    values.push(Number(c));
  }
  return { dates, values };
}
