/** `rotation calendar`: NYSE sessions, holidays and early closes between two dates. */
import type { TradingDate } from '../../shared/brand.js';
import { UsageError } from '../../shared/errors.js';
import {
  CALENDAR_RANGE,
  closeTime,
  earlyClosesBetween,
  holidaysBetween,
  sessionsBetween,
} from '../../core/calendar/calendar.js';

/** The JSON of `rotation calendar --format json` and `GET /api/v1/calendar`; outside 1980–2030 is a usage error. */
export function calendarJson(from: TradingDate, to: TradingDate) {
  for (const [flag, d] of [
    ['--from', from],
    ['--to', to],
  ] as const)
    if (d < CALENDAR_RANGE.first || d > CALENDAR_RANGE.last)
      throw new UsageError(
        `${flag} ${d} is outside the calendar (${CALENDAR_RANGE.first}..${CALENDAR_RANGE.last})`,
        'the NYSE calendar covers 1980 through 2030',
      );
  if (from > to) throw new UsageError(`--from ${from} is after --to ${to}`);
  const holidays = holidaysBetween(from, to);
  const earlyCloses = earlyClosesBetween(from, to);
  const earlyName = new Map(earlyCloses.map((e) => [e.date as string, e.name]));
  const sessions = sessionsBetween(from, to).map((date) => ({
    date,
    close: closeTime(date),
    name: earlyName.get(date) ?? null,
  }));
  return {
    json: {
      from,
      to,
      sessions: sessions.map((s) => ({ date: s.date, close: s.close })),
      holidays,
      earlyCloses,
    },
    sessions,
  };
}
