import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithSharedData, SHARED_DATA } from '../../../test/support/shared-data.js';
import { runCli } from '../../../test/support/run-cli.js';
import { tempDir } from '../../../test/support/tmp.js';
import { createApp } from '../../server/app.js';
import type { TradingDate } from '../../shared/brand.js';
import { checkArticle } from '../article/check-article.js';
import { DEFAULT_CONFIG } from '../config.js';
import { importPaths } from '../ingest/import.js';
import { Store } from '../store/store.js';
import { parseWindow } from '../../core/window.js';
import { runCheck } from './check.js';

const claim = {
  a: 'IWM',
  b: 'QQQ',
  aText: 'IWM',
  bText: 'QQQ',
  window: parseWindow('first:7'),
  year: 2026,
  firstSince: null,
};

/**
 * `rotation check` on ../shared/data/etf_daily (dividend-adjusted closes, declared so at import): the folded
 * total-return rows say why from the declared basis, stale data say so with their date without an as-of, and a
 * claim without data is one outcome value the CLI (exit 1) and the server (422) map the same way.
 */
describeWithSharedData('check tells the truth about basis, staleness and missing data (shared data)', () => {
  let db: string;
  let store: Store;
  beforeAll(async () => {
    db = join(tempDir('check-truth-'), 'c.duckdb');
    store = await Store.open(db);
    const files = ['IWM', 'QQQ'].map((s) => join(SHARED_DATA, 'etf_daily', `${s}.csv`));
    const out = await importPaths(store, files, { today: '2026-11-24', basis: 'adjusted' });
    expect(out.filter((o) => !o.ok)).toEqual([]);
  }, 120_000);
  afterAll(() => store.close());

  it('says the folded total-return rows equal the price rows because the closes are adjusted', async () => {
    const run = await runCheck(store, claim, { asOf: '2026-07-31' as TradingDate });
    expect(run.sameAsPrice, 'every total definition folds: closes only, declared adjusted').toBeGreaterThan(
      0,
    );
    expect(run.sameAsPriceWhy).toMatch(/dividend-adjusted \(declared at import\)/);
    expect(run.verdict, 'never the old claim that no adjusted closes are stored').not.toMatch(
      /no adjusted closes stored/,
    );
    const row = run.rows.find((r) => r.asStated);
    expect(row?.basisNote, 'the price row says its returns include dividends').toMatch(/dividend-adjusted/);
  });

  it('labels the data stale with their date when no as-of is given and they end before the due session', async () => {
    const run = await runCheck(store, claim, { due: '2026-11-24' as TradingDate });
    expect(run.stale?.dataEnd).toBe('2026-07-31');
    expect(run.stale?.due).toBe('2026-11-24');
    expect(run.stale?.sessionsBehind, 'Aug 3 .. Nov 24 2026: 21 + 21 (Labor Day) + 22 + 17 sessions').toBe(
      81,
    );
    expect(run.verdict).toContain('stale: the data end 2026-07-31');
    const asked = await runCheck(store, claim, {
      asOf: '2026-07-31' as TradingDate,
      due: '2026-11-24' as TradingDate,
    });
    expect(asked.stale, 'an explicit as-of reads what was known then').toBeNull();
  });

  it('the article check states the declared basis, never "no adjusted closes stored"', async () => {
    const check = await checkArticle(
      store,
      'IWM beat QQQ over the first seven sessions of 2026, the first time since 2019.',
      { date: '2026-07-31' as TradingDate },
    );
    const text = JSON.stringify(check);
    expect(text).not.toMatch(/no adjusted closes stored/);
    expect(text).toMatch(/dividend-adjusted/);
  });

  it('a claim without data: the CLI exits 1 and GET /api/v1/check is a 422 problem naming the missing data', async () => {
    const run = await runCheck(store, { ...claim, a: 'FOO', aText: 'FOO' }, {});
    expect(run.unanswerable?.missing).toContain('FOO');
    expect(run.unanswerable?.missing, 'QQQ is stored').not.toContain('QQQ');
    store.close();
    try {
      const cli = await runCli(['check', '--a', 'FOO', '--b', 'QQQ', '--db', db, '--format', 'json']);
      expect(cli.code).toBe(1);
      expect(cli.err).toMatch(
        /error: cannot check "FOO beat QQQ": no definition has data \(FOO not in the store\)/,
      );
      const app = createApp({
        withStore: async (fn) => {
          const s = await Store.open(db, { readOnly: true });
          try {
            return await fn(s);
          } finally {
            s.close();
          }
        },
        config: DEFAULT_CONFIG,
        today: () => '2026-11-24' as TradingDate,
        log: (e) => {
          throw e;
        },
      });
      const r = await app.request('/api/v1/check?a=FOO&b=QQQ&window=first:7');
      expect(r.status).toBe(422);
      expect(r.headers.get('content-type')).toMatch(/application\/problem\+json/);
      const body = (await r.json()) as { detail: string; 'invalid-params'?: { name: string }[] };
      expect(body.detail).toMatch(/FOO not in the store/);
      expect(body['invalid-params']?.[0]?.name).toBe('claim');
      const ok = await app.request('/api/v1/check?a=IWM&b=QQQ&window=first:7&year=2026');
      expect(ok.status).toBe(200);
      expect(((await ok.json()) as { stale: unknown }).stale, 'the data end 2026-07-31').toMatchObject({
        dataEnd: '2026-07-31',
      });
    } finally {
      store = await Store.open(db);
    }
  }, 60_000);
});
