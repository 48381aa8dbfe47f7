import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TradingDate } from '../shared/brand.js';
import type { Bar } from '../shared/domain.js';
import { NotFoundError } from '../shared/errors.js';
import { SHARED_DATA, describeWithSharedData } from '../../test/support/shared-data.js';
import { runDoctor } from './doctor.js';
import { DuckDbStore, Store } from './store/store.js';

const d = (s: string) => s as TradingDate;

/**
 * Real IWM raw bars, 2026-08-07..2026-08-21, from /work/shared/data/etf_recent_raw/IWM.csv
 * (johnamcminn-hub/market-data-public), copied here as a small in-test array: date, open, high, low, close, volume.
 */
const IWM_AUG_2026: [string, number, number, number, number, number][] = [
  ['2026-08-07', 300.46, 302.03, 299.795, 301.56, 18416787],
  ['2026-08-10', 300.51, 301.39, 299.08, 299.98, 16226875],
  ['2026-08-11', 300.93, 301.99, 300.6, 300.99, 14942813],
  ['2026-08-12', 303.02, 303.41, 301.0, 302.71, 15480555],
  ['2026-08-13', 304.04, 305.05, 302.72, 303.5, 14719318],
  ['2026-08-14', 303.28, 305.18, 302.74, 305.09, 13163356],
  ['2026-08-17', 303.96, 304.33, 303.23, 304.06, 14546781],
  ['2026-08-18', 302.45, 303.15, 300.11, 300.23, 18263746],
  ['2026-08-19', 302.88, 303.4105, 301.23, 301.72, 14995740],
  ['2026-08-20', 299.27, 300.04, 297.04, 297.67, 21638740],
  ['2026-08-21', 299.95, 300.33, 298.17, 299.94, 22919225],
];
const iwm: Bar[] = IWM_AUG_2026.map(([date, open, high, low, close, volume]) => ({
  date: d(date),
  open,
  high,
  low,
  close,
  adjClose: null,
  volume,
}));

describe('runDoctor over a store', () => {
  let store: Store;
  beforeEach(async () => {
    store = await Store.open(':memory:');
  });
  afterEach(() => store.close());

  it('finds real IWM bars clean, and a gap plus an unadjusted split in a doctored copy', async () => {
    await store.upsertBars('IWM', iwm, 'test');
    // IWM2: 2026-08-12 missing, and closes from 2026-08-17 on halved as if a 2:1 split were not adjusted.
    const doctored = iwm
      .filter((b) => b.date !== '2026-08-12')
      .map((b) =>
        b.date >= '2026-08-17' ? { ...b, open: null, high: null, low: null, close: b.close / 2 } : b,
      );
    await store.upsertBars('IWM2', doctored, 'test');
    // The split is on record, so the unadjusted closes are certain: an error, not a suspicion.
    await store.upsertCorporateActions([
      { kind: 'split', symbol: 'IWM2', date: d('2026-08-17'), ratio: 2, source: 'test' },
    ]);
    await store.upsertObservations([
      {
        series: 'DGS10',
        period: '2026-08-19',
        value: 0.042,
        unit: 'fraction',
        asOf: d('2026-08-19'),
        source: 'test',
      },
      {
        series: 'DGS10',
        period: '2026-08-20',
        value: 0.0421,
        unit: 'fraction',
        asOf: d('2026-08-20'),
        source: 'test',
      },
    ]);

    const report = await runDoctor(store, { asOf: d('2026-08-21') });
    expect(report.symbols.map((s) => [s.symbol, s.table, s.severity])).toEqual([
      ['IWM', 'bars', 'ok'],
      ['IWM2', 'bars', 'error'],
      ['DGS10', 'observations', 'ok'],
    ]);
    const iwm2 = report.findings.filter((f) => f.symbol === 'IWM2');
    expect(iwm2.map((f) => [f.check, f.severity, f.date])).toEqual([
      ['missing-sessions', 'warn', '2026-08-12'],
      ['jumps', 'error', '2026-08-17'],
    ]);
    expect(iwm2[1]?.detail).toMatch(/^unadjusted 2:1 split: close moved -50\.\d% .* on a stored split date$/);
    expect(report.severity).toBe('error');
  });

  it('checks only the named symbols, case-insensitively, and rejects an unknown one', async () => {
    await store.upsertBars('IWM', iwm, 'test');
    const report = await runDoctor(store, { asOf: d('2026-09-01'), symbols: ['iwm'] });
    expect(report.symbols.map((s) => s.symbol)).toEqual(['IWM']);
    // 2026-08-21 -> 2026-09-01: 24..28, 31, Sep 1 = 7 sessions behind, beyond the default 5.
    expect(report.findings.map((f) => [f.check, f.detail])).toEqual([
      ['stale', 'last bar 2026-08-21 is 7 sessions before the as-of date 2026-09-01 (limit 5)'],
    ]);
    await expect(runDoctor(store, { asOf: d('2026-09-01'), symbols: ['NOPE'] })).rejects.toThrow(
      NotFoundError,
    );
  });

  it('reports a (symbol, date) stored twice in bars as an error naming the sources and the fix', async () => {
    const duck = await DuckDbStore.open(':memory:');
    try {
      await duck.upsertBars('IWM', iwm, 'file:etf_recent_raw/IWM.csv');
      const clean = await runDoctor(duck, { asOf: d('2026-08-21'), symbols: ['IWM'] });
      expect(clean.duplicates).toEqual([]);
      expect(clean.severity).toBe('ok');
      // Written around the store's writers (the test-only raw path): a second row of 2026-08-14.
      await duck.exec(
        `INSERT INTO bar_stamps VALUES (-100, 'file:other.csv', TIMESTAMP '2026-08-15 00:00:00');
         INSERT INTO bars SELECT symbol, date, open, high, low, close, adj_close, volume, -100
         FROM bars WHERE symbol = 'IWM' AND date = DATE '2026-08-14'`,
      );
      // The store-wide check runs even when only another symbol is named.
      await duck.upsertBars('QQQ', [{ ...iwm[0]!, close: 600 }], 'test');
      const report = await runDoctor(duck, { asOf: d('2026-08-21'), symbols: ['QQQ'] });
      expect(report.severity).toBe('error');
      expect(report.duplicates).toEqual([
        {
          symbol: 'IWM',
          date: '2026-08-14',
          rows: 2,
          sources: ['file:etf_recent_raw/IWM.csv', 'file:other.csv'],
        },
      ]);
      const found = report.findings.filter((f) => f.symbol === 'IWM');
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({ check: 'duplicates', severity: 'error', date: '2026-08-14' });
      expect(found[0]?.detail).toMatch(
        /^the store holds 2 bars of IWM on 2026-08-14 \(sources file:etf_recent_raw\/IWM\.csv, file:other\.csv\)/,
      );
      expect(found[0]?.detail).toContain('Fix: rebuild the store from its files');
    } finally {
      duck.close();
    }
  });
});

