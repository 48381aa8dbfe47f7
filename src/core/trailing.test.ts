import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectNoLookahead } from '../../test/support/contract.js';
import { lagDifference, trailingMean, trailingMeanStd, trailingZScore } from './trailing.js';

const finite = fc.double({ min: 1, max: 1000, noNaN: true, noDefaultInfinity: true });

describe('trailingMean', () => {
  it('averages the last N values and is null until the window is full', () => {
    // By hand: (1+2+3)/3 = 2, (2+3+4)/3 = 3, (3+4+5)/3 = 4.
    expect(trailingMean([1, 2, 3, 4, 5], 3)).toEqual([null, null, 2, 3, 4]);
  });

  it('voids every window that holds a gap, like pandas rolling(min_periods=N)', () => {
    expect(trailingMean([1, 2, null, 4, 5, 6], 2)).toEqual([null, 1.5, null, null, 4.5, 5.5]);
  });

  it('matches a naive sum over a long series (no drift of the running sum)', () => {
    const xs = Array.from({ length: 5000 }, (_, i) => 100 + Math.sin(i / 7) * 30 + i * 0.01);
    const out = trailingMean(xs, 200);
    for (const t of [199, 1234, 4999]) {
      const naive = xs.slice(t - 199, t + 1).reduce((a, b) => a + b, 0) / 200;
      expect(out[t]).toBeCloseTo(naive, 9);
    }
  });

  it('uses no data after each point', () => {
    fc.assert(
      fc.property(fc.array(finite, { maxLength: 40 }), fc.integer({ min: 1, max: 6 }), (xs, n) =>
        expectNoLookahead((p) => trailingMean(p, n), xs),
      ),
      { numRuns: 50 },
    );
  });
});

describe('trailingMeanStd', () => {
  it('uses the sample standard deviation (ddof = 1)', () => {
    // Textbook data: mean 5, sum of squared deviations 32, so sample sd = sqrt(32 / 7).
    const [last] = trailingMeanStd([2, 4, 4, 4, 5, 5, 7, 9], 8).slice(-1);
    expect(last?.mean).toBe(5);
    expect(last?.sd).toBeCloseTo(Math.sqrt(32 / 7), 14);
  });
});

describe('trailingZScore', () => {
  it('gives no z-score for a flat window', () => {
    expect(trailingZScore([3, 3, 3, 3], 3), 'flat window has no z-score').toEqual([null, null, null, null]);
  });

  it('computes (x - mean) / sd over the window ending at x', () => {
    // [1,2,3]: mean 2, sd 1 → z(3) = 1; [2,3,7]: mean 4, sd = sqrt((4+1+9)/2) = sqrt(7) → z(7) = 3/sqrt(7).
    const z = trailingZScore([1, 2, 3, 7], 3);
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
          const a = trailingZScore(xs, 5);
          const b = trailingZScore(
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
        expectNoLookahead((p) => trailingZScore(p, 4), xs),
      ),
      { numRuns: 50 },
    );
  });
});

describe('lagDifference', () => {
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
