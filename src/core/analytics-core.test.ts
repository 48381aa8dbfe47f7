import { describe, expect, it } from 'vitest';
import type { TradingDate } from '../shared/brand.js';
import { UsageError } from '../shared/errors.js';
import { basketIndex } from './basket.js';
import { claimDefinitions, evaluateClaim, parseClaim } from './claim.js';
import { forwardOdds, parseHorizons } from './odds.js';
import { beatsPrecedents, extremePrecedents, MIN_SAMPLE } from './precedents.js';
import { race } from './race.js';
import { quantile } from './stats.js';
import { formatWindow, parseWindow, resolveWindow } from './window.js';

const d = (s: string) => s as TradingDate;
// Sessions around the 2025/2026 year end (NYSE: Jan 1 closed; Jan 2 first session).
const DATES = [
  '2025-12-29',
  '2025-12-30',
  '2025-12-31',
  '2026-01-02',
  '2026-01-05',
  '2026-01-06',
  '2026-01-07',
  '2026-01-08',
  '2026-01-09',
  '2026-01-12',
  '2026-01-30',
  '2026-02-02',
].map(d);

describe('window grammar', () => {
  it('parses every form and writes it back', () => {
    for (const t of [
      'ytd',
      'first:7',
      'jan',
      'dec',
      'q3',
      'range:2026-01-02..2026-03-31',
      'rolling:63',
      'year',
    ])
      expect(formatWindow(parseWindow(t))).toBe(t);
    expect(parseWindow('month:2')).toEqual({ kind: 'month', month: 2 });
    expect(parseWindow('FIRST:7')).toEqual({ kind: 'first', sessions: 7 });
  });
  it('refuses bad windows with the grammar as hint', () => {
    for (const t of [
      'first:0',
      'month:13',
      'range:2026-03-01..2026-01-01',
      'range:2026-02-30..2026-03-01',
      'week',
    ])
      expect(() => parseWindow(t), t).toThrow(UsageError);
    try {
      parseWindow('week');
    } catch (e) {
      expect((e as UsageError).hint).toMatch(/first:N/);
    }
  });
  it('first:N runs from the last close of the previous year to the N-th session', () => {
    expect(resolveWindow(parseWindow('first:7'), DATES, 2026)).toMatchObject({
      baseDate: '2025-12-31',
      endDate: '2026-01-12',
      sessions: 7,
      complete: true,
    });
    expect(
      resolveWindow(parseWindow('first:10'), DATES.slice(0, 8), 2026),
      'only 5 sessions known',
    ).toMatchObject({ sessions: 5, complete: false });
  });
  it('a month runs from the last close before it to its last close; complete once a later session exists', () => {
    expect(resolveWindow(parseWindow('jan'), DATES, 2026)).toMatchObject({
      baseDate: '2025-12-31',
      endDate: '2026-01-30',
      complete: true,
    });
    expect(
      resolveWindow(parseWindow('jan'), DATES.slice(0, 11), 2026)?.complete,
      'Jan 30 may not be the last January session',
    ).toBe(false);
  });
  it('returns null without a base close, and resolves rolling and ytd on the last date', () => {
    expect(resolveWindow(parseWindow('jan'), DATES.slice(3), 2026), 'no December close').toBeNull();
    expect(resolveWindow(parseWindow('rolling:2'), DATES)).toMatchObject({
      baseDate: '2026-01-12',
      endDate: '2026-02-02',
    });
    expect(resolveWindow(parseWindow('ytd'), DATES)).toMatchObject({
      baseDate: '2025-12-31',
      endDate: '2026-02-02',
      sessions: 9,
    });
  });
});

describe('race', () => {
  it('computes returns, spread and the ratio line from the base close', () => {
    const a = DATES.map((_, i) => 100 + i);
    const b = DATES.map(() => 50);
    const r = race(DATES, a, b, parseWindow('first:7'), 2026);
    expect(r?.retA).toBeCloseTo(109 / 102 - 1, 12);
    expect(r?.retB).toBe(0);
    expect(r?.winner).toBe('a');
    expect(r?.ratio.values[0]).toBe(1);
    expect(r?.ratio.values.at(-1)).toBeCloseTo(109 / 102, 12);
  });
});

describe('basket', () => {
  it('equal-weights members and holds units between rebalances', () => {
    const x = {
      symbol: 'X',
      dates: [d('2026-01-02'), d('2026-01-05'), d('2026-01-06')],
      values: [10, 20, 20],
    };
    const y = {
      symbol: 'Y',
      dates: [d('2026-01-02'), d('2026-01-05'), d('2026-01-06')],
      values: [10, 10, 5],
    };
    const q = basketIndex([x, y], { weighting: 'equal', rebalance: 'quarterly' });
    // 50 in each: X doubles (100), Y flat (50) -> 150; then Y halves -> 100 + 25
    expect(q.values).toEqual([100, 150, 125]);
    const daily = basketIndex([x, y], { weighting: 'equal', rebalance: 'daily' });
    // rebalanced at 150 to 75/75; then Y halves -> 75 + 37.5
    expect(daily.values).toEqual([100, 150, 112.5]);
  });
  it('a member listed later joins at the next rebalance', () => {
    const x = {
      symbol: 'X',
      dates: ['2026-03-30', '2026-03-31', '2026-04-01', '2026-04-02'].map(d),
      values: [10, 10, 10, 10],
    };
    const y = { symbol: 'Y', dates: ['2026-03-31', '2026-04-01', '2026-04-02'].map(d), values: [10, 20, 20] };
    const q = basketIndex([x, y], { weighting: 'equal', rebalance: 'quarterly' });
    expect(q.held).toEqual([1, 1, 2, 2]);
    expect(q.values).toEqual([100, 100, 150, 150]);
    const cap = basketIndex([x, y], { weighting: 'cap', weights: { X: 3, Y: 1 }, rebalance: 'quarterly' });
    expect(cap.values[2]).toBeCloseTo(125, 10);
  });
});

