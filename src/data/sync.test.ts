import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TradingDate } from '../shared/brand.js';
import type { Bar } from '../shared/domain.js';
import { startServer, type Reply, type TestServer } from '../../test/support/http-server.js';
import { parseConfig } from './config-schema.js';
import { createProviders } from './providers/index.js';
import { Store } from './store/store.js';
import { syncAll, type SyncOutcome } from './sync.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../../test/fixtures/http/${name}`, import.meta.url), 'utf8');

/** Bars already stored before each bad response arrives (hand-made). */
const SEEDED: Bar[] = [
  {
    date: '2024-06-26' as TradingDate,
    open: 199,
    high: 201,
    low: 198,
    close: 200.5,
    adjClose: 198.5,
    volume: 2e7,
  },
  {
    date: '2024-06-27' as TradingDate,
    open: 200,
    high: 202,
    low: 199,
    close: 201.2,
    adjClose: 199.2,
    volume: 2e7,
  },
  {
    date: '2024-06-28' as TradingDate,
    open: 201,
    high: 203,
    low: 200,
    close: 202.1,
    adjClose: 200.1,
    volume: 2e7,
  },
];

let store: Store;
let server: TestServer;
let reply: (url: URL) => Reply;

beforeEach(async () => {
  store = await Store.open(':memory:');
  await store.upsertBars('IWM', SEEDED, 'yahoo');
  server = await startServer((url) => reply(url));
});
afterEach(async () => {
  store.close();
  await server.close();
});

async function sync(opts: { retries?: number; order?: ('yahoo' | 'stooq')[] } = {}): Promise<SyncOutcome> {
  const config = parseConfig({
    providers: {
      order: opts.order ?? ['yahoo'],
      retries: opts.retries ?? 3,
      timeoutMs: 3000,
      // All three keys: config.ts's z.record over an enum requires every key (see the report).
      requestsPerSecond: { yahoo: 1000, stooq: 1000, fred: 1000 },
    },
  });
  const p = createProviders({
    config,
    env: { ROTATION_YAHOO_URL: server.origin, ROTATION_STOOQ_URL: server.origin },
    userAgent: 'rotation-desk/test',
    cacheDir: null,
    http: { backoffBaseMs: 1, backoffMaxMs: 5000, random: () => 0.5 },
  });
  const [out] = await syncAll(store, {
    symbols: ['IWM'],
    series: [],
    price: p.price,
    fred: null,
    today: '2024-07-09' as TradingDate,
    defaultFrom: '2024-01-02' as TradingDate,
    overlapSessions: 2,
  });
  return out as SyncOutcome;
}

const json = (body: string, status = 200): Reply => ({
  status,
  headers: { 'content-type': 'application/json;charset=utf-8' },
  body,
});

async function expectUntouched(): Promise<void> {
  expect(await store.loadBars('IWM'), 'stored bars are untouched').toEqual(SEEDED);
  expect(await store.loadCorporateActions('IWM')).toEqual([]);
}

