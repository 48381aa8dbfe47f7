import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
// DuckDbStore: these tests inspect the file's tables with SQL (DuckDbStore.query), beyond the Store interface.
import { DuckDbStore as Store } from '../../data/store/store.js';
import type { TradingDate } from '../../shared/brand.js';
import type { Bar } from '../../shared/domain.js';
import { readCsv } from '../../../test/support/csv.js';
import { startServer, unusedPort, type TestServer } from '../../../test/support/http-server.js';
import { SHARED_DATA, describeWithSharedData } from '../../../test/support/shared-data.js';
import { yahooReply, type ChartSource, type SourceBar } from '../../../test/support/yahoo-chart.js';
import { main } from '../main.js';
import { runSync, type SyncDeps, type SyncInput } from './sync.js';
import { tempDir } from '../../../test/support/tmp.js';

const FAST: SyncDeps['http'] = { backoffBaseMs: 1, backoffMaxMs: 20, random: () => 0.5 };

let dir: string;
let db: string;
let config: string;

beforeEach(() => {
  dir = tempDir('rotation-sync-');
  db = join(dir, 'store.duckdb');
  config = join(dir, 'rotation.config.json');
  writeFileSync(
    config,
    JSON.stringify({
      providers: {
        order: ['yahoo', 'stooq'],
        timeoutMs: 3000,
        retries: 3,
        requestsPerSecond: { yahoo: 1000, stooq: 1000, fred: 1000 },
      },
    }),
  );
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterEach(() => {
  vi.restoreAllMocks();
});

const input = (args: string[], extra: Partial<SyncInput> = {}): SyncInput => ({
  args,
  db,
  config,
  format: 'json',
  overlap: 10,
  cache: false,
  ...extra,
});

async function withDb<T>(fn: (s: Store) => Promise<T>): Promise<T> {
  const s = await Store.open(db);
  try {
    return await fn(s);
  } finally {
    s.close();
  }
}

/** Bars as stored, for comparing with the source rows. */
const asBars = (rows: readonly SourceBar[]): Bar[] =>
  rows.map((r) => ({ ...r, date: r.date as TradingDate, close: r.close as number }));

describeWithSharedData('rotation sync against a Yahoo server built from real AAPL bars', () => {
  // stocks_daily_ohlcv/AAPL.csv (JJong-03/stock-backtest-platform, Yahoo download of 2025): OHLC split-adjusted,
  // adj_close split+dividend adjusted; that is Yahoo's view after the 4:1 split of 2020-08-31.
  const all = readCsv(join(SHARED_DATA, 'stocks_daily_ohlcv/AAPL.csv'))
    .filter((r) => (r['Date'] as string) >= '2020-07-01' && (r['Date'] as string) <= '2020-09-04')
    .map((r): SourceBar => ({
      date: r['Date'] as string,
      open: Number(r['open']),
      high: Number(r['high']),
      low: Number(r['low']),
      close: Number(r['close']),
      adjClose: Number(r['adj_close']),
      volume: Number(r['volume']),
    }));
  // Yahoo's view on 2020-08-21, before the split: prices four times higher (×4 is exact in binary floating
  // point), volumes a quarter, and the dividend of 2020-08-07 at its unsplit $0.82 (AAPL's real ex-date/amount).
  const before: ChartSource = {
    symbol: 'AAPL',
    bars: all
      .filter((b) => b.date <= '2020-08-21')
      .map((b) => ({
        ...b,
        open: (b.open as number) * 4,
        high: (b.high as number) * 4,
        low: (b.low as number) * 4,
        close: (b.close as number) * 4,
        adjClose: (b.adjClose as number) * 4,
        volume: (b.volume as number) / 4,
      })),
    dividends: [{ date: '2020-08-07', amount: 0.82 }],
  };
  const after: ChartSource = {
    symbol: 'AAPL',
    bars: all,
    dividends: [{ date: '2020-08-07', amount: 0.205 }],
    splits: [{ date: '2020-08-31', numerator: 4, denominator: 1 }],
  };
  let view: ChartSource = before;
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer((url) => yahooReply(url, new Map([['AAPL', view]])));
  });
  afterAll(() => server.close());

  it('stores the source bars, then rewrites history when the 4:1 split arrives, then writes nothing', async () => {
    const env = { ROTATION_YAHOO_URL: server.origin, ROTATION_STOOQ_URL: server.origin };
    view = before;
    const first = await runSync(input(['AAPL'], { from: '2020-07-01' as TradingDate }), {
      env,
      today: '2020-08-21' as TradingDate,
      http: FAST,
    });
    expect(first[0]).toMatchObject({ symbol: 'AAPL', status: 'updated', provider: 'yahoo' });
    await withDb(async (s) => {
      expect(await s.loadBars('AAPL'), 'stored bars equal the pre-split source').toEqual(asBars(before.bars));
      expect(await s.loadCorporateActions('AAPL')).toEqual([
        { kind: 'dividend', symbol: 'AAPL', date: '2020-08-07', amount: 0.82, source: 'yahoo' },
      ]);
    });

    view = after;
    server.requests.length = 0;
    const second = await runSync(input(['AAPL']), { env, today: '2020-09-04' as TradingDate, http: FAST });
    expect(second[0]).toMatchObject({ status: 'updated', refetched: true, newActions: 2 });
    // The incremental request starts 10 stored sessions back (2020-08-10), the refetch at the first stored bar.
    expect(server.requests.map((u) => u.searchParams.get('period1'))).toEqual([
      String(Date.UTC(2020, 7, 10) / 1000),
      String(Date.UTC(2020, 6, 1) / 1000),
    ]);
    await withDb(async (s) => {
      expect(await s.loadBars('AAPL'), 'every stored bar now on the post-split basis').toEqual(
        asBars(after.bars),
      );
      expect(await s.loadCorporateActions('AAPL')).toEqual([
        { kind: 'dividend', symbol: 'AAPL', date: '2020-08-07', amount: 0.205, source: 'yahoo' },
        { kind: 'split', symbol: 'AAPL', date: '2020-08-31', ratio: 4, source: 'yahoo' },
      ]);
    });

    const snapshot = () =>
      withDb(async (s) => ({
        bars: await s.query(
          `SELECT max(k.ingested_at)::VARCHAR AS t, max(k.stamp) AS stamp, count(*) AS n
           FROM bars b JOIN bar_stamps k ON k.stamp = b.stamp`,
        ),
        stamps: await s.query('SELECT count(*) AS n FROM bar_stamps'),
        actions: await s.query('SELECT max(ingested_at)::VARCHAR AS t, count(*) AS n FROM corporate_actions'),
        log: await s.query('SELECT count(*) AS n FROM import_log'),
      }));
    const beforeThird = await snapshot();
    const third = await runSync(input(['AAPL']), { env, today: '2020-09-04' as TradingDate, http: FAST });
    expect(third[0]).toMatchObject({ status: 'unchanged', counts: { added: 0, updated: 0, unchanged: 10 } });
    expect(await snapshot(), 'a sync with nothing new writes nothing').toEqual(beforeThird);
  });

  it('extends bars imported from a file and lets Yahoo replace them only in the overlap window', async () => {
    // Bars only, no corporate actions in the window: a plain incremental sync.
    view = { symbol: 'AAPL', bars: after.bars };
    const fileRows = asBars(after.bars.slice(0, 30)).map((b) => ({ ...b, close: b.close + 0.001 }));
    await withDb((s) => s.upsertBars('AAPL', fileRows, 'file:AAPL.csv'));
    const env = { ROTATION_YAHOO_URL: server.origin };
    const out = await runSync(input(['AAPL']), { env, today: '2020-09-04' as TradingDate, http: FAST });
    expect(out[0]).toMatchObject({ status: 'updated', counts: { updated: 10 } });
    await withDb(async (s) => {
      const rows = await s.query<{ source: string; n: number }>(
        `SELECT k.source, count(*) AS n FROM bars b JOIN bar_stamps k ON k.stamp = b.stamp
         GROUP BY k.source ORDER BY k.source`,
      );
      // 30 file rows; the last 10 re-fetched (overlap) become Yahoo's, and the remaining sessions are added.
      expect(rows).toEqual([
        { source: 'file:AAPL.csv', n: 20 },
        { source: 'yahoo', n: after.bars.length - 20 },
      ]);
      const stored = await s.loadBars('AAPL');
      expect(stored.slice(0, 20), 'rows before the overlap keep the file values').toEqual(
        fileRows.slice(0, 20),
      );
      expect(stored.slice(20)).toEqual(asBars(after.bars.slice(20)));
    });
  });
});

