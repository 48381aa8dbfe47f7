import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCloseCsv } from '../../test/support/close-csv.js';
import { expectNoLookahead } from '../../test/support/contract.js';
import { describeWithSharedData } from '../../test/support/shared-data.js';
import { concentration, participation, ratioTrend, relativeReturns, unionMatrix } from './breadth.js';

describe('participation', () => {
  it('counts members above their trailing mean among those with a full window', () => {
    // By hand, window 2: A means [-,1.5,2.5,3.5] vs closes 2,3,4 → above each day; B means [-,4.5,3.5,2.5] vs 4,3,2
    // → below; C has a gap on day 1, so its windows on days 1 and 2 are void.
    const dates = ['d0', 'd1', 'd2', 'd3'];
    const out = participation(dates, { A: [1, 2, 3, 4], B: [5, 4, 3, 2], C: [1, null, 2, 3] }, 2);
    expect(out.map((p) => [p.above, p.counted])).toEqual([
      [0, 0],
      [1, 2],
      [1, 2],
      [2, 3],
    ]);
    expect(out.map((p) => p.share)).toEqual([null, 0.5, 0.5, 2 / 3]);
  });

  it('does not count a close equal to its mean as above', () => {
    expect(participation(['a', 'b'], { A: [2, 2] }, 2)[1]?.share).toBe(0);
  });

  it('uses no data after each date', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.double({ min: 1, max: 9, noNaN: true }), fc.double({ min: 1, max: 9, noNaN: true })),
          {
            maxLength: 25,
          },
        ),
        (rows) => {
          const f = (xs: readonly number[]) => {
            const n = xs.length;
            const dates = Array.from({ length: n }, (_, i) => `d${String(i).padStart(3, '0')}`);
            return participation(dates, { A: xs, B: rows.slice(0, n).map((r) => r[1]) }, 3).map(
              (p) => p.share,
            );
          };
          expectNoLookahead(
            f,
            rows.map((r) => r[0]),
          );
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe('unionMatrix', () => {
  it('aligns series on the union of dates with nulls for missing bars', () => {
    const m = unionMatrix({
      A: { dates: ['1', '3'], values: [1, 3] },
      B: { dates: ['2', '3'], values: [20, 30] },
    });
    expect(m.dates).toEqual(['1', '2', '3']);
    expect(m.matrix).toEqual({ A: [1, null, 3], B: [null, 20, 30] });
  });
});

describe('concentration', () => {
  it('computes top shares, Herfindahl and effective N', () => {
    // By hand: shares .5 .3 .2 → HHI = .25 + .09 + .04 = .38, effective N = 1 / .38.
    const c = concentration([
      { symbol: 'B', weight: 30 },
      { symbol: 'A', weight: 50 },
      { symbol: 'C', weight: 20 },
    ]);
    expect(c?.top1).toBeCloseTo(0.5, 15);
    expect(c?.top5).toBeCloseTo(1, 15);
    expect(c?.herfindahl).toBeCloseTo(0.38, 15);
    expect(c?.effectiveN).toBeCloseTo(1 / 0.38, 12);
    expect(c?.top.map((t) => t.symbol)).toEqual(['A', 'B', 'C']);
    expect(concentration([])).toBeNull();
  });

  it('gives effective N = n for equal weights, and never more than n', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.001, max: 10, noNaN: true }), { minLength: 1, maxLength: 60 }),
        (ws) => {
          const c = concentration(ws.map((weight, i) => ({ symbol: `S${i}`, weight })));
          expect(c?.effectiveN).toBeLessThanOrEqual(ws.length * (1 + 1e-9));
          expect(c?.top1).toBeLessThanOrEqual((c?.top5 ?? 0) + 1e-12);
        },
      ),
    );
    const eq = concentration(Array.from({ length: 40 }, (_, i) => ({ symbol: `S${i}`, weight: 0.025 })));
    expect(eq?.effectiveN).toBeCloseTo(40, 9);
  });
});

describe('relativeReturns and ratioTrend', () => {
  it('measures ytd from the last close of the previous year and rolling windows in sessions', () => {
    const dates = ['2025-12-30', '2025-12-31', '2026-01-02', '2026-01-05'];
    const a = { dates, values: [100, 100, 110, 121] };
    const b = { dates, values: [50, 50, 50, 55] };
    const ytd = relativeReturns(a, b).find((r) => r.window === 'ytd');
    // By hand: A 121/100 - 1 = .21, B 55/50 - 1 = .10, spread .11, relative 1.21/1.1 - 1 = .1.
    expect(ytd?.from).toBe('2025-12-31');
    expect(ytd?.retA).toBeCloseTo(0.21, 14);
    expect(ytd?.spread).toBeCloseTo(0.11, 14);
    expect(ytd?.relative).toBeCloseTo(0.1, 14);
    expect(relativeReturns(a, b).find((r) => r.window === '1m')?.retA, 'only 3 sessions stored').toBeNull();
    expect(relativeReturns(a, b, '2026-01-02').find((r) => r.window === 'ytd')?.retA).toBeCloseTo(0.1, 14);
  });

  it('calls a ratio above a rising 50-session mean an up trend', () => {
    const dates = Array.from(
      { length: 80 },
      (_, i) =>
        `2026-${String(1 + Math.floor(i / 28)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
    );
    const up = ratioTrend(
      { dates, values: dates.map((_, i) => 100 + i) },
      { dates, values: dates.map(() => 100) },
    );
    expect(up.trend).toBe('up');
    expect(up.sma200).toBeNull();
    const down = ratioTrend(
      { dates, values: dates.map((_, i) => 200 - i) },
      { dates, values: dates.map(() => 100) },
    );
    expect(down.trend).toBe('down');
  });
});

describeWithSharedData('breadth on the shared files', () => {
  it('reproduces the share above the 200-session mean of the 10 stocks (peer definition)', () => {
    // Provenance: test/fixtures/series/rrg_breadth_regime_reference.py section 4 (plain Python on the same files).
    const syms = ['AAPL', 'MSFT', 'NVDA', 'AMZN', 'GOOGL', 'META', 'TSLA', 'CAT', 'JPM', 'PG'];
    const { dates, matrix } = unionMatrix(
      Object.fromEntries(syms.map((s) => [s, readCloseCsv(`stocks_daily/${s}.csv`)])),
    );
    const out = participation(dates, matrix, 200);
    const at = (d: string) => out.find((p) => p.date === d);
    expect(at('2020-03-23')).toMatchObject({ above: 3, counted: 10, share: 0.3 });
    expect(out.at(-1)).toMatchObject({ date: '2026-07-31', above: 7, counted: 10, share: 0.7 });
  });

  it('reproduces RSP vs SPY relative returns as of 2026-07-31', () => {
    // Provenance: reference script section 7.
    const r = relativeReturns(
      readCloseCsv('etf_daily/RSP.csv'),
      readCloseCsv('etf_daily/SPY.csv'),
      '2026-07-31',
    );
    const by = Object.fromEntries(r.map((x) => [x.window, x]));
    expect(by['ytd']?.from).toBe('2025-12-31');
    expect(by['ytd']?.spread).toBeCloseTo(0.030284612591282345, 12);
    expect(by['1m']?.from).toBe('2026-07-01');
    expect(by['1m']?.spread).toBeCloseTo(0.00579427572173552, 12);
    expect(by['3m']?.spread).toBeCloseTo(0.018810518498002082, 12);
    expect(by['12m']?.from).toBe('2025-07-30');
    expect(by['12m']?.spread).toBeCloseTo(-0.01102091436865038, 12);
  });
});
