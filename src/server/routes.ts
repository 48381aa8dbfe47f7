import type { Hono } from 'hono';
import type { Claim } from '../core/claim.js';
import type { ArticleFormat } from '../core/claims/article.js';
import { parsePositiveInt } from '../core/positive-int.js';
import { parseBasis } from '../core/series/types.js';
import { parseWindow } from '../core/window.js';
import type { WhyFact } from '../core/why/fact.js';
import {
  calendarJson,
  readClaim,
  runBreadth,
  runCheck,
  runRegime,
  runRrg,
  type CheckRun,
} from '../data/analytics.js';
import { breadthRows } from '../cli/commands/breadth.js';
import { lastCompletedSession } from '../cli/context.js';
import { checkArticle } from '../data/article/check-article.js';
import { listBriefs, readBrief, type BriefFormat } from '../data/briefs.js';
import { loadOutlook, outlookJson } from '../data/analytics/outlook.js';
import { parseYear } from '../data/options.js';
import type { Store } from '../data/store/store.js';
import { loadEarningsFigures, loadFlowsFigures, loadPositioningFigures } from '../data/why/figures.js';
import { runMacro } from '../data/why/macro-run.js';
import type { TradingDate } from '../shared/brand.js';
import { NotFoundError } from '../shared/errors.js';
import type { AppDeps, Get, Table } from './app.js';
import { jsonBody } from './csv.js';
import { briefCsp } from './brief-csp.js';
import { mountFactRoute } from './fact-routes.js';
import type { Operation } from './openapi.js';
import { commonOf, CSP_OVERRIDE, dateParam, param, symbolParam, validate } from './params.js';
import { HttpProblem } from './problem.js';

type Ctx = {
  store: <T>(fn: (s: Store) => Promise<T>) => Promise<T>;
  deps: AppDeps;
  routes: { path: string; methods: string[] }[];
  ops: Operation[];
};

const list = (name: string, text: string | undefined): string[] =>
  text === undefined ? [] : text.split(',').map((x) => symbolParam(x.trim(), name));

const int = (name: string, text: string | undefined): number | undefined =>
  text === undefined ? undefined : param(name, () => parsePositiveInt(name, text));

/** The facts table of the "why" verbs: what `--format csv` prints, inputs joined. */
const factTable = (facts: readonly WhyFact[]): Table => ({
  headers: ['id', 'label', 'value', 'unit', 'window', 'as_of', 'known_at', 'note', 'inputs', 'method'],
  rows: facts.map((f) => [
    f.id,
    f.label,
    f.value,
    f.unit,
    f.window ?? null,
    f.asOf,
    f.knownAt ?? null,
    f.note ?? null,
    f.inputs.join(' '),
    f.method,
  ]),
});

const checkTable = (run: CheckRun): Table => ({
  headers: ['a', 'b', 'window', 'basis', 'status', 'spread', 'last_before', 'why'],
  rows: run.rows.map((r) => [
    r.a,
    r.b,
    r.windowText,
    r.basis,
    r.evaluation.status,
    r.evaluation.spread,
    r.evaluation.lastBefore,
    r.evaluation.reason,
  ]),
});

const BRIEF_TYPES: Record<BriefFormat, string> = {
  html: 'text/html; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
};