describe('runDoctor and the release calendars kept in the project', () => {
  let store: Store;
  beforeEach(async () => {
    store = await Store.open(':memory:');
  });
  afterEach(async () => store.close());

  it('warns when the CPI or jobs-report list ends within 30 days of the as-of date, naming where to get more', async () => {
    expect((await runDoctor(store, { asOf: d('2026-10-01') })).calendars).toEqual([]);
    const r = await runDoctor(store, { asOf: d('2026-12-02') });
    expect(r.calendars.map((c) => [c.kind, c.through, c.daysLeft])).toEqual([
      ['cpi', '2026-12-10', 8],
      ['jobs', '2026-12-04', 2],
    ]);
    expect(r.severity).toBe('warn');
    const cpi = r.findings.find((f) => f.symbol === 'calendar:cpi');
    expect(cpi).toMatchObject({ check: 'release-calendar', severity: 'warn', date: '2026-12-10' });
    expect(cpi?.detail).toMatch(
      /CPI release dates kept in the project end on 2026-12-10 \(8 day\(s\) after the as-of date\).*https:\/\/www\.bls\.gov\/schedule\/news_release\/cpi\.htm/,
    );
    await store.upsertBars('IWM', iwm, 'test');
    expect(
      (await runDoctor(store, { asOf: d('2026-12-02'), symbols: ['IWM'] })).calendars,
      'a doctor of named symbols checks those symbols only',
    ).toEqual([]);
  });
});

describeWithSharedData('runDoctor on real AAPL OHLCV (stocks_daily_ohlcv/AAPL.csv)', () => {
  it('finds no calendar problems in 25 years of real bars, and reports the dividend drift of adj_close', async () => {
    // Columns: Date,open,high,low,close,adj_close,volume; close is split-adjusted, adj_close also dividend-adjusted.
    const rows = readFileSync(join(SHARED_DATA, 'stocks_daily_ohlcv/AAPL.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1);
    const bars: Bar[] = rows.map((line) => {
      const [date, open, high, low, close, adj, volume] = line.split(',');
      return {
        date: d(date as string),
        open: Number(open),
        high: Number(high),
        low: Number(low),
        close: Number(close),
        adjClose: Number(adj),
        volume: Number(volume),
      };
    });
    const store = await Store.open(':memory:');
    try {
      await store.upsertBars('AAPL', bars, 'shared');
      const report = await runDoctor(store, { asOf: d('2025-10-07') });
      const aapl = report.symbols[0];
      const bySeverity = Object.fromEntries((aapl?.checks ?? []).map((c) => [c.check, c.severity]));
      expect(bySeverity).toMatchObject({
        'missing-sessions': 'ok',
        'non-session-bars': 'ok',
        duplicates: 'ok',
        order: 'ok',
        values: 'ok',
        stale: 'ok',
      });
      const adj = aapl?.checks.find((c) => c.check === 'adjusted-ratio');
      // AAPL paid dividends from 2012 on, so adj/close rises over the file: drift is positive.
      expect(adj?.summary).toMatch(/overall drift \+\d/);
    } finally {
      store.close();
    }
  });
});
