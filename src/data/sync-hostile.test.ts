import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
// DuckDbStore: these tests inspect the file's tables with SQL (DuckDbStore.query), beyond the Store interface.
import { DuckDbStore as Store } from './store/store.js';
import { syncAll, type SyncPlan } from './sync.js';
import { HttpClient } from './providers/http.js';
import { YahooClient } from './providers/yahoo/client.js';
import { FredClient } from './providers/fred/client.js';
import { StooqClient } from './providers/stooq/client.js';
import { startServer, type Reply, type TestServer } from '../../test/support/http-server.js';
import { nyOpenSeconds } from '../../test/support/http-server.js';
import { yahooChartDoc, type SourceBar } from '../../test/support/yahoo-chart.js';
import type { TradingDate } from '../shared/brand.js';
import { MAX_PRICE } from './ingest/row-checks.js';
import { seeded } from '../../test/support/seeded.js';

/**
 * Hostile provider responses replayed from a loopback server: whatever the server sends, nothing invalid is
 * stored, a refused response writes nothing, and the file-imported history outside the window is untouched.
 */

const TODAY = '2024-01-12' as TradingDate;
const FROM = '2024-01-08' as TradingDate;
const SESSIONS = ['2024-01-08', '2024-01-09', '2024-01-10', '2024-01-11', '2024-01-12'];
const good = (date: string, i: number): SourceBar => ({
  date,
  open: 100 + i,
  high: 102 + i,
  low: 99 + i,
  close: 101 + i,
  adjClose: 100.5 + i,
  volume: 1000 + i,
});

type Doc = {
  chart: {
    result: {
      meta: Record<string, unknown>;
      timestamp: number[];
      indicators: { quote: Record<string, (number | null)[]>[]; adjclose: { adjclose: (number | null)[] }[] };
    }[];
  };
};

/** Mutations a hostile or broken server makes to a good chart response. */
const MUTATIONS: ((d: Doc, r: () => number) => string | void)[] = [
  (d) => void (d.chart.result[0]!.timestamp[4] = nyOpenSeconds('2099-01-05')),
  (d) => void (d.chart.result[0]!.timestamp[3] = nyOpenSeconds('2024-01-19')),
  // Before the requested window: it would overwrite the file-imported history.
  (d) => void (d.chart.result[0]!.timestamp[0] = nyOpenSeconds('2024-01-03')),
  (d) => {
    const m = d.chart.result[0]!.meta;
    delete m['exchangeTimezoneName'];
    d.chart.result[0]!.timestamp[4] = 1e12;
  },
  (d, r) => {
    const f = ['open', 'high', 'low'][Math.floor(r() * 3)] as string;
    d.chart.result[0]!.indicators.quote[0]![f]![2] = -1;
  },
  (d) => void (d.chart.result[0]!.indicators.quote[0]!['open']![1] = 0),
  (d) => void (d.chart.result[0]!.indicators.adjclose[0]!.adjclose[1] = -5),
  (d) => void (d.chart.result[0]!.indicators.quote[0]!['volume']![0] = -10),
  (d) => void (d.chart.result[0]!.indicators.quote[0]!['close']![2] = 1e300),
  (d) => void (d.chart.result[0]!.indicators.quote[0]!['close']![2] = 0),
  (d) => {
    const q = d.chart.result[0]!.indicators.quote[0]!;
    q['high']![1] = 1;
    q['low']![1] = 500;
  },
  (d) => void (d.chart.result[0]!.meta['symbol'] = 'QQQ'),
  (d) => void (d.chart.result[0]!.meta['dataGranularity'] = '1wk'),
  (d) => {
    const res = d.chart.result[0]!;
    res.timestamp.push(res.timestamp[4]!);
    for (const [k, xs] of Object.entries(res.indicators.quote[0]!)) xs.push(k === 'close' ? 999 : xs[4]!);
    res.indicators.adjclose[0]!.adjclose.push(res.indicators.adjclose[0]!.adjclose[4]!);
    res.timestamp.splice(4, 0);
    // Move the duplicate off today so the live-bar rule does not apply.
    res.timestamp[res.timestamp.length - 1] = res.timestamp[2]!;
    res.timestamp.sort((a, b) => a - b);
  },
  () => 'close-1e999',
];

