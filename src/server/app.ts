import { createHash } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { etag } from 'hono/etag';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { timeout } from 'hono/timeout';
import { parseHorizons } from '../core/odds.js';
import { parsePositiveInt } from '../core/positive-int.js';
import { parseWindow } from '../core/window.js';
import type { Config } from '../data/config.js';
import { runDoctor } from '../data/doctor.js';
import { oddsJson, precedentsJson, raceJson, runOdds, runPrecedents, runRace } from '../data/analytics.js';
import { loadHonestOdds } from '../data/analytics/odds-honest.js';
import { parseYear, parseYears } from '../data/options.js';
import type { Store } from '../data/store/store.js';
import type { TradingDate } from '../shared/brand.js';
import { NotFoundError } from '../shared/errors.js';
import { answerCache, compressAnswers } from './answer-cache.js';
import { csvOf, jsonBody } from './csv.js';
import { openApiDocument, referencePage, type Operation } from './openapi.js';
import {
  CSP_OVERRIDE,
  commonOf,
  conditionOf,
  dateParam,
  param,
  safePath,
  symbolParam,
  validate,
  wantsCsv,
} from './params.js';
import { HttpProblem, problem, problemOf } from './problem.js';
import { dashboardRoutes } from './dashboard.js';
import { publishRoutes, type PublishRouteDeps } from './publish-routes.js';
import { mountMoreRoutes } from './routes.js';
import type { Query, QueryName } from './schemas.js';

/** What the app needs from outside: no globals, so a test builds one over any store and any clock. */
export type AppDeps = {
  /** Runs `fn` on the store answers come from (the current snapshot, or the live store; docs/serve.md). */
  withStore: <T>(fn: (store: Store) => Promise<T>) => Promise<T>;
  config: Config;
  /** Today in New York: the clock, for doctor's default as-of. */
  today: () => TradingDate;
  /**
   * The last completed NYSE session (the clock, as `rotation brief` reads it): a fact computed from the brief
   * without `as_of` has the same stale-data banner facts as the command's brief. Absent: no banner facts.
   */
  lastCompletedSession?: () => TradingDate;
  /** Where a 500's error goes (never to the client). Default: stderr. */
  log?: (e: unknown) => void;
  /** Store work running at once (default 2) and waiting (default 64; beyond it 503). */
  maxConcurrent?: number;
  maxQueued?: number;
  /** Per-request time limit in ms (default 30 s; then 504). */
  timeoutMs?: number;
  /** Request body limit in bytes (default 64 KiB; beyond it 413). */
  maxBodyBytes?: number;
  /** The newsletter pages and feeds (src/server/publish-routes.ts); absent: not served. */
  publish?: PublishRouteDeps;
  /**
   * The id of the data the store answers from (the current snapshot, docs/serve.md). With it, computed answers are
   * cached per id (answer-cache.ts): the same URL under the same id is answered from memory, before any parsing.
   * Without it nothing is cached.
   */
  version?: () => string;
  /** Answers kept in the cache (default 512; the oldest go first). */
  cacheEntries?: number;
  /** The folder of the briefs (`rotation brief --out DIR`): brief-DATE.{html,md,txt} and facts-DATE.json. */
  briefsDir?: string | undefined;
  /** The constituents folder for breadth (default: $ROTATION_CONSTITUENTS or ./constituents). */
  constituents?: string | undefined;
};

