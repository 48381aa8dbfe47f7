import { rrg, type RrgMember } from '../../core/rrg.js';
import { clearsHysteresis, RRG_HYSTERESIS_POINTS } from '../../core/rrg-hysteresis.js';
import type { Window } from '../../core/window.js';
import { rrgFacts, runBreadth, type RaceRun } from '../../data/analytics.js';
import { sectorNews } from '../../data/analytics/sector-news.js';
import type { LoadedSeries } from '../../data/load.js';
import type { TradingDate } from '../../shared/brand.js';
import { NotFoundError } from '../../shared/errors.js';
import { renderChart } from '../charts/render.js';
import { rrgSpec } from '../charts/specs.js';
import type { Block, Section } from '../model.js';
import { join, num, t, type Text } from '../narrative/text.js';
import { weekPhrase, type HeadlineCandidate } from '../news.js';
import { factId, idOf, missing, tryRace, type Ctx } from './context.js';

/** Weekly points in each RRG tail. */
const RRG_TAIL_WEEKS = 6;

/** Section 4: sectors against the market benchmark on a weekly RRG. */
export async function sectorSection(ctx: Ctx): Promise<{ section: Section; news: HeadlineCandidate[] }> {
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
      news: [],
      section: {
        id: 'sectors',
        title,
        blocks: [
          missing(
            `No ${benchSym} or sector ETF closes stored: add them with \`rotation sync ${benchSym} ${sectors.slice(0, 3).join(' ')} …\` or \`rotation import <files>\`.`,
          ),
        ],
      },
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
      news: [],
      section: {
        id: 'sectors',
        title,
        blocks: [
          missing(
            'Too little common weekly history for a rotation graph (about a year and a quarter is needed).',
          ),
        ],
      },
    };
  const rid = `rrg.${idOf(benchSym)}.weekly`;
  const rrgById = new Map(rrgFacts(res).map((f) => [f.id, f]));
  const rrgFact = (id: string) => {
    const f = rrgById.get(id);
    if (!f) throw new Error(`the RRG has no fact ${id}`);
    return f;
  };
  const stale: Text =
    res.asOf < ctx.asOf
      ? t` (benchmark data end ${num(ctx.fact({ id: `${rid}.data-end`, value: res.asOf, unit: 'date', label: `last weekly point of ${benchSym} read`, inputs: [benchSym], asOf: res.asOf, method: 'core/rrg: the last week with a close on or before the as-of date' }), 'date')})`
      : [];
  const spans = await sectorReturns(
    ctx,
    shown.map((m) => m.symbol),
    benchSym,
  );
  const rows: Text[][] = shown.map((m) => {
    // the same facts `rotation rrg` prints (data/analytics rrgFacts), so a fact id has one value
    const ratio = ctx.fact(rrgFact(`${rid}.${idOf(m.symbol)}.ratio`));
    const mom = ctx.fact(rrgFact(`${rid}.${idOf(m.symbol)}.momentum`));
    return [
      [m.symbol],
      [m.quadrant ?? ''],
      [num(ratio, 'level')],
      [num(mom, 'level')],
      [
        m.quadrantSinceStart || !m.quadrantSince
          ? 'start of data'
          : num(ctx.fact(rrgFact(`${rid}.${idOf(m.symbol)}.quadrant-since`)), 'date'),
      ],
      ...spans.cells(m.symbol),
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
      head: [
        'Sector',
        'Quadrant',
        'RS-Ratio',
        'RS-Momentum',
        'In quadrant since',
        ...SPANS.map((x) => x.head),
      ],
      rows,
    },
    ...spans.blocks,
    ...(await breadthBlocks(ctx)),
  ];
  for (const w of res.warnings.filter((x) => x.code === 'short-history'))
    blocks.push(missing(`${w.symbol}: too little history for a point yet.`));
  return {
    section: { id: 'sectors', title, blocks },
    news: leadingNews(ctx, res.asOf, rid, benchSym, members, bench),
  };
}

