import { NEWS_THRESHOLD } from '../../core/race-history.js';
import { formatWindow, type Window } from '../../core/window.js';
import type { RaceRun } from '../../data/analytics.js';
import type { LoadedSeries } from '../../data/load.js';
import { loadRaceHistory } from '../../data/race-history.js';
import { renderChart } from '../charts/render.js';
import { raceLineSpec, type LinePoint } from '../charts/specs.js';
import type { Block, Section } from '../model.js';
import { num, t, type Text } from '../narrative/text.js';
import { headlineOf, periodPhrase, unusualSentence } from '../news.js';
import { outlookSection } from '../outlook.js';
import { raceOverTime } from '../race-over-time.js';
import { factId, idOf, missing, sourceLine, tryRace, type Ctx } from './context.js';
import { precedentText } from './history.js';
import { oddsText } from './odds.js';

/** A race's base close or last close date, as its fact (`race.….from`, `race.….to`, from raceFacts). */
const spanDate = (ctx: Ctx, r: RaceRun, f: 'from' | 'to') => num(ctx.reg.get(factId(r, f)), 'date');

/** "leads by 4.14 pp", "lags by 1.20 pp", "is level with". */
function relation(ctx: Ctx, r: RaceRun): Text {
  const spread = ctx.reg.get(factId(r, 'spread'));
  const race = r.race!;
  if (race.winner === 'tie') return ['is level with'];
  return t`${race.winner === 'a' ? 'leads' : 'trails'} by ${num(spread, 'pp-abs')}`;
}

function raceSentence(ctx: Ctx, r: RaceRun, span: Text): Text {
  const ra = ctx.reg.get(factId(r, 'retA'));
  const rb = ctx.reg.get(factId(r, 'retB'));
  return t`${span}, ${r.a} returned ${num(ra)} against ${num(rb)} for ${r.b}: it ${relation(ctx, r)}.`;
}

