import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TradingDate } from '../../shared/brand.js';
import { expectNoLookahead, expectWarmup } from '../../../test/support/contract.js';
import { alignSeries } from './align.js';
import { drawdowns, maxDrawdown } from './drawdown.js';
import { compound, logReturns, ratio, ratioLine, simpleReturns, totalReturn } from './returns.js';
import { lagDifference, rollingMean, rollingMeanStd, rollingZScore } from './rolling.js';

const d = (s: string) => s as TradingDate;
const prices = fc.array(fc.double({ min: 1, max: 1000, noNaN: true }), { minLength: 2, maxLength: 60 });
const finite = fc.double({ min: 1, max: 1000, noNaN: true, noDefaultInfinity: true });
const SAMPLE = [100, 101, 99.5, 102, 104, 103, 107, 106.5, 108, 110, 109, 111];

describe('series transforms: the no-look-ahead contract', () => {
  const transforms: [string, (xs: readonly number[]) => readonly (number | null)[], number][] = [
    ['simpleReturns', simpleReturns, 1],
    ['logReturns', logReturns, 1],
    ['drawdowns', drawdowns, 0],
    ['rollingMean(3)', (xs) => rollingMean(xs, 3), 2],
    ['rollingMeanStd(5).sd', (xs) => rollingMeanStd(xs, 5).map((m) => m.sd), 4],
    ['rollingZScore(5)', (xs) => rollingZScore(xs, 5), 4],
    ['rollingZScore(5, excludeCurrent)', (xs) => rollingZScore(xs, 5, { excludeCurrent: true }), 5],
    ['lagDifference(2)', (xs) => lagDifference(xs, 2), 2],
    [
      'ratioLine vs a constant leg',
      (xs) =>
        ratioLine(
          xs,
          xs.map(() => 2),
        ),
      0,
    ],
  ];
  for (const [name, f, warmup] of transforms) {
    it(`${name} uses no future data and is null during warm-up`, () => {
      expectNoLookahead(f, SAMPLE);
      expectWarmup(f, SAMPLE, warmup);
      fc.assert(
        fc.property(prices, (xs) => expectNoLookahead(f, xs)),
        { numRuns: 30 },
      );
    });
  }
});

describe('returns', () => {
  it('compounding daily returns gives the total return', () => {
    fc.assert(
      fc.property(prices, (xs) => {
        expect(compound(simpleReturns(xs))).toBeCloseTo(totalReturn(xs) as number, 9);
      }),
    );
  });
  it('log returns add up to the log of the total growth', () => {
    fc.assert(
      fc.property(prices, (xs) => {
        const sum = logReturns(xs).reduce<number>((a, r) => a + (r ?? 0), 0);
        expect(sum).toBeCloseTo(Math.log((totalReturn(xs) as number) + 1), 9);
      }),
    );
  });
  it('computes a hand-checked return', () => {
    expect(simpleReturns([100, 110, 99])).toEqual([null, 0.10000000000000009, -0.09999999999999998]);
    expect(totalReturn([100])).toBeNull();
  });
  it('the ratio line starts at 1 and ends at (1+retA)/(1+retB)', () => {
    const line = ratioLine([100, 106.2], [50, 51.065]);
    expect(line[0]).toBe(1);
    expect(line[1]).toBeCloseTo(1.062 / 1.0213, 12);
    expect(ratioLine([1, 2, 3], [1, 1, 1], 1)).toEqual([null, 1, 1.5]);
  });
});

