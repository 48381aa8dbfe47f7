import { writeFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../data/config.js';
import { importPaths } from '../data/ingest/import.js';
import { Store } from '../data/store/store.js';
import type { TradingDate } from '../shared/brand.js';
import { weekdays, wigglyPath } from '../../test/support/synthetic-series.js';
import { tempDir } from '../../test/support/tmp.js';
import { cacheKey, selectEncoding } from './answer-cache.js';
import { createApp } from './app.js';
import { listen } from './listen.js';

/** A GET with exactly these headers (fetch would add its own Accept-Encoding), the body as sent. */
function rawGet(url: string, headers: Record<string, string>) {
  return new Promise<{ status: number; headers: Record<string, string | undefined>; body: Buffer }>(
    (resolve, reject) => {
      const req = httpGet(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers as Record<string, string | undefined>,
            body: Buffer.concat(chunks),
          }),
        );
      });
      req.on('error', reject);
    },
  );
}

const RACE = '/api/v1/race?a=IWM&b=QQQ&window=first:7&years=2011-2014';

describe('the cached path: a hit answers before parsing, with the same bytes and headers as the miss', () => {
  let store: Store;
  let version = 'v1';
  let storeCalls = 0;
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    const dir = tempDir('answer-cache-');
    const dates = weekdays(1500, '2010-01-04');
    ['IWM', 'QQQ'].forEach((s, k) => {
      const path = wigglyPath(1500, k + 1);
      const rows = dates.map((d, i) => `${d},${(path[i] as number).toFixed(4)}`);
      writeFileSync(join(dir, `${s}.csv`), ['Date,Close', ...rows].join('\n') + '\n');
    });
    store = await Store.open(':memory:');
    const out = await importPaths(store, [dir], { today: '2026-11-24' });
    expect(out.every((o) => o.ok)).toBe(true);
    app = createApp({
      withStore: (fn) => {
        storeCalls++;
        return fn(store);
      },
      version: () => version,
      config: DEFAULT_CONFIG,
      today: () => '2026-11-24' as TradingDate,
      maxConcurrent: 1,
    });
  });
  afterAll(() => store.close());

  const headersOf = (r: Response) => {
    const out: Record<string, string> = {};
    r.headers.forEach((v, k) => {
      if (k !== 'date') out[k] = v;
    });
    return out;
  };

  it('answers a repeated race from memory: same body, same headers (security headers included), no store call', async () => {
    version = 'v-first';
    const miss = await app.request(RACE);
    expect(miss.status).toBe(200);
    const missBody = await miss.text();
    const calls = storeCalls;
    const hit = await app.request(RACE);
    expect(storeCalls).toBe(calls);
    expect(await hit.text()).toBe(missBody);
    const h = headersOf(hit);
    // content-length: the hit's bytes are known, the miss's body is a string hono did not measure.
    delete h['content-length'];
    expect(h).toEqual(headersOf(miss));
    expect(h['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(h['x-content-type-options']).toBe('nosniff');
    expect(h['x-frame-options']).toBe('DENY');
    expect(h['cross-origin-resource-policy']).toBe('same-origin');
    expect(h['referrer-policy']).toBeUndefined();
    expect(h['cache-control']).toBe('no-cache');
    // A hit is answered in front of hono, without a promise (node-server's direct path).
    const direct = app.fetch(new Request(`http://localhost${RACE}`));
    expect(direct instanceof Promise, 'a hit is a Response, not a promise').toBe(false);
    expect(await (direct as Response).text()).toBe(missBody);
    // The query's order does not matter: the key sorts the parameters.
    const reordered = await app.request('/api/v1/race?years=2011-2014&window=first:7&b=QQQ&a=IWM');
    expect(storeCalls).toBe(calls);
    expect(await reordered.text()).toBe(missBody);
  });

  it('compresses a hit as the full path does (weak ETag, Vary), answers 304 and HEAD from the entry', async () => {
    version = 'v-gzip';
    const plain = await (await app.request(RACE)).text();
    for (const enc of ['gzip', 'deflate'] as const) {
      // A fresh version per encoding: the first request is a miss through compress(), the second a hit.
      version = `v-loop-${enc}`;
      const miss = await app.request(RACE, { headers: { 'accept-encoding': enc } });
      const missBytes = Buffer.from(await miss.arrayBuffer());
      const calls = storeCalls;
      const hit = await app.request(RACE, { headers: { 'accept-encoding': enc } });
      expect(storeCalls).toBe(calls);
      const hitBytes = Buffer.from(await hit.arrayBuffer());
      const unzip = enc === 'gzip' ? gunzipSync : inflateSync;
      expect(unzip(hitBytes).toString()).toBe(plain);
      expect(unzip(missBytes).toString()).toBe(plain);
      const h = headersOf(hit);
      expect(h).toEqual(headersOf(miss));
      expect(h['content-length']).toBe(String(hitBytes.byteLength));
      expect(h['content-encoding']).toBe(enc);
      expect(h['etag']).toMatch(/^W\/"/);
      expect(h['vary']).toBe('Accept-Encoding');
    }
    // A browser's header: one negotiation (selectEncoding) for the miss and the hit: both br, the same bytes and
    // the same headers.
    version = 'v-br';
    const browser = { 'accept-encoding': 'gzip, deflate, br' };
    const miss = await app.request(RACE, { headers: browser });
    expect(miss.headers.get('content-encoding')).toBe('br');
    const missHeaders = headersOf(miss);
    const missBr = Buffer.from(await miss.arrayBuffer());
    const brCalls = storeCalls;
    const hit = await app.request(RACE, { headers: browser });
    expect(storeCalls).toBe(brCalls);
    const hitBytes = Buffer.from(await hit.arrayBuffer());
    expect(brotliDecompressSync(hitBytes).toString()).toBe(plain);
    expect(hitBytes.equals(missBr)).toBe(true);
    const hh = headersOf(hit);
    expect(hh['content-length']).toBe(String(hitBytes.byteLength));
    expect(hh).toEqual(missHeaders);
    expect(hh['content-encoding']).toBe('br');
    // q-values and a wildcard choose the same way on both paths.
    for (const accept of ['br;q=0.1, gzip', 'gzip;q=0.5, deflate;q=0.8', '*', 'identity']) {
      version = `v-q-${accept}`;
      const m = await app.request(RACE, { headers: { 'accept-encoding': accept } });
      await m.arrayBuffer();
      const h2 = await app.request(RACE, { headers: { 'accept-encoding': accept } });
      await h2.arrayBuffer();
      const want = selectEncoding(accept) ?? null;
      expect([m.headers.get('content-encoding'), h2.headers.get('content-encoding')]).toEqual([want, want]);
    }
    const tag = (await app.request(RACE)).headers.get('etag') ?? '';
    const calls = storeCalls;
    const notModified = await app.request(RACE, { headers: { 'if-none-match': `W/${tag}` } });
    expect(notModified.status).toBe(304);
    expect(await notModified.text()).toBe('');
    expect(notModified.headers.get('etag')).toBe(tag);
    expect(notModified.headers.get('content-security-policy')).toContain("default-src 'none'");
    const head = await app.request(RACE, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect(head.headers.get('etag')).toBe(tag);
    expect(storeCalls).toBe(calls);
  });

  it('keeps CSV and JSON apart, recomputes after a new snapshot id, and caches no error', async () => {
    version = 'v-csv';
    const json = await (await app.request(RACE)).text();
    const csv = await (await app.request(RACE, { headers: { accept: 'text/csv' } })).text();
    expect(json.startsWith('{')).toBe(true);
    expect(csv.startsWith('year,from,to')).toBe(true);
    let calls = storeCalls;
    await app.request(RACE);
    expect(storeCalls).toBe(calls);
    version = 'v-next';
    await app.request(RACE);
    expect(storeCalls).toBe(calls + 1);
    calls = storeCalls;
    for (let i = 0; i < 2; i++) {
      const r = await app.request('/api/v1/race?a=IWM&b=NOPE&window=first:7');
      expect(r.status).toBe(404);
      expect(r.headers.get('content-type')).toBe('application/problem+json');
    }
    expect(storeCalls).toBe(calls + 2);
  });

  it('keys by path and query sorted by name (a repeated name keeps its order), format by Accept; never other methods or paths', () => {
    expect(cacheKey('GET', 'http://x:1/api/v1/race?b=2&a=1', undefined)).toBe('json /api/v1/race?a=1&b=2');
    const xlkFirst = cacheKey('GET', 'http://x/api/v1/rrg?symbols=XLK&tail=4&symbols=XLE', undefined);
    const xleFirst = cacheKey('GET', 'http://x/api/v1/rrg?symbols=XLE&tail=4&symbols=XLK', undefined);
    expect(xlkFirst, 'the order of a repeated parameter is part of the key').toBe(
      'json /api/v1/rrg?symbols=XLK&symbols=XLE&tail=4',
    );
    expect(xleFirst).toBe('json /api/v1/rrg?symbols=XLE&symbols=XLK&tail=4');
    expect(cacheKey('GET', 'http://x/api/v1/rrg?tail=4&symbols=XLE&symbols=XLK', undefined)).toBe(xleFirst);
    expect(cacheKey('GET', 'http://x/api/v1/rrg?symbols=XLE,XLK', undefined)).not.toBe(
      cacheKey('GET', 'http://x/api/v1/rrg?symbols=XLK,XLE', undefined),
    );
    // A name that is a prefix of another sorts by the name, not by the text after it.
    expect(cacheKey('GET', 'http://x/api/v1/race?ab=1&a=2', undefined)).toBe('json /api/v1/race?a=2&ab=1');
    expect(cacheKey('HEAD', 'http://x:1/api/v1/race?a=1&b=2', 'text/csv')).toBe('csv /api/v1/race?a=1&b=2');
    expect(cacheKey('GET', 'http://x/api/v1/symbols', 'text/csv, application/json')).toBe(
      'json /api/v1/symbols?',
    );
    expect(cacheKey('POST', 'http://x/api/v1/check', undefined)).toBeNull();
    expect(cacheKey('GET', 'http://x/assets/dashboard.js', undefined)).toBeNull();
    expect(selectEncoding('gzip, deflate, br')).toBe('br');
    expect(selectEncoding('gzip, deflate')).toBe('gzip');
    expect(selectEncoding('deflate')).toBe('deflate');
    expect(selectEncoding('gzip;q=0.5, deflate;q=0.8')).toBe('deflate');
    expect(selectEncoding('br;q=0.1, gzip')).toBe('gzip');
    expect(selectEncoding('br;q=0, gzip;q=0')).toBeUndefined();
    expect(selectEncoding('identity')).toBeUndefined();
    expect(selectEncoding(undefined)).toBeUndefined();
  });
  it('answers hits over real HTTP from the node request headers: br, gzip, identity, 304', async () => {
    version = 'v-http';
    const server = await listen(app, '127.0.0.1', 0);
    try {
      const url = server.url + RACE;
      const plain = await (await fetch(url, { headers: { 'accept-encoding': 'identity' } })).text();
      const calls = storeCalls;
      for (const [enc, unzip] of [
        ['br', brotliDecompressSync],
        ['gzip', gunzipSync],
      ] as const) {
        const r = await rawGet(url, { 'accept-encoding': enc });
        expect(r.status).toBe(200);
        expect(r.headers['content-encoding']).toBe(enc);
        expect(unzip(r.body).toString()).toBe(plain);
      }
      const identity = await rawGet(url, {});
      expect(identity.headers['content-encoding']).toBeUndefined();
      expect(identity.body.toString()).toBe(plain);
      expect(identity.headers['x-content-type-options']).toBe('nosniff');
      const tag = identity.headers['etag'] ?? '';
      const nm = await rawGet(url, { 'if-none-match': tag });
      expect(nm.status).toBe(304);
      expect(nm.body.byteLength).toBe(0);
      expect(storeCalls, 'every request after the first was a hit').toBe(calls);
    } finally {
      await server.close();
    }
  });
});
