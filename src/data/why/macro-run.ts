import { CALENDAR_RANGE, earlyClosesBetween, holidaysBetween } from '../../core/calendar/calendar.js';
import { nextMacroEvents, type NextMacroEvent } from '../../core/why/macro-calendar.js';
import { addDays } from '../../shared/dates.js';
import type { Config } from '../config.js';
import { latestStoredSession } from '../latest.js';
import type { Store } from '../store/store.js';
import { loadMacroFigures } from './figures.js';
import { dateFact, type DateFact } from './figures/common.js';
import { futuresFigures, ROLL_CAVEAT } from './futures.js';

type MacroOptions = Omit<Parameters<typeof loadMacroFigures>[1], 'asOf'>;

/**
 * Everything `rotation macro` and `GET /api/v1/macro` answer, assembled once: the macro figures, the index futures'
 * last session, and the next FOMC, CPI and jobs dates from the project's calendar. Without `asOf`, as of the brief's
 * default (data/latest: the last session stored for the small-cap benchmark), so the fed path and CPI end where the
 * brief's do.
 */
export async function runMacro(
  store: Store,
  opts: MacroOptions & { asOf?: string | undefined; config: Config },
) {
  const { config, ...rest } = opts;
  const asOf = opts.asOf ?? (await latestStoredSession(store, config));
  const m = await loadMacroFigures(store, { ...rest, asOf });
  const futures = await futuresFigures(store, { asOf });
  const cal = macroCalendar(asOf);
  const calendar: NextMacroEvent[] = cal.events;
  return {
    asOf,
    warnings: m.warnings,
    calendar,
    ...(futures.rows.length > 0 ? { futuresCaveat: ROLL_CAVEAT } : {}),
    facts: [...m.facts, ...futures.facts],
    /** The dates the figures and the calendar state (facts of unit `date`): the JSON lists them after `facts`. */
    dates: [...m.dates, ...futures.dates, ...cal.dates],
  };
}

const NYSE = 'core/calendar (NYSE rules)';

/**
 * The calendar the brief's macro section ends with: the next NYSE holiday and early close within 400 days after
 * `asOf` (or the calendar's end), the next FOMC, CPI and jobs dates (core/why/macro-calendar), and the range the NYSE
 * calendar covers; each date a fact (`macro.calendar.next-holiday`, `.next-early-close`, `.next.<kind>`,
 * `.next.<kind>.reference`, `.next.<kind>.through`, `.range.first|last`).
 */
export function macroCalendar(asOf: string) {
  const from = addDays(asOf, 1);
  const dates: DateFact[] = [
    dateFact(
      'macro.calendar.range.first',
      CALENDAR_RANGE.first,
      'the first day of the NYSE calendar',
      [NYSE],
      'core/calendar CALENDAR_RANGE',
      { asOf },
    ),
    dateFact(
      'macro.calendar.range.last',
      CALENDAR_RANGE.last,
      'the last day of the NYSE calendar',
      [NYSE],
      'core/calendar CALENDAR_RANGE',
      { asOf },
    ),
  ];
  if (from > CALENDAR_RANGE.last) return { covered: false as const, events: nextMacroEvents(asOf), dates };
  const horizon = addDays(asOf, 400) < CALENDAR_RANGE.last ? addDays(asOf, 400) : CALENDAR_RANGE.last;
  const holiday = holidaysBetween(from, horizon)[0] ?? null;
  const early = earlyClosesBetween(from, horizon)[0] ?? null;
  const window = `${from}..${horizon}`;
  if (holiday)
    dates.push(
      dateFact(
        'macro.calendar.next-holiday',
        holiday.date,
        `the next NYSE holiday after ${asOf} (${holiday.name})`,
        [NYSE],
        'the first NYSE holiday after the as-of date (core/calendar holidaysBetween)',
        { window, asOf },
      ),
    );
  if (early)
    dates.push(
      dateFact(
        'macro.calendar.next-early-close',
        early.date,
        `the next NYSE early close after ${asOf} (${early.name})`,
        [NYSE],
        'the first NYSE early close after the as-of date (core/calendar earlyClosesBetween)',
        { window, asOf },
      ),
    );
  const events = nextMacroEvents(asOf);
  for (const e of events) {
    const id = `macro.calendar.next.${e.kind}`;
    const src = [`${e.source} (${e.url})`];
    if (e.status === 'scheduled') {
      dates.push(
        dateFact(
          id,
          e.date,
          `the next ${e.name} after ${asOf}`,
          src,
          'core/why/macro-calendar nextMacroEvents',
          { asOf },
        ),
      );
      if (e.reference)
        dates.push(
          dateFact(
            `${id}.reference`,
            e.reference,
            `the month the next ${e.name} reports on`,
            src,
            'core/why/macro-calendar nextMacroEvents',
            { asOf },
          ),
        );
    } else
      dates.push(
        dateFact(
          `${id}.through`,
          e.through,
          `the last day the project's list of ${e.name} dates is complete to`,
          src,
          'core/why/macro-calendar nextMacroEvents',
          { asOf },
        ),
      );
  }
  return { covered: true as const, holiday, early, events, dates };
}