/** The security headers of every answer: nothing inline, nothing framed, nothing sniffed, no referrer. */
const CSP = {
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'"],
  connectSrc: ["'self'"],
  // The dashboard shows a brief's HTML in a frame from this origin (that answer alone may be framed by 'self').
  frameSrc: ["'self'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/**
 * A data answer (JSON, problem JSON, CSV) is never a document: what it needs is what OWASP's REST Security Cheat
 * Sheet lists for API answers (a CSP of `frame-ancestors 'none'`, with `default-src 'none'` since it loads
 * nothing, `X-Content-Type-Options: nosniff`, `X-Frame-Options: DENY`, HSTS, its Content-Type and Cache-Control),
 * and `Cross-Origin-Resource-Policy: same-origin`, which keeps other sites from loading it as a resource. The
 * headers below act only on a document (its opener, its agent cluster, the links it follows, prefetching, IE's
 * download prompt, Flash/PDF policy files, the old XSS filter), so a data answer does not carry them: 7 headers
 * fewer and a shorter CSP, about 370 bytes, on every API answer (docs/serve.md). HTML answers (the dashboard, the
 * reference, a brief) keep the full set.
 */
const DOCUMENT_ONLY_HEADERS = [
  'cross-origin-opener-policy',
  'origin-agent-cluster',
  'referrer-policy',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-permitted-cross-domain-policies',
  'x-xss-protection',
] as const;
const DATA_CSP = "default-src 'none'; frame-ancestors 'none'";
const DATA_TYPE = /^(?:application\/(?:[\w.+-]+\+)?json|text\/csv)\s*(?:;|$)/i;
const isDataAnswer = (type: string | null): boolean => type !== null && DATA_TYPE.test(type);

/** Years one race may cover: a year list beyond it is a 400, not minutes of work. */
const MAX_YEARS = 200;

export type Table = { headers: string[]; rows: unknown[][] };

/** What a route computes: the verb's JSON and, for tables, the CSV's rows. */
export type Answer = { json: unknown; table?: Table };

/** Registers a GET route: validated query in, answer out (JSON, or CSV when asked). */
export type Get = <K extends QueryName>(
  path: string,
  schema: K,
  summary: string,
  handler: (q: Query<K>, c: Context) => Promise<Answer>,
) => void;

export function createApp(deps: AppDeps): Hono {
  const log = deps.log ?? ((e: unknown) => process.stderr.write(`rotation serve: ${String(e)}\n`));
  const limit = gate(deps.maxConcurrent ?? 2, deps.maxQueued ?? 64);
  const store = <T>(fn: (s: Store) => Promise<T>) => limit(() => deps.withStore(fn));
  const app = new Hono();
  // The cached path (answer-cache.ts): a hit is answered in front of the app's fetch, before hono routes it; on a
  // miss the first middleware fills the entry from the full path's response.
  const cache = deps.version ? answerCache(deps.version, deps.cacheEntries ?? 512) : null;
  if (cache) {
    app.use(cache.middleware);
    const dispatch = app.fetch;
    app.fetch = (req, env, ctx) => cache.lookup(req, env) ?? dispatch(req, env, ctx);
  }

  app.onError((e, c) => {
    const p =
      e instanceof HTTPException && !(e.cause instanceof Error)
        ? problem(e.status, e.status === 504 ? 'the request took too long' : e.message || 'refused')
        : problemOf(e, log);
    return c.body(JSON.stringify(p), p.status as 400, { 'content-type': 'application/problem+json' });
  });
  app.notFound((c) => problemResponse(c, 404, `no route ${c.req.method} ${safePath(c.req.path)}`));

  // A route may answer with its own CSP (the brief's HTML: CSP_OVERRIDE); set after the security headers. A data
  // answer (JSON, CSV) drops the headers that act only on a document (DOCUMENT_ONLY_HEADERS).
  app.use(async (c, next) => {
    await next();
    if (isDataAnswer(c.res.headers.get('content-type'))) {
      const headers = c.res.headers;
      for (const name of DOCUMENT_ONLY_HEADERS) headers.delete(name);
      headers.set('content-security-policy', DATA_CSP);
      return;
    }
    const csp = CSP_OVERRIDE.get(c.req.raw);
    if (csp) c.res.headers.set('content-security-policy', csp);
    if (csp?.includes("frame-ancestors 'self'")) {
      c.res.headers.set('x-frame-options', 'SAMEORIGIN');
      // Framed in a sandbox (an opaque origin), the page cannot be origin-keyed: do not ask for it.
      c.res.headers.delete('origin-agent-cluster');
    }
  });
  app.use(
    secureHeaders({
      contentSecurityPolicy: CSP,
      referrerPolicy: 'no-referrer',
      xFrameOptions: 'DENY',
      crossOriginResourcePolicy: 'same-origin',
    }),
  );
  app.use(
    bodyLimit({
      maxSize: deps.maxBodyBytes ?? 64 * 1024,
      onError: (c) =>
        problemResponse(c, 413, `the request body is over ${deps.maxBodyBytes ?? 64 * 1024} bytes`),
    }),
  );
  app.use(timeout(deps.timeoutMs ?? 30_000));
  app.use(compressAnswers());
  app.use(etag());
  app.use('/api/*', async (c, next) => {
    await next();
    if (c.res.status < 400) c.header('cache-control', 'no-cache');
  });

  const routes: { path: string; methods: string[] }[] = [];
  const ops: Operation[] = [];
  const get: Get = (path, schema, summary, handler) => {
    routes.push({ path, methods: ['GET', 'HEAD'] });
    ops.push({ path, method: 'get', schema, summary });
    app.get(path, async (c) => {
      const q = validate(schema, c);
      const csv = wantsCsv(c, (q as { format?: string }).format);
      const { json, table } = await handler(q, c);
      if (csv && !table) throw new HttpProblem(406, 'this endpoint has no table: ask for JSON', 'format');
      const body = csv && table ? csvOf(table.headers, table.rows) : jsonBody(json);
      // The ETag is hashed once per computed answer: a cached answer is sent without hashing its body again.
      const out = {
        body,
        type: csv ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
        etag: `"${createHash('sha1').update(body).digest('base64url')}"`,
      };
      cache?.offer(c.req.raw, out.body, out.etag);
      return c.body(out.body, 200, { 'content-type': out.type, etag: out.etag });
    });
  };

  get('/api/v1/symbols', 'symbols', 'the JSON of `rotation symbols --format json`', async (q) => {
    const rows = await store((s) => s.listSymbols());
    const kindOf = (r: (typeof rows)[number]) => r.kind ?? (r.table === 'observations' ? 'series' : '');
    const shown = q.kind ? rows.filter((r) => kindOf(r) === q.kind) : rows;
    return {
      json: shown,
      table: {
        headers: ['symbol', 'kind', 'table', 'rows', 'first', 'last', 'sources'],
        rows: shown.map((r) => [
          r.symbol,
          kindOf(r) || null,
          r.table,
          r.rows,
          r.firstDate,
          r.lastDate,
          r.sources,
        ]),
      },
    };
  });

  get('/api/v1/show/:symbol', 'show', 'the JSON of `rotation show SYMBOL --format json`', async (q, c) => {
    const text = symbolParam(c.req.param('symbol') ?? '');
    const from = dateParam('from', q.from);
    const to = dateParam('to', q.to);
    const asOf = dateParam('as_of', q.as_of);
    const last =
      q.last === undefined ? undefined : param('last', () => parsePositiveInt('last', q.last ?? ''));
    return store(async (s) => {
      const symbol = await s.resolveSymbol(text);
      if (!symbol) throw new NotFoundError(`no symbol or series "${text}" in the store`);
      const upper = to && asOf ? (to < asOf ? to : asOf) : (to ?? asOf);
      const bars = await s.loadBars(symbol, { ...(from ? { from } : {}), ...(upper ? { to: upper } : {}) });
      if (bars.length > 0) {
        const shown = last ? bars.slice(-last) : bars;
        return {
          json: { symbol, bars: shown },
          table: {
            headers: ['date', 'open', 'high', 'low', 'close', 'adj_close', 'volume'],
            rows: shown.map((b) => [b.date, b.open, b.high, b.low, b.close, b.adjClose, b.volume]),
          },
        };
      }
      const obs = (await s.loadObservations(symbol, asOf ? { asOf } : {})).filter(
        (o) => (!from || o.period >= from) && (!to || o.period <= to),
      );
      const shown = last ? obs.slice(-last) : obs;
      return {
        json: { series: symbol, observations: shown },
        table: {
          headers: ['period', 'value', 'unit', 'as_of', 'source'],
          rows: shown.map((o) => [o.period, o.value, o.unit, o.asOf, o.source]),
        },
      };
    });
  });

  get('/api/v1/doctor', 'doctor', 'the JSON of `rotation doctor --format json`', async (q) => {
    const asOf = dateParam('as_of', q.as_of) ?? deps.today();
    const symbols = q.symbols ? q.symbols.split(',').map((x) => symbolParam(x.trim(), 'symbols')) : [];
    const report = await store((s) => runDoctor(s, { asOf, symbols }));
    return {
      json: report,
      table: {
        headers: ['symbol', 'check', 'severity', 'date', 'detail'],
        rows: report.findings.map((f) => [f.symbol, f.check, f.severity, f.date ?? null, f.detail]),
      },
    };
  });

  get('/api/v1/race', 'race', 'the JSON of `rotation race A B --format json`', async (q) => {
    const window = param('window', () => parseWindow(q.window ?? 'ytd'));
    const year = param('year', () => parseYear('--year', q.year));
    const years = q.years === undefined ? undefined : param('years', () => parseYears(q.years ?? ''));
    if (years && years.length > MAX_YEARS)
      throw new HttpProblem(400, `years covers ${years.length} years; at most ${MAX_YEARS}`, 'years');
    const opts = commonOf(q, deps.config, deps.lastCompletedSession?.());
    const run = await store((s) => runRace(s, q.a, q.b, window, { ...opts, year, years, requireData: true }));
    const rows = run.years ?? (run.race ? [{ year: run.race.year, race: run.race, reason: null }] : []);
    return {
      json: raceJson(run),
      table: {
        headers: [
          'year',
          'from',
          'to',
          'sessions',
          `ret_${run.a}`,
          `ret_${run.b}`,
          'spread',
          'ratio',
          'winner',
        ],
        rows: rows.map((r) => [
          r.year,
          r.race?.baseDate ?? null,
          r.race?.endDate ?? null,
          r.race?.sessions ?? null,
          r.race?.retA ?? null,
          r.race?.retB ?? null,
          r.race?.spread ?? null,
          r.race?.ratio.values.at(-1) ?? null,
          r.race ? (r.race.winner === 'a' ? run.a : r.race.winner === 'b' ? run.b : 'tie') : null,
        ]),
      },
    };
  });

  get('/api/v1/precedents', 'precedents', 'the JSON of `rotation precedents --format json`', async (q) => {
    const condition = conditionOf(q);
    const run = await store((s) =>
      runPrecedents(s, condition, commonOf(q, deps.config, deps.lastCompletedSession?.())),
    );
    const p = run.precedents;
    return {
      json: precedentsJson(run, condition),
      table: {
        headers: ['date', 'year', 'value', 'kind'],
        rows: p.occurrences.map((o) => [o.date, o.year, o.value, condition.kind]),
      },
    };
  });

  get('/api/v1/odds', 'odds', 'the JSON of `rotation odds --format json`', async (q) => {
    const condition = conditionOf(q);
    const horizons =
      q.horizons === undefined ? undefined : param('horizons', () => parseHorizons(q.horizons ?? ''));
    const opts = { ...commonOf(q, deps.config, deps.lastCompletedSession?.()), horizons };
    const baseRate = q.base_rate === 'true';
    const { run, honest } = await store(async (s) => {
      const run = await runOdds(s, condition, opts);
      return { run, honest: baseRate ? await loadHonestOdds(s, run, condition, opts) : null };
    });
    const json = oddsJson(run, condition);
    return {
      json: baseRate ? { ...json, baseRate: honest, facts: honest?.facts ?? [] } : json,
      table: {
        headers: Object.keys(run.odds[0] ?? {}),
        rows: run.odds.map((h) => Object.values(h)),
      },
    };
  });

  mountMoreRoutes(app, get, { store, deps, routes, ops });
  dashboardRoutes(app, get, { store, config: deps.config, routes });

  const document = openApiDocument(ops);
  routes.push(
    { path: '/openapi.json', methods: ['GET', 'HEAD'] },
    { path: '/reference', methods: ['GET', 'HEAD'] },
  );
  app.get('/openapi.json', (c) => {
    c.header('cache-control', 'public, max-age=300');
    return c.json(document);
  });
  app.get('/reference', (c) => {
    c.header('cache-control', 'public, max-age=300');
    return c.html(referencePage(document));
  });

  if (deps.publish) app.route('/', publishRoutes(deps.publish));

  // A known path with another method is 405 naming the methods it takes.
  for (const r of routes)
    app.all(r.path, (c) => {
      c.header('allow', r.methods.join(', '));
      return problemResponse(c, 405, `${c.req.method} is not allowed here; use ${r.methods.join(' or ')}`);
    });

  return app;
}

export function problemResponse(c: Context, status: number, detail: string, param?: string): Response {
  return c.body(JSON.stringify(problem(status, detail, param)), status as 400, {
    'content-type': 'application/problem+json',
  });
}

/** At most `running` tasks at once and `queued` waiting; beyond that a 503, never an unbounded queue. */
export function gate(running: number, queued: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= running) {
      if (waiting.length >= queued) throw new HttpProblem(503, 'the server is busy; try again');
      await new Promise<void>((resolve) => waiting.push(resolve));
    } else active++;
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}
