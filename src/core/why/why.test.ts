import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { earningsWeightedGrowth, estimateRevision, growthSpread } from './earnings.js';
import { flowSummary, techVsRest } from './flows.js';
import { policyPath, surprise, yearOverYear, yieldCurve } from './macro.js';
import { inferCadence, knownAtOf, releaseRule, staleNote, staleness } from './known-at.js';
import { positioningReading } from './positioning.js';
import { cotReleaseDate, federalHolidays, nextMacroEvents, releaseListsEnding } from './macro-calendar.js';
import { inRollWindow, sessionMove, thirdFriday } from './futures.js';
import type { Point } from './fact.js';
import { addDays } from '../../shared/dates.js';

/** n weekly dates starting on Wednesday 2024-01-03 (calendar arithmetic, no clock or time zone). */
function weeks(n: number, start = '2024-01-03'): string[] {
  return Array.from({ length: n }, (_, i) => addDays(start, 7 * i) as string);
}

describe('estimateRevision', () => {
  // The BofA story of the week of 2026-01-12: non-tech Q4 2025 growth cut from +9% to +1%.
  const v = [
    { value: 0.09, asOf: '2025-09-30' },
    { value: 0.01, asOf: '2026-01-12' },
  ];
  it('measures the cut between the first and latest vintage known', () => {
    const r = estimateRevision(v, '2026-01-12');
    expect(r?.from.value).toBe(0.09);
    expect(r?.to.value).toBe(0.01);
    expect(r?.change).toBeCloseTo(-0.08, 12);
  });
  it('never looks ahead: before the second vintage there is no revision', () => {
    expect(estimateRevision(v, '2026-01-11'), 'only one vintage known on 2026-01-11').toBeNull();
  });
  it('orders vintages by date whatever the input order', () => {
    expect(estimateRevision([...v].reverse(), '2026-12-31')?.from.asOf).toBe('2025-09-30');
  });
});

describe('earningsWeightedGrowth', () => {
  it('equals the growth of combined earnings', () => {
    // Two groups: 100 growing 20% and 300 growing 1% -> (120 + 303) / 400 - 1 = 5.75%.
    const g = earningsWeightedGrowth([
      { group: 'tech', growth: 0.2, baseEarnings: 100 },
      { group: 'ex-tech', growth: 0.01, baseEarnings: 300 },
    ]);
    expect(g).toBeCloseTo(0.0575, 12);
  });
  it('returns null without positive base earnings', () => {
    expect(earningsWeightedGrowth([])).toBeNull();
    expect(earningsWeightedGrowth([{ group: 'a', growth: 0.1, baseEarnings: -5 }])).toBeNull();
  });
  it('lies between the smallest and largest growth (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            growth: fc.double({ min: -1, max: 2, noNaN: true }),
            baseEarnings: fc.double({ min: 0.01, max: 1e6, noNaN: true }),
          }),
          { minLength: 1, maxLength: 11 },
        ),
        (parts) => {
          const g = earningsWeightedGrowth(parts.map((p, i) => ({ group: String(i), ...p }))) as number;
          const gs = parts.map((p) => p.growth);
          return g >= Math.min(...gs) - 1e-9 && g <= Math.max(...gs) + 1e-9;
        },
      ),
    );
  });
  it('spread is a minus b', () => {
    expect(growthSpread(0.3, 0.09)).toBeCloseTo(0.21, 12);
  });
});