describe('sync with bad provider responses', () => {
  it('reports an HTML page instead of JSON and writes nothing', async () => {
    reply = () => ({
      headers: { 'content-type': 'text/html' },
      body: fixture('yahoo-html-error-page.fake.html'),
    });
    const out = await sync();
    expect(out).toMatchObject({ status: 'failed' });
    expect(out.message).toMatch(/yahoo: expected JSON for IWM, got text\/html starting "<!DOCTYPE html>/);
    await expectUntouched();
  });

  it('reports a truncated body and writes nothing', async () => {
    const body = fixture('yahoo-IWM-2024-07-01-to-2024-07-09.fake.json');
    reply = () => json(body.slice(0, Math.floor(body.length / 2)));
    const out = await sync();
    expect(out).toMatchObject({ status: 'failed' });
    expect(out.message).toMatch(/truncated or invalid JSON for IWM/);
    await expectUntouched();
  });

  it('reports chart.error with its code and description', async () => {
    reply = () => json(fixture('yahoo-chart-error-bad-request.fake.json'), 400);
    const out = await sync();
    expect(out.message).toMatch(/IWM: Bad Request: Invalid input - start date cannot be after the end date/);
    await expectUntouched();
  });

  it('reports an unknown symbol as not found', async () => {
    reply = () =>
      json(
        '{"chart":{"result":null,"error":{"code":"Not Found","description":"No data found, symbol may be delisted"}}}',
        404,
      );
    const out = await sync();
    expect(out).toMatchObject({ status: 'failed', provider: null });
    expect(out.message).toBe('yahoo: IWM: Not Found: No data found, symbol may be delisted');
    await expectUntouched();
  });

  it('skips bars whose values are null and keeps a null volume', async () => {
    reply = () => json(fixture('yahoo-IWM-2024-07-01-to-2024-07-09.null-bars.fake.json'));
    const out = await sync();
    expect(out).toMatchObject({ status: 'updated', skipped: 1, counts: { added: 5 } });
    expect(out.message).toMatch(/skipped 1 bar\(s\) with missing values/);
    const bars = await store.loadBars('IWM', { from: '2024-07-01' });
    expect(bars.map((b) => b.date)).toEqual([
      '2024-07-01',
      '2024-07-02',
      '2024-07-03',
      '2024-07-08',
      '2024-07-09',
    ]);
    expect(bars.find((b) => b.date === '2024-07-08')?.volume, 'null volume stays null').toBeNull();
    expect(await store.loadBars('IWM', { to: '2024-06-27' }), 'older bars untouched').toEqual(
      SEEDED.slice(0, 2),
    );
  });

  it('skips a bar dated on an NYSE holiday (2024-07-04) and says so', async () => {
    reply = () => json(fixture('yahoo-IWM-2024-07-01-to-2024-07-09.holiday-bar.fake.json'));
    const out = await sync();
    expect(out).toMatchObject({ status: 'updated', skipped: 1 });
    expect(out.message).toMatch(/non-session days \(2024-07-04\)/);
    const dates = (await store.loadBars('IWM')).map((b) => b.date);
    expect(dates).not.toContain('2024-07-04');
    expect(dates).toContain('2024-07-05');
  });

  it('gives up quickly on a storm of 429s, after retries, and writes nothing', async () => {
    reply = () => ({ status: 429, headers: { 'retry-after': '0' }, body: 'Too Many Requests' });
    const t0 = Date.now();
    const out = await sync({ retries: 3 });
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(server.requests.length, 'one request and three retries').toBe(4);
    expect(out.message).toMatch(/kept answering 429 Too Many Requests \(4 attempts\)/);
    await expectUntouched();
  });

  it('honours Retry-After before retrying', async () => {
    let calls = 0;
    const body = fixture('yahoo-IWM-2024-07-01-to-2024-07-09.fake.json');
    reply = () => (++calls === 1 ? { status: 429, headers: { 'retry-after': '1' }, body: '' } : json(body));
    const t0 = Date.now();
    const out = await sync();
    expect(Date.now() - t0, 'waited the 1 s asked for, not the 1 ms backoff').toBeGreaterThanOrEqual(950);
    expect(out).toMatchObject({ status: 'updated' });
  });

  it('falls back to Stooq, which answers "No data" for an unknown symbol: both reasons reported', async () => {
    reply = (url) =>
      url.pathname.startsWith('/v8/') ? json('{"chart":{"result":[]', 200) : { body: 'No data' };
    const out = await sync({ order: ['yahoo', 'stooq'] });
    expect(out.status).toBe('failed');
    expect(out.message).toMatch(
      /^yahoo: truncated or invalid JSON.*; stooq: Stooq has no data for IWM \(as iwm\.us\)$/,
    );
    await expectUntouched();
  });
});

describe('sync when a host drops connections mid-run', () => {
  it('stops asking that provider for the remaining symbols', async () => {
    const dropping = await startServer((_url, req) => {
      req.socket.destroy();
      return new Promise<Reply>(() => undefined);
    });
    try {
      const config = parseConfig({
        providers: {
          order: ['yahoo', 'stooq'],
          retries: 2,
          timeoutMs: 3000,
          requestsPerSecond: { yahoo: 1000, stooq: 1000, fred: 1000 },
        },
      });
      const p = createProviders({
        config,
        env: { ROTATION_YAHOO_URL: dropping.origin, ROTATION_STOOQ_URL: server.origin },
        userAgent: 'rotation-desk/test',
        cacheDir: null,
        http: { backoffBaseMs: 1, backoffMaxMs: 5, random: () => 0.5 },
      });
      reply = () => ({
        body: 'Date,Open,High,Low,Close,Volume\n2024-07-09,202.9,204.2,201.8,203.4,25006000\n',
      });
      const out = await syncAll(store, {
        symbols: ['IWM', 'QQQ'],
        series: [],
        price: p.price,
        fred: null,
        today: '2024-07-09' as TradingDate,
        defaultFrom: '2024-07-09' as TradingDate,
        overlapSessions: 2,
      });
      expect(out.map((o) => o.provider)).toEqual(['stooq', 'stooq']);
      expect(dropping.requests.length, 'three attempts for IWM, none for QQQ').toBe(3);
      expect(out[1]?.message).toMatch(/^fell back to stooq \(yahoo: request to .* failed/);
    } finally {
      await dropping.close();
    }
  });
});