/** The return spans beside the RRG positions: the same windows as the race's table (`rotation race … --window`). */
const SPANS = [
  { key: 'week', head: 'Past week', window: { kind: 'rolling', sessions: 5 } },
  { key: 'month', head: 'Past month', window: { kind: 'rolling', sessions: 21 } },
  { key: 'ytd', head: 'Year to date', window: { kind: 'ytd' } },
] as const satisfies readonly { key: string; head: string; window: Window }[];

type SpanKey = (typeof SPANS)[number]['key'];

/**
 * Each sector's return over the past week, month and year to date against the benchmark, each a race through the
 * loading layer (`rotation race XLK SPY --window rolling:5`): the cells of the quadrants table and a sentence on
 * the strongest and weakest sector of each span.
 */
async function sectorReturns(
  ctx: Ctx,
  symbols: readonly string[],
  bench: string,
): Promise<{ cells: (symbol: string) => Text[]; blocks: Block[] }> {
  const runs = new Map<string, Partial<Record<SpanKey, RaceRun>>>();
  for (const sym of symbols) {
    const row: Partial<Record<SpanKey, RaceRun>> = {};
    for (const span of SPANS) {
      const r = await tryRace(ctx, sym, bench, span.window);
      if (r) row[span.key] = r;
    }
    runs.set(sym, row);
  }
  const cells = (sym: string): Text[] =>
    SPANS.map((span) => {
      const r = runs.get(sym)?.[span.key];
      return r ? [num(ctx.reg.get(factId(r, 'retA')))] : ['n/a'];
    });
  const parts: Text[] = [];
  for (const span of SPANS) {
    const ranked = symbols
      .map((sym) => runs.get(sym)?.[span.key])
      .filter((r): r is RaceRun => r !== undefined)
      .sort((x, y) => (y.race?.retA ?? 0) - (x.race?.retA ?? 0));
    const top = ranked[0];
    const bottom = ranked.at(-1);
    if (!top || !bottom || top === bottom) continue;
    const label =
      span.key === 'week'
        ? t`over the past week (${num(ctx.count('brief.week-sessions', 5, 'sessions in a week span', [], 'rolling:5'))} sessions to ${num(ctx.reg.get(factId(top, 'to')), 'date')})`
        : span.key === 'month'
          ? t`over the past month (${num(ctx.count('brief.month-sessions', 21, 'sessions in a month span', [], 'rolling:21'))} sessions)`
          : t`so far this year (from the ${num(ctx.reg.get(factId(top, 'from')), 'date')} close)`;
    parts.push(
      t`${label} ${top.a} was strongest at ${num(ctx.reg.get(factId(top, 'retA')))} and ${bottom.a} weakest at ${num(ctx.reg.get(factId(bottom, 'retA')))}, against ${num(ctx.reg.get(factId(top, 'retB')))} for ${bench}`,
    );
  }
  const blocks: Block[] =
    parts.length > 0
      ? [
          {
            kind: 'p',
            text: t`Sector returns (stored closes, price basis): ${join(parts, '; ')}. The past week counts whole sessions back from the last close, not the calendar week.`,
          },
        ]
      : [];
  return { cells, blocks };
}

/** Equal weight against cap weight: the pairs `rotation breadth --equal … --cap …` compares, when stored. */
const BREADTH_PAIRS = [
  { equal: 'RSP', cap: 'SPY', name: 'S&P 500' },
  { equal: 'QQQE', cap: 'QQQ', name: 'Nasdaq-100' },
] as const;

const BREADTH_WINDOWS = {
  ytd: 'Year to date',
  '1m': 'Past month',
  '3m': 'Past quarter',
  '12m': 'Past year',
};

/**
 * Breadth in the brief: the equal-weight fund's return relative to its cap-weight twin over the breadth windows,
 * from `runBreadth` (the loading function of `rotation breadth`, with its default basis and its facts), and the ratio's trend.
 * A pair not stored is named with how to add it.
 */