describe('flowSummary', () => {
  const dates = weeks(60);
  const values = dates.map((_, i) => (i % 2 === 0 ? 1e9 : -1e9));
  it('sums the last 4 weeks and finds the largest inflow since a date', () => {
    const pts: Point[] = dates.map((d, i) => ({ period: d, value: values[i] as number }));
    pts[10] = { period: dates[10] as string, value: 5e9 };
    pts[59] = { period: dates[59] as string, value: 4e9 };
    const s = flowSummary(pts, '2099-01-01');
    expect(s?.week).toBe(dates[59]);
    expect(s?.sum4w).toBeCloseTo(1e9 - 1e9 + 1e9 + 4e9, 0);
    expect(s?.largestSince, 'week 10 had a larger inflow').toBe(dates[10]);
  });
  it('z-scores the week against the 52 weeks before it', () => {
    const pts: Point[] = dates.map((d, i) => ({ period: d, value: values[i] as number }));
    const last = pts.length - 1;
    pts[last] = { period: dates[last] as string, value: 3e9 };
    // Prior 52 weeks alternate ±1e9: mean 0, sample sd = sqrt(52/51)·1e9.
    const z = flowSummary(pts, '2099-01-01')?.z52 as number;
    expect(z).toBeCloseTo(3 / Math.sqrt(52 / 51), 10);
  });
  it('has no z-score with fewer than 52 prior weeks and ignores weeks after as-of', () => {
    const pts: Point[] = dates.map((d, i) => ({ period: d, value: values[i] as number }));
    expect(flowSummary(pts, dates[51] as string)?.z52).toBeNull();
    expect(flowSummary(pts, dates[51] as string)?.week).toBe(dates[51]);
    expect(flowSummary(pts, '2000-01-01')).toBeNull();
  });
  it('reads only the run of weeks without a gap that ends at the latest week', () => {
    // 60 weeks, then 30 weeks nobody stored, then 5 weeks (two sources under one series id, as the old ICI CSV and
    // ICI's workbook): the week's inflow is below week 10's, which lies before the gap.
    const pts: Point[] = dates.map((d, i) => ({ period: d, value: i === 10 ? 9e9 : (values[i] as number) }));
    const later = weeks(95).slice(90);
    const run = [1e9, 2e9, -1e9, 1e9, 3e9].map((value, i) => ({ period: later[i] as string, value }));
    const s = flowSummary([...pts, ...run], '2099-01-01');
    expect(s?.week).toBe(later[4]);
    expect(s?.largestSince, 'no claim across the weeks not stored').toBeNull();
    expect(s?.recordSince).toBe(later[0]);
    expect(s?.gapAfter).toBe(dates[59]);
    expect(s?.sum4w, 'the 4 weeks of the run').toBe(5e9);
    expect(s?.z52, '5 weeks are no 52-week baseline').toBeNull();
    // A holiday week ending on a Tuesday (8 days to the next Wednesday) is no gap.
    const holiday = flowSummary(
      [
        { period: '2025-12-17', value: 1 },
        { period: '2025-12-23', value: 2 },
        { period: '2025-12-30', value: 3 },
        { period: '2026-01-07', value: 4 },
      ],
      '2026-01-07',
    );
    expect(holiday?.gapAfter).toBeNull();
    expect(holiday?.sum4w).toBe(10);
  });
  it('reports an outflow record as null largestSince', () => {
    const pts: Point[] = [
      { period: '2026-01-07', value: -2 },
      { period: '2026-01-14', value: -5 },
    ];
    const s = flowSummary(pts, '2026-01-14');
    expect(s?.largestSince).toBeNull();
    expect(s?.recordSince).toBe('2026-01-07');
  });
  it('splits tech from the rest', () => {
    const t = techVsRest(
      [
        { group: 'sector:tech', value: -0.9e9 },
        { group: 'sector:ex-tech', value: 8.3e9 },
      ],
      (g) => g === 'sector:tech',
    );
    expect(t).toEqual({ tech: -0.9e9, rest: 8.3e9, difference: -9.2e9 });
  });
});

