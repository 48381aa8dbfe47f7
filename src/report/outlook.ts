import { outlookOf } from '../data/analytics/outlook.js';
import type { RaceHistoryRun } from '../data/race-history.js';
import type { BriefFact, FactRegistry } from './facts/registry.js';
import type { Section } from './model.js';
import { join, num, t, type Text } from './narrative/text.js';

/**
 * "What would change the view" and "what is next", from what is computable: the move that would hand the lead
 * over, and how often earlier years saw a quarter-long move at least that large; then the next FOMC decision, CPI
 * release and jobs report from the project's sourced calendar, saying where a list ends. The figures come from
 * data/analytics/outlook (`rotation outlook` prints the same facts); this renders them.
 */
export function outlookSection(reg: FactRegistry, h: RaceHistoryRun, gap: BriefFact): Section {
  const o = outlookOf(h);
  const blocks: Section['blocks'] = [];
  if (o.quarterMoves) {
    const larger = reg.add(o.quarterMoves.larger);
    const n = reg.add(o.quarterMoves.n);
    const share = larger.value as number;
    blocks.push({
      kind: 'p',
      text: t`The lead changes hands if ${o.lag} outgains ${o.lead} by about ${num(gap, 'pp-abs')} from here (the year-to-date spread). In earlier years a quarter-long spread at least that wide, either way, came in ${num(larger, 'rate')} of ${num(n)} quarter spans: ${share >= 0.5 ? 'common, so the lead is not safe' : share >= 0.2 ? 'not rare, so the lead can go within a quarter' : 'rare, so a reversal within a quarter would be unusual'}.`,
    });
  }
  const scheduled = o.scheduled.map((e): Text => t`the ${e.name} on ${num(reg.add(e.fact), 'date')}`);
  const unlisted = o.unlisted.map((e) => `the next ${e.name}`);
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
