import type { Followup, FollowupRow } from '../../data/article/followup.js';
import type { BriefFact } from '../facts/registry.js';
import type { Block, Section } from '../model.js';
import { num, t, type Text } from '../narrative/text.js';

/**
 * "What happened next" to a dated story's computed claims, as a section of the brief's model (so any renderer,
 * and a brief, can include it): per claim, the lead then, the same window later (did it hold), the race since
 * the story, and what the odds said on the story's date. Every number is a fact of the followup.
 *
 * To include it in a brief: `sections.push(followupSection(await followupStory(store, text, { storyDate, to })))`
 * and add the rows' facts to the brief's FactRegistry (`followupFacts`).
 */
export function followupSection(f: Followup): Section {
  const blocks: Block[] = [];
  if (f.rows.length === 0)
    blocks.push({
      kind: 'missing',
      text: [`The story of ${f.storyDate} has no computed comparison to follow up.`],
    });
  for (const r of f.rows) blocks.push({ kind: 'p', text: rowText(r, f) });
  return { id: 'followup', title: `What happened next (story of ${f.storyDate})`, blocks };
}

/** Every fact the section prints. */
export function followupFacts(f: Followup): BriefFact[] {
  return f.rows.flatMap((r) => r.facts);
}

function rowText(r: FollowupRow, f: Followup): Text {
  const byId = new Map(r.facts.map((x) => [x.id, x]));
  const pp = (id: string | null): Text => {
    const x = id ? byId.get(id) : undefined;
    return x ? [num(x, 'pp')] : ['n/a'];
  };
  const parts: Text = t`Claim ${String(r.n)} (“${r.span}”, ${r.verdictThen} on ${f.storyDate}): ${r.a} vs ${r.b} over ${r.window} stood at ${pp(r.spreadThen)}${r.completeThen === false ? ' so far' : ''}. `;
  if (r.spreadLater && r.completeLater !== null)
    parts.push(
      ...t`By ${f.to ?? 'the latest data'} the same window ${r.completeLater ? 'ended at' : 'stands at'} ${pp(r.spreadLater)}${r.completeLater ? '' : ' so far'}: the lead ${r.leadHeld === null ? 'cannot be compared' : r.leadHeld ? 'held' : 'did not hold'}. `,
    );
  if (r.spreadSince)
    parts.push(...t`Since the story, to ${r.sinceEnd ?? ''}, ${r.a} minus ${r.b} is ${pp(r.spreadSince)}. `);
  if (r.oddsThen) {
    const x = byId.get(r.oddsThen) as BriefFact;
    parts.push(
      ...t`On ${f.storyDate} history said: in ${String(r.oddsSample)} earlier years with the same lead, ${r.a} kept beating ${r.b} over the rest of the year in ${String(r.oddsHits)} (${num(x, 'rate')}).`,
    );
  }
  if (r.note) parts.push(` (${r.note}.)`);
  return parts;
}
