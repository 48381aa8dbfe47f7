/** The outlook of a race ("what would change the view"): the brief's section, `rotation outlook`, the API. */
import { symbolId, type Fact } from '../../core/fact.js';
import { magnitudeRank, spreadMove } from '../../core/race-history.js';
import { nextMacroEvents, type NextMacroEvent } from '../../core/why/macro-calendar.js';
import type { TradingDate } from '../../shared/brand.js';
import type { RunOptions } from './common.js';
import { loadRaceHistory, type RaceHistoryRun } from '../race-history.js';
import type { Store } from '../store/store.js';

/** Sessions of the span over which a reversal is judged (a quarter, as the race table's "past quarter"). */
export const QUARTER_SESSIONS = 63;

export type Outlook = {
  a: string;
  b: string;
  asOf: TradingDate;
  /** The year-to-date leader and the other leg (A when level). */
  lead: string;
  lag: string;
  /** Today's year-to-date spread (A − B). */
  spread: number;
  /** Earlier quarter-long spreads at least as wide as today's lead: null when there is no earlier quarter. */
  quarterMoves: { larger: Fact; n: Fact } | null;
  /** The next FOMC decision, CPI release and jobs report; scheduled ones with their date fact, by date. */
  scheduled: { name: string; date: string; fact: Fact }[];
  /** Lists of the calendar that end before the next event. */
  unlisted: NextMacroEvent[];
  facts: Fact[];
};

const eventId = (name: string) =>
  `outlook.next.${name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')}.date`;

/**
 * The move that would hand the lead over, and how often earlier years saw a quarter-long move at least that large
 * (every 63-session spread within an earlier year); then the next macro events from the project's sourced calendar
 * (core/why/macro-calendar). Pure over a loaded race history.
 */
export function outlookOf(h: RaceHistoryRun): Outlook {
  const spread = h.current.spread[h.current.spread.length - 1] as number;
  const id = `outlook.${symbolId(h.a)}-${symbolId(h.b)}`;
  const [lead, lag] = spread >= 0 ? [h.a, h.b] : [h.b, h.a];
  const moves: number[] = [];
  for (const p of h.history)
    for (let k = QUARTER_SESSIONS; k < p.spread.length; k++)
      moves.push(spreadMove(p, k, QUARTER_SESSIONS) as number);
  const rank = magnitudeRank(moves, spread);
  const quarterMoves =
    rank !== null && moves.length > 0
      ? {
          larger: {
            id: `${id}.quarter-moves-larger`,
            value: 1 - rank,
            unit: 'fraction' as const,
            label: `share of earlier ${QUARTER_SESSIONS}-session spreads at least as large as today's lead`,
            inputs: [h.a, h.b],
            asOf: h.asOf,
            method: 'earlier years, every 63-session spread (rolling:63) within a year, |spread| ≥ |lead|',
          },
          n: {
            id: `${id}.quarter-moves-n`,
            value: moves.length,
            unit: 'count' as const,
            label: `earlier ${QUARTER_SESSIONS}-session spreads`,
            inputs: [h.a, h.b],
            asOf: h.asOf,
            method: 'sessions of earlier years with 63 sessions of the year before them',
          },
        }
      : null;
  const events = nextMacroEvents(h.asOf);
  const scheduled = events
    .flatMap((e) => (e.status === 'scheduled' ? [{ name: e.name, date: e.date }] : []))
    .sort((x, y) => (x.date < y.date ? -1 : 1))
    .map((e) => ({
      ...e,
      fact: {
        id: eventId(e.name),
        value: e.date,
        unit: 'date' as const,
        label: `next ${e.name} after the as-of date`,
        inputs: [],
        asOf: h.asOf,
        method:
          "core/why/macro-calendar: the first scheduled date after the as-of date in the project's calendar",
      },
    }));
  const unlisted = events.filter((e) => e.status === 'not-in-calendar');
  const facts = [
    ...(quarterMoves ? [quarterMoves.larger, quarterMoves.n] : []),
    ...scheduled.map((e) => e.fact),
  ];
  return { a: h.a, b: h.b, asOf: h.asOf, lead, lag, spread, quarterMoves, scheduled, unlisted, facts };
}

/** Loads the race of A vs B through the as-of year and its outlook; null when the year has no base close. */
export async function loadOutlook(
  store: Store,
  a: string,
  b: string,
  opts: RunOptions,
): Promise<Outlook | null> {
  // the outlook reads the paths only, not the news: any year-start window gives the same history
  const h = await loadRaceHistory(store, a, b, 7, opts);
  return h ? outlookOf(h) : null;
}

/** The JSON of `rotation outlook A B --format json` and `GET /api/v1/outlook`. */
export function outlookJson(o: Outlook) {
  return {
    a: o.a,
    b: o.b,
    asOf: o.asOf,
    lead: o.lead,
    lag: o.lag,
    spread: o.spread,
    next: o.scheduled.map((e) => ({ name: e.name, date: e.date })),
    notInCalendar: o.unlisted,
    facts: o.facts,
  };
}