describe('positioningReading', () => {
  const dates = weeks(60);
  it('is 100 at a 52-week high and says since when', () => {
    const vals = dates.map((_, i) => i); // rising: each week a new high
    vals[3] = 1000; // an old high outside the 52-week window (weeks 8..59)
    vals[59] = 500;
    const r = positioningReading(
      dates.map((d, i) => ({ period: d, value: vals[i] as number })),
      '2099-01-01',
    );
    expect(r?.index).toBe(100);
    expect(r?.percentile).toBe(100);
    expect(r?.highestSince, 'week 3 was higher').toBe(dates[3]);
    expect(r?.window.readings).toBe(52);
  });
  it('is 0 at a record low', () => {
    const vals = dates.map((_, i) => 100 - i);
    const r = positioningReading(
      dates.map((d, i) => ({ period: d, value: vals[i] as number })),
      '2099-01-01',
    );
    expect(r?.index).toBe(0);
    expect(r?.recordLow).toBe(true);
    expect(r?.lowestSince).toBeNull();
  });
  it('needs a full look-back', () => {
    expect(
      positioningReading(
        dates.slice(0, 51).map((d) => ({ period: d, value: 1 })),
        '2099-01-01',
      ),
    ).toBeNull();
  });
  it('is unchanged by a positive affine rescaling (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -1e6, max: 1e6 }), { minLength: 52, maxLength: 60 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: -1e6, max: 1e6 }),
        (xs, a, b) => {
          const p = (f: (x: number) => number) =>
            positioningReading(
              xs.map((x, i) => ({ period: dates[i] as string, value: f(x) })),
              '2099-01-01',
            );
          const r1 = p((x) => x);
          const r2 = p((x) => a * x + b);
          if (r1?.index === null) return r2?.index === null;
          return (
            Math.abs((r1?.index as number) - (r2?.index as number)) < 1e-9 &&
            r1?.percentile === r2?.percentile
          );
        },
      ),
    );
  });
  it('stays within 0..100 (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e9, max: 1e9, noNaN: true }), { minLength: 52, maxLength: 60 }),
        (xs) => {
          const r = positioningReading(
            xs.map((x, i) => ({ period: dates[i] as string, value: x })),
            '2099-01-01',
          );
          return (
            r !== null &&
            (r.index === null || (r.index >= 0 && r.index <= 100)) &&
            r.percentile > 0 &&
            r.percentile <= 100
          );
        },
      ),
    );
  });
});

describe('macro', () => {
  it('computes year over year from index levels and skips months without a base', () => {
    const yoy = yearOverYear([
      { period: '2021-06-01', value: 271.696 },
      { period: '2022-05-01', value: 292.296 },
      { period: '2022-06-01', value: 296.311 },
    ]);
    expect(yoy.map((p) => p.period)).toEqual(['2022-06-01']);
    expect(yoy[0]?.value).toBeCloseTo(296.311 / 271.696 - 1, 12);
  });
  it('surprise is actual minus consensus', () => {
    expect(surprise(0.029, 0.027)).toBeCloseTo(0.002, 12);
  });
  it('counts cuts on a target-rate step series', () => {
    // Upper target 2024: 5.50 until 2024-09-18, 5.00, 4.75 (2024-11-08), 4.50 (2024-12-19) — FOMC statements.
    const path = policyPath(
      [
        { period: '2023-07-27', value: 5.5 },
        { period: '2024-09-19', value: 5.0 },
        { period: '2024-11-08', value: 4.75 },
        { period: '2024-12-19', value: 4.5 },
      ],
      '2024-12-31',
    );
    expect(path?.from.value).toBe(5.5);
    expect(path?.change).toBeCloseTo(-1, 12);
    expect(path?.cuts).toBe(3);
    expect(path?.hikes).toBe(0);
  });
  it('reads 10y, 2y and the spread on the latest common date', () => {
    const c = yieldCurve(
      [
        { period: '2026-01-08', value: 4.18 },
        { period: '2026-01-09', value: 4.17 },
      ],
      [{ period: '2026-01-08', value: 3.49 }],
      '2026-01-12',
    );
    expect(c?.date).toBe('2026-01-08');
    expect(c?.spread).toBeCloseTo(0.69, 12);
  });
});

