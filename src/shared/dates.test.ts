import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newYorkClock, tradingDateOf } from './dates.js';

/** What ICU's zone data says New York's wall clock reads at an instant: the reference for the arithmetic. */
function intlClock(instant: Date): { date: string; hhmm: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: 'America/New_York',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return {
    date: `${parts['year']}-${parts['month']}-${parts['day']}`,
    hhmm: `${parts['hour']}:${parts['minute']}`,
  };
}

describe('newYorkClock', () => {
  it('reads the same date and time as the zone database for any instant from 2007 to 2040', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2007-01-01T00:00:00Z'),
          max: new Date('2040-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        (d) => {
          expect(newYorkClock(d), d.toISOString()).toEqual(intlClock(d));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('switches at 02:00 local time on the second Sunday of March and the first Sunday of November', () => {
    // 2026: daylight time from 2026-03-08 07:00 UTC to 2026-11-01 06:00 UTC.
    expect(newYorkClock(new Date('2026-03-08T06:59:00Z'))).toEqual({ date: '2026-03-08', hhmm: '01:59' });
    expect(newYorkClock(new Date('2026-03-08T07:00:00Z'))).toEqual({ date: '2026-03-08', hhmm: '03:00' });
    expect(newYorkClock(new Date('2026-11-01T05:59:00Z'))).toEqual({ date: '2026-11-01', hhmm: '01:59' });
    expect(newYorkClock(new Date('2026-11-01T06:00:00Z'))).toEqual({ date: '2026-11-01', hhmm: '01:00' });
    for (const iso of [
      '2026-03-08T06:59:00Z',
      '2026-03-08T07:00:00Z',
      '2026-11-01T05:59:00Z',
      '2026-11-01T06:00:00Z',
    ])
      expect(newYorkClock(new Date(iso)), iso).toEqual(intlClock(new Date(iso)));
  });

  it('asks the zone database before 2007, when other daylight-time rules applied', () => {
    // 2006: daylight time began on the first Sunday of April (April 2), not the second Sunday of March.
    const d = new Date('2006-03-20T15:00:00Z');
    expect(newYorkClock(d)).toEqual({ date: '2006-03-20', hhmm: '10:00' });
    expect(newYorkClock(d)).toEqual(intlClock(d));
  });

  it('throws on an invalid date, as Intl does', () => {
    expect(() => newYorkClock(new Date(NaN))).toThrow(RangeError);
  });
});

describe('tradingDateOf', () => {
  it('gives the New York date of an instant, and another zone’s date when named', () => {
    expect(tradingDateOf(new Date('2026-01-13T04:30:00Z'))).toBe('2026-01-12');
    expect(tradingDateOf(new Date('2026-01-13T04:30:00Z'), 'Europe/London')).toBe('2026-01-13');
  });
});
