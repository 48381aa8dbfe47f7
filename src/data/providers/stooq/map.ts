import { parseIsoDate } from '../../../shared/dates.js';
import type { Bar } from '../../../shared/domain.js';
import { keepSessionBars, type PriceHistory, type SkippedBar } from '../provider.js';
import type { StooqRow } from './schema.js';

/**
 * Our symbols to Stooq's. US stocks and ETFs get the `.us` suffix in lower case (`IWM` -> `iwm.us`; a class
 * dot becomes a dash: `BRK.B` -> `brk-b.us`). Indices use Stooq's own names: `^GSPC` -> `^spx`, `^NDX` ->
 * `^ndx`, `^DJI` -> `^dji`, `^RUT` -> `^rut` (the same name in lower case; other `^` symbols likewise).
 * A symbol already carrying a Stooq market suffix (`x.us`, `x.uk`) passes through in lower case.
 */
export function stooqSymbol(symbol: string): string {
  const s = symbol.trim();
  if (s.startsWith('^')) {
    const alias: Record<string, string> = { '^GSPC': '^spx', '^SPX': '^spx', '^NDX': '^ndx', '^DJI': '^dji' };
    return alias[s.toUpperCase()] ?? s.toLowerCase();
  }
  if (/\.[a-z]{2}$/i.test(s)) return s.toLowerCase();
  return `${s.replace(/\./g, '-').toLowerCase()}.us`;
}

/**
 * Stooq rows to bars. Stooq gives one close, already adjusted by Stooq for splits; it has no separate adjusted
 * close, so adjClose is null (total-return maths then falls back to close and says so).
 */
export function toPriceHistory(rows: readonly StooqRow[]): PriceHistory {
  const skipped: SkippedBar[] = [];
  const raw: Bar[] = [];
  for (const r of rows) {
    const date = parseIsoDate(r.Date);
    if (!date) {
      skipped.push({ date: r.Date, reason: 'missing-values' });
      continue;
    }
    raw.push({
      date,
      open: r.Open,
      high: r.High,
      low: r.Low,
      close: r.Close,
      adjClose: null,
      volume: r.Volume ?? null,
    });
  }
  return {
    bars: keepSessionBars(raw, skipped),
    actions: [],
    skipped,
    instrument: { kind: null, name: null, currency: null, exchange: null },
  };
}