describe('precedents and odds', () => {
  // one session per year-end and three in January, 2010-2025: A beats B in the first 2 sessions in even years
  const dates: TradingDate[] = [];
  const a: number[] = [];
  const b: number[] = [];
  for (let y = 2009; y <= 2025; y++) {
    for (const md of ['-01-05', '-01-06', '-01-07', '-12-31']) {
      dates.push(d(`${y}${md}`));
      const lead = y % 2 === 0 ? 1.02 : 0.98;
      a.push(md === '-12-31' ? 100 : md === '-01-05' ? 100 : 100 * lead);
      b.push(100);
    }
  }
  it('lists every year it happened, the last one before, streaks, and flags small samples', () => {
    const p = beatsPrecedents(dates, a, b, { kind: 'beats', a: 'A', b: 'B', window: parseWindow('first:2') });
    expect(p.occurrences.map((o) => o.year)).toEqual([2010, 2012, 2014, 2016, 2018, 2020, 2022, 2024]);
    expect(p.tested).toBe(16);
    expect(p.latest).toMatchObject({ year: 2025, hit: false });
    expect(p.lastBefore?.year).toBe(2024);
    expect(p.streak).toEqual({ current: 0, longest: 1 });
    expect(p.sampleOk, `${MIN_SAMPLE} occurrences is enough`).toBe(true);
    const strict = beatsPrecedents(dates, a, b, {
      kind: 'beats',
      a: 'A',
      b: 'B',
      window: parseWindow('first:2'),
      minSpread: 0.05,
    });
    expect(strict.count).toBe(0);
    expect(strict.sampleOk).toBe(false);
  });
  it('evaluates first-since claims strictly', () => {
    const p = beatsPrecedents(dates, a, b, { kind: 'beats', a: 'A', b: 'B', window: parseWindow('first:2') });
    expect(evaluateClaim(p, 2024, 2022).status).toBe('holds');
    expect(evaluateClaim(p, 2024, 2020)).toMatchObject({ status: 'fails', lastBefore: 2022 });
    expect(evaluateClaim(p, 2025, null).status).toBe('fails');
    expect(evaluateClaim(p, 2030, null).status).toBe('no data');
    expect(evaluateClaim(p, 2024, 2005).status, 'data start 2010').toBe('fails');
  });
  it('forward odds count outcomes and pending cases', () => {
    const p = beatsPrecedents(dates, a, b, { kind: 'beats', a: 'A', b: 'B', window: parseWindow('first:2') });
    const [roy, one] = forwardOdds(dates, [a, b], p.occurrences, parseHorizons('rest-of-year,1d'));
    // after a lead of 2% the A leg goes back to 100 at year end: -1.96% each time
    expect(roy?.summary.n).toBe(8);
    expect(roy?.summary.hitRate).toBe(0);
    expect(roy?.summary.median).toBeCloseTo(100 / 102 - 1, 12);
    expect(one?.summary.n).toBe(8);
  });
  it('finds new highs as episodes and the last high before the current episode', () => {
    const vals = [1, 2, 3, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 4];
    const ds = vals.map((_, i) =>
      d(`2026-0${1 + Math.floor(i / 28)}-${String((i % 28) + 1).padStart(2, '0')}`),
    );
    const p = extremePrecedents(ds, vals, { kind: 'extreme', symbol: 'X', side: 'high', lookback: 2 });
    expect(p.occurrences.map((o) => o.index)).toEqual([2, 28]);
    expect(p.latest?.hit).toBe(true);
    expect(p.lastBefore?.index).toBe(2);
  });
  it('quantiles interpolate like numpy', () => {
    expect(quantile([1, 2, 3, 4], 0.25)).toBe(1.75);
    expect(quantile([], 0.5)).toBeNull();
  });
});

describe('claims', () => {
  it('reads the sentence form', () => {
    expect(
      parseClaim(
        'Russell 2000 beat Big Tech over the first 7 sessions of 2026 for the first time since 2019',
      ),
    ).toMatchObject({
      a: '^RUT',
      b: '^NDX',
      window: { kind: 'first', sessions: 7 },
      year: 2026,
      firstSince: 2019,
    });
    expect(parseClaim('Small caps outperformed the Magnificent 7 in January 2026.')).toMatchObject({
      a: '^RUT',
      b: 'MAG7',
      window: { kind: 'month', month: 1 },
      year: 2026,
      firstSince: null,
    });
    expect(parseClaim('IWM beat the Nasdaq-100 over the first 10 trading days')).toMatchObject({
      a: 'IWM',
      b: '^NDX',
      year: null,
    });
    expect(() => parseClaim('small caps are great')).toThrow(UsageError);
  });
  it('checks A and its twin, every Big Tech proxy, four year-start windows and two bases', () => {
    const defs = claimDefinitions(parseClaim('Russell 2000 beat Big Tech over the first 7 sessions of 2026'));
    expect(defs.length).toBe(2 * 4 * 4 * 2);
    expect(defs.filter((x) => x.asStated)).toHaveLength(1);
    expect(new Set(defs.map((x) => x.b))).toEqual(new Set(['^NDX', 'QQQ', 'XLK', 'MAG7']));
  });
});