/** The endpoints after the first increment: calendar, check, rrg, breadth, regime, the "why" verbs, briefs, facts. */
export function mountMoreRoutes(app: Hono, get: Get, ctx: Ctx): void {
  const { store, deps } = ctx;
  const today = () => deps.today();

  get('/api/v1/calendar', 'calendar', 'the JSON of `rotation calendar --format json`', (q) => {
    const year = today().slice(0, 4);
    const from = dateParam('from', q.from) ?? (`${year}-01-01` as TradingDate);
    const to = dateParam('to', q.to) ?? (`${year}-12-31` as TradingDate);
    const { json, sessions } = param(q.from && !q.to ? 'from' : 'to', () => calendarJson(from, to));
    const rows = [
      ...sessions.map((s) => [s.date, s.name ? 'early-close' : 'session', s.close, s.name]),
      ...json.holidays.map((h) => [h.date, 'holiday', null, h.name]),
    ].sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    return Promise.resolve({ json, table: { headers: ['date', 'status', 'close', 'name'], rows } });
  });

  get('/api/v1/check', 'check', 'the JSON of `rotation check CLAIM --format json`', async (q) => {
    const asOf = dateParam('as_of', q.as_of);
    const date = dateParam('date', q.date);
    let claim: Claim;
    if (q.claim !== undefined) {
      if (q.a || q.b)
        throw new HttpProblem(400, 'give the claim as a sentence or with a/b, not both', 'claim');
      claim = param('claim', () => readClaim(q.claim ?? '', date ?? asOf ?? null));
      const year = param('year', () => parseYear('--year', q.year));
      if (year !== undefined) claim = { ...claim, year };
      const fs = param('first_since', () => parseYear('--first-since', q.first_since));
      if (fs !== undefined) claim = { ...claim, firstSince: fs };
    } else {
      if (!q.a || !q.b)
        throw new HttpProblem(400, 'no claim given: pass claim=SENTENCE, or a, b and window', 'claim');
      claim = {
        a: q.a,
        b: q.b,
        aText: q.a,
        bText: q.b,
        window: param('window', () => parseWindow(q.window ?? 'first:7')),
        year: param('year', () => parseYear('--year', q.year)) ?? null,
        firstSince: param('first_since', () => parseYear('--first-since', q.first_since)) ?? null,
      };
    }
    // Without as_of: stale against the last completed NYSE session, from the clock as `rotation check` reads it.
    const due = lastCompletedSession();
    const run = await store((s) => runCheck(s, claim, { asOf, basis: 'price', config: deps.config, due }));
    // The CLI exits 1 on the same value: no definition measured is not an answer.
    if (run.unanswerable)
      throw new HttpProblem(
        422,
        run.unanswerable.hint
          ? `${run.unanswerable.message}; ${run.unanswerable.hint}`
          : run.unanswerable.message,
        'claim',
      );
    return { json: run, table: checkTable(run) };
  });

  // POST /api/v1/check: the body is an article (text, Markdown or HTML); the answer is `rotation check --file`'s JSON.
  const check = ctx.routes.find((r) => r.path === '/api/v1/check');
  check?.methods.push('POST');
  ctx.ops.push({
    path: '/api/v1/check',
    method: 'post',
    schema: 'check_article',
    summary: 'the JSON of `rotation check --file ARTICLE --format json`: the body is the article',
    types: ['application/json'],
    body: ['text/plain', 'text/markdown', 'text/html'],
  });
  app.post('/api/v1/check', async (c) => {
    const q = validate('check_article', c);
    const type = (c.req.header('content-type') ?? '').toLowerCase();
    const input: ArticleFormat | undefined =
      (q.input as ArticleFormat | undefined) ??
      (type.startsWith('text/html')
        ? 'html'
        : type.startsWith('text/markdown')
          ? 'markdown'
          : type.startsWith('text/plain')
            ? 'text'
            : undefined);
    const src = await c.req.text();
    if (src.trim() === '') throw new HttpProblem(400, 'the request body (the article) is empty', 'body');
    const date = dateParam('date', q.date);
    const asOf = dateParam('as_of', q.as_of);
    const json = await store((s) => checkArticle(s, src, { date, asOf, format: input, config: deps.config }));
    return c.body(jsonBody(json), 200, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
    });
  });

  get('/api/v1/rrg', 'rrg', 'the JSON of `rotation rrg --format json`', async (q) => {
    const tail = int('tail', q.tail) ?? 8;
    if (tail > 520) throw new HttpProblem(400, `tail ${tail} is over 520 points`, 'tail');
    const window = int('window', q.window);
    const lag = int('lag', q.lag);
    const opts = {
      symbols: list('symbols', q.symbols),
      benchmark: q.benchmark,
      period: q.period ?? 'weekly',
      tail,
      window,
      lag,
      basis: param('basis', () => parseBasis(q.basis ?? 'price')),
      asOf: dateParam('as_of', q.as_of),
      config: deps.config,
      due: deps.lastCompletedSession?.(),
      news: q.news === 'true',
    };
    if (window !== undefined && window < 2) throw new HttpProblem(400, 'window must be at least 2', 'window');
    const { json } = await store((s) => runRrg(s, opts));
    return {
      json,
      table: {
        headers: ['symbol', 'date', 'rs', 'rs_ratio', 'rs_momentum', 'quadrant'],
        rows: json.members.flatMap((m) =>
          m.tail.map((p) => [m.symbol, p.date, p.rs, p.ratio, p.momentum, p.quadrant]),
        ),
      },
    };
  });

  get('/api/v1/outlook', 'outlook', 'the JSON of `rotation outlook A B --format json`', async (q) => {
    const opts = commonOf(q, deps.config, deps.lastCompletedSession?.());
    const o = await store((s) => loadOutlook(s, q.a, q.b, opts));
    if (!o)
      throw new HttpProblem(
        404,
        `no outlook for ${q.a} vs ${q.b}: the year needs the last close of the year before`,
        'a',
      );
    const json = outlookJson(o);
    return {
      json,
      table: {
        headers: ['id', 'value', 'unit', 'label'],
        rows: o.facts.map((f) => [f.id, f.value, f.unit, f.label]),
      },
    };
  });

  get('/api/v1/breadth', 'breadth', 'the JSON of `rotation breadth --format json`', async (q) => {
    const opts = {
      universe: q.universe ?? 'sp500',
      explicitUniverse: q.universe !== undefined,
      constituents: deps.constituents,
      equal: q.equal ?? 'RSP',
      cap: q.cap ?? 'SPY',
      basis: param('basis', () => parseBasis(q.basis ?? 'price')),
      asOf: dateParam('as_of', q.as_of),
      due: deps.lastCompletedSession?.(),
    };
    const json = await store((s) => runBreadth(s, opts));
    // The long-form rows `rotation breadth --format csv` prints, built by the command's own function.
    const rows = breadthRows(json);
    return {
      json,
      table: {
        headers: ['section', 'metric', 'value', 'unit', 'detail'],
        rows: rows.map((r) => [r.section, r.metric, r.value, r.unit, r.detail]),
      },
    };
  });

  get('/api/v1/regime', 'regime', 'the JSON of `rotation regime --format json`', async (q) => {
    const symbols = list('symbols', q.symbols);
    const opts = {
      basis: param('basis', () => parseBasis(q.basis ?? 'price')),
      asOf: dateParam('as_of', q.as_of),
      due: deps.lastCompletedSession?.(),
    };
    const json = await store((s) => runRegime(s, symbols, opts));
    return {
      json,
      table: {
        headers: ['symbol', 'date', 'from_high', 'high_date', 'sessions_since_high', 'state', 'state_since'],
        rows: json.regimes.map((r) => [
          r.symbol,
          r.date,
          r.distance,
          r.highDate,
          r.sessionsSinceHigh,
          r.state,
          r.stateSince,
        ]),
      },
    };
  });

  // The "why" verbs: the same loading functions the commands call, the same { asOf, …, facts } JSON.
  get('/api/v1/earnings', 'earnings', 'the JSON of `rotation earnings --format json`', async (q) => {
    const asOf = dateParam('as_of', q.as_of) ?? today();
    const o = { tech: q.tech, nonTech: q.non_tech, growth: q.growth, value: q.value, period: q.period };
    const r = await store((s) => loadEarningsFigures(s, { ...o, asOf }));
    if (r.seriesCount === 0) throw new NotFoundError('no earnings growth estimates stored');
    const notComputed = r.sp.refusals.length > 0 ? { notComputed: r.sp.refusals } : {};
    // as `rotation earnings` writes it: the figures, then the dates they state (facts of unit `date`)
    return { json: { asOf, ...notComputed, facts: [...r.facts, ...r.dates] }, table: factTable(r.facts) };
  });

  get('/api/v1/flows', 'flows', 'the JSON of `rotation flows --format json`', async (q) => {
    const asOf = dateParam('as_of', q.as_of) ?? today();
    const r = await store((s) => loadFlowsFigures(s, { asOf, group: q.group }));
    if (r.seriesCount === 0) throw new NotFoundError('no weekly flow series stored');
    // as `rotation flows` writes it: the figures, then the dates they state (facts of unit `date`)
    return { json: { asOf, facts: [...r.facts, ...r.dates] }, table: factTable(r.facts) };
  });

  get('/api/v1/positioning', 'positioning', 'the JSON of `rotation positioning --format json`', async (q) => {
    const asOf = dateParam('as_of', q.as_of) ?? today();
    const lookback = int('lookback', q.lookback) ?? 52;
    const r = await store((s) => loadPositioningFigures(s, { asOf, lookback, group: q.group }));
    if (r.seriesCount === 0) throw new NotFoundError('no positioning series stored');
    if (r.facts.length === 0)
      throw new NotFoundError(`no positioning series has ${lookback} readings on or before ${asOf}`);
    return { json: { asOf, lookback, facts: [...r.facts, ...r.dates] }, table: factTable(r.facts) };
  });

  get('/api/v1/macro', 'macro', 'the JSON of `rotation macro --format json`', async (q) => {
    // without as_of, runMacro's default (the last stored session), as the command's
    const asOf = dateParam('as_of', q.as_of);
    const series = (name: string, text: string | undefined, dflt: string) =>
      (text ?? dflt).split(',').map((x) => symbolParam(x.trim(), name));
    const o = {
      asOf,
      config: deps.config,
      ...(q.cpi !== undefined ? { cpi: series('cpi', q.cpi, '') } : {}),
      fedFunds: series('fed_funds', q.fed_funds, 'DFEDTARU,FEDFUNDS'),
      tenYear: series('ten_year', q.ten_year, 'DGS10'),
      twoYear: series('two_year', q.two_year, 'DGS2'),
    };
    const { dates, ...run } = await store((s) => runMacro(s, o));
    // as `rotation macro` writes it: the figures, then the dates they and the calendar state
    return { json: { ...run, facts: [...run.facts, ...dates] }, table: factTable(run.facts) };
  });

  // Briefs: files written by `rotation brief --out DIR`, read from the folder given to `rotation serve --briefs`.
  const briefs = () => {
    if (!deps.briefsDir)
      throw new NotFoundError('no briefs folder: start the server with --briefs DIR', undefined);
    return deps.briefsDir;
  };
  get('/api/v1/briefs', 'briefs', 'the briefs in the folder given to `rotation serve --briefs`', (q) => {
    void q;
    const all = listBriefs(briefs());
    return Promise.resolve({
      json: all,
      table: {
        headers: ['date', 'formats', 'facts'],
        rows: all.map((b) => [b.date, b.formats.join(' '), b.facts]),
      },
    });
  });

  ctx.routes.push({ path: '/api/v1/briefs/:date', methods: ['GET', 'HEAD'] });
  ctx.ops.push({
    path: '/api/v1/briefs/:date',
    method: 'get',
    schema: 'brief',
    summary: 'one brief as written by `rotation brief`: html (default), md or txt',
    types: Object.values(BRIEF_TYPES),
  });
  app.get('/api/v1/briefs/:date', (c) => {
    const q = validate('brief', c);
    const date = briefDate(c.req.param('date'));
    const format = q.format ?? 'html';
    const body = readBrief(briefs(), date, format);
    // The brief's HTML carries its stylesheet inline: its own policy allows that stylesheet (by hash) and no
    // script, and only this origin may frame it (the dashboard's brief archive).
    if (format === 'html') CSP_OVERRIDE.set(c.req.raw, briefCsp(body, "'self'"));
    return c.body(body, 200, { 'content-type': BRIEF_TYPES[format] });
  });

  get('/api/v1/briefs/:date/facts', 'brief_facts', "one brief's facts file (facts-DATE.json)", (_q, c) => {
    const date = briefDate(c.req.param('date'));
    const json = JSON.parse(readBrief(briefs(), date, 'facts')) as { facts: unknown[] };
    return Promise.resolve({ json });
  });

  mountFactRoute(get, { store, deps, briefsDir: briefs });
}

function briefDate(text: string | undefined): TradingDate {
  const d = dateParam('date', text ?? '');
  if (!d) throw new HttpProblem(400, 'date is not a date; write YYYY-MM-DD', 'date');
  return d;
}
