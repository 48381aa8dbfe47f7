import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../data/config.js';
import { importPaths } from '../data/ingest/import.js';
import { Store } from '../data/store/store.js';
import { generateBrief } from '../report/publish.js';
import type { TradingDate } from '../shared/brand.js';
import { BRIEF_FILES, WHY_EXAMPLE } from '../../test/support/brief-store.js';
import { runCli } from '../../test/support/run-cli.js';
import { describeWithSharedData, SHARED_DATA } from '../../test/support/shared-data.js';
import { tempDir } from '../../test/support/tmp.js';
import { lastCompletedSession } from '../cli/context.js';
import { createApp } from './app.js';

describeWithSharedData(
  'rotation serve: every endpoint answers what the CLI prints, on the shared data',
  () => {
    let db: string;
    let briefs: string;
    let app: ReturnType<typeof createApp>;
    const constituents = join(SHARED_DATA, 'constituents');
    const logged: unknown[] = [];
    beforeAll(async () => {
      const dir = tempDir('serve-routes-');
      db = join(dir, 'store.duckdb');
      briefs = join(dir, 'briefs');
      const store = await Store.open(db);
      try {
        const files = [...BRIEF_FILES, 'etf_daily/RSP.csv'].map((f) => join(SHARED_DATA, f));
        const out = await importPaths(store, [...files, WHY_EXAMPLE], { today: '2026-11-24' });
        const failed = out.filter((o) => !o.ok);
        if (failed.length > 0) throw new Error(`import failed: ${JSON.stringify(failed).slice(0, 400)}`);
        await generateBrief(store, {
          asOf: '2026-01-12' as TradingDate,
          outDir: briefs,
          config: DEFAULT_CONFIG,
        });
      } finally {
        store.close();
      }
      app = createApp({
        withStore: async (fn) => {
          const s = await Store.open(db, { readOnly: true });
          try {
            return await fn(s);
          } finally {
            s.close();
          }
        },
        // The file does not change while the app serves it: one snapshot id (answers and built briefs are kept).
        version: () => 'one',
        config: DEFAULT_CONFIG,
        today: () => '2026-11-24' as TradingDate,
        // The command's clock: a race without as_of labels stale legs against the last completed session.
        lastCompletedSession: () => lastCompletedSession(),
        log: (e) => logged.push(e),
        briefsDir: briefs,
        constituents,
      });
    }, 240_000);
    afterAll(() => expect(logged).toEqual([]));

    const cli = async (args: string[]) => {
      const r = await runCli([...args, '--db', db, '--format', 'json']);
      if (r.code !== 0) throw new Error(`rotation ${args.join(' ')}: ${r.err}`);
      return JSON.parse(r.out) as unknown;
    };
    const api = async (path: string) => {
      const r = await app.request(path);
      if (r.status !== 200) throw new Error(`${path}: ${r.status} ${await r.text()}`);
      return (await r.json()) as unknown;
    };

    const cases: [string, string[], string][] = [
      ['symbols', ['symbols'], '/api/v1/symbols'],
      [
        'show (bars)',
        ['show', 'IWM', '--from', '2026-01-02', '--to', '2026-02-27'],
        '/api/v1/show/IWM?from=2026-01-02&to=2026-02-27',
      ],
      [
        'show (series)',
        ['show', 'FEDFUNDS', '--from', '2020-01-01'],
        '/api/v1/show/FEDFUNDS?from=2020-01-01',
      ],
      [
        'doctor',
        ['doctor', 'IWM', 'QQQ', '^RUT', '--as-of', '2026-08-21'],
        '/api/v1/doctor?symbols=IWM,QQQ,%5ERUT&as_of=2026-08-21',
      ],
      [
        'race (years)',
        ['race', 'IWM', 'QQQ', '--window', 'first:7', '--years', '2001-2026'],
        '/api/v1/race?a=IWM&b=QQQ&window=first:7&years=2001-2026',
      ],
      [
        'race (basket, as of)',
        ['race', '^RUT', 'MAG7', '--window', 'ytd', '--as-of', '2026-07-31'],
        '/api/v1/race?a=%5ERUT&b=MAG7&window=ytd&as_of=2026-07-31',
      ],
      [
        'precedents',
        ['precedents', '--beats', '^RUT', '^NDX', '--window', 'first:7'],
        '/api/v1/precedents?beats=%5ERUT,%5ENDX&window=first:7',
      ],
      [
        'precedents (extreme)',
        ['precedents', '--extreme', 'IWM', '--lookback', '252', '--as-of', '2026-07-31'],
        '/api/v1/precedents?extreme=IWM&lookback=252&as_of=2026-07-31',
      ],
      [
        'odds',
        ['odds', '--beats', '^RUT', '^NDX', '--window', 'first:7'],
        '/api/v1/odds?beats=%5ERUT,%5ENDX&window=first:7',
      ],
      [
        'calendar',
        ['calendar', '--from', '2026-11-01', '--to', '2026-12-31'],
        '/api/v1/calendar?from=2026-11-01&to=2026-12-31',
      ],
      [
        'check (sentence)',
        [
          'check',
          'the Russell 2000 beat the Nasdaq-100 over the first 7 sessions of 2026 for the first time since 2019',
        ],
        `/api/v1/check?claim=${encodeURIComponent('the Russell 2000 beat the Nasdaq-100 over the first 7 sessions of 2026 for the first time since 2019')}`,
      ],
      [
        'check (structured)',
        [
          'check',
          '--a',
          '^RUT',
          '--b',
          '^NDX',
          '--window',
          'first:7',
          '--year',
          '2026',
          '--first-since',
          '2019',
        ],
        '/api/v1/check?a=%5ERUT&b=%5ENDX&window=first:7&year=2026&first_since=2019',
      ],
      ['rrg', ['rrg', '--as-of', '2026-01-12'], '/api/v1/rrg?as_of=2026-01-12'],
      ['rrg (news)', ['rrg', '--news', '--as-of', '2026-07-31'], '/api/v1/rrg?news=true&as_of=2026-07-31'],
      [
        'odds (base rate)',
        [
          'odds',
          '--beats',
          'IWM',
          'QQQ',
          '--window',
          'first:7',
          '--horizons',
          'rest-of-year',
          '--base-rate',
          '--as-of',
          '2026-07-31',
        ],
        '/api/v1/odds?beats=IWM,QQQ&window=first:7&horizons=rest-of-year&base_rate=true&as_of=2026-07-31',
      ],
      [
        'outlook',
        ['outlook', 'IWM', 'QQQ', '--as-of', '2026-07-31'],
        '/api/v1/outlook?a=IWM&b=QQQ&as_of=2026-07-31',
      ],
      [
        'rrg (symbols, daily)',
        ['rrg', 'IWM', 'QQQ', '--period', 'daily', '--tail', '5', '--as-of', '2026-07-31'],
        '/api/v1/rrg?symbols=IWM,QQQ&period=daily&tail=5&as_of=2026-07-31',
      ],
      [
        'breadth',
        ['breadth', '--constituents', constituents, '--as-of', '2026-07-31'],
        '/api/v1/breadth?as_of=2026-07-31',
      ],
      ['regime', ['regime', '--as-of', '2026-07-31'], '/api/v1/regime?as_of=2026-07-31'],
      ['earnings', ['earnings', '--as-of', '2026-01-12'], '/api/v1/earnings?as_of=2026-01-12'],
      ['flows', ['flows', '--as-of', '2026-01-12'], '/api/v1/flows?as_of=2026-01-12'],
      ['macro', ['macro', '--as-of', '2026-01-12'], '/api/v1/macro?as_of=2026-01-12'],
    ];
    for (const [name, args, path] of cases)
      it(`${name}: the API's JSON equals the CLI's --format json`, async () => {
        const [want, got] = await Promise.all([cli(args), api(path)]);
        expect(got).toEqual(want);
        expect(JSON.stringify(got).length).toBeGreaterThan(200);
      }, 60_000);

    it('positioning without positioning data is a 404 problem, as the CLI exits with not found', async () => {
      const r = await app.request('/api/v1/positioning?as_of=2026-01-12');
      const cliRun = await runCli(['positioning', '--as-of', '2026-01-12', '--db', db, '--format', 'json']);
      expect(cliRun.code).not.toBe(0);
      expect(r.status).toBe(404);
      expect(((await r.json()) as { detail: string }).detail).toMatch(/no positioning series stored/);
    });

    it('checks an article posted as the body, as `rotation check --file` does', async () => {
      const article = `# Small caps lead\n\nNew York, January 12, 2026 — The Russell 2000 beat the Nasdaq-100 over the first 7 sessions of 2026 for the first time since 2019.\n`;
      const dir = tempDir('serve-article-');
      const file = join(dir, 'story.md');
      (await import('node:fs')).writeFileSync(file, article);
      const want = await cli(['check', '--file', file]);
      const r = await app.request('/api/v1/check', {
        method: 'POST',
        body: article,
        headers: { 'content-type': 'text/markdown' },
      });
      expect(r.status).toBe(200);
      expect(await r.json()).toEqual(want);
      expect((want as { claims: unknown[] }).claims.length).toBeGreaterThan(0);
    }, 60_000);

    it('lists the briefs, serves one in each format and its facts, and one fact by id', async () => {
      const list = (await api('/api/v1/briefs')) as { date: string; formats: string[]; facts: boolean }[];
      expect(list).toEqual([{ date: '2026-01-12', formats: ['html', 'md', 'txt'], facts: true }]);
      const { readFileSync } = await import('node:fs');
      for (const f of ['html', 'md', 'txt']) {
        const r = await app.request(`/api/v1/briefs/2026-01-12?format=${f}`);
        expect(r.status).toBe(200);
        expect(await r.text()).toBe(readFileSync(join(briefs, `brief-2026-01-12.${f}`), 'utf8'));
        if (f === 'html') expect(r.headers.get('content-security-policy')).not.toContain('script');
      }
      const facts = (await api('/api/v1/briefs/2026-01-12/facts')) as { facts: { id: string }[] };
      expect(facts).toEqual(JSON.parse(readFileSync(join(briefs, 'facts-2026-01-12.json'), 'utf8')));
      const first = facts.facts[0];
      expect(first).toBeDefined();
      const one = await api(`/api/v1/facts/${encodeURIComponent(first?.id ?? '')}?brief=2026-01-12`);
      expect(one, 'brief=DATE: as printed in that brief, labelled so').toEqual({
        source: 'brief',
        brief: '2026-01-12',
        fact: first,
      });
      const missing = await app.request('/api/v1/facts/no.such.fact');
      expect(missing.status).toBe(404);
      expect(missing.headers.get('content-type')).toBe('application/problem+json');
      const p = (await missing.json()) as { detail: string; 'invalid-params'?: { name: string }[] };
      expect(p.detail).toContain('no fact "no.such.fact" in the brief computed from the store');
      expect(p.detail).toContain('/api/v1/briefs/DATE/facts');
      expect(p.detail).toMatch(/race\.iwm-qqq\.first7\.spread/);
      for (const [path, status] of [
        ['/api/v1/facts/no.such.fact?brief=2026-01-12', 404],
        [`/api/v1/facts/${encodeURIComponent(first?.id ?? '')}?brief=2026-01-13`, 404],
        ['/api/v1/facts/brief.first-sessions?brief=2026-01-12&as_of=2026-01-12', 400],
        ['/api/v1/facts/brief.first-sessions?as_of=2026-13-01', 400],
        ['/api/v1/facts/brief.first-sessions?brief=latest', 400],
        [`/api/v1/facts/${encodeURIComponent('race.iwm-qqq/../../etc')}`, 400],
        [`/api/v1/facts/${encodeURIComponent('a b')}`, 400],
        [`/api/v1/facts/${'x'.repeat(201)}`, 400],
      ] as const) {
        const r = await app.request(path);
        expect(r.status, path).toBe(status);
        expect(r.headers.get('content-type'), path).toBe('application/problem+json');
      }
      expect((await app.request('/api/v1/briefs/2026-01-13')).status).toBe(404);
      expect((await app.request('/api/v1/briefs/..%2F..%2Fetc%2Fpasswd')).status).toBe(400);
    });

    it('resolves every fact id the brief prints, computed from the store as `rotation brief` computes it', async () => {
      const { readFileSync } = await import('node:fs');
      const file = JSON.parse(readFileSync(join(briefs, 'facts-2026-01-12.json'), 'utf8')) as {
        facts: { id: string }[];
      };
      expect(file.facts.length).toBeGreaterThan(50);
      const sections = new Set<string>();
      for (const want of file.facts) {
        const path = `/api/v1/facts/${encodeURIComponent(want.id)}?as_of=2026-01-12`;
        const r = await app.request(path);
        expect(r.status, want.id).toBe(200);
        expect(await r.json(), want.id).toEqual({ source: 'computed', brief: null, fact: want });
        sections.add(want.id.split('.')[0] ?? '');
      }
      expect([...sections].sort(), 'facts of every section are resolved').toEqual(
        expect.arrayContaining(['brief', 'earnings', 'macro', 'race']),
      );
      // Without as_of: the brief the store gives today (its last session), computed, not the archived one.
      const r = await app.request('/api/v1/facts/brief.first-sessions');
      expect(r.status).toBe(200);
      const got = (await r.json()) as { source: string; fact: { asOf: string } };
      expect(got.source).toBe('computed');
      expect(got.fact.asOf > '2026-01-12', 'as of the last stored session').toBe(true);
    }, 240_000);

    it('computes a race fact no brief holds from its id, as `rotation race` computes it', async () => {
      for (const [id, args] of [
        ['race.iwm-qqq.first7.y2019.spread', ['race', 'IWM', 'QQQ', '--window', 'first:7', '--year', '2019']],
        ['race.rut-ndx.jan.y2025.retA', ['race', '^RUT', '^NDX', '--window', 'jan', '--year', '2025']],
      ] as const) {
        const want = (await cli([...args])) as { facts: { id: string }[] };
        const fact = want.facts.find((f) => f.id === id);
        expect(fact, id).toBeDefined();
        const r = await app.request(`/api/v1/facts/${encodeURIComponent(id)}`);
        expect(r.status, id).toBe(200);
        // the verb's fact, with the kind a facts file states
        expect(await r.json()).toEqual({
          source: 'computed',
          brief: null,
          fact: { ...fact, kind: 'computed' },
        });
      }
      for (const id of ['race.iwm-nosuch.first7.spread', 'race.iwm-qqq.first7x.spread', 'rrg.nothing.here']) {
        const r = await app.request(`/api/v1/facts/${id}`);
        expect(r.status, id).toBe(404);
        expect(((await r.json()) as { detail: string }).detail).toContain('race.<a>-<b>.<window>');
      }
    }, 60_000);

    it('answers CSV tables for rrg, regime, check and the why verbs', async () => {
      for (const path of [
        '/api/v1/rrg?as_of=2026-01-12&format=csv',
        '/api/v1/regime?as_of=2026-07-31&format=csv',
        '/api/v1/earnings?as_of=2026-01-12&format=csv',
        '/api/v1/calendar?from=2026-01-01&to=2026-01-31&format=csv',
      ]) {
        const r = await app.request(path);
        expect(r.status, path).toBe(200);
        expect(r.headers.get('content-type')).toContain('text/csv');
        expect((await r.text()).split('\r\n').length).toBeGreaterThan(3);
      }
    });

    it("answers breadth's CSV with the rows of `rotation breadth --format csv`", async () => {
      const args = ['breadth', '--constituents', constituents, '--as-of', '2026-07-31', '--db', db];
      const want = await runCli([...args, '--format', 'csv']);
      expect(want.code).toBe(0);
      const r = await app.request('/api/v1/breadth?as_of=2026-07-31&format=csv');
      expect(r.status).toBe(200);
      const lines = (t: string) => t.split(/\r?\n/).filter((l) => l !== '');
      const got = lines(await r.text());
      expect(got[0]).toBe('section,metric,value,unit,detail');
      expect(got).toEqual(lines(want.out));
      expect(got.length).toBeGreaterThan(8);
    }, 60_000);
  },
);
