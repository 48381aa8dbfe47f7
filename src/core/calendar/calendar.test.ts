import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, dayOfWeek, epochDay, fromEpochDay } from '../../shared/dates.js';
import { SHARED_DATA, describeWithSharedData } from '../../../test/support/shared-data.js';
import {
  CALENDAR_RANGE,
  closeTime,
  earlyClosesBetween,
  easterSunday,
  holidayName,
  holidaysBetween,
  isSession,
  nextSession,
  nthSessionOfYear,
  previousSession,
  sessionIndexInYear,
  sessionsBetween,
  sessionsInYear,
} from './calendar.js';

describe('NYSE holidays', () => {
  it('lists the 2026 holidays NYSE published', () => {
    // Provenance: NYSE "Holidays & Trading Hours", 2026 column (Independence Day observed Friday July 3,
    // since July 4, 2026 is a Saturday).
    expect(holidaysBetween('2026-01-01', '2026-12-31').map((h) => h.date)).toEqual([
      '2026-01-01',
      '2026-01-19',
      '2026-02-16',
      '2026-04-03',
      '2026-05-25',
      '2026-06-19',
      '2026-07-03',
      '2026-09-07',
      '2026-11-26',
      '2026-12-25',
    ]);
    expect(holidayName('2026-07-03')).toBe('Independence Day (observed)');
    expect(holidayName('2026-04-03')).toBe('Good Friday');
  });

  it('does not close the Friday before a Saturday New Year (2021-12-31, 2010-12-31 traded)', () => {
    // Provenance: NYSE 2021/2022 holiday calendar ("New Year's Day 2022 falls on a Saturday: no holiday").
    expect(isSession('2021-12-31')).toBe(true);
    expect(isSession('2010-12-31')).toBe(true);
    expect(isSession('2022-01-03')).toBe(true);
    expect(holidaysBetween('2021-12-20', '2022-01-10').map((h) => h.date)).toEqual(['2021-12-24']);
  });

  it('moves Sunday holidays to Monday and Saturday ones to Friday', () => {
    // 2023-01-01 Sunday -> 2023-01-02; 2022-06-19 Sunday -> 2022-06-20 (first NYSE Juneteenth);
    // 2027-06-19 Saturday -> 2027-06-18; 2022-12-25 Sunday -> 2022-12-26; 2021-07-04 Sunday -> 2021-07-05.
    for (const d of ['2023-01-02', '2022-06-20', '2027-06-18', '2022-12-26', '2021-07-05'])
      expect(isSession(d), `${d} is an observed holiday`).toBe(false);
    expect(holidayName('2022-06-20')).toBe('Juneteenth (observed)');
  });

  it('starts MLK Day in 1998 and Juneteenth in 2022', () => {
    // 1997-01-20 was the third Monday of January and NYSE traded; 1998-01-19 was the first closure.
    expect(isSession('1997-01-20')).toBe(true);
    expect(isSession('1998-01-19')).toBe(false);
    expect(isSession('2021-06-18')).toBe(true);
  });

  it('closes Good Friday by the Easter computus', () => {
    // Easter dates from the Gregorian tables: 2019-04-21, 2024-03-31, 2025-04-20, 2038 not needed.
    expect(easterSunday(2019)).toBe('2019-04-21');
    expect(easterSunday(2024)).toBe('2024-03-31');
    expect(easterSunday(2025)).toBe('2025-04-20');
    expect(easterSunday(1981)).toBe('1981-04-19');
    expect(isSession('2024-03-29')).toBe(false);
  });

  it('knows the one-off closures', () => {
    const oneOffs = [
      ['1980-11-04', 'Presidential Election Day'],
      ['1985-09-27', 'Hurricane Gloria'],
      ['1994-04-27', 'National Day of Mourning for Richard Nixon'],
      ['2001-09-11', 'September 11 attacks'],
      ['2001-09-14', 'September 11 attacks'],
      ['2004-06-11', 'National Day of Mourning for Ronald Reagan'],
      ['2007-01-02', 'National Day of Mourning for Gerald Ford'],
      ['2012-10-29', 'Hurricane Sandy'],
      ['2012-10-30', 'Hurricane Sandy'],
      ['2018-12-05', 'National Day of Mourning for George H. W. Bush'],
      ['2025-01-09', 'National Day of Mourning for Jimmy Carter'],
    ] as const;
    for (const [d, name] of oneOffs) {
      expect(isSession(d), d).toBe(false);
      expect(holidayName(d), d).toBe(name);
    }
    expect(sessionsBetween('2001-09-10', '2001-09-17')).toEqual(['2001-09-10', '2001-09-17']);
  });
});