function hostileBody(seed: number): { body: string; applied: number } {
  const r = seeded(seed);
  const doc = yahooChartDoc({ symbol: 'IWM', bars: SESSIONS.map(good) }) as Doc;
  const applied = Math.floor(r() * MUTATIONS.length);
  const mark = MUTATIONS[applied]!(doc, r);
  let body = JSON.stringify(doc);
  if (mark === 'close-1e999') body = body.replace(/"close":\[(\d+)/, '"close":[1e999');
  return { body, applied };
}

let server: TestServer;
let reply: (url: URL) => Reply = () => ({ body: '' });
beforeAll(async () => {
  server = await startServer((url) => reply(url));
});
afterAll(() => server.close());

let store: Store;
beforeEach(async () => {
  store = await Store.open(':memory:');
});
afterEach(() => store.close());

const http = (o: Partial<ConstructorParameters<typeof HttpClient>[0]> = {}) =>
  new HttpClient({
    provider: 'yahoo',
    userAgent: 'test',
    timeoutMs: 3000,
    retries: 1,
    requestsPerSecond: 10_000,
    backoffBaseMs: 1,
    backoffMaxMs: 5,
    random: () => 0.5,
    ...o,
  });

function plan(over: Partial<SyncPlan> = {}): SyncPlan {
  return {
    symbols: ['IWM'],
    series: [],
    price: [new YahooClient(http(), server.origin)],
    fred: null,
    today: TODAY,
    defaultFrom: FROM,
    overlapSessions: 10,
    ...over,
  };
}

/** File-imported history before the window: sync must never rewrite it. */
async function seedHistory(): Promise<void> {
  await store.upsertBars(
    'IWM',
    [
      { date: '2024-01-04' as TradingDate, open: 1, high: 2, low: 0.5, close: 1.5, adjClose: 1.5, volume: 5 },
      { date: '2024-01-05' as TradingDate, open: 1, high: 2, low: 0.5, close: 1.6, adjClose: 1.6, volume: 5 },
    ],
    'file:etf/IWM.csv',
  );
}

async function storedBars() {
  return store.query<Record<string, unknown>>(
    `SELECT b.symbol, b.date::VARCHAR AS date, b.open, b.high, b.low, b.close, b.adj_close, b.volume, k.source
     FROM bars b JOIN bar_stamps k ON k.stamp = b.stamp ORDER BY b.date`,
  );
}

const FUZZ_CASES = Number(process.env['ROTATION_FUZZ_PROVIDER_CASES'] ?? 60);

describe('sync against hostile Yahoo responses (seeded fuzz)', () => {
  it(`stores nothing invalid over ${FUZZ_CASES} mutated responses`, async () => {
    const counts = new Map<number, number>();
    for (let seed = 1; seed <= FUZZ_CASES; seed++) {
      await store.exec('DELETE FROM bars; DELETE FROM import_log');
      await seedHistory();
      const before = await storedBars();
      const { body, applied } = hostileBody(seed);
      counts.set(applied, (counts.get(applied) ?? 0) + 1);
      reply = () => ({ headers: { 'content-type': 'application/json' }, body });
      const [out] = await syncAll(store, plan({ defaultFrom: FROM }));
      const after = await storedBars();
      const what = `seed ${seed} (mutation ${applied}): ${out?.message}`;
      expect(out?.status, what).toBe('failed');
      expect(after, `${what}: a refused response writes nothing`).toEqual(before);
      for (const b of after) {
        expect((b['date'] as string) <= TODAY, what).toBe(true);
        for (const k of ['open', 'high', 'low', 'close', 'adj_close'])
          if (b[k] !== null) expect(b[k] as number, what).toBeGreaterThan(0);
        expect(b['close'] as number, what).toBeLessThanOrEqual(MAX_PRICE);
      }
    }
    expect(counts.size, 'every mutation ran at least once').toBe(MUTATIONS.length);
  });

  it('stores a good response, inside the window only, and keeps the file history before it', async () => {
    await seedHistory();
    reply = () => ({ body: JSON.stringify(yahooChartDoc({ symbol: 'IWM', bars: SESSIONS.map(good) })) });
    const [out] = await syncAll(store, plan({ overlapSessions: 1 }));
    expect(out?.status, out?.message ?? '').toBe('updated');
    const bars = await storedBars();
    expect(bars.filter((b) => (b['date'] as string) < '2024-01-05').map((b) => b['source'])).toEqual([
      'file:etf/IWM.csv',
    ]);
    expect(bars.filter((b) => b['source'] === 'yahoo').map((b) => b['date'])).toEqual(SESSIONS);
  });
});

describe('HTTP hardening', () => {
  it('does not follow a redirect to another host', async () => {
    reply = () => ({ status: 302, headers: { location: 'http://localhost:1/elsewhere' }, body: '' });
    await expect(http().get(`${server.origin}/x`, (r) => r.body)).rejects.toThrow(
      /redirected to another host/,
    );
  });

  it('follows a redirect within the same host', async () => {
    reply = (url) =>
      url.pathname === '/a' ? { status: 301, headers: { location: '/b' }, body: '' } : { body: 'landed' };
    await expect(http().get(`${server.origin}/a`, (r) => r.body)).resolves.toBe('landed');
  });

  it('refuses a body above the size cap', async () => {
    reply = () => ({ body: 'x'.repeat(10_000) });
    await expect(http({ maxBodyBytes: 1000 }).get(`${server.origin}/big`, (r) => r.body)).rejects.toThrow(
      /larger than 1000 bytes/,
    );
  });

  it('turns a corrupt gzip body into a clean error', async () => {
    const gz = gzipSync(Buffer.from('{"a":1}'.repeat(500)));
    const bad = Buffer.concat([gz.subarray(0, 20), Buffer.from('garbage-garbage'), gz.subarray(35)]);
    reply = () => ({ headers: { 'content-encoding': 'gzip' }, body: bad.toString('latin1') });
    await expect(http({ retries: 0 }).get(`${server.origin}/gz`, (r) => r.body)).rejects.toThrow(
      /corrupt compressed body|cut the response short/,
    );
  });

  it('does not wait out a long Retry-After, and stops asking for the rest of the run', async () => {
    reply = () => ({ status: 429, headers: { 'retry-after': '3600' }, body: '' });
    const client = http({ retries: 3 });
    await expect(client.get(`${server.origin}/r1`, (r) => r.body)).rejects.toThrow(/asked to wait 3600 s/);
    const n = server.requests.length;
    await expect(client.get(`${server.origin}/r2`, (r) => r.body)).rejects.toThrow(/not asked again/);
    expect(server.requests.length, 'the open breaker sends no request').toBe(n);
  });
});

describe('sync against hostile FRED responses', () => {
  const fred = () => new FredClient(http({ provider: 'fred' }), { origin: server.origin, apiKey: null });
  const csv = (rows: string[]) => ({ body: ['observation_date,DGS10', ...rows].join('\n') + '\n' });
  const cases: [string, string[], RegExp][] = [
    ['Infinity (1e999)', ['2024-01-02,4.1', '2024-01-03,1e999'], /not a plain decimal|out of range/],
    ['1e300', ['2024-01-02,4.1', '2024-01-03,1e300'], /out of range/],
    ['period 0000-01-01', ['0000-01-01,4.1'], /not a date/],
    ['period 2030-01-01', ['2024-01-02,4.1', '2030-01-01,4.2'], /in the future/],
    ['period 2023-02-30', ['2023-02-28,4.1', '2023-02-30,4.2'], /not a date: "2023-02-30"/],
    ['a repeated period with another value', ['2024-01-02,4.1', '2024-01-02,4.2'], /duplicate date/],
  ];
  for (const [name, body, error] of cases)
    it(`refuses ${name} and writes nothing`, async () => {
      reply = () => csv(body);
      const [out] = await syncAll(store, plan({ symbols: [], series: ['DGS10'], fred: fred() }));
      expect(out?.status).toBe('failed');
      expect(out?.reason).toBe('rows-refused');
      expect(out?.message).toMatch(error);
      const [n] = await store.query<{ n: number }>('SELECT count(*) AS n FROM observations');
      expect(n?.n).toBe(0);
    });

  it('writes none of 40 good observations when the 41st is 2024-02-30 (no raw DuckDB conversion error)', async () => {
    const good = Array.from({ length: 40 }, (_, i) => {
      const d = new Date(Date.UTC(2023, 11, 1 + i)).toISOString().slice(0, 10);
      return `${d},${(4 + i / 100).toFixed(2)}`;
    });
    reply = () => csv([...good, '2024-02-30,4.5']);
    const [out] = await syncAll(store, plan({ symbols: [], series: ['DGS10'], fred: fred() }));
    expect(out).toMatchObject({ status: 'failed', reason: 'rows-refused' });
    expect(out?.message).toMatch(/observation 2024-02-30: not a date: "2024-02-30" .*; nothing was written/);
    expect(out?.message).not.toMatch(/Conversion Error|Invalid Input Error/);
    const [n] = await store.query<{ n: number }>('SELECT count(*) AS n FROM observations');
    expect(n?.n).toBe(0);
  });

  it('refuses an API value "0x10" instead of reading 16', async () => {
    const client = new FredClient(http({ provider: 'fred' }), { origin: server.origin, apiKey: 'k' });
    reply = () => ({
      body: JSON.stringify({
        observations: [
          { realtime_start: '2024-01-02', realtime_end: '9999-12-31', date: '2024-01-02', value: '0x10' },
        ],
      }),
    });
    const [out] = await syncAll(store, plan({ symbols: [], series: ['DGS10'], fred: client }));
    expect(out?.status).toBe('failed');
    expect(out?.reason, 'the client refuses the body: a provider error').toBe('provider-error');
    expect(out?.message).toMatch(/"0x10", not a decimal number/);
  });
});

describe('a Stooq body cut at a field boundary', () => {
  it('stores the rows before the cut one, never volume 1, and says so', async () => {
    const rows = SESSIONS.map((d, i) => `${d},${100 + i},${102 + i},${99 + i},${101 + i},117437`);
    const cut = ['Date,Open,High,Low,Close,Volume', ...rows].join('\n').replace(/117437$/, '1');
    reply = () => ({ headers: { 'content-type': 'text/csv' }, body: cut });
    const [out] = await syncAll(
      store,
      plan({ price: [new StooqClient(http({ provider: 'stooq' }), server.origin)] }),
    );
    expect(out?.status, out?.message ?? '').toBe('updated');
    expect(out?.message).toMatch(
      /skipped the last row \(2024-01-12\): the response ends without a line break/,
    );
    const bars = await storedBars();
    expect(bars.map((b) => b['date'])).toEqual(SESSIONS.slice(0, 4));
    expect(bars.every((b) => b['volume'] === 117437)).toBe(true);
  });
});

describe('reason codes on sync outcomes (src/shared/reasons.ts)', () => {
  const doc = (over: (d: Doc) => void = () => {}) => {
    const d = yahooChartDoc({ symbol: 'IWM', bars: SESSIONS.map(good) }) as Doc;
    over(d);
    return { headers: { 'content-type': 'application/json' }, body: JSON.stringify(d) };
  };
  const cases: [string, () => Reply, string][] = [
    ['a good answer', () => doc(), 'updated'],
    [
      'a 429 with a long Retry-After',
      () => ({ status: 429, headers: { 'retry-after': '3600' }, body: '' }),
      'rate-limited',
    ],
    ['a 404', () => ({ status: 404, body: 'no such symbol' }), 'provider-error'],
    [
      'an answer for another symbol',
      () => doc((d) => void (d.chart.result[0]!.meta['symbol'] = 'QQQ')),
      'response-mismatch',
    ],
    [
      'a 2099 bar',
      () => doc((d) => void (d.chart.result[0]!.timestamp[4] = nyOpenSeconds('2099-01-05'))),
      'rows-refused',
    ],
  ];
  for (const [name, answer, reason] of cases)
    it(`${name}: ${reason}`, async () => {
      reply = answer;
      const [out] = await syncAll(store, plan());
      expect(out?.reason, out?.message ?? '').toBe(reason);
    });

  it('a repeat of a good answer: unchanged; no provider: no-provider', async () => {
    reply = () => doc();
    await syncAll(store, plan());
    expect((await syncAll(store, plan()))[0]?.reason).toBe('unchanged');
    expect((await syncAll(store, plan({ price: [] })))[0]?.reason).toBe('no-provider');
    expect((await syncAll(store, plan({ symbols: [], series: ['DGS10'] })))[0]?.reason).toBe('no-provider');
  });
});