describeWithSharedData('rotation sync: NVDA 10:1 split of 2024-06-10 from real adjusted closes', () => {
  // stocks_daily/NVDA.csv (dsturdy/Factor_Attribution): adjusted closes only; OHLC and volume sent as null.
  const rows = readCsv(join(SHARED_DATA, 'stocks_daily/NVDA.csv'))
    .filter((r) => (r['Date'] as string) >= '2024-06-03' && (r['Date'] as string) <= '2024-06-14')
    .map((r): SourceBar => {
      const c = Number(r['Close']);
      return {
        date: r['Date'] as string,
        open: null,
        high: null,
        low: null,
        close: c,
        adjClose: c,
        volume: null,
      };
    });
  it('stores the closes and the split', async () => {
    const src: ChartSource = {
      symbol: 'NVDA',
      bars: rows,
      splits: [{ date: '2024-06-10', numerator: 10, denominator: 1 }],
    };
    const server = await startServer((url) => yahooReply(url, new Map([['NVDA', src]])));
    try {
      const out = await runSync(input(['NVDA'], { from: '2024-06-03' as TradingDate }), {
        env: { ROTATION_YAHOO_URL: server.origin },
        today: '2024-06-14' as TradingDate,
        http: FAST,
      });
      expect(out[0]).toMatchObject({ status: 'updated', counts: { added: 10 } });
      await withDb(async (s) => {
        expect(await s.loadBars('NVDA')).toEqual(asBars(rows));
        expect(await s.loadCorporateActions('NVDA')).toEqual([
          { kind: 'split', symbol: 'NVDA', date: '2024-06-10', ratio: 10, source: 'yahoo' },
        ]);
        expect(await s.getInstrument('NVDA')).toMatchObject({ kind: 'stock', currency: 'USD' });
      });
    } finally {
      await server.close();
    }
  });
});

