import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCloseCsv } from '../../test/support/close-csv.js';
import { describeWithSharedData } from '../../test/support/shared-data.js';
import { periodsNeeded, quadrantOf, quadrantTransitions, rrg, rrgSeries, weekEndIndexes } from './rrg.js';
import type { CloseSeries } from './series/types.js';
import { weekdays, wigglyPath as path } from '../../test/support/synthetic-series.js';

describe('quadrantOf', () => {
  it('puts 100 itself on the strong side of both axes', () => {
    expect(quadrantOf(100, 100)).toBe('leading');
    expect(quadrantOf(100, 99.99)).toBe('weakening');
    expect(quadrantOf(99.99, 99.99)).toBe('lagging');
    expect(quadrantOf(99.99, 100)).toBe('improving');
    expect(quadrantOf(null, 100)).toBeNull();
  });
});

describe('weekEndIndexes', () => {
  it('takes the last session of each Monday–Sunday week, Thursday when Friday is a holiday', () => {
    // 2024-03-29 was Good Friday (NYSE closed): that week ends on Thursday 03-28.
    const dates = ['2024-03-25', '2024-03-27', '2024-03-28', '2024-04-01', '2024-04-05', '2024-04-08'];
    expect(weekEndIndexes(dates)).toEqual([2, 4, 5]);
  });
});

describe('rrgSeries', () => {
  it('matches the reference values of a small daily example (window 3, lag 2)', () => {
    // Provenance: test/fixtures/series/rrg_breadth_regime_reference.py section 1 (plain Python statistics.stdev).
    const dates = weekdays(10);
    const member = { dates, values: [10, 11, 12, 11, 13, 14, 13, 15, 16, 15] };
    const bench = { dates, values: [20, 20, 21, 21, 22, 22, 23, 23, 24, 24] };
    const pts = rrgSeries(member, bench, 'daily', { window: 3, lag: 2 });
    expect(pts.map((p) => p.ratio)).toEqual([
      null,
      null,
      expect.closeTo(100.84444074320012, 12),
      expect.closeTo(98.96838459525843, 12),
      expect.closeTo(100.83605932469415, 12),
      expect.closeTo(100.93018162919373, 12),
      expect.closeTo(99.10404154225357, 12),
      expect.closeTo(100.73954416118515, 12),
      expect.closeTo(100.7043607250605, 12),
      expect.closeTo(98.91517092787416, 12),
    ]);
    expect(
      pts.slice(0, 6).every((p) => p.momentum === null),
      'momentum needs 2N + K - 1 = 7 points',
    ).toBe(true);
    expect(pts.slice(6).map((p) => p.momentum)).toEqual([
      expect.closeTo(99.02297333742096, 12),
      expect.closeTo(99.89021537596312, 12),
      expect.closeTo(101.02400821412299, 12),
      expect.closeTo(99.01564837755537, 12),
    ]);
    expect(pts.slice(6).map((p) => p.quadrant)).toEqual(['lagging', 'weakening', 'leading', 'lagging']);
    expect(periodsNeeded({ window: 3, lag: 2 })).toBe(7);
  });

  it('never changes a published point when later data arrive (daily: every prefix)', () => {
    const dates = weekdays(160);
    const member = { dates, values: path(160, 1) };
    const bench = { dates, values: path(160, 2, 0.0001) };
    const full = rrgSeries(member, bench, 'daily', { window: 20, lag: 5 });
    for (let n = 1; n <= dates.length; n += 7) {
      const pre = rrgSeries(cut(member, n), cut(bench, n), 'daily', { window: 20, lag: 5 });
      expect(pre, `points of the first ${n} sessions`).toEqual(full.slice(0, n));
    }
  });

  it('never changes a completed week when later data arrive (weekly)', () => {
    const dates = weekdays(900);
    const member = { dates, values: path(900, 3) };
    const bench = { dates, values: path(900, 4, 0.0002) };
    const params = { window: 20, lag: 4 };
    const full = rrgSeries(member, bench, 'weekly', params);
    expect(full.filter((p) => p.quadrant !== null).length).toBeGreaterThan(100);
    for (let n = 5; n <= dates.length; n += 13) {
      const pre = rrgSeries(cut(member, n), cut(bench, n), 'weekly', params);
      // All weeks but the prefix's last (possibly unfinished) one are identical to the full run.
      expect(pre.slice(0, -1), `weeks before session ${n}`).toEqual(full.slice(0, pre.length - 1));
    }
  });

  it('is unchanged when the benchmark or the member is rescaled (z-scores are scale-free)', () => {
    const dates = weekdays(120);
    const member = { dates, values: path(120, 5) };
    const bench = { dates, values: path(120, 6) };
    const base = rrgSeries(member, bench, 'daily', { window: 15, lag: 3 });
    fc.assert(
      fc.property(fc.double({ min: 1e-3, max: 1e3, noNaN: true }), fc.boolean(), (k, onBench) => {
        const m = onBench ? member : { dates, values: member.values.map((x) => x * k) };
        const b = onBench ? { dates, values: bench.values.map((x) => x * k) } : bench;
        const pts = rrgSeries(m, b, 'daily', { window: 15, lag: 3 });
        pts.forEach((p, i) => {
          const q = base[i];
          if (p.ratio === null || q?.ratio === null || q === undefined) return;
          expect(Math.abs(p.ratio - (q.ratio as number))).toBeLessThan(1e-8);
          if (p.momentum !== null && q.momentum !== null)
            expect(Math.abs(p.momentum - q.momentum)).toBeLessThan(1e-7);
        });
      }),
      { numRuns: 60 },
    );
  });

  it('uses only the dates both series have', () => {
    const dates = weekdays(8);
    const pts = rrgSeries(
      { dates: dates.filter((_, i) => i !== 3), values: [1, 2, 3, 5, 6, 7, 8] },
      { dates, values: [1, 1, 1, 1, 1, 1, 1, 1] },
      'daily',
      { window: 2, lag: 1 },
    );
    expect(pts.map((p) => p.date)).toEqual(dates.filter((_, i) => i !== 3));
    expect(pts.map((p) => p.rs)).toEqual([1, 2, 3, 5, 6, 7, 8]);
  });
});

