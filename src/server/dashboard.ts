import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Hono } from 'hono';
import { parseWindow } from '../core/window.js';
import { raceJson, runRace, runRrg } from '../data/analytics.js';
import { parseYear, parseYears } from '../data/options.js';
import { raceLineSpec, rrgSpec, yearBarsSpec } from '../report/charts/specs.js';
import type { Get } from './app.js';
import { commonOf, dateParam, param, symbolParam } from './params.js';
import { HttpProblem } from './problem.js';
import type { Store } from '../data/store/store.js';
import type { Config } from '../data/config.js';
import { parsePositiveInt } from '../core/positive-int.js';
import { parseBasis } from '../core/series/types.js';

/**
 * The dashboard at `/`: its page, script and stylesheet (src/server/dashboard/, copied into dist by the build),
 * and vega, vega-lite, vega-embed and vega-interpreter from node_modules: every file is read once at start and
 * served from memory under a fixed name, so no request path ever reaches the file system.
 */
type Asset = { body: Buffer; type: string };

const HERE = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
/** The build folders: each package's main entry sits inside its build/. */
const VEGA = dirname(require.resolve('vega'));
const VEGA_LITE = dirname(require.resolve('vega-lite'));
const VEGA_EMBED = dirname(require.resolve('vega-embed'));

function loadAssets(): Map<string, Asset> {
  const js = 'text/javascript; charset=utf-8';
  const own = join(HERE, 'dashboard');
  const read = (path: string) => readFileSync(path);
  const assets = new Map<string, Asset>([
    ['index.html', { body: read(join(own, 'index.html')), type: 'text/html; charset=utf-8' }],
    ['dashboard.js', { body: read(join(own, 'dashboard.js')), type: js }],
    ['dashboard.css', { body: read(join(own, 'dashboard.css')), type: 'text/css; charset=utf-8' }],
    ['vega.min.js', { body: read(join(VEGA, 'vega.min.js')), type: js }],
    ['vega-lite.min.js', { body: read(join(VEGA_LITE, 'vega-lite.min.js')), type: js }],
    ['vega-embed.min.js', { body: read(join(VEGA_EMBED, 'vega-embed.min.js')), type: js }],
  ]);
  // vega-interpreter ships as an ES module importing three names from vega-util, which the vega bundle (loaded
  // first, as the global `vega`) exports too: the import line becomes a read of that global.
  const interp = readFileSync(require.resolve('vega-interpreter'), 'utf8');
  const importLine = /^import \{ ([A-Za-z, ]+) \} from 'vega-util';$/m;
  if (!importLine.test(interp))
    throw new Error('vega-interpreter: its import of vega-util changed; see dashboard.ts');
  assets.set('vega-interpreter.js', {
    body: Buffer.from(interp.replace(importLine, 'const { $1 } = globalThis.vega;')),
    type: js,
  });
  return assets;
}