describe('sessions', () => {
  it('counts sessions per year', () => {
    // Provenance: counted from /work/shared/data/indices/SPX.csv (see the shared-data test below) and NYSE:
    // 2023 had 250 sessions, 2024 252, 2025 250 (Carter closure), 2026 251.
    expect(sessionsInYear(2023)).toBe(250);
    expect(sessionsInYear(2024)).toBe(252);
    expect(sessionsInYear(2025)).toBe(250);
    expect(sessionsInYear(2026)).toBe(251);
  });

  it('finds the nth session of a year', () => {
    // 2026: Jan 1 holiday, so Jan 2 (Fri), 5, 6, 7, 8, 9, 12 are sessions 1..7 (SPX/NDX file dates agree).
    expect(nthSessionOfYear(2026, 1)).toBe('2026-01-02');
    expect(nthSessionOfYear(2026, 7)).toBe('2026-01-12');
    expect(nthSessionOfYear(2026, 251)).toBe('2026-12-31');
    expect(nthSessionOfYear(2026, 252), 'the year has 251').toBeNull();
    expect(sessionIndexInYear('2026-01-12')).toBe(7);
    expect(sessionIndexInYear('2026-01-19'), 'MLK Day is no session').toBeNull();
    expect(() => nthSessionOfYear(2026, 0)).toThrow(RangeError);
  });

  it('steps over weekends and holidays', () => {
    expect(nextSession('2026-01-16')).toBe('2026-01-20');
    expect(previousSession('2026-01-20')).toBe('2026-01-16');
    expect(nextSession('2026-01-17')).toBe('2026-01-20');
    expect(previousSession('2026-01-01')).toBe('2025-12-31');
    expect(sessionsBetween('2026-01-02', '2026-01-01')).toEqual([]);
    expect(sessionsBetween('2026-01-03', '2026-01-04')).toEqual([]);
  });

  it('throws a RangeError naming a date outside 1980–2030', () => {
    expect(() => isSession('1979-12-31')).toThrow(/1979-12-31/);
    expect(() => nextSession('2031-01-01')).toThrow(RangeError);
    expect(() => nextSession('2030-12-31')).toThrow(/no session after 2030-12-31/);
    expect(() => previousSession('1980-01-02')).toThrow(RangeError);
    expect(() => sessionsBetween('2026-01-01', '2031-01-01')).toThrow(/2031-01-01/);
    expect(() => isSession('2026-02-30')).toThrow(/not a YYYY-MM-DD/);
  });

  it('computes a 51-year sessionsBetween quickly', () => {
    const t0 = performance.now();
    let n = 0;
    for (let i = 0; i < 200; i++) n += sessionsBetween(CALENDAR_RANGE.first, CALENDAR_RANGE.last).length;
    const ms = performance.now() - t0;
    expect(n / 200).toBeGreaterThan(12_000);
    expect(ms / 200, 'ms per full-range call').toBeLessThan(5);
  });
});

