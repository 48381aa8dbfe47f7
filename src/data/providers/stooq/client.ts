import type { TradingDate } from '../../../shared/brand.js';
import { ProviderError, type HttpClient, type HttpResponse } from '../http.js';
import type { PriceHistory, PriceProvider } from '../provider.js';
import { stooqSymbol, toPriceHistory } from './map.js';
import { STOOQ_HEADER, StooqRow } from './schema.js';

export const STOOQ_DEFAULT_URL = 'https://stooq.com';

const compact = (d: string) => d.replace(/-/g, '');

export function stooqCsvUrl(origin: string, symbol: string, from: TradingDate, to: TradingDate): string {
  return `${origin}/q/d/l/?s=${encodeURIComponent(stooqSymbol(symbol))}&i=d&d1=${compact(from)}&d2=${compact(to)}`;
}

/** Parses Stooq's CSV, or throws a ProviderError naming the line that is wrong. */
export function parseStooqCsv(res: HttpResponse, symbol: string): PriceHistory {
  const text = res.body.replace(/^\uFEFF/, '').trim();
  if (res.status === 404 || /^no data/i.test(text))
    throw new ProviderError(
      'stooq',
      'not-found',
      `Stooq has no data for ${symbol} (as ${stooqSymbol(symbol)})`,
    );
  if (/exceeded the daily hits limit/i.test(text))
    throw new ProviderError('stooq', 'rate-limited', 'Stooq: daily hits limit exceeded');
  if (res.status >= 400) throw new ProviderError('stooq', 'http', `HTTP ${res.status} for ${symbol}`);
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((h) => h.trim());
  if (STOOQ_HEADER.some((h, i) => header[i] !== h))
    throw new ProviderError(
      'stooq',
      'schema-mismatch',
      `expected a CSV with header ${STOOQ_HEADER.join(',')},Volume for ${symbol}, got "${(lines[0] ?? '').slice(0, 40)}"`,
    );
  const rows: StooqRow[] = [];
  // A body cut at a field boundary (`…,202.5,1` for volume 1000) still has every field: only the missing final
  // line break shows it. That last row is not stored (the next sync's overlap fetches it again) and is reported.
  const body = res.body.replace(/^\uFEFF/, '');
  // (A last row with fields missing stays, and is refused below as truncated.)
  const unterminated = lines.length > 1 && !/\n[ \t]*$/.test(body);
  const cut =
    unterminated && (lines.at(-1) ?? '').split(',').length === header.length ? lines.pop() : undefined;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.trim() === '') continue;
    const cells = line.split(',');
    if (cells.length !== header.length)
      throw new ProviderError(
        'stooq',
        'schema-mismatch',
        `${symbol}: line ${i + 1} has ${cells.length} fields, expected ${header.length} (truncated?)`,
      );
    const obj = Object.fromEntries(header.map((h, j) => [h, (cells[j] ?? '').trim()]));
    const parsed = StooqRow.safeParse(obj);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ProviderError(
        'stooq',
        'schema-mismatch',
        `${symbol}: line ${i + 1} field ${issue?.path.join('.')}: ${issue?.message}`,
      );
    }
    rows.push(parsed.data);
  }
  const history = toPriceHistory(rows);
  if (cut !== undefined)
    history.skipped.push({ date: cut.split(',')[0]?.trim() ?? null, reason: 'cut-short' });
  return history;
}

/** Stooq daily bars: the second price source and the fallback when Yahoo fails. */
export class StooqClient implements PriceProvider {
  readonly name = 'stooq' as const;
  readonly origin: string;
  private readonly http: HttpClient;

  constructor(http: HttpClient, origin = STOOQ_DEFAULT_URL) {
    this.http = http;
    this.origin = origin;
  }

  fetchDaily(symbol: string, range: { from: TradingDate; to: TradingDate }): Promise<PriceHistory> {
    return this.http.get(stooqCsvUrl(this.origin, symbol, range.from, range.to), (res) =>
      parseStooqCsv(res, symbol),
    );
  }
}