describe('quadrantTransitions', () => {
  it('lists each change of quadrant with its date', () => {
    const p = (date: string, quadrant: 'leading' | 'weakening' | null) =>
      ({ date, rs: 1, ratio: null, momentum: null, quadrant }) as Parameters<
        typeof quadrantTransitions
      >[0][number];
    expect(
      quadrantTransitions([
        p('a', null),
        p('b', 'leading'),
        p('c', 'leading'),
        p('d', 'weakening'),
        p('e', null),
      ]),
    ).toEqual([{ date: 'd', from: 'leading', to: 'weakening' }]);
  });
});

describe('rrg', () => {
  const dates = weekdays(1200);
  const bench = { symbol: 'BENCH', series: { dates, values: path(1200, 7, 0.0002) } };
  const longer = { symbol: 'LONG', series: { dates, values: path(1200, 8) } };
  const shortDates = dates.slice(-300); // ~60 weeks: fewer than the 113 a weekly point needs
  const short = { symbol: 'SHORT', series: { dates: shortDates, values: path(300, 9) } };

  it('warns (never throws) when a member has too little history, and excludes it', () => {
    const r = rrg({ benchmark: bench, members: [longer, short], tail: 5 });
    const s = r.members.find((m) => m.symbol === 'SHORT');
    expect(s?.latest, 'no point for a short member').toBeNull();
    expect(s?.quadrant).toBeNull();
    expect(s?.periodsNeeded).toBe(113);
    expect(r.warnings.map((w) => [w.symbol, w.code])).toEqual([['SHORT', 'short-history']]);
    const l = r.members.find((m) => m.symbol === 'LONG');
    expect(l?.tail).toHaveLength(5);
    expect(l?.latest?.date).toBe(dates[dates.length - 1]);
    expect(l?.quadrant).toBe(l?.latest?.quadrant);
  });

  it('keeps the transitions within the tail and dates the current quadrant', () => {
    const r = rrg({ benchmark: bench, members: [longer], tail: 30 });
    const m = r.members[0];
    const all = quadrantTransitions(rrgSeries(longer.series, bench.series));
    expect(m?.transitions).toEqual(all.filter((t) => t.date >= (m?.tail[0]?.date ?? '')));
    expect(m?.quadrantSince).toBe(all[all.length - 1]?.date);
  });

  it('reads nothing after as-of and flags members whose data stop early', () => {
    const asOf = dates[900] as string;
    const cutAll = rrg({ benchmark: bench, members: [longer], asOf });
    expect(cutAll.asOf).toBe(asOf);
    expect((cutAll.members[0]?.latest?.date ?? '9999') <= asOf).toBe(true);
    const stale = rrg({
      benchmark: bench,
      members: [{ symbol: 'OLD', series: cut(longer.series, 1100) }],
    });
    expect(stale.warnings.map((w) => w.code)).toEqual(['stale']);
  });
});

