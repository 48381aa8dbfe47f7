import { describe, expect, it } from 'vitest';
import { parseStooqCsv, stooqCsvUrl } from './client.js';
import { stooqSymbol } from './map.js';
import type { TradingDate } from '../../../shared/brand.js';

const res = (body: string, status = 200) => ({ status, contentType: 'text/csv', body, url: 'http://h' });

describe('stooqSymbol', () => {
  it.each([
    ['IWM', 'iwm.us'],
    ['BRK.B', 'brk-b.us'],
    ['^GSPC', '^spx'],
    ['^NDX', '^ndx'],
    ['^RUT', '^rut'],
    ['aapl.us', 'aapl.us'],
  ])('%s -> %s', (ours, theirs) => expect(stooqSymbol(ours)).toBe(theirs));
  it('builds the download URL with the date range', () => {
    expect(stooqCsvUrl('http://h', 'IWM', '2024-07-01' as TradingDate, '2024-07-09' as TradingDate)).toBe(
      'http://h/q/d/l/?s=iwm.us&i=d&d1=20240701&d2=20240709',
    );
  });
});

describe('parseStooqCsv', () => {
  it('reads the documented header, with or without Volume, skipping holiday rows', () => {
    const h = parseStooqCsv(
      res('Date,Open,High,Low,Close,Volume\r\n2024-07-03,201,203,200,202.5,1000\r\n2024-07-04,1,1,1,1,1\r\n'),
      'IWM',
    );
    expect(h.bars).toEqual([
      { date: '2024-07-03', open: 201, high: 203, low: 200, close: 202.5, adjClose: null, volume: 1000 },
    ]);
    expect(h.skipped).toEqual([{ date: '2024-07-04', reason: 'not-a-session' }]);
    const idx = parseStooqCsv(res('Date,Open,High,Low,Close\n2024-07-03,2000,2010,1990,2005\n'), '^RUT');
    expect(idx.bars[0]?.volume).toBeNull();
  });
  it('reports "No data" as not found', () => {
    expect(() => parseStooqCsv(res('No data'), 'ZZZZ')).toThrow('Stooq has no data for ZZZZ (as zzzz.us)');
  });
  it('reports a truncated line', () => {
    expect(() => parseStooqCsv(res('Date,Open,High,Low,Close,Volume\n2024-07-03,201,20'), 'IWM')).toThrow(
      /line 2 has 3 fields, expected 6 \(truncated\?\)/,
    );
  });
  it('reports an HTML page as a schema mismatch', () => {
    expect(() => parseStooqCsv(res('<html><body>captcha</body></html>'), 'IWM')).toThrow(
      /expected a CSV with header/,
    );
  });
});

describe('a Stooq body cut at a field boundary (issue 17)', () => {
  it('does not store the unterminated last row (volume 1 of 1000), and reports it', () => {
    const h = parseStooqCsv(
      res(
        'Date,Open,High,Low,Close,Volume\n2024-07-03,201,203,200,202.5,1000\n2024-07-05,201,203,200,202.5,1',
      ),
      'IWM',
    );
    expect(h.bars.map((b) => [b.date, b.volume])).toEqual([['2024-07-03', 1000]]);
    expect(h.skipped).toEqual([{ date: '2024-07-05', reason: 'cut-short' }]);
  });
  it('keeps the last row of a body that ends with a line break', () => {
    const h = parseStooqCsv(
      res(
        'Date,Open,High,Low,Close,Volume\r\n2024-07-03,201,203,200,202.5,1000\r\n2024-07-05,201,203,200,202.5,1\r\n',
      ),
      'IWM',
    );
    expect(h.bars.map((b) => b.volume)).toEqual([1000, 1]);
    expect(h.skipped).toEqual([]);
  });
});
