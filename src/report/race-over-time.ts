import type { RaceRun } from '../data/analytics.js';
import type { RaceHistoryRun } from '../data/race-history.js';
import { renderChart } from './charts/render.js';
import { ratioLineSpec, type RatioMark } from './charts/specs.js';
import type { FactRegistry } from './facts/registry.js';
import type { Block } from './model.js';
import { extremesText, leadChangesText } from './news.js';
import { num, t, type Text } from './narrative/text.js';

const field = (r: RaceRun, f: string) => r.facts.find((x) => x.id.endsWith(`.${f}`))?.id as string;

/**
 * "The race over time": the ratio line with lead changes and the widest lead and deficit marked, the lead
 * changes in words, and the 1-week, 1-month, 3-month and year-to-date spreads in one small table. `ytd` carries
 * the ratio line; `spans` are the races over each span (rolling:5, rolling:21, rolling:63, ytd), all registered.
 */
export async function raceOverTime(
  reg: FactRegistry,
  h: RaceHistoryRun,
  ytd: RaceRun,
  spans: readonly { label: string; run: RaceRun }[],
  source: string,
): Promise<Block[]> {
  const race = ytd.race!;
  const ratio = race.ratio.dates.map((d, i) => ({
    date: d as string,
    value: race.ratio.values[i] as number,
  }));
  const at = new Map(ratio.map((p) => [p.date, p.value]));
  const marks: RatioMark[] = [];
  for (const c of h.changes)
    marks.push({ date: c.date, value: at.get(c.date) as number, label: 'lead change' });
  if (h.lead) marks.push({ date: h.lead.date, value: at.get(h.lead.date) as number, label: 'widest lead' });
  if (h.deficit)
    marks.push({ date: h.deficit.date, value: at.get(h.deficit.date) as number, label: 'widest deficit' });
  const blocks: Block[] = [
    { kind: 'p', text: leadChangesText(reg, h) },
    { kind: 'p', text: extremesText(reg, h) },
    {
      kind: 'chart',
      id: 'ratio-line',
      title: `${h.a}/${h.b} ratio line, ${h.year}`,
      ...(await renderChart((narrow) =>
        ratioLineSpec(
          ratio,
          marks.filter((m) => m.value !== undefined),
          {
            title: `${h.a}/${h.b} ratio line, ${h.year}`,
            source,
            baseDate: race.baseDate,
            yTitle: `${h.a}/${h.b} (${race.baseDate} close = 1)`,
            narrow,
          },
        ),
      )),
      caption: t`Rising = ${h.a} ahead of ${h.b} since the ${num(reg.get(field(ytd, 'from')), 'date')} close; dots mark the lead changes and the widest lead and deficit (the dates are in the text above).`,
    },
  ];
  const rows: Text[][] = spans.map(({ label, run }) => [
    [label],
    [num(reg.get(field(run, 'retA')))],
    [num(reg.get(field(run, 'retB')))],
    [num(reg.get(field(run, 'spread')), 'pp')],
    t`${num(reg.get(field(run, 'from')), 'date')} → ${num(reg.get(field(run, 'to')), 'date')}`,
  ]);
  if (rows.length > 0)
    blocks.push({
      kind: 'table',
      caption: `${h.a} vs ${h.b} over the past week, month and quarter of sessions, and the year to date`,
      head: ['Span', h.a, h.b, 'Spread', 'Closes'],
      rows,
    });
  return blocks;
}
