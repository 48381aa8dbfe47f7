import { magnitudeRank, spreadMove } from '../core/race-history.js';
import { nextMacroEvents } from '../core/why/macro-calendar.js';
import type { RaceHistoryRun } from '../data/race-history.js';
import type { BriefFact, FactRegistry } from './facts/registry.js';
import type { Section } from './model.js';
import { join, num, t, type Text } from './narrative/text.js';

/** Sessions of the span over which a reversal is judged (a quarter, as the race table's "past quarter"). */
const QUARTER_SESSIONS = 63;

/**
 * "What would change the view" and "what is next", from what is computable: the move that would hand the lead
 * over, and how often earlier years saw a quarter-long move at least that large; then the next FOMC decision, CPI
 * release and jobs report from the project's sourced calendar (core/why/macro-calendar), saying where a list ends.
 */
export function outlookSection(reg: FactRegistry, h: RaceHistoryRun, gap: BriefFact): Section {
  const i = h.current.spread.length - 1;
  const spread = h.current.spread[i] as number;
  const id = `outlook.${h.a.toLowerCase().replace(/[^a-z0-9]/g, '')}-${h.b.toLowerCase().replace(/[^a-z0-9]/g, '')}`;
  const [lead, lag] = spread >= 0 ? [h.a, h.b] : [h.b, h.a];
  const moves: number[] = [];
  for (const p of h.history)
    for (let k = QUARTER_SESSIONS; k < p.spread.length; k++)
      moves.push(spreadMove(p, k, QUARTER_SESSIONS) as number);
  const rank = magnitudeRank(moves, spread);
  const blocks: Section['blocks'] = [];
  if (rank !== null && moves.length > 0) {
    const larger = reg.add({
      id: `${id}.quarter-moves-larger`,
      value: 1 - rank,
      unit: 'fraction',
      label: `share of earlier ${QUARTER_SESSIONS}-session spreads at least as large as today's lead`,
      inputs: [h.a, h.b],
      asOf: h.asOf,
      method: 'earlier years, every 63-session spread (rolling:63) within a year, |spread| ≥ |lead|',
    });
    const n = reg.add({
      id: `${id}.quarter-moves-n`,
      value: moves.length,
      unit: 'count',
      label: `earlier ${QUARTER_SESSIONS}-session spreads`,
      inputs: [h.a, h.b],
      asOf: h.asOf,
      method: 'sessions of earlier years with 63 sessions of the year before them',
    });
    blocks.push({
      kind: 'p',
      text: t`The lead changes hands if ${lag} outgains ${lead} by about ${num(gap, 'pp-abs')} from here (the year-to-date spread). In earlier years a quarter-long spread at least that wide, either way, came in ${num(larger, 'rate')} of ${num(n)} quarter spans: ${1 - rank >= 0.5 ? 'common, so the lead is not safe' : 1 - rank >= 0.2 ? 'not rare, so the lead can go within a quarter' : 'rare, so a reversal within a quarter would be unusual'}.`,
    });
  }
  const events = nextMacroEvents(h.asOf);
  const scheduled = events
    .flatMap((e) => (e.status === 'scheduled' ? [{ name: e.name, date: e.date }] : []))
    .sort((x, y) => (x.date < y.date ? -1 : 1))
    .map(
      (e): Text =>
        t`the ${e.name} on ${num(
          reg.add({
            id: `outlook.next.${e.name
              .toLowerCase()
              .replace(/[^a-z0-9]+/g, '-')
              .replace(/^-|-$/g, '')}.date`,
            value: e.date,
            unit: 'date',
            label: `next ${e.name} after the as-of date`,
            inputs: [],
            asOf: h.asOf,
            method:
              "core/why/macro-calendar: the first scheduled date after the as-of date in the project's calendar",
          }),
          'date',
        )}`,
    );
  const unlisted = events.flatMap((e) => (e.status === 'not-in-calendar' ? [`the next ${e.name}`] : []));
  const next: Text =
    scheduled.length > 0
      ? join(scheduled, ', then ')
      : ["no release date after today is in the project's calendar"];
  const missing =
    unlisted.length > 0
      ? `; ${unlisted.join(' and ')} ${unlisted.length === 1 ? 'is' : 'are'} beyond the project's calendar (the macro section says where each list ends)`
      : '';
  blocks.push({
    kind: 'p',
    text: t`What is next: ${next}${missing}. Earnings dates are not in the project's data.`,
  });
  return { id: 'outlook', title: 'What would change the view', blocks };
}
