import { describe, expect, it } from 'vitest';
import type { TradingDate } from '../../shared/brand.js';
import type { Bar, CorporateAction, Observation } from '../../shared/domain.js';
import { sessionsBetween } from '../calendar/calendar.js';
import { checkAdjustedRatio, checkJumps, splitFactor } from './bar-moves.js';
import { checkOhlc, checkOrder, checkValues, checkZeroVolume } from './bar-rows.js';
import { checkMissingSessions, checkNonSessionBars, checkStale, missingSessions } from './bar-sessions.js';
import { checkBars } from './check-bars.js';
import { closeBar } from '../../../test/support/bars.js';
import { checkObservations, periodStart } from './check-observations.js';

const d = (s: string) => s as TradingDate;
const bar = closeBar;
/** Bars on every session of [from, to] with a gently rising close. */
const run = (from: string, to: string, start = 100): Bar[] =>
  sessionsBetween(from, to).map((s, i) => bar(s, start * (1 + 0.001 * i)));

describe('order and duplicates', () => {
  it('duplicate-and-out-of-order: flags a repeated date and a row dated before the one above it', () => {
    const bars = [bar('2026-01-05', 1), bar('2026-01-06', 1), bar('2026-01-06', 1), bar('2026-01-02', 1)];
    const f = checkOrder('X', bars);
    expect(f.map((x) => [x.check, x.date])).toEqual([
      ['duplicates', '2026-01-06'],
      ['order', '2026-01-02'],
    ]);
  });

  it('says "none" for a clean, sorted series', () => {
    const r = checkBars('X', run('2026-01-02', '2026-01-30'), { asOf: d('2026-01-30') });
    expect(r.checks.find((c) => c.check === 'duplicates')?.summary).toBe('none');
    expect(r.checks.find((c) => c.check === 'order')?.severity).toBe('ok');
    expect(r.severity).toBe('ok');
    expect(r.findings).toEqual([]);
  });
});

describe('zero volume', () => {
  it('flags volume 0 after volume began (a pre-final snapshot), not before it', () => {
    // Early index history without volume (as in SPX.csv before the 1950s) is not a finding.
    const bars = [
      bar('2026-01-02', 10, { volume: 0 }),
      bar('2026-01-05', 10, { volume: 0 }),
      bar('2026-01-06', 10, { volume: 5_000 }),
      bar('2026-01-07', 10, { volume: 0 }),
      bar('2026-01-08', 10, { volume: 4_000 }),
    ];
    const f = checkZeroVolume('^RUT', bars);
    expect(f.map((x) => x.date)).toEqual(['2026-01-07']);
    expect(f[0]?.severity).toBe('warn');
    expect(checkZeroVolume('X', [bar('2026-01-02', 1), bar('2026-01-05', 1)]), 'no volume at all').toEqual(
      [],
    );
  });
});

describe('values and OHLC', () => {
  it('non-positive-close: a zero close and a negative volume are errors', () => {
    const f = checkValues('X', [
      bar('2026-01-02', 0),
      bar('2026-01-05', 10, { volume: -5 }),
      bar('2026-01-06', 10),
    ]);
    expect(f.map((x) => x.date)).toEqual(['2026-01-02', '2026-01-05']);
    expect(f.every((x) => x.severity === 'error')).toBe(true);
  });

  it('high-below-close: flags highs under the close and lows over the open', () => {
    const f = checkOhlc('X', [
      bar('2026-01-02', 10, { open: 9, high: 9.5, low: 8.9 }),
      bar('2026-01-05', 10, { open: 9, high: 10.2, low: 9.5 }),
      bar('2026-01-06', 10, { open: 9, high: 10.2, low: 8.5 }),
      bar('2026-01-07', 10, { open: null, high: null, low: null }),
    ]);
    expect(f.map((x) => [x.date, x.detail])).toEqual([
      ['2026-01-02', 'high 9.5 < close 10'],
      ['2026-01-05', 'low 9.5 > open 9'],
    ]);
  });
});