describe('known-at dates and staleness', () => {
  it('dates CPI months by the BLS calendar, else the last day of the following month', () => {
    // BLS: November 2025 CPI published 2025-12-18 (after the lapse), December 2025 on 2026-01-13.
    expect(releaseRule('CPI-U_NSA_cpiai:Index')?.knownAt('2025-11-01')).toBe('2025-12-18');
    expect(releaseRule('CUUR0000SA0')?.knownAt('2025-12-01')).toBe('2026-01-13');
    expect(releaseRule('CPIAUCSL')?.knownAt('1995-03-01'), 'fallback bound').toBe('1995-04-30');
  });

  it('dates the jobs report by the BLS rule plus a week when the month is not listed', () => {
    // July 2026: the week containing the 12th ends Saturday 2026-07-18; third Friday after is 2026-08-07.
    expect(releaseRule('UNRATE')?.knownAt('2026-07-01')).toBe('2026-08-07');
    // November 2026 is listed (BLS 2026 schedule: 2026-12-04, the rule's day without the week added).
    expect(releaseRule('PAYEMS')?.knownAt('2026-11-01')).toBe('2026-12-04');
    // December 2026 (not listed): Saturday 2026-12-12, third Friday after 2027-01-01 (New Year), plus a week.
    expect(releaseRule('PAYEMS')?.knownAt('2026-12-01')).toBe('2027-01-08');
  });

  it('uses a publication vintage for series without a rule, and a cadence lag without one', () => {
    const row = { series: 'earnings:sp500:tech:growth_yoy', period: '2025Q4', asOf: '2026-01-09' };
    expect(knownAtOf({ ...row, vintage: 'publication', cadence: null })).toBe('2026-01-09');
    const monthly = { series: 'my-series', period: '2026-01-01', asOf: '2026-01-01' };
    expect(knownAtOf({ ...monthly, vintage: 'none', cadence: 'monthly' })).toBe('2026-03-08');
    expect(knownAtOf({ ...monthly, knownAt: '2026-02-03', vintage: 'none', cadence: 'monthly' })).toBe(
      '2026-02-03',
    );
  });

  it('infers cadence from the median gap between dated periods', () => {
    expect(inferCadence(['2026-01-05', '2026-01-12', '2026-01-19'])).toBe('weekly');
    expect(inferCadence(['2026-01-01', '2026-02-01', '2026-03-01'])).toBe('monthly');
    expect(inferCadence(['2026-01-01'])).toBeNull();
  });

  it('labels a figure stale when it is older than its cadence allows', () => {
    expect(staleness('2020-12-29', '2026-01-12', 'weekly').stale).toBe(true);
    expect(staleness('2025-12-29', '2026-01-12', 'weekly').stale).toBe(false);
    expect(staleness('2025-09-01', '2026-07-31', 'monthly').stale).toBe(true);
    expect(staleness('2025-11-01', '2026-01-12', 'monthly').stale).toBe(false);
    expect(staleness('2026-01-05', '2026-01-12', 'daily', 5).stale, '5 sessions behind').toBe(true);
    expect(staleness('2026-01-08', '2026-01-12', 'daily', 2).stale).toBe(false);
    expect(staleNote(staleness('2020-12-29', '2026-01-12', 'weekly'))).toMatch(
      /^stale: last reading 2020-12-29/,
    );
  });
});

