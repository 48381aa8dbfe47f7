import { rrg, type RrgMember } from '../../core/rrg.js';
import { clearsHysteresis, RRG_HYSTERESIS_POINTS } from '../../core/rrg-hysteresis.js';
import type { LoadedSeries } from '../../data/load.js';
import { renderChart } from '../charts/render.js';
import { rrgSpec } from '../charts/specs.js';
import type { Block, Section } from '../model.js';
import { join, num, t, type Text } from '../narrative/text.js';
import { weekPhrase } from '../news.js';
import { idOf, missing, type Ctx } from './context.js';

/** Weekly points in each RRG tail. */
const RRG_TAIL_WEEKS = 6;

/** Section 4: sectors against the market benchmark on a weekly RRG. */
export async function sectorSection(ctx: Ctx): Promise<Section> {
  const title = 'Sector rotation';
  const benchSym = ctx.config.benchmarks.market;
  const sectors = ctx.config.benchmarks.sectors;
  const bench = await ctx.load(benchSym);
  const members: { symbol: string; series: LoadedSeries }[] = [];
  for (const s of sectors) {
    const l = await ctx.load(s);
    if (l) members.push({ symbol: l.symbol, series: l });
  }
  if (!bench || members.length === 0)
    return {
      id: 'sectors',
      title,
      blocks: [
        missing(
          `No ${benchSym} or sector ETF closes stored: add them with \`rotation sync ${benchSym} ${sectors.slice(0, 3).join(' ')} …\` or \`rotation import <files>\`.`,
        ),
      ],
    };
  const res = rrg({
    benchmark: { symbol: bench.symbol, series: bench },
    members,
    period: 'weekly',
    tail: RRG_TAIL_WEEKS,
    asOf: ctx.asOf,
  });
  const shown = res.members.filter(
    (m): m is RrgMember & { latest: NonNullable<RrgMember['latest']> } => m.latest !== null,
  );
  if (shown.length === 0 || !res.asOf)
    return {
      id: 'sectors',
      title,
      blocks: [
        missing(
          'Too little common weekly history for a rotation graph (about a year and a quarter is needed).',
        ),
      ],
    };
  const stale = res.asOf < ctx.asOf ? ` (benchmark data end ${res.asOf})` : '';
  const rid = `rrg.${idOf(benchSym)}.weekly`;
  const rows: Text[][] = shown.map((m) => {
    const ratio = ctx.fact({
      id: `${rid}.${idOf(m.symbol)}.ratio`,
      value: m.latest.ratio,
      unit: 'index',
      label: `${m.symbol} RS-Ratio vs ${benchSym}`,
      inputs: [m.symbol, benchSym],
      asOf: m.latest.date,
      method: `100 + z-score of close/benchmark over ${res.params.window} weeks`,
      window: 'weekly',
    });
    const mom = ctx.fact({
      id: `${rid}.${idOf(m.symbol)}.momentum`,
      value: m.latest.momentum,
      unit: 'index',
      label: `${m.symbol} RS-Momentum vs ${benchSym}`,
      inputs: [m.symbol, benchSym],
      asOf: m.latest.date,
      method: `100 + z-score of the ${res.params.lag}-week change of RS-Ratio`,
      window: 'weekly',
    });
    return [
      [m.symbol],
      [m.quadrant ?? ''],
      [num(ratio, 'level')],
      [num(mom, 'level')],
      [m.quadrantSinceStart ? 'start of data' : (m.quadrantSince ?? '')],
    ];
  });
  const byQuadrant = (q: string) => shown.filter((m) => m.quadrant === q).map((m) => m.symbol);
  const parts = ['leading', 'improving', 'weakening', 'lagging']
    .map((q) => ({ q, syms: byQuadrant(q) }))
    .filter((x) => x.syms.length > 0)
    .map((x) => t`${x.q[0]?.toUpperCase()}${x.q.slice(1)}: ${x.syms.join(', ')}`);
  const moved = shown.flatMap((m) => m.transitions.filter((c) => c.date === res.asOf).map((c) => ({ m, c })));
  // a change within the hysteresis band around 100 is noise, not news (core/rrg-hysteresis)
  const week = moved.filter(({ m, c }) =>
    clearsHysteresis(c.from, c.to, m.latest.ratio ?? 100, m.latest.momentum ?? 100),
  );
  const noise = moved.filter((x) => !week.includes(x));
  const band = ctx.fact({
    id: 'rrg.params.hysteresis',
    value: RRG_HYSTERESIS_POINTS,
    unit: 'index',
    label: 'band around 100 a quadrant change must clear to be reported',
    inputs: [],
    asOf: ctx.asOf,
    method: 'core/rrg-hysteresis RRG_HYSTERESIS_POINTS',
  });
  const weekText: Text = t`${
    week.length === 0
      ? 'No sector changed quadrant in the latest week.'
      : t`In the latest week ${join(
          week.map(({ m, c }) => t`${m.symbol} moved from ${c.from} to ${c.to}`),
          ', ',
          ' and ',
        )}.`
  }${
    noise.length > 0
      ? t` ${join(
          noise.map(({ m, c }) => t`${m.symbol} (${c.from} to ${c.to})`),
          ', ',
          ' and ',
        )} crossed a line by less than ${num(band, 'level')} points: within the noise, not counted as a change.`
      : ''
  }`;
  const dots = shown.flatMap((m) =>
    m.tail.map((p, i) => ({
      symbol: m.symbol,
      date: p.date,
      ratio: p.ratio as number,
      momentum: p.momentum as number,
      order: i,
      last: i === m.tail.length - 1,
    })),
  );
  const blocks: Block[] = [
    {
      kind: 'p',
      text: t`Weekly Relative Rotation Graph of the sector ETFs against ${benchSym}, ${weekPhrase(ctx.reg, ctx.asOf, res.asOf)}${stale}. ${join(parts, '; ')}.`,
    },
    { kind: 'p', text: weekText },
    {
      kind: 'chart',
      id: 'rrg',
      title: `Sector RRG vs ${benchSym}`,
      ...(await renderChart((narrow) =>
        rrgSpec(dots, {
          narrow,
          tailWeeks: RRG_TAIL_WEEKS,
          title: `Sectors vs ${benchSym}, weekly RRG`,
          source: `Source: weekly closes of the sector ETFs and ${benchSym} (rotation store), as of ${ctx.asOf}`,
        }),
      )),
      caption: t`Each tail shows the last ${num(ctx.count('rrg.params.tail', RRG_TAIL_WEEKS, 'RRG tail length (weeks)', [], 'brief setting'))} weekly points, ending at the filled symbol; right of the vertical line = stronger than ${benchSym}, above the horizontal line = gaining. Quadrants: Leading (top right), Weakening (bottom right), Lagging (bottom left), Improving (top left).`,
    },
    {
      kind: 'table',
      caption: `Quadrants vs ${benchSym}`,
      head: ['Sector', 'Quadrant', 'RS-Ratio', 'RS-Momentum', 'In quadrant since'],
      rows,
    },
  ];
  for (const w of res.warnings.filter((x) => x.code === 'short-history'))
    blocks.push(missing(`${w.symbol}: too little history for a point yet.`));
  return { id: 'sectors', title, blocks };
}
