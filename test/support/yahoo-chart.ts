import { nyOpenSeconds, type Reply } from './http-server.js';

/** One daily row as a test source holds it. */
export type SourceBar = {
  date: string;
  open: number | null;
  high: number | null;
  low: number | null;
  close: number | null;
  adjClose: number | null;
  volume: number | null;
};

export type ChartSource = {
  symbol: string;
  instrumentType?: string;
  bars: readonly SourceBar[];
  dividends?: readonly { date: string; amount: number }[];
  splits?: readonly { date: string; numerator: number; denominator: number }[];
};

/**
 * A Yahoo chart response in Yahoo's real structure (chart.result[0].{meta, timestamp, indicators, events}):
 * timestamps are the 09:30 New York opening instants, as Yahoo sends for daily bars. Only the rows whose
 * timestamp lies in [period1, period2) are included, as Yahoo does.
 */
export function yahooChartDoc(src: ChartSource, period1 = -Infinity, period2 = Infinity): unknown {
  const inRange = (ts: number) => ts >= period1 && ts < period2;
  const rows = src.bars.map((b) => ({ b, ts: nyOpenSeconds(b.date) })).filter((r) => inRange(r.ts));
  const events: Record<string, Record<string, unknown>> = {};
  for (const d of src.dividends ?? []) {
    const ts = nyOpenSeconds(d.date);
    if (inRange(ts)) (events['dividends'] ??= {})[String(ts)] = { amount: d.amount, date: ts };
  }
  for (const s of src.splits ?? []) {
    const ts = nyOpenSeconds(s.date);
    if (inRange(ts))
      (events['splits'] ??= {})[String(ts)] = {
        date: ts,
        numerator: s.numerator,
        denominator: s.denominator,
        splitRatio: `${s.numerator}:${s.denominator}`,
      };
  }
  const result: Record<string, unknown> = {
    meta: {
      currency: 'USD',
      symbol: src.symbol,
      exchangeName: 'NMS',
      fullExchangeName: 'NasdaqGS',
      instrumentType: src.instrumentType ?? 'EQUITY',
      firstTradeDate: 345479400,
      regularMarketTime: rows.length > 0 ? (rows[rows.length - 1]?.ts ?? 0) + 23400 : 0,
      hasPrePostMarketData: true,
      gmtoffset: -14400,
      timezone: 'EDT',
      exchangeTimezoneName: 'America/New_York',
      priceHint: 2,
      dataGranularity: '1d',
      range: '',
    },
    indicators: { quote: [{}], adjclose: [{}] },
  };
  if (rows.length > 0) {
    result['timestamp'] = rows.map((r) => r.ts);
    result['indicators'] = {
      quote: [
        {
          open: rows.map((r) => r.b.open),
          high: rows.map((r) => r.b.high),
          low: rows.map((r) => r.b.low),
          close: rows.map((r) => r.b.close),
          volume: rows.map((r) => r.b.volume),
        },
      ],
      adjclose: [{ adjclose: rows.map((r) => r.b.adjClose) }],
    };
  }
  if (Object.keys(events).length > 0) result['events'] = events;
  return { chart: { result: [result], error: null } };
}

export const YAHOO_NOT_FOUND: Reply = {
  status: 404,
  headers: { 'content-type': 'application/json;charset=utf-8' },
  body: JSON.stringify({
    chart: {
      result: null,
      error: { code: 'Not Found', description: 'No data found, symbol may be delisted' },
    },
  }),
};

/** A handler body for `/v8/finance/chart/{symbol}` serving the given sources (404 in Yahoo's shape otherwise). */
export function yahooReply(url: URL, sources: ReadonlyMap<string, ChartSource>): Reply {
  const m = /^\/v8\/finance\/chart\/([^/]+)$/.exec(url.pathname);
  const src = m ? sources.get(decodeURIComponent(m[1] as string)) : undefined;
  if (!src) return YAHOO_NOT_FOUND;
  const p1 = Number(url.searchParams.get('period1') ?? '-Infinity');
  const p2 = Number(url.searchParams.get('period2') ?? 'Infinity');
  return {
    headers: { 'content-type': 'application/json;charset=utf-8' },
    body: JSON.stringify(yahooChartDoc(src, p1, p2)),
  };
}