describe('nextMacroEvents', () => {
  it('names the next FOMC decision and CPI release after the as-of date, from the sourced lists', () => {
    const ev = nextMacroEvents('2026-01-12');
    expect(ev.find((e) => e.kind === 'fomc')).toMatchObject({ status: 'scheduled', date: '2026-01-28' });
    expect(ev.find((e) => e.kind === 'cpi')).toMatchObject({
      status: 'scheduled',
      date: '2026-01-13',
      reference: '2025-12',
    });
    expect(
      ev.find((e) => e.kind === 'jobs'),
      'on 2026-01-12 the January report was still due on 2026-02-06',
    ).toMatchObject({ status: 'scheduled', date: '2026-02-06' });
  });
  it('names the January 2026 releases as scheduled on the as-of day: first dates, then the revised ones', () => {
    const ev = nextMacroEvents('2026-01-20');
    expect(ev.find((e) => e.kind === 'cpi')).toMatchObject({ date: '2026-02-11', reference: '2026-01' });
    expect(ev.find((e) => e.kind === 'jobs')).toMatchObject({ date: '2026-02-06', reference: '2026-01' });
    const after = nextMacroEvents('2026-02-04');
    expect(
      after.find((e) => e.kind === 'cpi'),
      'BLS announced the move on 2026-02-04',
    ).toMatchObject({
      date: '2026-02-13',
    });
    expect(after.find((e) => e.kind === 'jobs')).toMatchObject({ date: '2026-02-11' });
    expect(nextMacroEvents('2026-02-13').find((e) => e.kind === 'cpi')).toMatchObject({ date: '2026-03-11' });
    const jul = nextMacroEvents('2026-07-31');
    expect(jul.find((e) => e.kind === 'cpi')).toMatchObject({ date: '2026-08-12', reference: '2026-07' });
    expect(jul.find((e) => e.kind === 'jobs')).toMatchObject({ date: '2026-08-07', reference: '2026-07' });
    expect(
      nextMacroEvents('2026-07-01').find((e) => e.kind === 'jobs'),
      'Thursday, before July 3',
    ).toMatchObject({
      date: '2026-07-02',
    });
  });
  it('names the next CPI and jobs report on 2026-12-02 (BLS 2026 schedule), and past the lists says they end', () => {
    const dec = nextMacroEvents('2026-12-02');
    expect(dec.find((e) => e.kind === 'cpi')).toMatchObject({
      status: 'scheduled',
      date: '2026-12-10',
      reference: '2026-11',
    });
    expect(dec.find((e) => e.kind === 'jobs')).toMatchObject({
      status: 'scheduled',
      date: '2026-12-04',
      reference: '2026-11',
    });
    expect(dec.find((e) => e.kind === 'fomc')).toMatchObject({ status: 'scheduled', date: '2026-12-09' });
    expect(nextMacroEvents('2026-11-10').find((e) => e.kind === 'jobs')).toMatchObject({
      date: '2026-12-04',
    });
  });
  it('does not skip an event the lists do not hold: past the CPI list it says so instead of guessing', () => {
    expect(nextMacroEvents('2026-12-10').find((e) => e.kind === 'cpi')).toMatchObject({
      status: 'not-in-calendar',
      through: '2026-12-10',
      url: 'https://www.bls.gov/schedule/news_release/cpi.htm',
    });
    expect(nextMacroEvents('2026-12-04').find((e) => e.kind === 'jobs')).toMatchObject({
      status: 'not-in-calendar',
      through: '2026-12-04',
    });
    expect(nextMacroEvents('2019-06-01').find((e) => e.kind === 'fomc')).toMatchObject({
      status: 'not-in-calendar',
    });
    expect(nextMacroEvents('2027-12-08').find((e) => e.kind === 'fomc')).toMatchObject({
      status: 'not-in-calendar',
    });
    expect(nextMacroEvents('2027-12-07').find((e) => e.kind === 'fomc')).toMatchObject({
      date: '2027-12-08',
    });
  });
});

describe('releaseListsEnding', () => {
  it('names the lists that end within 30 days of the as-of date, with the days left', () => {
    expect(releaseListsEnding('2026-10-01')).toEqual([]);
    expect(releaseListsEnding('2026-12-02').map((l) => [l.kind, l.through, l.daysLeft])).toEqual([
      ['cpi', '2026-12-10', 8],
      ['jobs', '2026-12-04', 2],
    ]);
    expect(releaseListsEnding('2027-01-15').map((l) => [l.kind, l.daysLeft])).toEqual([
      ['cpi', -36],
      ['jobs', -42],
    ]);
    expect(releaseListsEnding('2027-12-15').map((l) => l.kind)).toEqual(['fomc', 'cpi', 'jobs']);
  });
});