describe('close times', () => {
  it('closes at 13:00 on the early-close days NYSE published for 2024–2026', () => {
    // Provenance: NYSE "Holidays & Trading Hours" early-close footnotes.
    expect(earlyClosesBetween('2024-01-01', '2026-12-31').map((e) => e.date)).toEqual([
      '2024-07-03',
      '2024-11-29',
      '2024-12-24',
      '2025-07-03',
      '2025-11-28',
      '2025-12-24',
      '2026-11-27',
      '2026-12-24',
    ]);
    expect(closeTime('2026-11-27')).toBe('13:00');
    expect(closeTime('2026-11-30')).toBe('16:00');
    expect(closeTime('2026-11-26')).toBeNull();
    expect(closeTime('2026-11-28')).toBeNull();
  });

  it('applies the July 4-on-Thursday rule of each era', () => {
    // 2002: July 4 Thursday -> Friday July 5 closed early; 2019: Wednesday July 3 closed early instead.
    expect(closeTime('2002-07-05')).toBe('13:00');
    expect(closeTime('2002-07-03')).toBe('16:00');
    expect(closeTime('2019-07-03')).toBe('13:00');
    expect(closeTime('2019-07-05')).toBe('16:00');
  });

  it('lists every early close 1980–2030 with its time, as the NYSE record has them', () => {
    // Provenance: the NYSE closings history (Stocks.NYSE-Closings.pdf, with times, as compiled in
    // rsheftel/pandas_market_calendars holidays/nyse.py) for 1980–2024; NYSE Group's announcements of
    // 2024-11-08 (2025–2027) and 2025-12-23 (2026–2028) for the years ahead; the rules beyond. See
    // nyse-holidays.ts and docs/calendar-and-doctor.md.
    expect(earlyClosesBetween('1980-01-01', '2030-12-31').map((e) => `${e.date} ${e.close}`)).toEqual([
      '1981-03-30 15:17',
      '1981-09-09 15:28',
      '1987-10-23 14:00',
      '1987-10-26 14:00',
      '1987-10-27 14:00',
      '1987-10-28 14:00',
      '1987-10-29 14:00',
      '1987-10-30 14:00',
      '1987-11-02 14:30',
      '1987-11-03 14:30',
      '1987-11-04 14:30',
      '1987-11-05 15:00',
      '1987-11-06 15:00',
      '1987-11-09 15:30',
      '1987-11-10 15:30',
      '1987-11-11 15:30',
      '1990-12-24 14:00',
      '1991-12-24 14:00',
      '1992-11-27 14:00',
      '1992-12-24 14:00',
      '1993-11-26 13:00',
      '1994-02-11 14:30',
      '1994-11-25 13:00',
      '1995-07-03 13:00',
      '1995-11-24 13:00',
      '1996-01-08 14:00',
      '1996-07-05 13:00',
      '1996-11-29 13:00',
      '1996-12-24 13:00',
      '1997-07-03 13:00',
      '1997-10-27 15:30',
      '1997-11-28 13:00',
      '1997-12-24 13:00',
      '1997-12-26 13:00',
      '1998-11-27 13:00',
      '1998-12-24 13:00',
      '1999-11-26 13:00',
      '2000-07-03 13:00',
      '2000-11-24 13:00',
      '2001-07-03 13:00',
      '2001-11-23 13:00',
      '2001-12-24 13:00',
      '2002-07-05 13:00',
      '2002-11-29 13:00',
      '2002-12-24 13:00',
      '2003-07-03 13:00',
      '2003-11-28 13:00',
      '2003-12-24 13:00',
      '2003-12-26 13:00',
      '2004-11-26 13:00',
      '2005-06-01 15:56',
      '2005-11-25 13:00',
      '2006-07-03 13:00',
      '2006-11-24 13:00',
      '2007-07-03 13:00',
      '2007-11-23 13:00',
      '2007-12-24 13:00',
      '2008-07-03 13:00',
      '2008-11-28 13:00',
      '2008-12-24 13:00',
      '2009-11-27 13:00',
      '2009-12-24 13:00',
      '2010-11-26 13:00',
      '2011-11-25 13:00',
      '2012-07-03 13:00',
      '2012-11-23 13:00',
      '2012-12-24 13:00',
      '2013-07-03 13:00',
      '2013-11-29 13:00',
      '2013-12-24 13:00',
      '2014-07-03 13:00',
      '2014-11-28 13:00',
      '2014-12-24 13:00',
      '2015-11-27 13:00',
      '2015-12-24 13:00',
      '2016-11-25 13:00',
      '2017-07-03 13:00',
      '2017-11-24 13:00',
      '2018-07-03 13:00',
      '2018-11-23 13:00',
      '2018-12-24 13:00',
      '2019-07-03 13:00',
      '2019-11-29 13:00',
      '2019-12-24 13:00',
      '2020-11-27 13:00',
      '2020-12-24 13:00',
      '2021-11-26 13:00',
      '2022-11-25 13:00',
      '2023-07-03 13:00',
      '2023-11-24 13:00',
      '2024-07-03 13:00',
      '2024-11-29 13:00',
      '2024-12-24 13:00',
      '2025-07-03 13:00',
      '2025-11-28 13:00',
      '2025-12-24 13:00',
      '2026-11-27 13:00',
      '2026-12-24 13:00',
      '2027-11-26 13:00',
      '2028-07-03 13:00',
      '2028-11-24 13:00',
      '2029-07-03 13:00',
      '2029-11-23 13:00',
      '2029-12-24 13:00',
      '2030-07-03 13:00',
      '2030-11-29 13:00',
      '2030-12-24 13:00',
    ]);
  });

  it('reports the pre-1993 holiday early closes at 14:00, not as full sessions', () => {
    expect(closeTime('1990-12-24'), 'Christmas Eve 1990').toBe('14:00');
    expect(closeTime('1992-11-27'), 'the day after Thanksgiving 1992').toBe('14:00');
    expect(closeTime('1991-11-29'), 'the day after Thanksgiving 1991 was a full day').toBe('16:00');
    expect(closeTime('1987-11-11'), 'the last backlog day after the 1987 crash').toBe('15:30');
    expect(earlyClosesBetween('1982-01-01', '1986-12-31'), 'none 1982–1986').toEqual([]);
  });
});

