import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TradingDate } from '../shared/brand.js';
import { describeWithSharedData } from '../../test/support/shared-data.js';
import { readYearStartReference, storeWithSharedBars } from '../../test/support/shared-bars.js';
import { parseClaim } from '../core/claim.js';
import { parseWindow } from '../core/window.js';
import type { Store } from './store/store.js';
import { runCheck, runOdds, runPrecedents, runRace } from './analytics.js';
import { loadSeries } from './load.js';

// Reference values: /work/shared/data/derived/year_start_russell2000_vs_nasdaq100.csv and the table in
// /work/shared/data/README.md, computed independently from the same files (January = Dec close -> last Jan close;
// 7d = Dec close -> 7th session close).
describeWithSharedData('analytics on the shared data (^RUT, ^NDX, IWM, QQQ, XLK, MAG7)', () => {
  let store: Store;
  beforeAll(async () => {
    store = await storeWithSharedBars([
      'indices/RUT.csv',
      'indices/NDX.csv',
      'etf_daily/IWM.csv',
      'etf_daily/QQQ.csv',
      'etf_daily/XLK.csv',
      ...['AAPL', 'MSFT', 'NVDA', 'AMZN', 'GOOGL', 'META', 'TSLA'].map((s) => `stocks_daily/${s}.csv`),
    ]);
  });
  afterAll(() => store.close());
  const ref = readYearStartReference();

  it('reproduces the 2026 first-7-session race: RUT +6.20%, NDX +2.13%, spread +4.07%', async () => {
    const r = await runRace(store, '^rut', '^NDX', parseWindow('first:7'), { year: 2026 });
    expect(r.race?.endDate).toBe('2026-01-12');
    expect(r.race?.retA).toBeCloseTo(0.06196, 5);
    expect(r.race?.retB).toBeCloseTo(0.0213, 4);
    expect(r.race?.spread).toBeCloseTo(0.040661, 5);
    expect(r.facts.map((f) => f.id)).toContain('race.rut-ndx.first7.spread');
  });

  it('reproduces IWM - QQQ total return over the first 7 sessions of 2026 (+4.14%)', async () => {
    const r = await runRace(store, 'IWM', 'QQQ', parseWindow('first:7'), { year: 2026, basis: 'total' });
    expect(r.race?.spread).toBeCloseTo(0.041383, 5);
    expect(r.facts.find((f) => f.id === 'race.iwm-qqq.first7.spread')?.basis).toBe('total');
  });

  it('matches the reference table in every year 1988-2026, index and ETF, January and first 7', async () => {
    const years = ref.map((r) => r.year);
    const idx7 = await runRace(store, '^RUT', '^NDX', parseWindow('first:7'), { years });
    const idxJan = await runRace(store, '^RUT', '^NDX', parseWindow('jan'), { years });
    const etf7 = await runRace(store, 'IWM', 'QQQ', parseWindow('first:7'), { years, basis: 'total' });
    const etfJan = await runRace(store, 'IWM', 'QQQ', parseWindow('jan'), { years, basis: 'total' });
    for (const [i, row] of ref.entries()) {
      const r7 = idx7.years?.[i]?.race;
      const rj = idxJan.years?.[i]?.race;
      expect(r7?.endDate, `${row.year} 7th session`).toBe(row.day7Date);
      expect(r7?.retA, `${row.year} RUT 7d`).toBeCloseTo(row.rut7, 5);
      expect(r7?.retB, `${row.year} NDX 7d`).toBeCloseTo(row.ndx7, 5);
      expect(rj?.retA, `${row.year} RUT Jan`).toBeCloseTo(row.rutJan, 5);
      expect(rj?.retB, `${row.year} NDX Jan`).toBeCloseTo(row.ndxJan, 5);
      if (row.iwmQqq7 !== null) {
        expect(etf7.years?.[i]?.race?.spread, `${row.year} IWM-QQQ 7d`).toBeCloseTo(row.iwmQqq7, 5);
        expect(etfJan.years?.[i]?.race?.spread, `${row.year} IWM-QQQ Jan`).toBeCloseTo(
          row.iwmQqqJan as number,
          5,
        );
      } else expect(etf7.years?.[i]?.race, `${row.year}: IWM not listed yet`).toBeNull();
    }
  });

  it('finds the years the Russell won the first 7 sessions; last before 2026 is 2023', async () => {
    const p = await runPrecedents(
      store,
      { kind: 'beats', a: '^RUT', b: '^NDX', window: parseWindow('first:7') },
      {},
    );
    expect(p.precedents.occurrences.map((o) => o.year)).toEqual([
      1988, 1989, 1990, 1992, 1996, 2000, 2008, 2010, 2013, 2014, 2019, 2021, 2022, 2023, 2026,
    ]);
    expect(p.precedents.lastBefore?.year).toBe(2023);
    expect(p.precedents.tested).toBe(39);
    expect(p.precedents.sampleOk).toBe(true);
  });

  it('never reads past --as-of', async () => {
    const asOf = '2026-01-08' as TradingDate;
    const s = await loadSeries(store, 'IWM', { asOf, basis: 'total' });
    expect(s.dates[s.dates.length - 1]).toBe('2026-01-08');
    const r = await runRace(store, '^RUT', '^NDX', parseWindow('first:7'), { asOf });
    expect(r.race?.complete, 'only 5 sessions of 2026 known on 2026-01-08 (Jan 2, 5-8)').toBe(false);
    expect(r.race?.sessions).toBe(5);
    const p = await runPrecedents(
      store,
      { kind: 'beats', a: '^RUT', b: '^NDX', window: parseWindow('first:7') },
      { asOf },
    );
    expect(p.precedents.occurrences.map((o) => o.year)).not.toContain(2026);
  });

  it('computes forward odds with sample sizes and pending occurrences', async () => {
    const o = await runOdds(
      store,
      { kind: 'beats', a: '^RUT', b: '^NDX', window: parseWindow('first:7') },
      { asOf: '2026-02-23' as TradingDate },
    );
    const roy = o.odds.find((h) => h.horizon === 'rest-of-year');
    expect(roy?.summary.n, '14 complete years before 2026').toBe(14);
    expect(roy?.pending).toBe(1);
    const m1 = o.odds.find((h) => h.horizon === '1m');
    expect(m1?.summary.n, '2026 has its 21 sessions after Jan 12 by Feb 23').toBe(15);
  });

  it('MAG7 is a full basket from mid-2012 only', async () => {
    const s = await loadSeries(store, 'mag7', { basis: 'total' });
    expect(s.dates[0]).toBe('2012-06-29');
    expect(s.values[0]).toBeGreaterThan(0);
  });

  it('checks the claim across definitions: first 7 sessions since 2019 fails (2023)', async () => {
    const claim = parseClaim(
      'Russell 2000 beat Big Tech over the first 7 sessions of 2026 for the first time since 2019',
    );
    const c = await runCheck(store, claim, {});
    const stated = c.rows.find((r) => r.asStated);
    expect(stated?.evaluation.status).toBe('fails');
    expect(stated?.evaluation.lastBefore).toBe(2023);
    const ndxJanPrice = c.rows.find(
      (r) => r.a === '^RUT' && r.b === '^NDX' && r.windowText === 'jan' && r.basis === 'price',
    );
    expect(ndxJanPrice?.evaluation.status, 'January: Russell won 2019 and 2021 and 2025 -> fails').toBe(
      'fails',
    );
    expect(ndxJanPrice?.evaluation.lastBefore).toBe(2025);
    expect(
      c.rows.length + c.sameAsPrice,
      'every definition is either a row or a total-return twin equal to its price row',
    ).toBe(64);
  });
});
