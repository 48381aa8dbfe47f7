import { isSession, previousSession } from '../core/calendar/calendar.js';
import { parseClaim, type Claim } from '../core/claim.js';
import { MIN_SAMPLE } from '../core/precedents.js';
import { rrg, RRG_DEFAULTS, type RrgMember } from '../core/rrg.js';
import { clearsHysteresis, RRG_HYSTERESIS_POINTS } from '../core/rrg-hysteresis.js';
import { formatWindow, type Window } from '../core/window.js';
import { runCheck, runOdds, runPrecedents, runRace, type RaceRun } from '../data/analytics.js';
import { DEFAULT_CONFIG, type Config } from '../data/config.js';
import { loadSeries, type LoadedSeries } from '../data/load.js';
import type { Store } from '../data/store/store.js';
import type { TradingDate } from '../shared/brand.js';
import { NotFoundError } from '../shared/errors.js';
import { renderChart } from './charts/render.js';
import { raceLineSpec, rrgSpec, yearBarsSpec, type LinePoint } from './charts/specs.js';
import { FactRegistry, type BriefFact } from './facts/registry.js';
import type { Block, Brief, Section, SeriesUse } from './model.js';
import { join, num, t, type Text } from './narrative/text.js';
import { macroSection, whySections } from './why.js';
import { loadRaceHistory, type RaceHistoryRun } from '../data/race-history.js';
import { honestOdds } from './odds-honest.js';
import { outlookSection } from './outlook.js';
import { headlineOf, periodPhrase, unusualSentence, weekPhrase } from './news.js';
import { raceOverTime } from './race-over-time.js';

export type BriefOptions = {
  /** Nothing after this date is read; default the last session stored for the small-cap benchmark. */
  asOf?: TradingDate | undefined;
  config?: Config | undefined;
  /** Sessions of the year-start window (default 7: `first:7`). */
  firstSessions?: number | undefined;
  /** Claims in words to check and report ("the Russell 2000 beat the Nasdaq-100 over the first 7 sessions of 2026 for the first time since 2019"). */
  claims?: readonly string[] | undefined;
  /**
   * The last completed NYSE session at the time of writing, from the clock at the CLI edge (brief.ts); with no
   * `asOf`, a brief whose data end before it opens with a banner. With `asOf`, the session on or before it is used.
   */
  lastCompletedSession?: TradingDate | undefined;
  /** Called after each section with its name and milliseconds (timings for the bench). */
  onTiming?: ((step: string, ms: number) => void) | undefined;
};

/** Holds what the sections share: the registry, the series read, the as-of date. */
class Ctx {
  readonly reg = new FactRegistry();
  readonly series = new Map<string, LoadedSeries>();
  readonly store: Store;
  readonly asOf: TradingDate;
  readonly config: Config;
  readonly claims: readonly string[];
  constructor(store: Store, asOf: TradingDate, config: Config, claims: readonly string[]) {
    this.store = store;
    this.asOf = asOf;
    this.config = config;
    this.claims = claims;
  }

  fact(f: BriefFact): BriefFact {
    return this.reg.add(f);
  }

  /** A count or setting the text prints, as a fact. */
  count(
    id: string,
    value: number,
    label: string,
    inputs: string[],
    method: string,
    window?: string,
  ): BriefFact {
    return this.fact({
      id,
      value,
      unit: 'count',
      label,
      inputs,
      asOf: this.asOf,
      method,
      ...(window ? { window } : {}),
    });
  }

  year(id: string, value: number, label: string, inputs: string[], method: string): BriefFact {
    return this.fact({ id, value, unit: 'year', label, inputs, asOf: this.asOf, method });
  }

  async load(symbol: string): Promise<LoadedSeries | null> {
    const hit = this.series.get(symbol);
    if (hit) return hit;
    try {
      const s = await loadSeries(this.store, symbol, { asOf: this.asOf, config: this.config });
      this.series.set(symbol, s);
      return s;
    } catch (e) {
      if (e instanceof NotFoundError) return null;
      throw e;
    }
  }
}

const idOf = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '');
const missing = (words: string): Block => ({ kind: 'missing', text: [words] });