function cut(s: CloseSeries, n: number): CloseSeries {
  return { dates: s.dates.slice(0, n), values: s.values.slice(0, n) };
}

const SECTORS = ['XLK', 'XLF', 'XLI', 'XLV', 'XLY', 'XLP', 'XLE', 'XLB', 'XLU', 'XLRE', 'XLC'];

describeWithSharedData('rrg on the shared sector SPDR files', () => {
  const spy = readCloseCsv('etf_daily/SPY.csv');
  const members = SECTORS.map((symbol) => ({ symbol, series: readCloseCsv(`etf_daily/${symbol}.csv`) }));

  // Provenance: test/fixtures/series/rrg_breadth_regime_reference.py section 2 — plain Python on the same files
  // (ISO-week last session, statistics.stdev), independent of this code. [ratio, momentum, quadrant].
  const expected: Record<string, Record<string, [number, number, string]>> = {
    '2026-01-12': {
      XLK: [100.84654269864598, 99.22012608723173, 'weakening'],
      XLF: [98.91387335675711, 101.31583307538844, 'improving'],
      XLI: [100.27962277334184, 100.90772004996819, 'leading'],
      XLV: [99.91384590573624, 100.15454409307668, 'improving'],
      XLY: [100.05851795899085, 101.75915994566705, 'leading'],
      XLP: [98.89150141219298, 100.36073444078156, 'improving'],
      XLE: [99.30322378532371, 100.3393586175782, 'improving'],
      XLB: [99.78275390343451, 102.03140754867896, 'improving'],
      XLU: [98.14827461976823, 98.84062129188254, 'lagging'],
      XLRE: [98.4788773750691, 100.23598589439102, 'improving'],
      XLC: [99.0834335569503, 100.59802195869747, 'improving'],
    },
    '2026-07-31': {
      XLK: [101.0107380919449, 98.4040715355581, 'weakening'],
      XLF: [99.91348337815083, 102.10939472374469, 'improving'],
      XLI: [100.30920360564967, 100.66953484537613, 'leading'],
      XLV: [100.12244150705767, 101.24140415823238, 'leading'],
      XLY: [98.39437585443285, 101.22208258900493, 'improving'],
      XLP: [99.26810162216425, 100.4535280551343, 'improving'],
      XLE: [100.80656732040877, 99.71518869960164, 'weakening'],
      XLB: [99.45731591075526, 100.00840987957153, 'improving'],
      XLU: [98.57350118537023, 100.23047633171997, 'improving'],
      XLRE: [99.66805748131601, 100.6526637005505, 'improving'],
      XLC: [97.91912207074738, 101.25395419236757, 'improving'],
    },
  };

  for (const asOf of Object.keys(expected)) {
    it(`places the 11 sectors vs SPY as the independent computation does, weekly, as of ${asOf}`, () => {
      const r = rrg({ benchmark: { symbol: 'SPY', series: spy }, members, asOf });
      expect(r.warnings).toEqual([]);
      for (const m of r.members) {
        const [ratio, momentum, quadrant] = expected[asOf]?.[m.symbol] ?? [NaN, NaN, ''];
        expect(m.latest?.date).toBe(asOf);
        expect(m.latest?.ratio).toBeCloseTo(ratio, 9);
        expect(m.latest?.momentum).toBeCloseTo(momentum, 9);
        expect(m.quadrant, m.symbol).toBe(quadrant);
      }
    });
  }

  it('warns that XLC has no weekly point before it has 113 weeks of history', () => {
    const r = rrg({ benchmark: { symbol: 'SPY', series: spy }, members, asOf: '2019-12-31' });
    expect(r.warnings.map((w) => `${w.symbol}:${w.code}`)).toEqual(['XLC:short-history']);
    expect(r.members.find((m) => m.symbol === 'XLRE')?.quadrant, 'XLRE has 4 years by then').not.toBeNull();
  });
});
