import { magnitudeRank, spreadMove } from '../core/race-history.js';
import type { RaceHistoryRun } from '../data/race-history.js';
import type { BriefFact, FactRegistry } from './facts/registry.js';
import type { Section } from './model.js';
import { num, t } from './narrative/text.js';

/** Sessions of the span over which a reversal is judged (a quarter, as the race table's "past quarter"). */
const QUARTER_SESSIONS = 63;

/**
 * "What would change the view" and "what is next", from what is computable: the move that would hand the lead
 * over, and how often earlier years saw a quarter-long move at least that large. The release calendar (CPI,
 * FOMC, earnings dates) is not in the store yet, so the section says so instead of inventing dates.
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
  blocks.push({
    kind: 'p',
    text: [
      'What is next: the release calendar (CPI, the Fed, earnings dates) is not stored yet, so no dates are given here; the macro section lists the next NYSE holiday and the sessions left in the year.',
    ],
  });
  return { id: 'outlook', title: 'What would change the view', blocks };
}
