import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCloseCsv } from '../../test/support/close-csv.js';
import { expectNoLookahead } from '../../test/support/contract.js';
import { describeWithSharedData } from '../../test/support/shared-data.js';
import { regime, stateOf } from './regime.js';
import { drawdowns } from './series/drawdown.js';

const days = (n: number) =>
  Array.from(
    { length: n },
    (_, i) =>
      `2026-${String(1 + Math.floor(i / 28)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
  );

describe('drawdowns', () => {
  it('measures each close against the running maximum', () => {
    // By hand: max 100,100,120,120 → 0, -.1, 0, -.25.
    expect(drawdowns([100, 90, 120, 90])).toEqual([0, 90 / 100 - 1, 0, 90 / 120 - 1]);
  });
  it('is never positive and uses no data after each point', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.01, max: 1e6, noNaN: true }), { maxLength: 40 }), (xs) => {
        for (const d of drawdowns(xs)) expect(d).toBeLessThanOrEqual(0);
        expectNoLookahead(drawdowns, xs);
      }),
    );
  });
});

describe('stateOf', () => {
  it('puts exactly -10% in correction and exactly -20% in bear', () => {
    expect(stateOf(-0.0999)).toBe('near-high');
    expect(stateOf(-0.1)).toBe('correction');
    expect(stateOf(-0.2)).toBe('bear');
  });
});

describe('regime', () => {
  it('dates the high, the state and its start', () => {
    const dates = days(6);
    // closes: high 100 on day 1; 88 (-12%, correction) day 2; 79 (-21%, bear) days 3-4; 85 (-15%) day 5.
    const r = regime('X', { dates, values: [90, 100, 88, 79, 78, 85] });
    expect(r).toMatchObject({
      high: 100,
      highDate: dates[1],
      state: 'correction',
      stateSince: dates[5],
      sessionsSinceHigh: 4,
      calendarDaysSinceHigh: 4,
    });
    expect(r?.distance).toBeCloseTo(-0.15, 14);
    expect(r?.trend50.sma, 'too short for a 50-session mean').toBeNull();
    expect(regime('X', { dates, values: [90, 100, 88, 79, 78, 85] }, dates[4])?.stateSince).toBe(dates[3]);
    expect(regime('X', { dates: [], values: [] })).toBeNull();
  });

  it('reads the trend from the close against a rising or falling mean', () => {
    const dates = days(260);
    const up = regime('U', { dates, values: dates.map((_, i) => 100 + i) });
    expect(up?.trend50.direction).toBe('up');
    expect(up?.trend200.direction).toBe('up');
    expect(up?.trend50.sma).toBeCloseTo(100 + 259 - 24.5, 9); // mean of the last 50 of an arithmetic run
    const down = regime('D', { dates, values: dates.map((_, i) => 400 - i) });
    expect(down?.trend200).toMatchObject({ direction: 'down', above: false });
    expect(down?.state).toBe('bear');
  });

  it('has distance <= 0 and a high no lower than any close', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.01, max: 1e4, noNaN: true }), { minLength: 1, maxLength: 60 }),
        (xs) => {
          const r = regime('P', { dates: days(xs.length), values: xs });
          expect(r?.distance).toBeLessThanOrEqual(0);
          expect(r?.high).toBe(Math.max(...xs));
        },
      ),
    );
  });
});

describeWithSharedData('regime on the shared files', () => {
  // Provenance: test/fixtures/series/rrg_breadth_regime_reference.py section 5 (plain Python on the same files).
  const cases = [
    [
      'SPY',
      '2026-07-31',
      '2026-06-02',
      -0.013975635023057209,
      'near-high',
      '2025-04-25',
      41,
      744.2224060058594,
      697.4087316894531,
    ],
    [
      'QQQ',
      '2022-10-14',
      '2021-12-27',
      -0.35056449787026533,
      'bear',
      '2022-08-22',
      202,
      289.6763488769531,
      312.23399963378904,
    ],
    [
      'SPY',
      '2020-03-23',
      '2020-02-19',
      -0.3371728575547861,
      'bear',
      '2020-03-12',
      23,
      281.5850323486328,
      275.05905410766604,
    ],
  ] as const;
  for (const [sym, asOf, highDate, distance, state, since, sessions, sma50, sma200] of cases) {
    it(`tags ${sym} as of ${asOf}`, () => {
      const r = regime(sym, readCloseCsv(`etf_daily/${sym}.csv`), asOf);
      expect(r).toMatchObject({
        date: asOf,
        highDate,
        state,
        stateSince: since,
        sessionsSinceHigh: sessions,
      });
      expect(r?.distance).toBeCloseTo(distance, 12);
      expect(r?.trend50.sma).toBeCloseTo(sma50, 8);
      expect(r?.trend200.sma).toBeCloseTo(sma200, 8);
    });
  }
});