describe('rolling statistics', () => {
  it('scaling one leg leaves the ratio z-score unchanged', () => {
    fc.assert(
      fc.property(prices, prices, fc.double({ min: 0.01, max: 100, noNaN: true }), (a, b, k) => {
        const n = Math.min(a.length, b.length);
        const z1 = rollingZScore(ratio(a.slice(0, n), b.slice(0, n)), 2);
        const z2 = rollingZScore(
          ratio(
            a.slice(0, n).map((x) => x * k),
            b.slice(0, n),
          ),
          2,
        );
        z1.forEach((z, i) => {
          const w = z2[i];
          if (z === null || w === null || w === undefined)
            expect(
              (z === null && (w === null || w === undefined)) || Math.abs((z ?? 0) - (w ?? 0)) < 1e-6,
            ).toBe(true);
          else expect(w).toBeCloseTo(z, 6);
        });
      }),
    );
  });
  it('has no z-score on a flat window', () => {
    expect(rollingZScore([5, 5, 5, 5], 3), 'flat window has no z-score').toEqual([null, null, null, null]);
  });
  it('matches hand-computed values', () => {
    expect(rollingMean([1, 2, 3, 4], 2)).toEqual([null, 1.5, 2.5, 3.5]);
    // sample std of [1,2,3] is 1
    expect(rollingMeanStd([1, 2, 3], 3).map((m) => m.sd)).toEqual([null, null, 1]);
    expect(rollingZScore([1, 2, 3], 3)).toEqual([null, null, 1]);
  });
  it('scores a value against the window before it with excludeCurrent', () => {
    // [1,2,3] before 5: mean 2, sd 1 -> z = 3; with 5 in its own window [2,3,5]: mean 10/3, sd sqrt(7/3).
    expect(rollingZScore([1, 2, 3, 5], 3, { excludeCurrent: true })).toEqual([null, null, null, 3]);
    expect(rollingZScore([1, 2, 3, 5], 3)[3]).toBeCloseTo((5 - 10 / 3) / Math.sqrt(7 / 3), 14);
  });
});

describe('drawdowns', () => {
  it('is 0 at new highs and finds the deepest trough', () => {
    expect(drawdowns([100, 120, 90, 130])).toEqual([0, 0, -0.25, 0]);
    expect(maxDrawdown([100, 120, 90, 130, 65])).toEqual({ depth: -0.5, peakIndex: 3, troughIndex: 4 });
  });
  it('never exceeds 0', () => {
    fc.assert(fc.property(prices, (xs) => drawdowns(xs).every((x) => x <= 0)));
  });
});

describe('alignSeries', () => {
  const a = {
    dates: [d('2026-01-02'), d('2026-01-05'), d('2026-01-06'), d('2026-01-07')],
    values: [1, 2, 3, 4],
  };
  const b = { dates: [d('2026-01-02'), d('2026-01-06'), d('2026-01-07')], values: [10, 30, 40] };
  it('inner-joins on dates by default', () => {
    expect(alignSeries([a, b])).toEqual({
      dates: ['2026-01-02', '2026-01-06', '2026-01-07'],
      values: [
        [1, 3, 4],
        [10, 30, 40],
      ],
    });
  });
  it('forward-fills at most K sessions, never back-fills', () => {
    const late = { dates: [d('2026-01-05'), d('2026-01-07')], values: [7, 8] };
    expect(alignSeries([a, late], { fillMaxSessions: 1 })).toEqual({
      dates: ['2026-01-05', '2026-01-06', '2026-01-07'],
      values: [
        [2, 3, 4],
        [7, 7, 8],
      ],
    });
    const gappy = { dates: [d('2026-01-02'), d('2026-01-07')], values: [1, 2] };
    expect(
      alignSeries([a, gappy], { fillMaxSessions: 1 }).dates,
      'a 2-session gap is not filled with K=1',
    ).toEqual(['2026-01-02', '2026-01-05', '2026-01-07']);
  });
  it('keeps only dates every input has (property)', () => {
    const days = fc.uniqueArray(fc.integer({ min: 1, max: 28 }));
    fc.assert(
      fc.property(days, days, (x, y) => {
        const mk = (ns: number[]) => {
          const s = [...ns].sort((p, q) => p - q);
          return { dates: s.map((n) => d(`2026-02-${String(n).padStart(2, '0')}`)), values: s };
        };
        const out = alignSeries([mk(x), mk(y)]);
        expect(out.dates.length).toBe(x.filter((n) => y.includes(n)).length);
        expect(out.values[0], 'both legs carry the same values on common dates').toEqual(out.values[1]);
      }),
    );
  });
});

