import type { TradingDate } from '../../shared/brand.js';
import { NotFoundError, UsageError } from '../../shared/errors.js';
import { addDays } from '../../shared/dates.js';
import { sessionIndexInYear } from '../../core/calendar/calendar.js';
import { symbolId, type Fact } from '../../core/fact.js';
import { windowId, type Window } from '../../core/window.js';
import type { Config } from '../config.js';
import { runOdds, runRace, type RaceRun } from '../analytics.js';
import type { Store } from '../store/store.js';
import { checkArticle, type ClaimCheck } from './check-article.js';

/** What happened next to one computed claim of a story. */
export type FollowupRow = {
  /** The claim's number in the story and the words it stood on. */
  n: number;
  span: string;
  a: string;
  b: string;
  window: string;
  year: number;
  /** The claim's verdict on the story's date. */
  verdictThen: ClaimCheck['verdict'];
  /** The stated race on the story's date, and whether its window was over then. */
  spreadThen: string | null;
  completeThen: boolean | null;
  /** The same window at `to`: the final figure once the window is over, else the figure so far. */
  spreadLater: string | null;
  completeLater: boolean | null;
  /** Did the leader on the story's date still lead over the claim's window at `to`? null when not measurable. */
  leadHeld: boolean | null;
  /** A vs B from the story's close to `to`: who did better since the story ran. */
  spreadSince: string | null;
  sinceEnd: TradingDate | null;
  /** What history said on the story's date: after years in which A led over the window, how often A kept leading over the rest of the year. */
  oddsThen: string | null;
  oddsSample: number | null;
  oddsHits: number | null;
  /** Fact ids above refer to these. */
  facts: Fact[];
  note: string | null;
};

export type Followup = { storyDate: TradingDate; to: TradingDate | null; rows: FollowupRow[] };

/** The default story when none is given: small caps against Big Tech, so far this year. */
export const DEFAULT_STORY = 'Small caps beat Big Tech so far this year.';

async function raceOrNull(
  store: Store,
  a: string,
  b: string,
  w: Window,
  opts: { asOf: TradingDate | undefined; year: number; config: Config | undefined },
): Promise<RaceRun | null> {
  try {
    const r = await runRace(store, a, b, w, opts);
    return r.race ? r : null;
  } catch (e) {
    if (e instanceof NotFoundError) return null;
    throw e;
  }
}

/**
 * For a story dated `storyDate`, what happened next to each of its computed relative claims, up to `to` (default
 * the latest stored data): the claimed window then and later (did the lead hold), the race since the story, and
 * the odds history gave on the story's date (rest-of-year, from runOdds as of that date: no look-ahead). Claims
 * are read and checked exactly as `rotation check --file` does, as of the story's date.
 */
