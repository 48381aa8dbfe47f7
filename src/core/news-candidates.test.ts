import { describe, expect, it } from 'vitest';
import type { TradingDate } from '../shared/brand.js';
import { Quadrant, type RrgMember, type RrgPoint } from './rrg.js';
import {
  leadingMoves,
  percentileUnusualness,
  sectorLeadingNews,
  zScoreUnusualness,
} from './news-candidates.js';

const weeks = ['2026-01-02', '2026-01-09', '2026-01-16', '2026-01-23', '2026-01-30'] as TradingDate[];

const point = (date: TradingDate, ratio: number, momentum: number): RrgPoint =>
  ({ date, rs: 1, ratio, momentum, quadrant: null }) as unknown as RrgPoint;

/** A member whose tail is `coords` on the five weeks, with the transitions core/rrg would list. */
function member(symbol: string, coords: [number, number][]): RrgMember {
  const tail = coords.map(([r, m], i) => point(weeks[i] as TradingDate, r, m));
  const q = (r: number, m: number) =>
    r >= 100
      ? m >= 100
        ? Quadrant.Leading
        : Quadrant.Weakening
      : m >= 100
        ? Quadrant.Improving
        : Quadrant.Lagging;
  const transitions = tail.slice(1).flatMap((p, i) => {
    const prev = tail[i] as RrgPoint;
    const from = q(prev.ratio!, prev.momentum!);
    const to = q(p.ratio!, p.momentum!);
    return from === to ? [] : [{ date: p.date, from, to }];
  });
  return {
    symbol,
    latest: tail.at(-1) ?? null,
    quadrant: null,
    quadrantSince: null,
    quadrantSinceStart: false,
    tail,
    transitions,
    periods: tail.length,
    periodsNeeded: 1,
  };
}

describe('sector news: entering or leaving Leading, against every earlier week', () => {
  // AAA enters Leading in week 2 (clearing the 0.25 band) and again in week 5; BBB crosses by 0.1 in week 3 (noise)
  const members = [
    member('AAA', [
      [99, 101],
      [101, 101],
      [99, 101],
      [99, 101],
      [101, 102],
    ]),
    member('BBB', [
      [99, 99],
      [99, 99],
      [100.1, 101],
      [99, 99],
      [99, 99],
    ]),
  ];

  it('counts only moves that clear the hysteresis band', () => {
    const m = leadingMoves(members);
    expect(m.filter((x) => x.entered).map((x) => `${x.symbol} ${x.date}`)).toEqual([
      'AAA 2026-01-09',
      'AAA 2026-01-30',
    ]);
  });

  it('scores this week’s entry by the share of earlier weeks with none (1 of 4 had one: 0.75)', () => {
    const news = sectorLeadingNews(members, '2026-01-30' as TradingDate);
    expect(news).toHaveLength(1);
    expect(news[0]).toMatchObject({ entered: true, score: 0.75, historyN: 4, firstWeek: '2026-01-02' });
    expect(news[0]?.moves.map((x) => x.symbol)).toEqual(['AAA']);
  });

  it('scores a week’s exit the same way: BBB leaves in week 4, AAA left in week 3 of 3 earlier weeks', () => {
    const news = sectorLeadingNews(members, '2026-01-23' as TradingDate);
    expect(news.map((x) => [x.entered, x.moves.map((m) => m.symbol), x.historyN])).toEqual([
      [false, ['BBB'], 3],
    ]);
    expect(news[0]?.score).toBeCloseTo(2 / 3, 12);
  });

  it('has no news in the first week: nothing to compare with', () => {
    expect(sectorLeadingNews(members, '2026-01-02' as TradingDate)).toEqual([]);
  });
});

describe('z-score unusualness', () => {
  it('is the share of a normal distribution within ±|z|', () => {
    expect(zScoreUnusualness(0)).toBeCloseTo(0, 6);
    expect(zScoreUnusualness(1.96)).toBeCloseTo(0.95, 3);
    expect(zScoreUnusualness(-1)).toBeCloseTo(0.6827, 3);
  });
});

describe('percentile unusualness', () => {
  it('is one minus the doubled tail at least as extreme: the top of 52 scores 1 − 2/52, the bottom the same', () => {
    expect(percentileUnusualness(1, 52)).toBeCloseTo(1 - 2 / 52, 12);
    expect(percentileUnusualness(1 / 52, 52)).toBeCloseTo(1 - 2 / 52, 12);
    expect(percentileUnusualness(26 / 52, 52)).toBeCloseTo(0, 12);
  });
});