/** The chart endpoints: the brief's Vega-Lite specs (report/charts/specs) over the verb's own run. */
export function dashboardRoutes(
  app: Hono,
  get: Get,
  ctx: {
    store: <T>(fn: (s: Store) => Promise<T>) => Promise<T>;
    config: Config;
    routes: { path: string; methods: string[] }[];
  },
): void {
  const assets = loadAssets();
  const serve = (name: string) => {
    const a = assets.get(name);
    if (!a) return null;
    return new Response(new Uint8Array(a.body), {
      status: 200,
      headers: { 'content-type': a.type, 'cache-control': 'public, max-age=300' },
    });
  };
  ctx.routes.push(
    { path: '/', methods: ['GET', 'HEAD'] },
    { path: '/assets/:name', methods: ['GET', 'HEAD'] },
  );
  app.get('/', () => serve('index.html') as Response);
  // Browsers ask for an icon; there is none: an empty answer instead of a logged 404.
  app.get('/favicon.ico', (c) => c.body(null, 204));
  app.get('/assets/:name', (c) => {
    const name = c.req.param('name');
    const r = name === 'index.html' ? null : serve(name);
    if (!r) throw new HttpProblem(404, `no asset ${/^[\w.-]{1,40}$/.test(name) ? name : '(that name)'}`);
    return r;
  });

  get(
    '/api/v1/charts/race',
    'chart_race',
    "the brief's Vega-Lite spec of a race: ratio line, or year bars with years",
    async (q) => {
      const window = param('window', () => parseWindow(q.window ?? 'ytd'));
      const year = param('year', () => parseYear('--year', q.year));
      const years = q.years === undefined ? undefined : param('years', () => parseYears(q.years ?? ''));
      if (years && years.length > 200)
        throw new HttpProblem(400, `years covers ${years.length} years; at most 200`, 'years');
      // The chart draws the figures only: no stale labels, so no due session.
      const opts = commonOf(q, ctx.config, undefined);
      const run = await ctx.store((s) =>
        runRace(s, symbolParam(q.a, 'a'), symbolParam(q.b, 'b'), window, { ...opts, year, years }),
      );
      const source = `Source: ${run.provenance.map((p) => `${p.symbol} ${p.field}`).join(', ')} (rotation store), as of ${run.asOf}`;
      if (run.years) {
        const rows = run.years.flatMap((r) =>
          r.race
            ? [{ year: String(r.year), spread: r.race.spread, winner: r.race.winner === 'b' ? run.b : run.a }]
            : [],
        );
        return {
          json: {
            race: raceJson(run),
            spec: yearBarsSpec(rows, {
              title: `${run.window}, year by year: ${run.a} minus ${run.b}`,
              source,
              winnerTitle: 'Won by',
            }),
          },
        };
      }
      const r = run.race;
      if (!r)
        throw new HttpProblem(
          422,
          `the window ${run.window} cannot be measured on the stored sessions`,
          'window',
        );
      const points = r.ratio.dates.map((date, i) => ({
        date,
        series: `${run.a}/${run.b}`,
        value: (r.ratio.values[i] as number) - 1,
      }));
      return {
        json: {
          race: raceJson(run),
          spec: raceLineSpec(points, {
            title: `${run.a} vs ${run.b}, ${run.window} ${r.year}: the ratio ${run.a}/${run.b}`,
            source,
            baseDate: r.baseDate,
          }),
        },
      };
    },
  );

  get(
    '/api/v1/charts/rrg',
    'chart_rrg',
    "the brief's Vega-Lite RRG spec with tails, its members and the weeks to step through",
    async (q) => {
      const int = (name: string, t: string | undefined) =>
        t === undefined ? undefined : param(name, () => parsePositiveInt(name, t));
      const tail = int('tail', q.tail) ?? 8;
      if (tail > 520) throw new HttpProblem(400, `tail ${tail} is over 520 points`, 'tail');
      const opts = {
        symbols:
          q.symbols === undefined ? [] : q.symbols.split(',').map((x) => symbolParam(x.trim(), 'symbols')),
        benchmark: q.benchmark,
        period: q.period ?? 'weekly',
        tail,
        window: int('window', q.window),
        lag: int('lag', q.lag),
        basis: param('basis', () => parseBasis(q.basis ?? 'total')),
        asOf: dateParam('as_of', q.as_of),
      };
      // The weeks a slider steps through: the dates of a 52-point tail (the same run, a longer tail).
      const [{ json }, long] = await ctx.store(
        async (s) => [await runRrg(s, opts), await runRrg(s, { ...opts, tail: 52 })] as const,
      );
      const weeks = [
        ...new Set(long.json.members.flatMap((m) => m.tail.map((p) => p.date as string))),
      ].sort();
      const dots = json.members.flatMap((m) =>
        m.tail.map((p, i) => ({
          symbol: m.symbol,
          date: p.date,
          ratio: p.ratio as number,
          momentum: p.momentum as number,
          order: i,
          last: i === m.tail.length - 1,
        })),
      );
      return {
        json: {
          rrg: json,
          weeks,
          spec: rrgSpec(dots, {
            title: `${opts.period === 'daily' ? 'Daily' : 'Weekly'} RRG vs ${json.benchmark}, as of ${json.asOf ?? '—'}`,
            source: `Source: closes of the members and ${json.benchmark} (rotation store), ${opts.basis} basis`,
          }),
        },
      };
    },
  );
}