describe('CFTC Commitments of Traders release days', () => {
  it('observes federal holidays as 5 U.S.C. 6103 does', () => {
    const h = federalHolidays(2026);
    expect(h).toContain('2026-07-03'); // July 4 is a Saturday
    expect(h).toContain('2026-11-26'); // Thanksgiving, fourth Thursday
    expect(h).toContain('2026-05-25'); // Memorial Day, last Monday
    expect(h).toHaveLength(11);
    expect(federalHolidays(2020), 'no Juneteenth before 2021').toHaveLength(10);
  });
  it("matches the CFTC's 2024 schedule: Friday, or Monday after a Wednesday–Friday federal holiday", () => {
    // https://www.cftc.gov/MarketReports/CommitmentsofTraders/ReleaseSchedule (2024, * = delayed by a holiday)
    expect(cotReleaseDate('2024-01-09')).toBe('2024-01-12');
    expect(cotReleaseDate('2024-01-16'), 'MLK Day on the Monday before: no delay').toBe('2024-01-19');
    expect(cotReleaseDate('2024-06-18'), 'Juneteenth (Wed)').toBe('2024-06-24');
    expect(cotReleaseDate('2024-07-02'), 'Independence Day (Thu)').toBe('2024-07-08');
    expect(cotReleaseDate('2024-11-26'), 'Thanksgiving').toBe('2024-12-02');
    expect(cotReleaseDate('2024-12-24'), 'Christmas (Wed)').toBe('2024-12-30');
    expect(cotReleaseDate('2025-07-01'), 'Independence Day on the Friday').toBe('2025-07-07');
  });
  it('takes the 2025 catch-up dates as published and keeps a Tuesday holiday week on Friday', () => {
    expect(cotReleaseDate('2025-11-10'), 'Monday data for the Veterans Day Tuesday').toBe('2025-12-12');
    expect(cotReleaseDate('2026-01-13')).toBe('2026-01-20');
    expect(cotReleaseDate('2026-01-20'), 'back to normal').toBe('2026-01-23');
    expect(cotReleaseDate('2026-11-09'), 'Veterans Day 2026 is a Wednesday').toBe('2026-11-16');
    expect(cotReleaseDate('2024-11-11'), 'Veterans Day Monday data').toBe('2024-11-15');
  });
});

describe('index futures moves', () => {
  it('finds the third Friday and the roll window of the quarterly contracts', () => {
    // CME E-mini expiries: 2026-03-20 (third Friday of March 2026), 2025-12-19 (December 2025).
    expect(thirdFriday('2026-03')).toBe('2026-03-20');
    expect(thirdFriday('2025-12')).toBe('2025-12-19');
    expect(inRollWindow('2026-03-12'), 'the roll Thursday, 8 days before expiry').toBe(true);
    expect(inRollWindow('2026-03-11')).toBe(false);
    expect(inRollWindow('2026-02-12'), 'not a quarterly month').toBe(false);
  });
  it('gives points and percent from the previous close to the last close on or before as-of', () => {
    const closes = [
      { date: '2026-01-08', close: 6950 },
      { date: '2026-01-09', close: 7000 },
      { date: '2026-01-12', close: 7035 },
    ];
    const m = sessionMove(closes, '2026-01-09');
    expect(m).toMatchObject({ from: '2026-01-08', to: '2026-01-09', points: 50, nearRoll: false });
    expect(m?.change).toBeCloseTo(50 / 6950, 12);
    expect(sessionMove(closes.slice(0, 1), '2026-01-12'), 'one close has no move').toBeNull();
  });
});
