import { isSession, previousSession } from '../core/calendar/calendar.js';
import { DEFAULT_CONFIG, type Config } from '../data/config.js';
import { latestStoredSession } from '../data/latest.js';
import { withReadMemo } from '../data/store/read-memo.js';
import type { Store } from '../data/store/store.js';
import type { TradingDate } from '../shared/brand.js';
import { NotFoundError } from '../shared/errors.js';
import type { Brief } from './model.js';
import type { HeadlineCandidate } from './news.js';
import { join, num, t, type Text } from './narrative/text.js';
import { Ctx, idOf } from './sections/context.js';
import { raceSections } from './sections/race.js';
import { sectorSection } from './sections/sectors.js';
import { methodSection } from './sections/method.js';
import { earningsSection } from './sections/earnings.js';
import { flowsSection } from './sections/flows.js';
import { macroSection } from './sections/macro.js';

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

/**
 * The banner of a brief whose data end before the session it should cover: the last completed session (`asOf` not
 * given) or the session on or before `asOf`. Data end = the earlier last session of the two race legs read (the
 * race stops at their common end), naming the other leg when it reaches further; both dates are facts.
 */
function staleBanner(ctx: Ctx, opts: BriefOptions): Text | null {
  const due = opts.asOf
    ? isSession(opts.asOf)
      ? opts.asOf
      : previousSession(opts.asOf)
    : opts.lastCompletedSession;
  if (!due) return null;
  const { smallCaps, bigTech } = ctx.config.benchmarks;
  const legs = [smallCaps, bigTech]
    .map((symbol) => ({ symbol, end: ctx.series.get(symbol)?.dates.at(-1) }))
    .filter((l): l is { symbol: string; end: TradingDate } => l.end !== undefined)
    .sort((x, y) => (x.end < y.end ? -1 : x.end > y.end ? 1 : 0));
  const end = legs[0]?.end ?? ctx.asOf;
  if (end >= due) return null;
  const date = (id: string, value: string, label: string, inputs: string[], method: string) =>
    num(ctx.fact({ id, value, unit: 'date', label, inputs, asOf: ctx.asOf, method }), 'date');
  const endF = date(
    'brief.data-end',
    end,
    'last session of the race legs in common',
    legs.map((l) => l.symbol),
    'the earlier of the last sessions stored for the two race legs, on or before the as-of date',
  );
  const dueF = date(
    'brief.due-session',
    due,
    'the session the brief should cover',
    [],
    opts.asOf
      ? 'the NYSE session on or before --as-of (core/calendar)'
      : 'the last completed NYSE session at the time of writing (core/calendar)',
  );
  const later = legs.filter((l) => l.end > end);
  const which: Text =
    later.length > 0
      ? t` (${legs[0]!.symbol}; ${join(
          later.map(
            (l) =>
              t`${l.symbol} reaches ${date(`brief.data-end.${idOf(l.symbol)}`, l.end, `last session of ${l.symbol} read`, [l.symbol], 'the last session stored on or before the as-of date')}`,
          ),
          ', ',
        )})`
      : [];
  return t`Stale data: the prices read end on ${endF}${which}, before the last completed NYSE session (${dueF}); every race figure below is as of ${endF} at the latest. Update the store with \`rotation sync\` or \`rotation import\`.`;
}

/** The as-of date: the one asked for (on a store that is not empty), else the last session stored (data/latest). */
async function resolveAsOf(store: Store, config: Config, asOf?: TradingDate): Promise<TradingDate> {
  if (!asOf) return latestStoredSession(store, config);
  if (await store.isEmpty())
    throw new NotFoundError(
      'the store is empty: nothing to write a brief from',
      'fill it with `rotation sync` (downloads the default universe) or `rotation import <files or folders>`',
    );
  return asOf;
}

/**
 * The headline and lede: the most unusual news, the race's or another candidate's (a sector entering or leaving
 * Leading, an extreme weekly flow), each scored against its own history on one scale; the race's wins ties. When
 * another candidate leads, the race's headline follows it as the lede's second sentence.
 */
function lead(
  r: Awaited<ReturnType<typeof raceSections>>,
  others: readonly HeadlineCandidate[],
): { headline: Text; lede: Text[] } {
  const best = [...others].sort((x, y) => y.score - x.score)[0];
  if (!best || best.score <= r.score)
    return { headline: r.headline, lede: [...(r.unusual ? [r.unusual] : []), ...r.lede] };
  return {
    headline: best.headline,
    lede: [best.unusual, t`In the race: ${r.headline}.${r.unusual ? t` ${r.unusual}` : ''}`, ...r.lede],
  };
}

/** Builds the brief: every section from the store as of a date, with its facts. */
export async function buildBrief(stored: Store, opts: BriefOptions = {}): Promise<Brief> {
  // The brief reads the same series many times (section after section): each from the store once.
  const store = withReadMemo(stored);
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
  // earnings, then flows and positioning: each from the same figures as the CLI commands
  const why = await time('why', async () => {
    const e = await earningsSection(ctx);
    const f = await flowsSection(ctx);
    return { sections: [e.section, f.section], used: [...e.used, ...f.used], news: f.news };
  });
  const macro = await time('macro', () => macroSection(ctx));
  const method = await time('method', () => methodSection(ctx, [...why.used, ...macro.used], first));
  return {
    asOf,
    banner: staleBanner(ctx, opts),
    ...lead(r, [...sectors.news, ...why.news, ...macro.news]),
    sections: [...r.sections, sectors.section, ...why.sections, macro.section, method.section],
    facts: ctx.reg.list(),
    series: method.used,
  };
}
