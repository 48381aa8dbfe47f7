import { describe, expect, it } from 'vitest';
import { yahooDate } from './map.js';
import { parseYahooChart, yahooChartUrl } from './client.js';
import type { TradingDate } from '../../../shared/brand.js';

const meta = { symbol: 'IWM', exchangeTimezoneName: 'America/New_York', gmtoffset: -14400 };

describe('yahooDate', () => {
  // 1704205800 = 2024-01-02 14:30 UTC = 09:30 EST, the session's opening instant as Yahoo sends it.
  it('uses the exchange zone, not the machine zone', () => {
    expect(yahooDate(1704205800, meta)).toBe('2024-01-02');
    // 2024-01-02 20:00 EST = 2024-01-03 01:00 UTC (06:30 in Kolkata): still the 2nd in New York.
    expect(yahooDate(1704243600, meta)).toBe('2024-01-02');
  });
  it('falls back to gmtoffset when the zone name is missing', () => {
    expect(yahooDate(1704205800, { symbol: 'X', gmtoffset: -18000 })).toBe('2024-01-02');
    expect(yahooDate(1704243600, { symbol: 'X', gmtoffset: -18000 })).toBe('2024-01-02');
  });
});

describe('yahooChartUrl', () => {
  it('asks for [from 00:00Z, to+1 00:00Z) with dividends and splits', () => {
    expect(yahooChartUrl('http://h', '^RUT', '2024-01-02' as TradingDate, '2024-01-05' as TradingDate)).toBe(
      'http://h/v8/finance/chart/%5ERUT?period1=1704153600&period2=1704499200&interval=1d&events=div,splits&includeAdjustedClose=true',
    );
  });
});

describe('parseYahooChart', () => {
  const res = (body: unknown, status = 200) => ({
    status,
    contentType: 'application/json',
    body: JSON.stringify(body),
    url: 'http://h',
  });
  it('returns no bars for an empty range (no timestamp key)', () => {
    const h = parseYahooChart(
      res({ chart: { result: [{ meta, indicators: { quote: [{}], adjclose: [{}] } }], error: null } }),
      'IWM',
    );
    expect(h.bars).toEqual([]);
  });
  it('rejects arrays whose length does not match the timestamps', () => {
    const doc = {
      chart: {
        result: [{ meta, timestamp: [1704205800, 1704292200], indicators: { quote: [{ close: [1] }] } }],
        error: null,
      },
    };
    expect(() => parseYahooChart(res(doc), 'IWM')).toThrow(/close has 1 values for 2 timestamps/);
  });
  it('rejects a result of the wrong shape, naming the field', () => {
    const doc = { chart: { result: [{ meta, timestamp: ['x'], indicators: { quote: [{}] } }], error: null } };
    expect(() => parseYahooChart(res(doc), 'IWM')).toThrow(
      /unexpected chart JSON for IWM at chart.result.0.timestamp.0/,
    );
  });
});
