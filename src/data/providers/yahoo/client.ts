import type { TradingDate } from '../../../shared/brand.js';
import { addDays, epochDay } from '../../../shared/dates.js';
import { ProviderError, type HttpClient, type HttpResponse } from '../http.js';
import type { PriceHistory, PriceProvider } from '../provider.js';
import { toPriceHistory } from './map.js';
import { YahooChart } from './schema.js';

export const YAHOO_DEFAULT_URL = 'https://query1.finance.yahoo.com';

/** The chart URL for one symbol and an inclusive range of trading dates. */
export function yahooChartUrl(origin: string, symbol: string, from: TradingDate, to: TradingDate): string {
  // period1/period2 are UTC seconds; a New York session opens at 13:30/14:30 UTC, so [from 00:00Z, to+1 00:00Z)
  // holds exactly the sessions from..to.
  const period1 = epochDay(from) * 86_400;
  const period2 = epochDay(addDays(to, 1)) * 86_400;
  return `${origin}/v8/finance/chart/${encodeURIComponent(symbol)}?period1=${period1}&period2=${period2}&interval=1d&events=div,splits&includeAdjustedClose=true`;
}

/** Parses a chart response, or throws a ProviderError saying what was wrong with it. */
export function parseYahooChart(res: HttpResponse, symbol: string): PriceHistory {
  const fail = (reason: 'not-found' | 'schema-mismatch' | 'http' | 'no-data', msg: string) =>
    new ProviderError('yahoo', reason, msg);
  const head = res.body.trimStart().slice(0, 1);
  if (head !== '{') {
    if (res.status >= 400)
      throw fail(res.status === 404 ? 'not-found' : 'http', `HTTP ${res.status} for ${symbol}`);
    throw fail(
      'schema-mismatch',
      `expected JSON for ${symbol}, got ${res.contentType || 'unknown content'} starting "${res.body.trimStart().slice(0, 40).replace(/\s+/g, ' ')}"`,
    );
  }
  let doc: unknown;
  try {
    doc = JSON.parse(res.body);
  } catch (e) {
    throw fail('schema-mismatch', `truncated or invalid JSON for ${symbol} (${(e as Error).message})`);
  }
  const parsed = YahooChart.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw fail(
      'schema-mismatch',
      `unexpected chart JSON for ${symbol} at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  const { result, error } = parsed.data.chart;
  if (error) {
    const text = `${error.code}${error.description ? `: ${error.description}` : ''}`;
    throw fail(error.code === 'Not Found' || res.status === 404 ? 'not-found' : 'http', `${symbol}: ${text}`);
  }
  if (res.status >= 400)
    throw fail(res.status === 404 ? 'not-found' : 'http', `HTTP ${res.status} for ${symbol}`);
  const r = result?.[0];
  if (!r) throw fail('no-data', `no chart result for ${symbol}`);
  const q = r.indicators.quote[0];
  const n = r.timestamp?.length ?? 0;
  for (const [field, xs] of Object.entries({
    close: q?.close,
    adjclose: r.indicators.adjclose?.[0]?.adjclose,
  }))
    if (n > 0 && xs && xs.length !== n)
      throw fail('schema-mismatch', `${symbol}: ${field} has ${xs.length} values for ${n} timestamps`);
  return toPriceHistory(r, symbol);
}

/** Yahoo Finance daily bars, adjusted closes, splits and dividends. */
export class YahooClient implements PriceProvider {
  readonly name = 'yahoo' as const;
  readonly origin: string;
  private readonly http: HttpClient;

  constructor(http: HttpClient, origin = YAHOO_DEFAULT_URL) {
    this.http = http;
    this.origin = origin;
  }

  fetchDaily(symbol: string, range: { from: TradingDate; to: TradingDate }): Promise<PriceHistory> {
    return this.http.get(yahooChartUrl(this.origin, symbol, range.from, range.to), (res) =>
      parseYahooChart(res, symbol),
    );
  }
}
