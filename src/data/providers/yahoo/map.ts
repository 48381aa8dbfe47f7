import type { TradingDate } from '../../../shared/brand.js';
import { fromEpochDay, tradingDateOf } from '../../../shared/dates.js';
import type { Bar, CorporateAction, InstrumentKind } from '../../../shared/domain.js';
import { keepSessionBars, type PriceHistory, type SkippedBar } from '../provider.js';
import type { YahooMeta, YahooResult } from './schema.js';

/** The only code that knows Yahoo's field names: one chart result to bars, corporate actions and an instrument. */

/**
 * The exchange-local trading date of a Yahoo timestamp: with the response's own zone
 * (meta.exchangeTimezoneName), else its fixed offset (meta.gmtoffset), never the machine's zone.
 */
export function yahooDate(seconds: number, meta: YahooMeta): TradingDate {
  if (meta.exchangeTimezoneName) return tradingDateOf(new Date(seconds * 1000), meta.exchangeTimezoneName);
  return fromEpochDay(Math.floor((seconds + (meta.gmtoffset ?? 0)) / 86_400));
}

const KIND: Record<string, InstrumentKind> = {
  EQUITY: 'stock',
  ETF: 'etf',
  INDEX: 'index',
  MUTUALFUND: 'etf',
};

export function toPriceHistory(r: YahooResult, symbol: string): PriceHistory {
  const meta = r.meta;
  const ts = r.timestamp ?? [];
  const q = r.indicators.quote[0] ?? {};
  const adj = r.indicators.adjclose?.[0]?.adjclose;
  const skipped: SkippedBar[] = [];
  const raw: Bar[] = [];
  const at = (xs: (number | null)[] | undefined, i: number) => xs?.[i] ?? null;
  for (let i = 0; i < ts.length; i++) {
    const date = yahooDate(ts[i] as number, meta);
    const close = at(q.close, i);
    if (close === null) {
      // Yahoo sends a row of nulls for sessions it has no trade data for: skip. A zero, negative or infinite
      // close is not skipped: the row checks refuse the response.
      skipped.push({ date, reason: 'missing-values' });
      continue;
    }
    raw.push({
      date,
      open: at(q.open, i),
      high: at(q.high, i),
      low: at(q.low, i),
      close,
      adjClose: at(adj, i),
      volume: at(q.volume, i),
    });
  }
  const bars = keepSessionBars(raw, skipped);
  const actions: CorporateAction[] = [];
  for (const d of Object.values(r.events?.dividends ?? {}))
    actions.push({
      kind: 'dividend',
      symbol,
      date: yahooDate(d.date, meta),
      amount: d.amount,
      source: 'yahoo',
    });
  for (const s of Object.values(r.events?.splits ?? {}))
    if (s.denominator > 0)
      actions.push({
        kind: 'split',
        symbol,
        date: yahooDate(s.date, meta),
        ratio: s.numerator / s.denominator,
        source: 'yahoo',
      });
  actions.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.kind < b.kind ? -1 : 1));
  return {
    bars,
    actions,
    skipped,
    respondedSymbol: meta.symbol,
    interval: meta.dataGranularity ?? null,
    instrument: {
      kind: meta.instrumentType ? (KIND[meta.instrumentType] ?? null) : null,
      name: meta.longName ?? meta.shortName ?? null,
      currency: meta.currency ?? null,
      exchange: meta.fullExchangeName ?? meta.exchangeName ?? null,
    },
  };
}