async function tryRace(ctx: Ctx, a: string, b: string, w: Window): Promise<RaceRun | null> {
  try {
    const r = await runRace(ctx.store, a, b, w, { asOf: ctx.asOf, config: ctx.config });
    if (!r.race) return null;
    ctx.reg.addAll(r.facts);
    return r;
  } catch (e) {
    if (e instanceof NotFoundError) return null;
    throw e;
  }
}

const factId = (r: RaceRun, field: string) => r.facts.find((f) => f.id.endsWith(`.${field}`))?.id as string;

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
async function raceSections(
  ctx: Ctx,
  first: number,
): Promise<{ headline: Text; lede: Text[]; sections: Section[] }> {
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
  if (unusual) lede.push(unusual);
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
      t`Over the past week (${w1.run.race!.baseDate} close to ${w1.run.race!.endDate}) ${A} minus ${B} was ${num(ctx.reg.get(factId(w1.run, 'spread')), 'pp')}; over the past month (${num(ctx.count('brief.month-sessions', 21, 'sessions in a month span', [], 'rolling:21'))} sessions) ${num(ctx.reg.get(factId(m1.run, 'spread')), 'pp')}.`,
    );
  spans.push({ label: 'Year to date', run: ytd });
  const ytdIsFirst = firstRace !== null && firstRace.race!.endDate === race.endDate;
  if (!ytdIsFirst)
    lede.push(
      raceSentence(
        ctx,
        ytd,
        t`Over the ${num(ytdSessions)} sessions from the ${race.baseDate} close to ${race.endDate}`,
      ),
    );
  const magSentence: Text = [];
  if (mag) {
    const m = mag.race!;
    magSentence.push(
      // The basket ends where its members' data end: say so when that is before the main race's end.
      ...t`Against the Magnificent 7 (equal weight, rebalanced quarterly) ${A} ${m.winner === 'a' ? 'leads' : m.winner === 'b' ? 'trails' : 'is level'}${m.winner === 'tie' ? '' : t` by ${num(ctx.reg.get(factId(mag, 'spread')), 'pp-abs')}`}; the basket returned ${num(ctx.reg.get(factId(mag, 'retB')))}${m.endDate !== race.endDate ? t` (to ${m.endDate}, the last close stored for all its members)` : ''}.`,
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
      ? t`Over the first ${num(nFirst)} sessions of the year${ytdIsFirst ? t` (the whole year so far, from the ${race.baseDate} close to ${race.endDate})` : ''}`
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
    caption: t`Return since the ${race.baseDate} close, stored closes, data to ${race.endDate}.`,
  });
  return {
    headline,
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

function sourceLine(ctx: Ctx, symbols: string[]): string {
  return `Source: stored closes of ${symbols.join(', ')} (rotation store), as of ${ctx.asOf}`;
}

/** Year-start history and the "first time since" precedent, only as far as the claim check supports it. */
async function precedentText(
  ctx: Ctx,
  A: string,
  B: string,
  win: Window,
  year: number,
  nFirst: BriefFact,
): Promise<{ lede: Text[]; blocks: Block[] }> {
  const lede: Text[] = [];
  const blocks: Block[] = [];
  const p = (
    await runPrecedents(
      ctx.store,
      { kind: 'beats', a: A, b: B, window: win },
      { asOf: ctx.asOf, config: ctx.config },
    )
  ).precedents;
  const pid = `precedents.${idOf(A)}-${idOf(B)}.${formatWindow(win).replace(':', '')}`;
  const firstYear = p.periods.find((r) => r.complete)?.year;
  const count = ctx.count(
    `${pid}.count`,
    p.count,
    `years ${A} beat ${B} over ${formatWindow(win)}`,
    [A, B],
    'complete year-start windows with spread > 0',
    formatWindow(win),
  );
  const tested = ctx.count(
    `${pid}.tested`,
    p.tested,
    'complete years tested',
    [A, B],
    'years with a complete window in the common data',
    formatWindow(win),
  );
  const years = ctx.fact({
    id: `${pid}.years`,
    value: p.occurrences.map((o) => o.year).join(', ') || 'none',
    unit: 'year',
    label: `years ${A} beat ${B} over ${formatWindow(win)}`,
    inputs: [A, B],
    window: formatWindow(win),
    asOf: ctx.asOf,
    method: 'complete year-start windows with spread > 0',
  });
  blocks.push({
    kind: 'p',
    text: t`Since ${firstYear !== undefined ? String(firstYear) : 'the start of the data'}, ${A} beat ${B} over the first ${num(nFirst)} sessions in ${num(count)} of ${num(tested)} complete years (${num(years)}).`,
  });
  blocks.push({
    kind: 'chart',
    id: 'year-start',
    title: `First sessions of each year: ${A} minus ${B}`,
    ...(await renderChart((narrow) =>
      yearBarsSpec(
        p.periods.map((r) => ({ year: String(r.year), spread: r.spread, winner: r.spread > 0 ? A : B })),
        {
          narrow,
          title: `First ${formatWindow(win).split(':')[1]} sessions of each year: ${A} minus ${B}`,
          source: sourceLine(ctx, [A, B]),
          winnerTitle: 'Won by',
        },
      ),
    )),
    caption: t`Spread of returns from the last close of the previous year to the close of the session ending the window; bars on the positive side of the spread axis are years ${A} won.`,
  });
  const latest = p.latest;
  if (latest && latest.year === year && latest.complete && latest.hit) {
    if (p.lastBefore) {
      const since = p.lastBefore.year;
      const claim: Claim = { a: A, b: B, window: win, year, firstSince: since, aText: A, bText: B };
      const check = await runCheck(ctx.store, claim, { asOf: ctx.asOf, config: ctx.config });
      const sinceF = ctx.year(
        `${pid}.last-before`,
        since,
        `last year before ${year} that ${A} beat ${B} over ${formatWindow(win)}`,
        [A, B],
        'the latest earlier complete year with spread > 0',
      );
      const holds = ctx.count(
        `check.${pid}.holds`,
        check.holds,
        'definitions under which the precedent holds',
        [A, B],
        'rotation check: index/ETF twins, Big Tech proxies, year-start windows, price and total',
        formatWindow(win),
      );
      const measured = ctx.count(
        `check.${pid}.measured`,
        check.holds + check.fails,
        'definitions with data',
        [A, B],
        'definitions that hold or fail (pending and no data excluded)',
        formatWindow(win),
      );
      lede.push(
        t`By this definition (${A} vs ${B}, first ${num(nFirst)} sessions, stored closes) it is the first time since ${num(sinceF)}; the precedent holds under ${num(holds)} of ${num(measured)} definitions checked${check.holds < check.holds + check.fails ? ', so it depends on the measure' : ''}.`,
      );
      blocks.push(...counterExamples(ctx, check.rows, `${pid}`, 3));
    } else if (firstYear !== undefined) {
      lede.push(
        t`By this definition it had not happened before in the stored history, which starts in ${String(firstYear)}.`,
      );
    }
  }
  for (const [i, sentence] of ctx.claims.entries()) blocks.push(...(await claimBlocks(ctx, sentence, i + 1)));
  return { lede, blocks };
}

/** Up to `max` definitions under which a first-since precedent fails, each with the year that breaks it. */
function counterExamples(
  ctx: Ctx,
  rows: Awaited<ReturnType<typeof runCheck>>['rows'],
  pid: string,
  max: number,
): Block[] {
  const fails = rows.filter((r) => r.evaluation.status === 'fails' && r.evaluation.lastBefore !== null);
  if (fails.length === 0) return [];
  const items: Text[] = fails.slice(0, max).map((r) => {
    const id = `check.${pid}.${idOf(r.a)}-${idOf(r.b)}.${formatWindow(r.window).replace(':', '')}.${r.basis}.last-before`;
    const f = ctx.year(
      id,
      r.evaluation.lastBefore as number,
      `last year before the claimed one, ${r.a} vs ${r.b} ${r.windowText} ${r.basis}`,
      [r.a, r.b],
      'rotation check, one definition',
    );
    const w: Text =
      r.window.kind === 'first'
        ? t`first ${num(ctx.count(`window.first${r.window.sessions}.sessions`, r.window.sessions, 'sessions in a year-start window', [], 'definition checked'))} sessions`
        : [r.windowText];
    return t`${r.a} vs ${r.b}, ${w}, ${r.basis} basis: it also happened in ${num(f)}`;
  });
  return [
    { kind: 'p', text: ['Definitions under which it is not the first time since then:'] },
    { kind: 'list', items },
  ];
}

/** A claim in words, checked under every definition: what it says, and whether the data support it. */
async function claimBlocks(ctx: Ctx, sentence: string, k: number): Promise<Block[]> {
  const claim = parseClaim(sentence);
  const check = await runCheck(ctx.store, claim, { asOf: ctx.asOf, config: ctx.config });
  const cid = `claim.${k}`;
  const yearF = ctx.year(
    `${cid}.year`,
    check.year,
    'the year the claim is about',
    [],
    'as stated in the claim',
  );
  const winText: Text =
    claim.window.kind === 'first'
      ? t`the first ${num(ctx.count(`${cid}.sessions`, claim.window.sessions, 'sessions in the claimed window', [], 'as stated in the claim'))} sessions`
      : [formatWindow(claim.window)];
  const sinceF =
    claim.firstSince !== null
      ? ctx.year(
          `${cid}.first-since`,
          claim.firstSince,
          'the claimed "first since" year',
          [],
          'as stated in the claim',
        )
      : null;
  const stated = t`${claim.aText} beat ${claim.bText} over ${winText} of ${num(yearF)}${sinceF ? t` for the first time since ${num(sinceF)}` : ''}`;
  const holds = ctx.count(
    `${cid}.holds`,
    check.holds,
    'definitions under which the claim holds',
    [claim.a, claim.b],
    'rotation check',
  );
  const measured = ctx.count(
    `${cid}.measured`,
    check.holds + check.fails,
    'definitions with data',
    [claim.a, claim.b],
    'definitions that hold or fail',
  );
  const asStated = check.rows.find((r) => r.asStated);
  const verdict: Text =
    check.holds + check.fails === 0
      ? ['It cannot be checked yet: no definition has complete data.']
      : check.fails === 0
        ? t`The data support it under all ${num(holds)} definitions with data.`
        : check.holds === 0
          ? t`It fails its check under all ${num(measured)} definitions with data.`
          : t`It holds under only ${num(holds)} of ${num(measured)} definitions with data.`;
  const blocks: Block[] = [{ kind: 'p', text: t`A commonly quoted claim: “${stated}”. ${verdict}` }];
  if (
    asStated &&
    asStated.evaluation.status === 'fails' &&
    asStated.evaluation.lastBefore !== null &&
    sinceF
  ) {
    const lb = ctx.year(
      `${cid}.as-stated.last-before`,
      asStated.evaluation.lastBefore,
      'the true last year before, as stated',
      [asStated.a, asStated.b],
      'rotation check, the definition as stated',
    );
    blocks.push({
      kind: 'p',
      text: t`As stated (${asStated.a} vs ${asStated.b}, ${asStated.basis} basis) it also happened in ${num(lb)}.`,
    });
  }
  blocks.push(...counterExamples(ctx, check.rows, cid, 3));
  return blocks;
}

/** Forward odds after the current year-start leader led, with the sample size and a hedge when it is small. */
async function oddsText(
  ctx: Ctx,
  A: string,
  B: string,
  win: Window,
  winner: 'a' | 'b' | 'tie',
  nFirst: BriefFact,
  hist: RaceHistoryRun | null,
): Promise<Block[]> {
  if (winner === 'tie')
    return [{ kind: 'p', text: ['The year-start window ended level: no leader to follow.'] }];
  const [lead, lag] = winner === 'a' ? [A, B] : [B, A];
  const run = await runOdds(
    ctx.store,
    { kind: 'beats', a: lead, b: lag, window: win },
    { asOf: ctx.asOf, config: ctx.config, horizons: [{ label: 'rest-of-year', sessions: 'rest-of-year' }] },
  );
  const h = run.odds[0];
  if (!h || h.summary.n === 0)
    return [
      missing(
        `No earlier year in which ${lead} led ${lag} over the first sessions has a finished rest of year in the data.`,
      ),
    ];
  const oid = `odds.${idOf(lead)}-${idOf(lag)}.${formatWindow(win).replace(':', '')}.rest-of-year`;
  const n = ctx.count(
    `${oid}.n`,
    h.summary.n,
    'earlier years with an outcome',
    [lead, lag],
    'occurrences with a finished rest of year',
  );
  const hits = ctx.count(
    `${oid}.hits`,
    Math.round((h.summary.hitRate ?? 0) * h.summary.n),
    `years ${lead} kept outperforming`,
    [lead, lag],
    'hit rate × sample size (forward spread > 0)',
  );
  const rate = ctx.fact({
    id: `${oid}.hit-rate`,
    value: h.summary.hitRate,
    unit: 'fraction',
    label: 'share of years the leader kept outperforming',
    inputs: [lead, lag],
    asOf: ctx.asOf,
    method: 'forward spread (lead − lag) from the window close to the last close of the year > 0',
    window: 'rest-of-year',
  });
  const med = ctx.fact({
    id: `${oid}.median`,
    value: h.summary.median,
    unit: 'fraction',
    label: 'median rest-of-year spread',
    inputs: [lead, lag],
    asOf: ctx.asOf,
    method: 'median of forward spreads',
    window: 'rest-of-year',
  });
  const minS = ctx.count(
    'brief.min-sample',
    MIN_SAMPLE,
    'smallest sample reported as odds',
    [],
    'core/precedents MIN_SAMPLE',
  );
  const blocks: Block[] = [
    {
      kind: 'p',
      text: t`In the ${num(n)} earlier years in which ${lead} beat ${lag} over the first ${num(nFirst)} sessions, ${lead} ${h.summary.hitRate !== null && h.summary.hitRate >= 0.5 ? 'kept' : 'only kept'} outperforming over the rest of the year in ${num(hits)} (${num(rate, 'rate')}); the median rest-of-year spread was ${num(med, 'pp')}.`,
    },
  ];
  if (hist)
    blocks.push(
      ...honestOdds(ctx.reg, hist, {
        oid,
        leader: lead === A ? 'a' : 'b',
        hits: Math.round((h.summary.hitRate ?? 0) * h.summary.n),
        n: h.summary.n,
        rate,
        first: nFirst.value as number,
      }),
    );
  blocks.push({
    kind: 'p',
    text: h.sampleOk
      ? t`That is a sample of ${num(n)} years, enough to state but small: each year moves the rate by several points.`
      : t`That is fewer than ${num(minS)} cases: too few to call odds, read it as anecdote, not a forecast.`,
  });
  return blocks;
}

/** Weekly points in each RRG tail. */
const RRG_TAIL_WEEKS = 6;

/** Section 4: sectors against the market benchmark on a weekly RRG. */
async function sectorSection(ctx: Ctx): Promise<Section> {
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

/** Section 8: every series with its source and as-of date, and the definitions used. */
async function methodSection(
  ctx: Ctx,
  extra: readonly SeriesUse[],
  first: number,
): Promise<{ section: Section; used: SeriesUse[] }> {
  const summaries = new Map((await ctx.store.listSymbols()).map((s) => [s.symbol, s]));
  const used: SeriesUse[] = [...ctx.series.values()].map((s) => {
    const members = s.field === 'basket' ? (ctx.config.baskets[s.symbol]?.members ?? []) : [s.symbol];
    return {
      symbol: s.symbol,
      sources: compactSources(
        members.flatMap((m) => summaries.get(m)?.sources ?? []),
        s.field === 'basket',
      ),
      first: s.dates[0] ?? '',
      last: s.dates[s.dates.length - 1] ?? '',
      field: s.field,
      note: s.note,
    };
  });
  const all = [...used, ...extra].sort((a, b) => (a.symbol < b.symbol ? -1 : 1));
  const rows: Text[][] = all.map((u) => [
    [u.symbol],
    [u.sources.join(', ') || 'unknown'],
    [u.field],
    [u.last],
  ]);
  const defs: Text[] = [
    t`Windows are measured from a base close: year to date and the first ${num(ctx.reg.find('brief.first-sessions') ?? ctx.count('brief.first-sessions', first, 'sessions in the year-start window', [], 'brief setting (--first)'))} sessions both start at the last close of the previous year.`,
    [
      'Returns use the stored closes (price basis); the ETF files from the shared data set hold adjusted closes, so for ETFs they include dividends.',
    ],
    [
      `MAG7 is ${ctx.config.baskets.MAG7?.description ?? 'the configured basket'}; it starts when every member is held.`,
    ],
    t`The sector RRG uses weekly closes: RS-Ratio is ${num(ctx.fact({ id: 'rrg.params.center', value: 100, unit: 'index', label: 'RRG centre line', inputs: [], asOf: ctx.asOf, method: 'core/rrg: 100 + z-score' }), 'count')} plus the z-score of the price ratio to the benchmark over ${num(ctx.count('rrg.params.window', RRG_DEFAULTS.weekly.window, 'RRG window (weeks)', [], 'core/rrg RRG_DEFAULTS.weekly'))} weeks; RS-Momentum is the same for its ${num(ctx.count('rrg.params.lag', RRG_DEFAULTS.weekly.lag, 'RRG momentum lag (weeks)', [], 'core/rrg RRG_DEFAULTS.weekly'))}-week change.`,
    [
      'A "first time since" statement is printed only when the claim check supports it under the stated definition, and the brief says how many other definitions agree.',
    ],
    [
      'Every number in this brief is a fact in the facts file, with its inputs, window, as-of date and method.',
    ],
  ];
  return {
    section: {
      id: 'method',
      title: 'Method and sources',
      blocks: [
        { kind: 'table', caption: 'Series read', head: ['Series', 'Source', 'Field', 'Data to'], rows },
        { kind: 'list', items: defs },
      ],
    },
    used: all,
  };
}

/**
 * The banner of a brief whose data end before the session it should cover: the last completed session (`asOf` not
 * given) or the session on or before `asOf`. Data end = the small-cap benchmark's last session read.
 */
function staleBanner(ctx: Ctx, opts: BriefOptions): Text | null {
  const due = opts.asOf
    ? isSession(opts.asOf)
      ? opts.asOf
      : previousSession(opts.asOf)
    : opts.lastCompletedSession;
  if (!due) return null;
  const main = ctx.series.get(ctx.config.benchmarks.smallCaps);
  const end = main?.dates.at(-1) ?? ctx.asOf;
  if (end >= due) return null;
  return t`Stale data: the prices read end on ${end}, before the last completed NYSE session (${due}); every figure below is as of ${end} at the latest. Update the store with \`rotation sync\` or \`rotation import\`.`;
}

/** Sources of a series; for a basket, the folders its members' files come from. */
function compactSources(sources: readonly string[], basket: boolean): string[] {
  const unique = [...new Set(sources)];
  if (!basket) return unique;
  return [...new Set(unique.map((s) => s.replace(/\/[^/]+$/, '/')))].map((s) => `members' files in ${s}`);
}

/** The as-of date: the one asked for, else the last session stored for the small-cap benchmark. */
async function resolveAsOf(store: Store, config: Config, asOf?: TradingDate): Promise<TradingDate> {
  const symbols = await store.listSymbols();
  if (symbols.length === 0)
    throw new NotFoundError(
      'the store is empty: nothing to write a brief from',
      'fill it with `rotation sync` (downloads the default universe) or `rotation import <files or folders>`',
    );
  if (asOf) return asOf;
  const s =
    symbols.find((x) => x.symbol.toLowerCase() === config.benchmarks.smallCaps.toLowerCase()) ??
    symbols.find((x) => x.table === 'bars');
  if (!s?.lastDate)
    throw new NotFoundError('no price bars stored', 'add some with `rotation sync` or `rotation import`');
  return s.lastDate as TradingDate;
}

/** Builds the brief: every section from the store as of a date, with its facts. */
export async function buildBrief(store: Store, opts: BriefOptions = {}): Promise<Brief> {
  const config = opts.config ?? DEFAULT_CONFIG;
  const asOf = await resolveAsOf(store, config, opts.asOf);
  const ctx = new Ctx(store, asOf, config, opts.claims ?? []);
  const first = opts.firstSessions ?? 7;
  const time = async <T>(step: string, f: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await f();
    } finally {
      opts.onTiming?.(step, performance.now() - t0);
    }
  };
  const r = await time('race', () => raceSections(ctx, first));
  const sectors = await time('sectors', () => sectorSection(ctx));
  const why = await time('why', () => whySections(ctx));
  const macro = await time('macro', () => macroSection(ctx));
  const method = await time('method', () => methodSection(ctx, [...why.used, ...macro.used], first));
  return {
    asOf,
    banner: staleBanner(ctx, opts),
    headline: r.headline,
    lede: r.lede,
    sections: [...r.sections, sectors, ...why.sections, macro.section, method.section],
    facts: ctx.reg.list(),
    series: method.used,
  };
}