export async function followupStory(
  store: Store,
  story: string,
  opts: { storyDate: TradingDate; to?: TradingDate | undefined; config?: Config | undefined },
): Promise<Followup> {
  if (opts.to && opts.to <= opts.storyDate)
    throw new UsageError(`--to ${opts.to} is not after the story's date ${opts.storyDate}`);
  const check = await checkArticle(store, story, {
    date: opts.storyDate,
    asOf: opts.storyDate,
    config: opts.config,
  });
  const rows: FollowupRow[] = [];
  for (const c of check.claims) {
    if (c.reading.kind !== 'relative') continue;
    const stated = c.definitions.find((d) => d.asStated);
    if (!stated || stated.factId === null) continue;
    const r = c.reading;
    const a = r.a.symbol;
    const b = r.b.symbol;
    const year = r.window.year;
    const w = r.window.window;
    const common = { year, config: opts.config };
    const then = await raceOrNull(store, a, b, w, { ...common, asOf: opts.storyDate });
    const later = await raceOrNull(store, a, b, w, { ...common, asOf: opts.to });
    const since = await raceOrNull(
      store,
      a,
      b,
      { kind: 'range', from: addDays(opts.storyDate, 1), to: opts.to ?? ('9999-12-31' as TradingDate) },
      { asOf: opts.to, year: Number((opts.to ?? '9999').slice(0, 4)), config: opts.config },
    );
    const base = `followup.c${c.n}.${symbolId(a)}-${symbolId(b)}.${windowId(w)}`;
    const facts: Fact[] = [];
    const fact = (id: string, value: number, label: string, asOf: TradingDate, method: string): string => {
      facts.push({
        id,
        value,
        unit: 'fraction',
        label,
        inputs: [a, b],
        window: r.window.label,
        asOf,
        method,
      });
      return id;
    };
    const spreadThen = then?.race
      ? fact(
          `${base}.then`,
          then.race.spread,
          `${a} minus ${b}, ${r.window.label}, as of ${then.asOf}`,
          then.asOf,
          'retA - retB over the window, data to the story date',
        )
      : null;
    const spreadLater = later?.race
      ? fact(
          `${base}.later`,
          later.race.spread,
          `${a} minus ${b}, ${r.window.label}, as of ${later.asOf}`,
          later.asOf,
          'retA - retB over the window, data to --to',
        )
      : null;
    const spreadSince = since?.race
      ? fact(
          `${base}.since`,
          since.race.spread,
          `${a} minus ${b} from the ${since.race.baseDate} close to ${since.race.endDate}`,
          since.asOf,
          'retA - retB from the story date close',
        )
      : null;
    let oddsThen: string | null = null;
    let oddsSample: number | null = null;
    let oddsHits: number | null = null;
    try {
      // the precedent of a lead "so far this year" is a lead over as many sessions of earlier years
      const n = w.kind === 'ytd' ? sessionIndexInYear(then?.asOf ?? opts.storyDate) : null;
      const oddsWindow: Window = n !== null ? { kind: 'first', sessions: n } : w;
      const odds = await runOdds(
        store,
        { kind: 'beats', a, b, window: oddsWindow },
        {
          asOf: opts.storyDate,
          config: opts.config,
          horizons: [{ label: 'rest-of-year', sessions: 'rest-of-year' }],
        },
      );
      const h = odds.odds[0];
      if (h && h.summary.hitRate !== null) {
        oddsSample = h.summary.n;
        oddsHits = Math.round(h.summary.hitRate * h.summary.n);
        oddsThen = fact(
          `${base}.odds-rest-of-year`,
          h.summary.hitRate,
          `share of earlier years in which ${a} kept beating ${b} over the rest of the year after leading over ${r.window.label}, known on ${opts.storyDate}`,
          opts.storyDate,
          `forward odds over ${h.summary.n} earlier occurrences (rest of year)`,
        );
      }
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
    }
    // "so far this year" runs to the year's end: over only once the data reach a later year
    const laterOver =
      later?.race && w.kind === 'ytd'
        ? Number(later.asOf.slice(0, 4)) > year
        : (later?.race?.complete ?? null);
    const leader = then?.race ? Math.sign(then.race.spread) : 0;
    const leadHeld = later?.race && leader !== 0 ? Math.sign(later.race.spread) === leader : null;
    rows.push({
      n: c.n,
      span: c.span.text,
      a,
      b,
      window: r.window.label,
      year,
      verdictThen: c.verdict,
      spreadThen,
      completeThen: then?.race?.complete ?? null,
      spreadLater,
      completeLater: laterOver,
      leadHeld,
      spreadSince,
      sinceEnd: since?.race?.endDate ?? null,
      oddsThen,
      oddsSample,
      oddsHits,
      facts,
      note:
        later && then && later.asOf === then.asOf
          ? `no data after the story's date for ${a} and ${b}`
          : later && opts.to && later.asOf < opts.to
            ? `${a} and ${b} have common data only to ${later.asOf}`
            : null,
    });
  }
  return { storyDate: opts.storyDate, to: opts.to ?? null, rows };
}