describe('rollingMean (gaps)', () => {
  it('averages the last N values and is null until the window is full', () => {
    // By hand: (1+2+3)/3 = 2, (2+3+4)/3 = 3, (3+4+5)/3 = 4.
    expect(rollingMean([1, 2, 3, 4, 5], 3)).toEqual([null, null, 2, 3, 4]);
  });

  it('voids every window that holds a gap, like pandas rolling(min_periods=N)', () => {
    expect(rollingMean([1, 2, null, 4, 5, 6], 2)).toEqual([null, 1.5, null, null, 4.5, 5.5]);
  });

  it('matches a naive sum over a long series (no drift of the running sum)', () => {
    const xs = Array.from({ length: 5000 }, (_, i) => 100 + Math.sin(i / 7) * 30 + i * 0.01);
    const out = rollingMean(xs, 200);
    for (const t of [199, 1234, 4999]) {
      const naive = xs.slice(t - 199, t + 1).reduce((a, b) => a + b, 0) / 200;
      expect(out[t]).toBeCloseTo(naive, 9);
    }
  });

  it('uses no data after each point', () => {
    fc.assert(
      fc.property(fc.array(finite, { maxLength: 40 }), fc.integer({ min: 1, max: 6 }), (xs, n) =>
        expectNoLookahead((p) => rollingMean(p, n), xs),
      ),
      { numRuns: 50 },
    );
  });
});

describe('rollingMeanStd', () => {
  it('uses the sample standard deviation (ddof = 1)', () => {
    // Textbook data: mean 5, sum of squared deviations 32, so sample sd = sqrt(32 / 7).
    const [last] = rollingMeanStd([2, 4, 4, 4, 5, 5, 7, 9], 8).slice(-1);
    expect(last?.mean).toBe(5);
    expect(last?.sd).toBeCloseTo(Math.sqrt(32 / 7), 14);
  });
});

describe('rollingZScore (gaps, scaling)', () => {
  it('gives no z-score for a flat window', () => {
    expect(rollingZScore([3, 3, 3, 3], 3), 'flat window has no z-score').toEqual([null, null, null, null]);
  });

  it('computes (x - mean) / sd over the window ending at x', () => {
    // [1,2,3]: mean 2, sd 1 → z(3) = 1; [2,3,7]: mean 4, sd = sqrt((4+1+9)/2) = sqrt(7) → z(7) = 3/sqrt(7).
    const z = rollingZScore([1, 2, 3, 7], 3);
    expect(z[2]).toBeCloseTo(1, 14);
    expect(z[3]).toBeCloseTo(3 / Math.sqrt(7), 14);
  });

  it('is unchanged by scaling and shifting the input', () => {
    fc.assert(
      fc.property(
        fc.array(finite, { minLength: 5, maxLength: 30 }),
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        fc.double({ min: -50, max: 50, noNaN: true }),
        (xs, k, c) => {
          const a = rollingZScore(xs, 5);
          const b = rollingZScore(
            xs.map((x) => x * k + c),
            5,
          );
          a.forEach((z, i) => {
            const w = b[i];
            if (z === null || w === null || w === undefined) return;
            expect(Math.abs(z - w)).toBeLessThan(1e-6 * (1 + Math.abs(z)));
          });
        },
      ),
      { numRuns: 100 },
    );
  });

  it('uses no data after each point', () => {
    fc.assert(
      fc.property(fc.array(finite, { maxLength: 30 }), (xs) =>
        expectNoLookahead((p) => rollingZScore(p, 4), xs),
      ),
      { numRuns: 50 },
    );
  });
});

describe('lagDifference (gaps)', () => {
  it('is x_t - x_{t-lag} and null without both', () => {
    expect(lagDifference([1, 4, null, 10, 15], 2)).toEqual([null, null, null, 6, null]);
  });
  it('uses no data after each point', () => {
    fc.assert(
      fc.property(fc.array(finite, { maxLength: 30 }), (xs) =>
        expectNoLookahead((p) => lagDifference(p, 3), xs),
      ),
      { numRuns: 50 },
    );
  });
});
