import { closeTime, holidayName, isSession, nextSession } from '../core/calendar/calendar.js';
import type { TradingDate } from '../shared/brand.js';
import { newYorkClock as clockAt } from '../shared/dates.js';
import { UsageError } from '../shared/errors.js';

/** New York's date and HH:MM at an instant in ms (shared/dates: the one New York clock). */
const newYorkClock = (nowMs: number) => clockAt(new Date(nowMs));

/**
 * Checks that the daily run may run for `date` at `nowMs`: an NYSE session whose close (16:00, or the early close)
 * has passed in New York. Throws a UsageError saying why not.
 */
export function checkRunnableSession(date: TradingDate, nowMs: number): void {
  if (!isSession(date)) {
    const why =
      holidayName(date) ?? (new Date(`${date}T12:00:00Z`).getUTCDay() % 6 === 0 ? 'a weekend' : 'no session');
    throw new UsageError(
      `${date} is not an NYSE session (${why})`,
      `the next session is ${nextSession(date)}; see \`rotation calendar\``,
    );
  }
  const close = closeTime(date) ?? '16:00';
  const now = newYorkClock(nowMs);
  if (now.date < date || (now.date === date && now.hhmm < close))
    throw new UsageError(
      `the ${date} session has not closed yet (it closes at ${close} New York time${close !== '16:00' ? ', an early close' : ''}; it is ${now.date} ${now.hhmm} there)`,
      'run it after the close, or pass --date with a past session',
    );
}

/** True when `session` is the last session of its Monday-to-Sunday week (the weekly digest goes out then). */
export function isLastSessionOfWeek(session: TradingDate): boolean {
  const next = nextSession(session);
  const monday = (d: string) => {
    const t = Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10)));
    const wd = (new Date(t).getUTCDay() + 6) % 7;
    return t - wd * 86_400_000;
  };
  return monday(next) !== monday(session);
}

/** The UTC instant of HH:MM New York time on `date` (DST-aware: tries both offsets New York uses). */
export function newYorkInstant(date: string, hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  for (const offset of [4, 5]) {
    const t = Date.UTC(y, mo - 1, d, h + offset, m);
    const c = newYorkClock(t);
    if (c.date === date && c.hhmm === hhmm) return t;
  }
  throw new RangeError(`no ${hhmm} New York time on ${date}`);
}

/**
 * The next scheduled daily run after `nowMs`: the first session whose run time (`hhmm` New York time, or the
 * session's close when `hhmm` is earlier, as on an early close) is later than now. Returns the session and instant.
 */
export function nextScheduledRun(nowMs: number, hhmm: string): { session: TradingDate; atMs: number } {
  let d = newYorkClock(nowMs).date;
  if (!isSession(d)) d = nextSession(d);
  for (let i = 0; i < 20; i++) {
    const close = closeTime(d) ?? '16:00';
    const at = newYorkInstant(d, hhmm < close ? close : hhmm);
    if (at > nowMs) return { session: d, atMs: at };
    d = nextSession(d);
  }
  throw new RangeError('no session within 20 sessions');
}
