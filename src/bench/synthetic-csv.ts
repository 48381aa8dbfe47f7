import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { syntheticMarket, type SymbolSeries, type SyntheticMarketOptions } from './synthetic-market.js';

export const CSV_HEADER = 'date,symbol,open,high,low,close,adj_close,volume';

export type SyntheticCsvSummary = {
  path: string;
  symbols: number;
  /** Sessions in the date range (not every symbol trades all of them). */
  sessions: number;
  bars: number;
  bytes: number;
  splits: number;
  dividends: number;
};

/** One symbol's rows as CSV text (no header): prices to 4 decimals, adj_close to 6, volume as an integer. */
export function seriesToCsv(s: SymbolSeries): string {
  const sym = s.profile.symbol;
  const parts: string[] = new Array<string>(s.dates.length);
  for (let k = 0; k < s.dates.length; k++) {
    parts[k] =
      `${s.dates[k]},${sym},${(s.open[k] as number).toFixed(4)},${(s.high[k] as number).toFixed(4)},` +
      `${(s.low[k] as number).toFixed(4)},${(s.close[k] as number).toFixed(4)},` +
      `${(s.adjClose[k] as number).toFixed(6)},${s.volume[k] as number}\n`;
  }
  return parts.join('');
}

/**
 * Streams a synthetic market to a long-format CSV (`date,symbol,open,high,low,close,adj_close,volume`), sorted by
 * symbol then date, one symbol at a time (memory stays flat whatever the size). Same options, same bytes.
 */
export async function writeSyntheticCsv(
  options: SyntheticMarketOptions & { out: string; onProgress?: (done: number, total: number) => void },
): Promise<SyntheticCsvSummary> {
  const market = syntheticMarket(options);
  const stream = createWriteStream(options.out, { highWaterMark: 1 << 20 });
  const failed = new Promise<never>((_, reject) => stream.once('error', reject));
  failed.catch(() => undefined);
  let bars = 0;
  let bytes = 0;
  let splits = 0;
  let dividends = 0;
  const write = async (text: string): Promise<void> => {
    bytes += text.length; // ASCII only: characters are bytes
    if (!stream.write(text)) await Promise.race([once(stream, 'drain'), failed]);
  };
  await write(CSV_HEADER + '\n');
  for (let i = 0; i < options.symbols; i++) {
    const s = market.series(i);
    bars += s.dates.length;
    splits += s.splits.length;
    dividends += s.dividends.length;
    await write(seriesToCsv(s));
    options.onProgress?.(i + 1, options.symbols);
  }
  stream.end();
  await Promise.race([once(stream, 'finish'), failed]);
  return {
    path: options.out,
    symbols: options.symbols,
    sessions: market.sessions.length,
    bars,
    bytes,
    splits,
    dividends,
  };
}
