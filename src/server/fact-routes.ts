import { symbolId } from '../core/fact.js';
import { parseWindow, windowId, type Window } from '../core/window.js';
import { runRace } from '../data/analytics.js';
import { briefFact, listBriefs } from '../data/briefs.js';
import type { Config } from '../data/config.js';
import type { Store } from '../data/store/store.js';
import { buildBrief } from '../report/build.js';
import type { BriefFact } from '../report/facts/registry.js';
import type { TradingDate } from '../shared/brand.js';
import { NotFoundError } from '../shared/errors.js';
import type { AppDeps, Get } from './app.js';
import { dateParam } from './params.js';
import { HttpProblem } from './problem.js';

/** What a fact id looks like, for the 400 and 404 of /api/v1/facts/{id}. */
const FACT_IDS =
  'fact ids are those a brief prints (rotation brief writes them to facts-DATE.json; GET /api/v1/briefs/DATE/facts lists them), dotted, the section first (earnings.growth.sp500-ex-tech.2026, brief.first-sessions), and any race fact: race.<a>-<b>.<window>[.y<year>].<retA|retB|spread|ratio>, e.g. race.iwm-qqq.first7.spread, race.rut-ndx.jan.y2025.retA';

const ID = /^[A-Za-z0-9^._:=-]{1,200}$/;

type Deps = {
  store: <T>(fn: (s: Store) => Promise<T>) => Promise<T>;
  deps: AppDeps;
  briefsDir: () => string;
};

/**
 * `GET /api/v1/facts/{id}`: one fact, computed by the function that prints it (docs/serve.md).
 *
 * - A race fact (`race.<a>-<b>.<window>[.y<year>].<figure>`) is read back to its symbols or baskets, window and year
 *   and computed by the race `rotation race` runs (price basis; `as_of` as the command's `--as-of`).
 * - Any other id is looked up in the brief computed from the store by `buildBrief`, the builder `rotation brief`
 *   runs, as of `as_of` (default: the brief's own default, the last session stored for the small-cap benchmark).
 *   The built brief's facts are kept per snapshot and as-of date (the last four), so the next id is a lookup.
 * - An id that neither computes (a claim's fact: `rotation brief --claim` chose the sentence) is served from the
 *   newest brief in the archive (`--briefs DIR`) that printed it, labelled as printed on that date; `brief=DATE`
 *   asks for that archived brief's fact only.
 *
 * Answers: `{ source: 'computed', brief: null, fact }` or `{ source: 'brief', brief: DATE, fact }`.
 */