describe('calendar properties', () => {
  const firstDay = epochDay('1980-01-08');
  const lastDay = epochDay('2030-11-15'); // leaves room for spans of up to 40 days
  const anyDate = fc.integer({ min: firstDay, max: lastDay }).map((d) => fromEpochDay(d));

  it('nextSession and previousSession bracket every date', () => {
    fc.assert(
      fc.property(anyDate, (d) => {
        const next = nextSession(d);
        const prev = previousSession(d);
        expect(next > d && prev < d).toBe(true);
        expect(isSession(next) && isSession(prev)).toBe(true);
        // Nothing in between them except possibly d itself is a session.
        const inner = sessionsBetween(addDays(prev, 1), addDays(next, -1));
        expect(inner).toEqual(isSession(d) ? [d] : []);
        if (isSession(d)) {
          expect(nextSession(previousSession(d))).toBe(d);
          expect(previousSession(nextSession(d))).toBe(d);
        }
      }),
    );
  });

  it('sessionsBetween agrees with isSession, day by day', () => {
    fc.assert(
      fc.property(anyDate, fc.integer({ min: 0, max: 40 }), (d, span) => {
        const to = addDays(d, span);
        const expected: string[] = [];
        for (let i = 0; i <= span; i++) {
          const x = addDays(d, i);
          if (isSession(x)) expected.push(x);
        }
        expect(sessionsBetween(d, to)).toEqual(expected);
        for (const s of expected) {
          expect(dayOfWeek(s) % 6, 'sessions are weekdays').not.toBe(0);
          expect(nthSessionOfYear(Number(s.slice(0, 4)), sessionIndexInYear(s) as number)).toBe(s);
        }
      }),
    );
  });
});

describeWithSharedData('calendar vs real NYSE history (indices/SPX.csv)', () => {
  it('has exactly the SPX trading days 1980-01-02..2026-02-27', () => {
    // SPX.csv: yfinance export of ^SPX (three header lines), the S&P 500 traded on every NYSE session.
    const text = readFileSync(join(SHARED_DATA, 'indices/SPX.csv'), 'utf8');
    const spx = text
      .split('\n')
      .slice(3)
      .map((l) => l.split(',')[0] ?? '')
      .filter((d) => d >= '1980-01-01' && d <= '2026-02-27');
    expect(spx.length).toBeGreaterThan(11_000);
    expect(sessionsBetween('1980-01-01', '2026-02-27')).toEqual(spx);
    const per2023 = spx.filter((d) => d.startsWith('2023')).length;
    expect(per2023).toBe(sessionsInYear(2023));
  });
});