describeWithSharedData('rotation sync: Stooq fallback with real IWM bars', () => {
  // etf_recent_raw/IWM.csv (johnamcminn-hub/market-data-public): raw OHLCV, newest first; served as Stooq CSV.
  const rows = readCsv(join(SHARED_DATA, 'etf_recent_raw/IWM.csv'))
    .map((r) => ({
      date: r['timestamp'] as string,
      open: Number(r['open']),
      high: Number(r['high']),
      low: Number(r['low']),
      close: Number(r['close']),
      adjClose: null,
      volume: Number(r['volume']),
    }))
    .filter((r) => r.date >= '2026-08-03' && r.date <= '2026-08-21')
    .sort((a, b) => (a.date < b.date ? -1 : 1));
  const csv =
    [
      'Date,Open,High,Low,Close,Volume',
      ...rows.map((r) => `${r.date},${r.open},${r.high},${r.low},${r.close},${r.volume}`),
    ].join('\r\n') + '\r\n'; // every line ends with CRLF; a body without the last one may be cut (docs/sync.md)

  it('falls back to Stooq when Yahoo keeps failing, and stores Stooq values with no adjusted close', async () => {
    const seen: string[] = [];
    const server = await startServer((url) => {
      if (url.pathname.startsWith('/v8/')) return { status: 503, body: 'Service Unavailable' };
      seen.push(url.searchParams.get('s') ?? '');
      return { headers: { 'content-type': 'text/csv' }, body: csv };
    });
    try {
      const out = await runSync(input(['IWM'], { from: '2026-08-03' as TradingDate }), {
        env: { ROTATION_YAHOO_URL: server.origin, ROTATION_STOOQ_URL: server.origin },
        today: '2026-08-21' as TradingDate,
        http: FAST,
      });
      expect(out[0]).toMatchObject({ status: 'updated', provider: 'stooq', counts: { added: rows.length } });
      expect(out[0]?.message).toMatch(/fell back to stooq \(yahoo: .*HTTP 503/);
      expect(seen, 'Stooq symbol mapping').toEqual(['iwm.us']);
      await withDb(async (s) => expect(await s.loadBars('IWM')).toEqual(asBars(rows)));
    } finally {
      await server.close();
    }
  });
});

describe('rotation sync when only Yahoo is unreachable', () => {
  it('uses Stooq for every symbol and says why', async () => {
    const port = await unusedPort();
    // Hand-made Stooq CSV in the documented format.
    const server = await startServer(() => ({
      body: 'Date,Open,High,Low,Close,Volume\n2024-07-08,202.1,203.9,201.5,202.85,25005000\n2024-07-09,202.9,204.2,201.8,203.4,25006000\n',
    }));
    try {
      const out = await runSync(input(['IWM', 'QQQ'], { from: '2024-07-08' as TradingDate }), {
        env: { ROTATION_YAHOO_URL: `http://127.0.0.1:${port}`, ROTATION_STOOQ_URL: server.origin },
        today: '2024-07-09' as TradingDate,
        http: FAST,
      });
      expect(out.map((o) => [o.symbol, o.status, o.provider])).toEqual([
        ['IWM', 'updated', 'stooq'],
        ['QQQ', 'updated', 'stooq'],
      ]);
      expect(out[0]?.message).toBe(
        `fell back to stooq (yahoo: cannot reach 127.0.0.1:${port} (connection refused))`,
      );
      expect(server.requests.map((u) => u.searchParams.get('s'))).toEqual(['iwm.us', 'qqq.us']);
    } finally {
      await server.close();
    }
  });
});

describeWithSharedData('rotation sync: FRED keyless CSV built from real DGS10 values', () => {
  // macro/DGS10.csv (FRED DGS10 mirror): `date,value`, blanks on holidays. Served in both header spellings.
  const rows = readCsv(join(SHARED_DATA, 'macro/DGS10.csv')).filter(
    (r) => (r['date'] as string) >= '2025-12-22' && (r['date'] as string) <= '2026-01-09',
  );
  for (const header of ['DATE', 'observation_date']) {
    it(`reads fredgraph.csv with the ${header} header and skips "." values`, async () => {
      const body = [
        `${header},DGS10`,
        ...rows.map((r) => `${r['date']},${r['value'] === '' ? '.' : r['value']}`),
        '2026-01-12,.',
      ].join('\n');
      const server = await startServer((url) =>
        url.pathname === '/graph/fredgraph.csv' && url.searchParams.get('id') === 'DGS10'
          ? { headers: { 'content-type': 'text/csv' }, body }
          : { status: 404, body: '<html>Not found</html>' },
      );
      try {
        const out = await runSync(input(['fred:DGS10']), {
          env: { ROTATION_FRED_URL: server.origin },
          today: '2026-01-12' as TradingDate,
          http: FAST,
        });
        expect(out[0]).toMatchObject({ symbol: 'DGS10', kind: 'observations', status: 'updated' });
        const expected = rows.filter((r) => r['value'] !== '');
        await withDb(async (s) =>
          expect(await s.loadObservations('DGS10')).toEqual(
            expected.map((r) => ({
              series: 'DGS10',
              period: r['date'],
              value: Number(r['value']),
              unit: 'percent',
              asOf: r['date'],
              source: 'fred',
              // DGS10 is public the day it is dated (core/why/known-at.ts)
              knownAt: r['date'],
            })),
          ),
        );
      } finally {
        await server.close();
      }
    });
  }
});

describe('rotation sync: FRED observations API with an API key', () => {
  it('keeps each vintage as its as-of date and never leaks the key', async () => {
    const key = 'abcdef0123456789abcdef0123456789';
    // Hand-made in the documented shape of /fred/series/observations (file_type=json, output_type 1).
    const doc = {
      realtime_start: '1776-07-04',
      realtime_end: '9999-12-31',
      observation_start: '1600-01-01',
      observation_end: '9999-12-31',
      units: 'lin',
      output_type: 1,
      file_type: 'json',
      order_by: 'observation_date',
      sort_order: 'asc',
      count: 3,
      offset: 0,
      limit: 100000,
      observations: [
        { realtime_start: '2025-02-12', realtime_end: '2025-03-11', date: '2025-01-01', value: '317.671' },
        { realtime_start: '2025-03-12', realtime_end: '9999-12-31', date: '2025-01-01', value: '317.7' },
        { realtime_start: '2025-03-12', realtime_end: '9999-12-31', date: '2025-02-01', value: '.' },
      ],
    };
    const server = await startServer((url) => {
      if (url.searchParams.get('series_id') === 'CPIAUCSL') return { body: JSON.stringify(doc) };
      return {
        status: 400,
        body: JSON.stringify({
          error_code: 400,
          error_message: `Bad Request.  The series does not exist. key=${key}`,
        }),
      };
    });
    const cacheDir = join(dir, 'cache');
    try {
      const env = { ROTATION_FRED_URL: server.origin, FRED_API_KEY: key, ROTATION_CACHE_DIR: cacheDir };
      const out = await runSync(input(['fred:CPIAUCSL'], { cache: true }), { env, http: FAST });
      expect(out[0]).toMatchObject({ status: 'updated', counts: { added: 2 } });
      expect(server.requests[0]?.searchParams.get('realtime_start')).toBe('1776-07-04');
      await withDb(async (s) => {
        expect((await s.loadObservations('CPIAUCSL', { asOf: '2025-03-01' }))[0]?.value).toBe(317.671);
        expect((await s.loadObservations('CPIAUCSL'))[0]).toMatchObject({
          value: 317.7,
          asOf: '2025-03-12',
          unit: 'index',
        });
      });
      const { readdirSync, readFileSync } = await import('node:fs');
      const files = readdirSync(cacheDir);
      expect(files.length).toBe(1);
      expect(files.join(' ') + readFileSync(join(cacheDir, files[0] as string), 'utf8')).not.toContain(key);

      const bad = await runSync(input(['fred:NOSUCH']), { env, http: FAST }).catch((e: Error) => e);
      expect(bad).toBeInstanceOf(Error);
      const logged = await withDb((s) =>
        s.query<{ message: string }>("SELECT message FROM import_log WHERE symbol = 'NOSUCH'"),
      );
      expect(logged[0]?.message).toMatch(/series does not exist/);
      expect(logged[0]?.message).not.toContain(key);
    } finally {
      await server.close();
    }
  });
});

describe('rotation sync without network', () => {
  it('fails within seconds naming the host and the ways forward, and creates no store', async () => {
    const port = await unusedPort();
    const errors: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
      errors.push(String(s));
      return true;
    });
    const t0 = Date.now();
    const env = {
      ...process.env,
      ROTATION_YAHOO_URL: `http://127.0.0.1:${port}`,
      ROTATION_STOOQ_URL: `http://127.0.0.1:${port}`,
    };
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      const code = await main(['--db', db, 'sync', 'IWM', '--config', config]);
      expect(code).toBe(1);
    } finally {
      process.env = saved;
    }
    expect(Date.now() - t0, 'fast').toBeLessThan(5000);
    const text = errors.join('');
    expect(text.split('\n').filter(Boolean)).toHaveLength(1);
    expect(text).toContain(`127.0.0.1:${port} (connection refused)`);
    expect(text).toContain('rotation import');
    expect(text).toContain('ROTATION_YAHOO_URL');
    expect(existsSync(db), 'the store is untouched (not even created)').toBe(false);
  });

  it('rejects a base URL with a path', async () => {
    const err = await runSync(input(['IWM']), { env: { ROTATION_YAHOO_URL: 'http://127.0.0.1:1/v8' } }).catch(
      (e: Error) => e,
    );
    expect(String(err)).toMatch(/ROTATION_YAHOO_URL "http:\/\/127.0.0.1:1\/v8" is not a base URL/);
  });
});