describe('calendar checks', () => {
  it('missing-first-day: a series missing 2026-01-05 has one missing session', () => {
    const bars = run('2026-01-02', '2026-01-16').filter((b) => b.date !== '2026-01-05');
    expect(missingSessions(bars)).toEqual(['2026-01-05']);
    expect(checkMissingSessions('X', bars).map((f) => f.detail)).toEqual(['no bar for session 2026-01-05']);
  });

  it('long-gap: a run of missing sessions across a holiday is one long gap', () => {
    // 2026-01-12..2026-01-23 without bars: 9 sessions (MLK Day 2026-01-19 is no session, so not missing).
    const bars = run('2026-01-02', '2026-02-06').filter(
      (b) => b.date < '2026-01-12' || b.date > '2026-01-23',
    );
    const f = checkMissingSessions('X', bars);
    expect(f.map((x) => x.detail)).toEqual(['long gap: 9 sessions without a bar, 2026-01-12..2026-01-23']);
  });

  it('holiday-bar: a bar on Good Friday and one on a Saturday are non-session bars', () => {
    const bars = [...run('2026-03-30', '2026-04-10'), bar('2026-04-03', 100), bar('2026-04-04', 100)];
    const f = checkNonSessionBars('X', bars);
    expect(f.map((x) => x.detail)).toEqual([
      'bar on 2026-04-03, not an NYSE session (Good Friday)',
      'bar on 2026-04-04, not an NYSE session (Saturday)',
    ]);
  });

  it('pre-1980 bars are not held against the calendar, and say so', () => {
    const bars = [bar('1979-12-28', 100), bar('1979-12-29', 100), ...run('1980-01-02', '1980-01-10')];
    const r = checkBars('X', bars, { asOf: d('1980-01-10') });
    expect(r.findings.map((f) => [f.check, f.severity])).toEqual([['coverage', 'info']]);
    expect(r.checks[0]?.summary).toMatch(/2 outside the calendar's 1980–2030, not calendar-checked/);
    expect(r.severity).toBe('ok');
  });

  it('stale-series: the last bar 6 sessions before the as-of date is stale at the default limit of 5', () => {
    const bars = run('2026-01-02', '2026-01-09');
    // Sessions after 2026-01-09 up to 2026-01-20: 12, 13, 14, 15, 16, 20 (19th is MLK Day) = 6.
    expect(checkStale('X', bars, d('2026-01-20')).map((f) => f.detail)).toEqual([
      'last bar 2026-01-09 is 6 sessions before the as-of date 2026-01-20 (limit 5)',
    ]);
    expect(checkStale('X', bars, d('2026-01-16'))).toEqual([]);
    expect(checkStale('X', bars, d('2026-01-20'), 6)).toEqual([]);
  });
});

describe('jumps and splits', () => {
  it('reads ratios near 1/k or k as splits', () => {
    expect(splitFactor(0.5)).toEqual({ k: 2, reverse: false });
    expect(splitFactor(0.51)).toEqual({ k: 2, reverse: false });
    expect(splitFactor(1 / 3)).toEqual({ k: 3, reverse: false });
    expect(splitFactor(0.1)).toEqual({ k: 10, reverse: false });
    expect(splitFactor(4.1)).toEqual({ k: 4, reverse: true });
    expect(splitFactor(0.6)).toBeNull();
    expect(splitFactor(1.3)).toBeNull();
  });

  it('unadjusted-2-for-1-split: a close that halves overnight is a suspected unadjusted split', () => {
    const bars = [
      bar('2026-01-02', 200),
      bar('2026-01-05', 201),
      bar('2026-01-06', 100.6),
      bar('2026-01-07', 101),
    ];
    const f = checkJumps('X', bars);
    expect(f).toHaveLength(1);
    // Only suspected (warn): prices alone cannot tell a split from a real halving.
    expect(f[0]).toMatchObject({ check: 'jumps', severity: 'warn', date: '2026-01-06' });
    expect(f[0]?.detail).toMatch(/^suspected unadjusted 2:1 split: close moved -50\.0%/);
    const split: CorporateAction = {
      kind: 'split',
      symbol: 'X',
      date: d('2026-01-06'),
      ratio: 2,
      source: 'test',
    };
    const confirmed = checkJumps('X', bars, 0.25, [split]);
    expect(confirmed[0]).toMatchObject({ severity: 'error', date: '2026-01-06' });
    expect(confirmed[0]?.detail).toMatch(/^unadjusted 2:1 split: .* on a stored split date$/);
  });

  it('split-in-raw-close-only: a split the adj_close accounts for is info, not an error', () => {
    const bars = [bar('2026-01-05', 201, { adjClose: 100.5 }), bar('2026-01-06', 100.6, { adjClose: 100.6 })];
    const f = checkJumps('X', bars);
    expect(f.map((x) => x.severity)).toEqual(['info']);
    expect(f[0]?.detail).toMatch(/2:1 split the adjusted series accounts for/);
  });

  it('crash-day: a -30% move that matches no split ratio is a warning (threshold 25%)', () => {
    const f = checkJumps('X', [bar('1987-10-16', 100), bar('1987-10-19', 70)]);
    expect(f.map((x) => [x.severity, x.detail])).toEqual([
      ['warn', 'close moved -30.0% (1987-10-16 -> 1987-10-19)'],
    ]);
    expect(checkJumps('X', [bar('1987-10-16', 100), bar('1987-10-19', 70)], 0.35)).toEqual([]);
  });

  it('reverse-split: a close that jumps 10x is a suspected 1:10 reverse split', () => {
    const f = checkJumps('X', [bar('2026-01-05', 1.02), bar('2026-01-06', 10.1)]);
    expect(f[0]?.detail).toMatch(/suspected unadjusted 1:10 reverse split/);
  });
});

describe('adjusted vs raw close', () => {
  // A dividend of 1.00 on 2026-01-07 with close ~100: back-adjusted closes before it are scaled by 0.99.
  const bars = [
    bar('2026-01-05', 100, { adjClose: 99 }),
    bar('2026-01-06', 101, { adjClose: 99.99 }),
    bar('2026-01-07', 100, { adjClose: 100 }),
    bar('2026-01-08', 102, { adjClose: 102 }),
  ];

  it('ordinary-dividend: a 1% ratio change stays below the 2% default and is not flagged', () => {
    const r = checkAdjustedRatio('X', bars);
    expect(r.findings).toEqual([]);
    expect(r.firstRatio).toBeCloseTo(0.99, 12);
    expect(r.lastRatio).toBe(1);
    expect(r.drift).toBeCloseTo(1 / 0.99 - 1, 12);
  });

  it('broken-adjustment: a ratio jump beyond the threshold with no known action is flagged', () => {
    const r = checkAdjustedRatio('X', bars, 0.005);
    expect(r.findings.map((f) => f.date)).toEqual(['2026-01-07']);
    expect(r.findings[0]?.detail).toMatch(/changed \+1\.0% \(0\.9900 -> 1\.0000\)/);
  });

  it('known-dividend: the same jump on a stored dividend date is expected', () => {
    const actions: CorporateAction[] = [
      { kind: 'dividend', symbol: 'X', date: d('2026-01-07'), amount: 1, source: 'test' },
    ];
    expect(checkAdjustedRatio('X', bars, 0.005, actions).findings).toEqual([]);
  });
});

describe('checkBars', () => {
  it('rolls the worst finding up to the symbol and keeps every finding', () => {
    const bars = [...run('2026-01-02', '2026-01-30'), bar('2026-01-19', 100)];
    bars.push(bar('2026-02-02', (bars[bars.length - 2] as Bar).close / 2));
    const r = checkBars('X', bars, { asOf: d('2026-02-02') });
    expect(r.severity).toBe('error');
    const byCheck = Object.fromEntries(r.checks.map((c) => [c.check, c.severity]));
    expect(byCheck).toMatchObject({
      'non-session-bars': 'warn',
      jumps: 'warn',
      order: 'error',
      duplicates: 'ok',
      stale: 'ok',
    });
    // The holiday bar was appended after 2026-01-30, so it is also out of order.
    expect(r.findings.map((f) => f.check).sort()).toEqual(['jumps', 'non-session-bars', 'order']);
  });
});

describe('observations', () => {
  const obs = (period: string, value = 1): Observation => ({
    series: 'CPI',
    period,
    value,
    unit: 'index',
    asOf: d('2026-01-01'),
    source: 'test',
  });

  it('reads period labels as their first day', () => {
    expect(periodStart('2025-09-01')).toBe('2025-09-01');
    expect(periodStart('2025-09')).toBe('2025-09-01');
    expect(periodStart('2025Q4')).toBe('2025-10-01');
    expect(periodStart('2026')).toBe('2026-01-01');
    expect(periodStart('FY26')).toBeNull();
  });

  it('monthly-series-stale: a monthly series last at 2025-09 is stale by 2026-02-01 but not 2025-11-15', () => {
    const series = ['2025-05-01', '2025-06-01', '2025-07-01', '2025-08-01', '2025-09-01'].map((p) => obs(p));
    // Median spacing 31 days -> allowance 2*31 + 45 = 107 days.
    const late = checkObservations('CPI', series, { asOf: d('2026-02-01') });
    expect(late.severity).toBe('warn');
    expect(late.findings[0]?.detail).toBe(
      'last period 2025-09-01 is 153 days before 2026-02-01 (allowed 107 for a ~31-day series)',
    );
    expect(checkObservations('CPI', series, { asOf: d('2025-11-15') }).severity).toBe('ok');
  });
});
