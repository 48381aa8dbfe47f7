import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer, unusedPort, type TestServer } from '../../../test/support/http-server.js';
import { HttpClient, ProviderError, parseBaseUrl, probeHost, redactUrl, retryAfterMs } from './http.js';
import { tempDir } from '../../../test/support/tmp.js';

const client = (over: Partial<ConstructorParameters<typeof HttpClient>[0]> = {}) =>
  new HttpClient({
    provider: 'yahoo',
    userAgent: 'rotation-desk/9.9.9',
    timeoutMs: 2000,
    retries: 2,
    requestsPerSecond: 1000,
    backoffBaseMs: 1,
    backoffMaxMs: 10,
    ...over,
  });
const text = (r: { body: string }) => r.body;

describe('parseBaseUrl', () => {
  it('returns the origin of a scheme, host and port', () => {
    expect(parseBaseUrl('ROTATION_YAHOO_URL', 'http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
    expect(parseBaseUrl('ROTATION_YAHOO_URL', 'https://mirror.example/')).toBe('https://mirror.example');
  });
  it.each([
    ['127.0.0.1:8080', /scheme must be http or https|does not parse/],
    ['ftp://mirror.example', /scheme must be http or https/],
    ['http://mirror.example/v8/finance', /must not have a path/],
    ['http://mirror.example?x=1', /must not have a path, query/],
    ['http://user:pw@mirror.example', /credentials/],
    ['not a url', /does not parse/],
  ])('rejects %s with a message naming the variable', (value, why) => {
    expect(() => parseBaseUrl('ROTATION_STOOQ_URL', value)).toThrow(why);
    expect(() => parseBaseUrl('ROTATION_STOOQ_URL', value)).toThrow(/ROTATION_STOOQ_URL/);
  });
});

describe('redactUrl and retryAfterMs', () => {
  it('hides api keys', () => {
    expect(redactUrl('https://api.stlouisfed.org/fred/series/observations?series_id=X&api_key=SECRET1')).toBe(
      'https://api.stlouisfed.org/fred/series/observations?series_id=X&api_key=***',
    );
  });
  it('reads seconds and HTTP dates', () => {
    expect(retryAfterMs('3', 0)).toBe(3000);
    expect(retryAfterMs('Wed, 21 Oct 2015 07:28:10 GMT', Date.UTC(2015, 9, 21, 7, 28, 0))).toBe(10_000);
    expect(retryAfterMs('soon', 0)).toBeNull();
    expect(retryAfterMs(null, 0)).toBeNull();
  });
});

describe('HttpClient against a local server', () => {
  let server: TestServer;
  let status = 200;
  let dir: string;
  beforeEach(async () => {
    status = 200;
    dir = tempDir('rotation-http-');
    server = await startServer((_url, req) => ({ status, body: `ua=${req.headers['user-agent']}` }));
  });
  afterEach(async () => {
    await server.close();
  });

  it('sends the User-Agent', async () => {
    expect(await client().get(`${server.origin}/x`, text)).toBe('ua=rotation-desk/9.9.9');
  });

  it('serves a repeated request from the cache, within its TTL only', async () => {
    let now = 1_000_000;
    const c = client({ cacheDir: dir, cacheTtlMs: 60_000, now: () => now });
    await c.get(`${server.origin}/a?api_key=SECRET2`, text);
    await c.get(`${server.origin}/a?api_key=SECRET2`, text);
    expect(server.requests.length, 'second answer from the cache').toBe(1);
    const [file] = readdirSync(dir);
    expect(file).toBeDefined();
    expect(file + readFileSync(join(dir, file as string), 'utf8'), 'no key on disk').not.toContain('SECRET2');
    now += 61_000;
    await c.get(`${server.origin}/a?api_key=SECRET2`, text);
    expect(server.requests.length, 'expired entry refetched').toBe(2);
  });

  it('never caches an error or a response the parser rejected', async () => {
    const c = client({ cacheDir: dir, retries: 0 });
    status = 404;
    await c.get(`${server.origin}/b`, text);
    status = 200;
    await expect(
      c.get(`${server.origin}/b`, () => {
        throw new ProviderError('yahoo', 'schema-mismatch', 'bad');
      }),
    ).rejects.toThrow('bad');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('retries 5xx and reports the attempts', async () => {
    status = 502;
    const err = await client({ retries: 2 })
      .get(`${server.origin}/c`, text)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).reason).toBe('http');
    expect((err as Error).message).toMatch(/HTTP 502 \(3 attempts\)/);
    expect(server.requests.length).toBe(3);
  });

  it('spaces requests by the rate limit', async () => {
    const c = client({ requestsPerSecond: 20 });
    const t0 = Date.now();
    for (let i = 0; i < 4; i++) await c.get(`${server.origin}/d${i}`, text);
    expect(Date.now() - t0, '4 requests at 20/s take at least 150 ms').toBeGreaterThanOrEqual(140);
  });

  it('times out a silent server', async () => {
    const silent = await startServer(() => new Promise(() => undefined));
    try {
      const err = await client({ timeoutMs: 100, retries: 1 })
        .get(`${silent.origin}/e`, text)
        .catch((e: unknown) => e);
      expect((err as ProviderError).reason).toBe('timeout');
      expect((err as Error).message).toMatch(/did not answer within 100 ms \(2 attempts\)/);
    } finally {
      await silent.close();
    }
  });
});

describe('unreachable hosts', () => {
  it('fails at once on a refused connection, without retrying', async () => {
    const port = await unusedPort();
    const t0 = Date.now();
    const err = await client({ retries: 5, backoffBaseMs: 1000 })
      .get(`http://127.0.0.1:${port}/x`, text)
      .catch((e: unknown) => e);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect((err as ProviderError).reason).toBe('network');
    expect((err as Error).message).toBe(`cannot reach 127.0.0.1:${port} (connection refused)`);
  });
  it('probeHost says why a host cannot be reached, and null when it can', async () => {
    const port = await unusedPort();
    expect(await probeHost(`http://127.0.0.1:${port}`)).toBe('connection refused');
    const s = await startServer(() => ({ body: '' }));
    try {
      expect(await probeHost(s.origin)).toBeNull();
    } finally {
      await s.close();
    }
  });
});