async function breadthBlocks(ctx: Ctx): Promise<Block[]> {
  const rows: Text[][] = [];
  const sentences: Text[] = [];
  const absent: string[] = [];
  let basisUsed: string = 'price';
  for (const pair of BREADTH_PAIRS) {
    let run: Awaited<ReturnType<typeof runBreadth>>;
    try {
      run = await runBreadth(ctx.store, {
        universe: pair.cap === 'SPY' ? 'sp500' : 'ndx',
        explicitUniverse: false,
        equal: pair.equal,
        cap: pair.cap,
        asOf: ctx.asOf,
      });
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
      absent.push(`${pair.equal} vs ${pair.cap}`);
      continue;
    }
    basisUsed = run.basis;
    const { equal, cap, windows, ratioTrend } = run.equalVsCap;
    const bid = `breadth.${idOf(equal)}-${idOf(cap)}`;
    const cells: Text[] = [];
    for (const w of windows) {
      if (w.relative === null || w.from === null || w.to === null) {
        cells.push(['n/a']);
        continue;
      }
      const fact = run.facts.find((x) => x.id === `${bid}.${w.window}.relative`);
      if (!fact) throw new Error(`rotation breadth gave no fact ${bid}.${w.window}.relative`);
      const f = ctx.fact(fact);
      cells.push([num(f)]);
      if (w.window === 'ytd')
        sentences.push(
          t`the equal-weight ${pair.name} fund ${equal} is ${num(f)} relative to the cap-weighted ${cap} so far this year (${w.relative >= 0 ? 'the average stock ahead' : 'the largest stocks ahead'})`,
        );
    }
    rows.push([[`${equal} vs ${cap}`], ...cells, [ratioTrend.trend ?? 'n/a']]);
  }
  const blocks: Block[] = [];
  if (rows.length > 0) {
    blocks.push({
      kind: 'p',
      text: t`Breadth, equal weight against cap weight (${basisUsed} basis): ${join(sentences, '; ')}.`,
    });
    blocks.push({
      kind: 'table',
      caption: 'Equal weight relative to cap weight',
      head: ['Pair', ...Object.values(BREADTH_WINDOWS), 'Ratio trend'],
      rows,
    });
  }
  if (absent.length > 0)
    blocks.push(
      missing(
        `Not stored, so not shown: ${absent.join(', ')} (add them with \`rotation sync ${BREADTH_PAIRS.flatMap((p) => [p.equal, p.cap]).join(' ')}\` or \`rotation import <files>\`).`,
      ),
    );
  return blocks;
}

/**
 * A sector entering or leaving Leading in the latest week, clearing the hysteresis band, as a headline candidate:
 * the facts of data/analytics/sector-news (`rotation rrg --news` prints the same), rendered.
 */
function leadingNews(
  ctx: Ctx,
  week: TradingDate,
  rid: string,
  benchSym: string,
  members: { symbol: string; series: LoadedSeries }[],
  bench: LoadedSeries,
): HeadlineCandidate[] {
  const { items } = sectorNews({ bench, members, week, asOf: ctx.asOf });
  if (items.length === 0) return [];
  // a week not over yet is named as partial, never "week ending" (news.ts weekPhrase)
  const wp = weekPhrase(ctx.reg, ctx.asOf, week);
  return items.map((x) => {
    const dir = x.entered ? 'entered' : 'left';
    const score = ctx.fact(x.score);
    const n = ctx.fact(x.historyN);
    const who = join(
      x.moves.map((m) => {
        const ratio = ctx.reg.find(`${rid}.${idOf(m.symbol)}.ratio`);
        return ratio ? t`${m.symbol} (RS-Ratio ${num(ratio, 'level')})` : [m.symbol];
      }),
      ', ',
      ' and ',
    );
    return {
      kind: x.entered ? 'sector-enters-leading' : 'sector-leaves-leading',
      score: score.value as number,
      headline: t`${who} ${x.entered ? (x.moves.length > 1 ? 'enter' : 'enters') : x.moves.length > 1 ? 'leave' : 'leaves'} the Leading quadrant against ${benchSym} in ${wp[0] === `week ending ${week}` ? 'the ' : ''}${wp}`,
      unusual: t`That is news: in ${num(score, 'rate')} of the ${num(n)} earlier weeks since ${num(ctx.fact(x.firstWeek), 'date')} no sector ${dir} Leading by more than the hysteresis band.`,
    };
  });
}
