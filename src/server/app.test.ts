import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../data/config.js';
import { Store } from '../data/store/store.js';
import type { TradingDate } from '../shared/brand.js';
import { createApp } from './app.js';
import { listen } from './listen.js';

describe('rotation serve: the app over an empty store', () => {
  let store: Store;
  let app: ReturnType<typeof createApp>;
  const logged: unknown[] = [];
  beforeAll(async () => {
    store = await Store.open(':memory:');
    app = createApp({
      withStore: (fn) => fn(store),
      config: DEFAULT_CONFIG,
      today: () => '2026-08-03' as TradingDate,
      log: (e) => logged.push(e),
      maxConcurrent: 1,
    });
  });
  afterAll(() => store.close());

  it('lists no symbols, with security headers and an ETag that answers 304', async () => {
    const r = await app.request('/api/v1/symbols');
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual([]);
    expect(r.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(r.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('x-frame-options')).toBe('DENY');
    expect(r.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    // A data answer carries no header that acts only on a document (app.ts, DOCUMENT_ONLY_HEADERS).
    expect(r.headers.get('referrer-policy')).toBeNull();
    expect(r.headers.get('cross-origin-opener-policy')).toBeNull();
    expect(r.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(r.headers.get('cache-control')).toBe('no-cache');
    const tag = r.headers.get('etag');
    expect(tag).toBeTruthy();
    const again = await app.request('/api/v1/symbols', { headers: { 'if-none-match': tag ?? '' } });
    expect(again.status).toBe(304);
    const csv = await app.request('/api/v1/symbols', { headers: { accept: 'text/csv' } });
    expect(await csv.text()).toBe('symbol,kind,table,rows,first,last,sources\r\n');
  });

  it('serves an OpenAPI 3.1 document generated from the query schemas, and a reference page', async () => {
    const doc = (await (await app.request('/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, { get: { parameters: { name: string; required: boolean }[] } }>;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        '/api/v1/breadth',
        '/api/v1/briefs',
        '/api/v1/briefs/{date}',
        '/api/v1/briefs/{date}/facts',
        '/api/v1/calendar',
        '/api/v1/charts/race',
        '/api/v1/charts/rrg',
        '/api/v1/check',
        '/api/v1/doctor',
        '/api/v1/earnings',
        '/api/v1/facts/{id}',
        '/api/v1/flows',
        '/api/v1/macro',
        '/api/v1/odds',
        '/api/v1/outlook',
        '/api/v1/positioning',
        '/api/v1/regime',
        '/api/v1/rrg',
        '/api/v1/precedents',
        '/api/v1/race',
        '/api/v1/show/{symbol}',
        '/api/v1/symbols',
      ].sort(),
    );
    const race = doc.paths['/api/v1/race']?.get.parameters ?? [];
    expect(race.filter((p) => p.required).map((p) => p.name)).toEqual(['a', 'b']);
    expect(Object.keys(doc.paths['/api/v1/check'] ?? {}).sort()).toEqual(['get', 'post']);
    const reference = await app.request('/reference');
    const page = await reference.text();
    expect(page).toContain('/api/v1/race');
    expect(page).not.toContain('<script');
    // A document keeps the full set of security headers; the data answers (JSON, problem JSON, CSV) the API's.
    expect(reference.headers.get('referrer-policy')).toBe('no-referrer');
    expect(reference.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(reference.headers.get('content-security-policy')).toContain("script-src 'self'");
    for (const [path, init] of [
      ['/openapi.json', {}],
      ['/api/v1/nowhere', {}],
      ['/api/v1/symbols', { headers: { accept: 'text/csv' } }],
    ] as const) {
      const r = await app.request(path, init);
      expect(r.headers.get('content-security-policy'), path).toBe(
        "default-src 'none'; frame-ancestors 'none'",
      );
      expect(r.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(r.headers.get('referrer-policy'), path).toBeNull();
      expect(r.headers.get('x-xss-protection'), path).toBeNull();
    }
  });

  it('answers a bad-input matrix of >= 300 requests with 4xx problem JSON, never a 5xx', async () => {
    const hostile = [
      '',
      ' ',
      '%00',
      '..',
      '../../etc/passwd',
      '<script>alert(1)</script>',
      "'; DROP TABLE bars;--",
      '=HYPERLINK(1)',
      'x'.repeat(5000),
      '9'.repeat(400),
      '-1',
      '0',
      '1e309',
      'NaN',
      'Infinity',
      '2026-13-45',
      '2026-02-30',
      'first:0',
      'first:-3',
      'rolling:99999999999',
      'range:2026-05-01..2026-01-01',
      '%E2%80%AE',
      '\u0000',
      'IWM,QQQ,SPY',
      'ytd;rm -rf',
      '{}',
      '[]',
      'null',
      'true',
      '1988-99999',
    ];
    const requests: { path: string; method?: string; body?: string; headers?: Record<string, string> }[] = [];
    const routes = [
      'race?a=IWM&b=QQQ&',
      'precedents?',
      'odds?beats=IWM,QQQ&',
      'doctor?',
      'symbols?',
      'show/IWM?',
    ];
    const params = [
      'window',
      'year',
      'years',
      'as_of',
      'basis',
      'format',
      'kind',
      'last',
      'horizons',
      'unknown',
    ];
    for (const v of hostile.slice(0, 14))
      for (const r of routes.slice(0, 3))
        requests.push({
          path: `/api/v1/${r}${params[hostile.indexOf(v) % params.length]}=${encodeURIComponent(v)}`,
        });
    for (const v of hostile) {
      requests.push({ path: `/api/v1/race?a=${encodeURIComponent(v)}&b=QQQ` });
      requests.push({ path: `/api/v1/race?a=IWM&b=QQQ&window=${encodeURIComponent(v)}` });
      requests.push({ path: `/api/v1/race?a=IWM&b=QQQ&years=${encodeURIComponent(v)}` });
      requests.push({ path: `/api/v1/race?a=IWM&b=QQQ&as_of=${encodeURIComponent(v)}` });
      requests.push({ path: `/api/v1/show/${encodeURIComponent(v)}` });
      requests.push({ path: `/api/v1/odds?beats=IWM,QQQ&horizons=${encodeURIComponent(v)}` });
      requests.push({ path: `/api/v1/precedents?extreme=IWM&lookback=${encodeURIComponent(v)}` });
      requests.push({ path: `/api/v1/doctor?symbols=${encodeURIComponent(v)}` });
      requests.push({ path: `/api/v1/${encodeURIComponent(v)}` });
    }
    for (const r of routes) {
      for (const method of ['POST', 'PUT', 'DELETE', 'PATCH'])
        requests.push({ path: `/api/v1/${r}`, method });
      requests.push({
        path: `/api/v1/${r}`,
        method: 'POST',
        body: 'x'.repeat(70_000),
        headers: { 'content-length': '70000' },
      });
      requests.push({ path: `/api/v1/${r}a=1&a=2` });
    }
    for (const p of [
      '/api/v1/../../etc/passwd',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/api/v1/show/..%2F..%2Fetc',
      '/api/v2/race',
      '/api',
      '/.git/config',
      '/api/v1/race/',
      '//api/v1/symbols',
    ])
      requests.push({ path: p });
    // The endpoints of the second increment: hostile values in each of their parameters.
    const more: Record<string, string[]> = {
      calendar: ['from', 'to', 'format'],
      check: ['claim', 'a', 'window', 'year', 'first_since', 'date', 'as_of'],
      rrg: ['symbols', 'benchmark', 'period', 'tail', 'window', 'lag', 'as_of', 'basis'],
      breadth: ['universe', 'equal', 'cap', 'as_of', 'basis'],
      regime: ['symbols', 'as_of', 'basis'],
      earnings: ['as_of', 'period', 'tech'],
      flows: ['as_of', 'group'],
      positioning: ['as_of', 'lookback'],
      macro: ['as_of'],
      briefs: ['format', 'x'],
    };
    for (const [route, names] of Object.entries(more))
      for (const [i, name] of names.entries())
        for (const v of hostile.filter((_, j) => j % names.length === i % names.length))
          requests.push({
            path: `/api/v1/${route}?${route === 'check' && name !== 'claim' ? 'a=IWM&b=QQQ&' : ''}${name}=${encodeURIComponent(v)}`,
          });
    for (const v of hostile.slice(0, 12)) {
      requests.push({ path: `/api/v1/briefs/${encodeURIComponent(v)}` });
      requests.push({ path: `/api/v1/briefs/${encodeURIComponent(v)}/facts` });
      requests.push({ path: `/api/v1/facts/${encodeURIComponent(v)}` });
      requests.push({
        path: `/api/v1/check?input=${encodeURIComponent(v)}`,
        method: 'POST',
        body: v,
        headers: { 'content-type': 'text/plain' },
      });
    }
    for (const r of ['calendar', 'rrg', 'breadth', 'regime', 'briefs', 'facts/x', 'briefs/2026-01-12'])
      for (const method of ['POST', 'PUT', 'DELETE']) requests.push({ path: `/api/v1/${r}`, method });
    requests.push(
      { path: '/api/v1/check', method: 'POST', body: '' },
      { path: '/api/v1/check', method: 'PUT', body: 'x' },
      {
        path: '/api/v1/check',
        method: 'POST',
        body: 'y'.repeat(70_000),
        headers: { 'content-length': '70000' },
      },
      { path: '/api/v1/check?claim=IWM%20beat%20QQQ&a=IWM' },
      { path: '/api/v1/check' },
      { path: '/api/v1/rrg?symbols=IWM' },
      { path: '/api/v1/regime?symbols=NOPE' },
      { path: '/api/v1/earnings' },
      { path: '/api/v1/calendar?from=1970-01-01' },
      { path: '/api/v1/calendar?from=2026-05-01&to=2026-01-01' },
      { path: '/api/v1/calendar?format=xml' },
    );
    requests.push(
      { path: '/api/v1/race' },
      { path: '/api/v1/precedents' },
      { path: '/api/v1/odds?beats=IWM&extreme=QQQ' },
    );
    requests.push(
      { path: '/api/v1/race?a=IWM&b=QQQ' },
      { path: '/api/v1/show/NOPE' },
      { path: '/api/v1/precedents?extreme=NOPE' },
    );
    expect(requests.length).toBeGreaterThanOrEqual(300);
    const statuses = new Map<number, number>();
    for (const q of requests) {
      const init: RequestInit = {
        method: q.method ?? 'GET',
        ...(q.headers ? { headers: q.headers } : {}),
        ...(q.body ? { body: q.body } : {}),
      };
      const r = await app.request(q.path, init);
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      if (r.status < 400 || r.status >= 500)
        throw new Error(
          `${q.method ?? 'GET'} ${q.path.slice(0, 120)} answered ${r.status}: ${(await r.text()).slice(0, 300)}`,
        );
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      const body = (await r.json()) as { status: number; detail: string };
      expect(body.status).toBe(r.status);
      expect(body.detail).not.toMatch(/\n\s+at /);
    }
    expect(logged).toEqual([]);
    expect(statuses.get(400)).toBeGreaterThan(100);
    expect(statuses.get(405)).toBeGreaterThan(0);
    expect(statuses.get(413)).toBeGreaterThan(0);
    expect(statuses.get(404)).toBeGreaterThan(0);
  }, 60_000);

  it('starts a real server on 127.0.0.1 port 0 and stops', async () => {
    const server = await listen(app, '127.0.0.1', 0);
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const r = await fetch(`${server.url}/api/v1/symbols`, { headers: { 'accept-encoding': 'gzip' } });
      expect(r.status).toBe(200);
      expect(await r.json()).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
