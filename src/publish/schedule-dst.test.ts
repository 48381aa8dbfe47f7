import { afterAll, describe, expect, it } from 'vitest';
import type { TradingDate } from '../shared/brand.js';
import { checkRunnableSession, nextScheduledRun } from './session.js';

/** An instant given as New York wall time with the offset New York has then (5 in winter, 4 in summer). */
const ny = (date: string, hhmm: string, offset: number) => Date.parse(`${date}T${hhmm}:00-0${offset}:00`);

// The machine's own zone must not matter: the schedule is New York time, computed by shared/dates.
const zones = ['America/Los_Angeles', 'Asia/Kolkata'] as const;
const before = process.env['TZ'];
afterAll(() => {
  if (before === undefined) delete process.env['TZ'];
  else process.env['TZ'] = before;
});

// Each DST change of 2026 and 2027 falls on a Sunday: Friday's 18:00 run is done, Monday's runs in the other offset.
const changes = [
  { friday: '2026-03-06', fridayOffset: 5, monday: '2026-03-09', mondayOffset: 4 },
  { friday: '2026-10-30', fridayOffset: 4, monday: '2026-11-02', mondayOffset: 5 },
  { friday: '2027-03-12', fridayOffset: 5, monday: '2027-03-15', mondayOffset: 4 },
  { friday: '2027-11-05', fridayOffset: 4, monday: '2027-11-08', mondayOffset: 5 },
];

describe.each(zones)('the schedule under TZ=%s', (zone) => {
  it('is in that zone (the test would not test anything otherwise)', () => {
    process.env['TZ'] = zone;
    const offset = new Date(Date.UTC(2026, 0, 15)).getTimezoneOffset();
    expect(offset).toBe(zone === 'Asia/Kolkata' ? -330 : 480);
  });
  it.each(changes)('runs across the DST change after $friday at New York time', (c) => {
    process.env['TZ'] = zone;
    expect(nextScheduledRun(ny(c.friday, '18:00', c.fridayOffset), '17:30')).toEqual({
      session: c.monday,
      atMs: ny(c.monday, '17:30', c.mondayOffset),
    });
    // The same Friday before its run time: Friday itself, in Friday's offset.
    expect(nextScheduledRun(ny(c.friday, '12:00', c.fridayOffset), '17:30')).toEqual({
      session: c.friday,
      atMs: ny(c.friday, '17:30', c.fridayOffset),
    });
    // Monday's session has closed one minute after 16:00 in Monday's offset, not before.
    const monday = c.monday as TradingDate;
    expect(() => checkRunnableSession(monday, ny(c.monday, '15:59', c.mondayOffset))).toThrow(
      /has not closed/,
    );
    expect(() => checkRunnableSession(monday, ny(c.monday, '16:01', c.mondayOffset))).not.toThrow();
  });
});
