import { describe, expect, it } from 'vitest';
import type { TradingDate } from '../shared/brand.js';
import {
  extremes,
  extremeWithin,
  historicalRate,
  leadChanges,
  magnitudeRank,
  NEWS_THRESHOLD,
  raceNews,
  spreadMove,
  yearPaths,
  type YearPath,
} from './race-history.js';
import { wilsonInterval } from './stats.js';

const D = (s: string) => s as TradingDate;

/** A path from a list of spreads (A's returns = the spreads, B flat), dated 2026-01-02 onwards by index. */
function path(spreads: number[], year = 2026): YearPath {
  const dates = spreads.map((_, i) =>
    D(`${year}-${String(1 + Math.floor(i / 20)).padStart(2, '0')}-${String(1 + (i % 20)).padStart(2, '0')}`),
  );
  return { year, dates, retA: [...spreads], retB: spreads.map(() => 0), spread: [...spreads] };
}

describe('yearPaths', () => {
  it('measures each year from the last close of the previous year, and skips a year without one', () => {
    const dates = ['2024-12-30', '2024-12-31', '2025-01-02', '2025-01-03', '2026-01-02'].map(D);
    const a = [100, 100, 110, 121, 121];
    const b = [50, 50, 50, 55, 66];
    const [p25, p26, ...rest] = yearPaths(dates, a, b);
    expect(rest).toEqual([]);
    expect(p25?.year).toBe(2025);
    expect(p25?.spread[0]).toBeCloseTo(0.1, 12);
    expect(p25?.spread[1]).toBeCloseTo(0.21 - 0.1, 12);
    // 2026 starts from the 2025-01-03 close (the last of 2025 in the data)
    expect(p26?.retB[0]).toBeCloseTo(66 / 55 - 1, 12);
    expect(yearPaths(dates.slice(2), a.slice(2), b.slice(2)).map((p) => p.year)).toEqual([2026]);
  });
});

describe('leadChanges and extremes', () => {
  it('counts sign flips against the last non-zero sign, ignoring level sessions', () => {
    const p = path([0.01, 0, 0.02, -0.01, -0.03, 0, -0.01, 0.02]);
    expect(leadChanges(p).map((c) => [c.index, c.leader])).toEqual([
      [3, 'b'],
      [7, 'a'],
    ]);
    expect(leadChanges(path([0, 0.01, 0.02]))).toEqual([]);
    const e = extremes(p);
    expect(e.lead?.spread).toBe(0.02);
    expect(e.lead?.index).toBe(2);
    expect(e.deficit?.spread).toBe(-0.03);
  });

  it('finds the latest new high or low within a window of sessions', () => {
    const p = path([0.01, 0.03, 0.02, 0.02, 0.01]);
    expect(extremeWithin(p, 4, 3)).toBeNull();
    expect(extremeWithin(p, 4, 4)?.at.index).toBe(1);
    expect(extremeWithin(path([0.01, 0.02, -0.01]), 2, 1)?.side).toBe(-1);
  });

  it('measures a month move as the rolling spread of returns, not the change of the spread', () => {
    const p: YearPath = { ...path([0, 0, 0]), retA: [0, 0.1, 0.21], retB: [0, 0, 0] };
    expect(spreadMove(p, 2, 1)).toBeCloseTo(0.1, 12);
    expect(spreadMove(p, 1, 2)).toBeNull();
  });
});

describe('ranking the news', () => {
  it('ranks a magnitude against history and an event by how rarely it happened', () => {
    expect(magnitudeRank([0.01, -0.02, 0.03, 0.04], -0.035)).toBe(0.75);
    expect(magnitudeRank([], 1)).toBeNull();
    const quiet = path(Array.from({ length: 40 }, () => 0.01));
    expect(historicalRate([quiet], 0, (_p, i) => i % 4 === 0)).toEqual({ rate: 0.25, n: 40 });
  });

  it('puts a lead change first when earlier years rarely had one, and the standing when nothing is unusual', () => {
    const steady = Array.from({ length: 8 }, (_, y) =>
      path(
        Array.from({ length: 60 }, (_, i) => 0.001 * (i + 1)),
        2010 + y,
      ),
    );
    const flip = path([
      ...Array.from({ length: 50 }, () => 0.02),
      ...Array.from({ length: 10 }, () => -0.01),
    ]);
    const news = raceNews(steady, flip, 7);
    expect(news[0]?.kind, 'no earlier year had a lead change').toBe('lead-change');
    expect(news[0]?.score).toBe(1);
    expect(news.some((n) => n.kind === 'standing' && n.score === NEWS_THRESHOLD)).toBe(true);
    // the same steady path as every earlier year: nothing beats the threshold, the standing leads
    const dull = raceNews(
      steady,
      path(
        Array.from({ length: 60 }, (_, i) => 0.001 * (i + 1)),
        2026,
      ),
      7,
    );
    expect(dull[0]?.kind).toBe('standing');
  });

  it('tells a year-start story only in January, ranked against the earlier years’ year-start spreads', () => {
    const hist = [0.01, -0.02, 0.005, 0.03].map((s, y) =>
      path(
        Array.from({ length: 30 }, () => s),
        2020 + y,
      ),
    );
    const jan: YearPath = { ...path(Array.from({ length: 7 }, () => 0.025)) };
    const n = raceNews(hist, jan, 7);
    expect(n[0]).toMatchObject({ kind: 'year-start', score: 0.75, historyN: 4 });
  });
});

describe('wilsonInterval', () => {
  it('matches the published interval for 4 of 8 and stays inside [0, 1]', () => {
    // Wilson 95% for 4/8: 0.2152 to 0.7848 (e.g. Newcombe 1998, Statistics in Medicine 17, method 3).
    const w = wilsonInterval(4, 8)!;
    expect(w.low).toBeCloseTo(0.2152, 4);
    expect(w.high).toBeCloseTo(0.7848, 4);
    expect(wilsonInterval(0, 5)!.low).toBe(0);
    expect(wilsonInterval(5, 5)!.high).toBeLessThanOrEqual(1);
    expect(wilsonInterval(0, 0)).toBeNull();
  });
});