/** Sections 1–3: the headline, the race, and the odds. */
export async function raceSections(
  ctx: Ctx,
  first: number,
): Promise<{
  headline: Text;
  /** How unusual the headline's news is, on the scale of every candidate (core/race-history raceNews). */
  score: number;
  /** The sentence saying how unusual it is; the lede opens with it when the race's news leads the brief. */
  unusual: Text | null;
  lede: Text[];
  sections: Section[];
}> {
  const A = ctx.config.benchmarks.smallCaps;
  const B = ctx.config.benchmarks.bigTech;
  const year = Number(ctx.asOf.slice(0, 4));
  const ytd = await tryRace(ctx, A, B, { kind: 'ytd' });
  if (!ytd || Number(ytd.asOf.slice(0, 4)) !== year) {
    const m = missing(
      `No ${A} and ${B} closes for this year up to ${ctx.asOf}: add them with \`rotation sync ${A} ${B}\` or \`rotation import <files>\`.`,
    );
    return {
      headline: [`No race to report at ${ctx.asOf}`],
      score: 0,
      unusual: null,
      lede: [],
      sections: [
        { id: 'race', title: 'The race', blocks: [m] },
        { id: 'odds', title: 'Will it last?', blocks: [m] },
      ],
    };
  }
  const race = ytd.race!;
  const win: Window = { kind: 'first', sessions: first };
  const firstRace = await tryRace(ctx, A, B, win);
  const mag = await tryRace(ctx, A, 'MAG7', { kind: 'ytd' });
  const nFirst = ctx.count(
    'brief.first-sessions',
    first,
    'sessions in the year-start window',
    [],
    'brief setting (--first)',
    formatWindow(win),
  );
  const ytdSessions = ctx.count(
    `race.${idOf(A)}-${idOf(B)}.ytd.sessions`,
    race.sessions,
    'sessions so far this year',
    [A, B],
    `sessions from ${race.baseDate} close to ${race.endDate} close`,
    'ytd',
  );
  const hist = await loadRaceHistory(ctx.store, A, B, first, { asOf: ctx.asOf, config: ctx.config });
  if (hist) ctx.reg.addAll(hist.facts);
  const names = { a: 'Small caps', b: 'Big Tech' };
  const news = hist
    ? headlineOf(
        ctx.reg,
        hist,
        names,
        ctx.reg.get(factId(ytd, 'spread')),
        firstRace ? ctx.reg.get(factId(firstRace, 'spread')) : null,
      )
    : null;
  const headline = news ? news.text : t`${names.a} and ${names.b} ${periodPhrase(race.endDate)}`;
  const lede: Text[] = [];
  const unusual = news && hist ? unusualSentence(ctx.reg, hist, news.news) : null;
  const spans: { label: string; run: RaceRun }[] = [];
  for (const [label, sessions] of [
    ['Past week', 5],
    ['Past month', 21],
    ['Past quarter', 63],
  ] as const) {
    const r = await tryRace(ctx, A, B, { kind: 'rolling', sessions });
    if (r) spans.push({ label, run: r });
  }
  const [w1, m1] = [spans[0], spans[1]];
  if (w1 && m1)
    lede.push(
      t`Over the past week (${spanDate(ctx, w1.run, 'from')} close to ${spanDate(ctx, w1.run, 'to')}) ${A} minus ${B} was ${num(ctx.reg.get(factId(w1.run, 'spread')), 'pp')}; over the past month (${num(ctx.count('brief.month-sessions', 21, 'sessions in a month span', [], 'rolling:21'))} sessions) ${num(ctx.reg.get(factId(m1.run, 'spread')), 'pp')}.`,
    );
  spans.push({ label: 'Year to date', run: ytd });
  const ytdIsFirst = firstRace !== null && firstRace.race!.endDate === race.endDate;
  if (!ytdIsFirst)
    lede.push(
      raceSentence(
        ctx,
        ytd,
        t`Over the ${num(ytdSessions)} sessions from the ${spanDate(ctx, ytd, 'from')} close to ${spanDate(ctx, ytd, 'to')}`,
      ),
    );
  const magSentence: Text = [];
  if (mag) {
    const m = mag.race!;
    magSentence.push(
      // The basket ends where its members' data end: say so when that is before the main race's end.
      ...t`Against the Magnificent 7 (equal weight, rebalanced quarterly) ${A} ${m.winner === 'a' ? 'leads' : m.winner === 'b' ? 'trails' : 'is level'}${m.winner === 'tie' ? '' : t` by ${num(ctx.reg.get(factId(mag, 'spread')), 'pp-abs')}`}; the basket returned ${num(ctx.reg.get(factId(mag, 'retB')))}${m.endDate !== race.endDate ? t` (to ${num(ctx.fact({ id: `race.${idOf(A)}-mag7.ytd.end-date`, value: m.endDate, unit: 'date', label: 'last session with a close for every MAG7 member', inputs: ['MAG7'], asOf: m.endDate, method: 'the basket ends where its members’ data end (data/load)' }), 'date')}, the last close stored for all its members)` : ''}.`,
    );
  }
  const raceBlocks: Block[] = [];
  const oddsBlocks: Block[] = [];
  // The year-start story leads only while it matters: in January, or when it is the news.
  const startInLede = race.endDate.slice(5, 7) === '01' || news?.news.kind === 'year-start';
  const startText: Text[] = [];
  if (firstRace) {
    const fr = firstRace.race!;
    const span = fr.complete
      ? t`Over the first ${num(nFirst)} sessions of the year${ytdIsFirst ? t` (the whole year so far, from the ${spanDate(ctx, ytd, 'from')} close to ${spanDate(ctx, ytd, 'to')})` : ''}`
      : t`The first ${num(nFirst)} sessions are not over yet; over the ${num(ctx.count(`race.${idOf(A)}-${idOf(B)}.${formatWindow(win).replace(':', '')}.sessions`, fr.sessions, 'sessions of the year-start window so far', [A, B], 'sessions counted to the as-of date'))} so far`;
    // the Mag 7 sentence follows the year-to-date figures it compares with
    if (!ytdIsFirst && magSentence.length > 0) lede.push(magSentence);
    startText.push(raceSentence(ctx, firstRace, span));
    if (ytdIsFirst && magSentence.length > 0) startText.push(magSentence);
    const prec = await precedentText(ctx, A, B, win, year, nFirst);
    startText.push(...prec.lede);
    raceBlocks.push(...prec.blocks);
    oddsBlocks.push(...(await oddsText(ctx, A, B, win, fr.winner, nFirst, hist)));
  } else {
    if (magSentence.length > 0) lede.push(magSentence);
    raceBlocks.push(
      missing(
        `The first sessions of ${year} cannot be measured: ${A} and ${B} need the last close of ${year - 1}.`,
      ),
    );
  }
  if (startInLede) lede.push(...startText);
  else raceBlocks.unshift(...startText.map((x): Block => ({ kind: 'p', text: x })));
  if (hist) raceBlocks.unshift(...(await raceOverTime(ctx.reg, hist, ytd, spans, sourceLine(ctx, [A, B]))));

  // the year-to-date chart: cumulative returns of A, B and MAG7 from the base close
  const chartSeries: { name: string; r: RaceRun; leg: 'a' | 'b' }[] = [
    { name: A, r: ytd, leg: 'a' },
    { name: B, r: ytd, leg: 'b' },
  ];
  const points: LinePoint[] = [];
  for (const c of chartSeries) {
    const s = await ctx.load(c.name);
    if (!s) continue;
    pushCumulative(points, s, race.baseDate, race.endDate, c.name);
  }
  const magSeries = mag ? await ctx.load('MAG7') : null;
  if (magSeries) pushCumulative(points, magSeries, race.baseDate, race.endDate, 'MAG7');
  const src = sourceLine(ctx, [A, B, ...(magSeries ? ['MAG7'] : [])]);
  raceBlocks.unshift({
    kind: 'chart',
    id: 'race-ytd',
    title: `${A} vs ${B}${magSeries ? ' vs MAG7' : ''}, year to date`,
    ...(await renderChart((narrow) =>
      raceLineSpec(points, {
        narrow,
        title: `Year to date: ${A} vs ${B}${magSeries ? ' vs MAG7' : ''}`,
        source: src,
        baseDate: race.baseDate,
      }),
    )),
    caption: t`Return since the ${spanDate(ctx, ytd, 'from')} close, stored closes, data to ${spanDate(ctx, ytd, 'to')}.`,
  });
  return {
    headline,
    score: news?.news.score ?? NEWS_THRESHOLD,
    unusual,
    lede,
    sections: [
      { id: 'race', title: 'The race', blocks: raceBlocks },
      { id: 'odds', title: 'Will it last?', blocks: oddsBlocks },
      ...(hist ? [outlookSection(ctx.reg, hist, ctx.reg.get(factId(ytd, 'spread')))] : []),
    ],
  };
}

function pushCumulative(out: LinePoint[], s: LoadedSeries, base: string, end: string, name: string): void {
  const i0 = s.dates.findIndex((d) => d === base);
  if (i0 < 0) return;
  const v0 = s.values[i0] as number;
  for (let i = i0; i < s.dates.length && (s.dates[i] as string) <= end; i++)
    out.push({ date: s.dates[i] as string, series: name, value: (s.values[i] as number) / v0 - 1 });
}