export function mountFactRoute(get: Get, ctx: Deps): void {
  const { store, deps } = ctx;
  const built = new Map<string, Promise<Map<string, BriefFact>>>();
  let builtAt: string | null = null;

  /** The facts of the brief as of `asOf` (undefined: the brief's default), built once per snapshot id. */
  const briefFacts = (asOf: TradingDate | undefined): Promise<Map<string, BriefFact>> => {
    const build = () =>
      store(async (s) => {
        const brief = await buildBrief(s, {
          asOf,
          config: deps.config,
          lastCompletedSession: deps.lastCompletedSession?.(),
        });
        return new Map(brief.facts.map((f) => [f.id, f]));
      });
    // Without a snapshot id the store may change under us: nothing is kept.
    if (!deps.version) return build();
    const v = deps.version();
    if (v !== builtAt) {
      built.clear();
      builtAt = v;
    }
    const key = asOf ?? 'default';
    let p = built.get(key);
    if (!p) {
      if (built.size >= 4) built.delete(built.keys().next().value as string);
      p = build();
      built.set(key, p);
      p.catch(() => built.delete(key));
    }
    return p;
  };

  get(
    '/api/v1/facts/:id',
    'fact',
    'one fact a brief prints (its value, inputs, window and method), computed from the store as `rotation brief` and `rotation race` compute it, or as printed in an archived brief',
    async (q, c) => {
      const id = c.req.param('id') ?? '';
      if (!ID.test(id)) throw new HttpProblem(400, `id is not a fact id; ${FACT_IDS}`, 'id');
      const asOf = dateParam('as_of', q.as_of);
      if (q.brief !== undefined) {
        const date = dateParam('brief', q.brief);
        if (asOf) throw new HttpProblem(400, 'give brief (an archived brief) or as_of, not both', 'brief');
        const fact = archived(ctx.briefsDir(), id, date);
        if (!fact) throw new HttpProblem(404, `no fact "${id}" in the brief of ${date}; ${FACT_IDS}`, 'id');
        return { json: fact };
      }
      const race = parseRaceFactId(id);
      if (race) {
        const fact = await store(async (s) => {
          const a = await raceSide(s, race.a, deps.config);
          const b = await raceSide(s, race.b, deps.config);
          if (!a || !b) return null;
          const run = await runRace(s, a, b, race.window, {
            basis: 'price',
            config: deps.config,
            year: race.year,
            asOf,
            requireData: true,
          });
          return run.facts.find((f) => f.id === id) ?? null;
        });
        // as a facts file states it: with its kind (a race figure is computed)
        if (fact) return { json: { source: 'computed', brief: null, fact: { ...fact, kind: 'computed' } } };
      } else {
        let facts: Map<string, BriefFact> | null = null;
        try {
          facts = await briefFacts(asOf);
        } catch (e) {
          // A store with nothing to write a brief from has no such fact: a 404 below, not an error.
          if (!(e instanceof NotFoundError)) throw e;
        }
        const fact = facts?.get(id);
        if (fact) return { json: { source: 'computed', brief: null, fact } };
      }
      // Not computed (a claim's fact, or data the store no longer holds): the newest archived brief that printed it.
      const fact = deps.briefsDir && !asOf ? archived(deps.briefsDir, id, undefined) : null;
      if (fact) return { json: fact };
      throw new HttpProblem(
        404,
        `no fact "${id}" in the brief computed from the store${asOf ? ` as of ${asOf}` : ''}${deps.briefsDir && !asOf ? ' nor in the briefs archive' : ''}; ${FACT_IDS}`,
        'id',
      );
    },
  );
}

/** The fact `id` as printed in the archived brief of `date` (undefined: the newest brief that printed it). */
function archived(
  dir: string,
  id: string,
  date: TradingDate | undefined,
): { source: 'brief'; brief: string; fact: unknown } | null {
  let dates: string[];
  try {
    dates = listBriefs(dir)
      .filter((b) => b.facts && (date === undefined || b.date === date))
      .map((b) => b.date);
  } catch (e) {
    if (e instanceof NotFoundError) return null;
    throw e;
  }
  for (const d of dates) {
    try {
      const { brief, fact } = briefFact(dir, id, d);
      return { source: 'brief', brief, fact };
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
    }
  }
  return null;
}

/** A race fact's id read back: `race.<a>-<b>.<window>[.y<year>].<figure>` (core/race.ts raceFacts). */
function parseRaceFactId(
  id: string,
): { a: string; b: string; window: Window; year: number | undefined } | null {
  const m = /^race\.([a-z0-9]+)-([a-z0-9]+)\.([a-z0-9-]+?)(?:\.y(\d{4}))?\.(?:retA|retB|spread|ratio)$/.exec(
    id,
  );
  if (!m) return null;
  const [, a, b, w, y] = m as unknown as [string, string, string, string, string | undefined];
  const text = w
    .replace(/^(first|rolling)(\d+)$/, '$1:$2')
    .replace(/^range(\d{4})(\d{2})(\d{2})-(\d{4})(\d{2})(\d{2})$/, 'range:$1-$2-$3..$4-$5-$6');
  let window: Window;
  try {
    window = parseWindow(text);
  } catch {
    return null;
  }
  if (windowId(window) !== w) return null;
  return { a, b, window, year: y === undefined ? undefined : Number(y) };
}

/** A symbol id (lower case, letters and digits only) back to what the store or the config knows by it. */
async function raceSide(s: Store, id: string, config: Config): Promise<string | null> {
  const basket = Object.keys(config.baskets).find((k) => symbolId(k) === id);
  if (basket) return basket;
  for (const candidate of [id.toUpperCase(), `^${id.toUpperCase()}`]) {
    const found = await s.resolveSymbol(candidate);
    if (found && symbolId(found) === id) return found;
  }
  return null;
}
