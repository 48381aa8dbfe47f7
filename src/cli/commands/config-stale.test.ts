import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { importPaths } from '../../data/ingest/import.js';
import { Store } from '../../data/store/store.js';
import { runCli } from '../../../test/support/run-cli.js';
import { describeWithSharedData, SHARED_DATA } from '../../../test/support/shared-data.js';
import { tempDir } from '../../../test/support/tmp.js';

/** A config that moves every default: market QQQ, two sectors, a basket of them. */
const CONFIG = {
  benchmarks: { smallCaps: 'IWM', bigTech: 'SPY', market: 'QQQ', sectors: ['XLK', 'XLE'] },
  baskets: {
    TECHNRG: {
      name: 'Tech and energy',
      members: ['XLK', 'XLE'],
      weighting: 'equal',
      rebalance: 'quarterly',
      description: 'XLK XLE, equal weight, rebalanced quarterly',
    },
  },
};

describeWithSharedData('--config and stale labels on rrg, breadth, regime and race', () => {
  let db = '';
  let cfg = '';
  beforeAll(async () => {
    const dir = tempDir('config-stale-');
    db = join(dir, 'store.duckdb');
    cfg = join(dir, 'rotation.config.json');
    writeFileSync(cfg, JSON.stringify(CONFIG));
    const store = await Store.open(db);
    const files = ['SPY', 'QQQ', 'IWM', 'XLK', 'XLE', 'RSP'].map((s) =>
      join(SHARED_DATA, 'etf_daily', `${s}.csv`),
    );
    const out = await importPaths(store, files, { today: '2026-11-24' });
    await store.close();
    expect(out.filter((o) => !o.ok)).toEqual([]);
  }, 120_000);

  const json = async (args: string[]) => {
    const r = await runCli(['--db', db, ...args, '--format', 'json']);
    expect(r.code, r.err).toBe(0);
    return JSON.parse(r.out) as Record<string, unknown>;
  };

  it('rrg places the configured sectors against the configured market benchmark', async () => {
    const plain = await json(['rrg', '--as-of', '2026-07-31']);
    const configured = await json(['rrg', '--as-of', '2026-07-31', '--config', cfg]);
    expect(plain['benchmark'], 'built-in default').toBe('SPY');
    expect(configured['benchmark'], 'benchmarks.market').toBe('QQQ');
    const members = (configured['members'] as { symbol: string }[]).map((m) => m.symbol);
    expect(members, 'benchmarks.sectors').toEqual(['XLK', 'XLE']);
    const ids = (configured['facts'] as { id: string }[]).map((f) => f.id);
    expect(ids).toContain('rrg.qqq.weekly.xlk.ratio');
  });

  it('regime reads the configured benchmarks and sectors, each once', async () => {
    const r = await json(['regime', '--as-of', '2026-07-31', '--config', cfg]);
    const symbols = (r['regimes'] as { symbol: string }[]).map((x) => x.symbol);
    expect(symbols).toEqual(['QQQ', 'SPY', 'IWM', 'XLK', 'XLE']);
  });

  it('breadth compares against the configured market benchmark and reads configured baskets', async () => {
    const r = await json(['breadth', '--as-of', '2026-07-31', '--config', cfg, '--equal', 'TECHNRG']);
    const evc = r['equalVsCap'] as { equal: string; cap: string };
    expect(evc).toMatchObject({ equal: 'TECHNRG', cap: 'QQQ' });
    const without = await runCli(['--db', db, 'breadth', '--as-of', '2026-07-31', '--equal', 'TECHNRG']);
    expect(without.code, 'the basket exists only in the config').toBe(1);
    expect(without.err).toMatch(/unknown symbol or basket "TECHNRG"/);
  });

  it('race, precedents, odds and check read baskets from the config', async () => {
    const race = await json([
      'race',
      'IWM',
      'TECHNRG',
      '--window',
      'ytd',
      '--as-of',
      '2026-07-31',
      '--config',
      cfg,
    ]);
    expect((race['facts'] as { id: string }[]).map((f) => f.id)).toContain('race.iwm-technrg.ytd.spread');
    for (const verb of ['precedents', 'odds'])
      await json([verb, '--beats', 'IWM', 'TECHNRG', '--as-of', '2026-07-31', '--config', cfg]);
    const check = await json(['check', '--a', 'IWM', '--b', 'TECHNRG', '--year', '2025', '--config', cfg]);
    expect(check['rows'], 'the claim is checked under at least one definition').not.toEqual([]);
  });

  it('labels figures older than their cadence stale, with their date, never "as of"', async () => {
    // the files end on 2026-07-31: fourteen sessions before 2026-08-20
    const rrg = await runCli(['--db', db, 'rrg', '--as-of', '2026-08-20']);
    expect(rrg.code, rrg.err).toBe(0);
    expect(rrg.out).toMatch(/stale: data end 2026-07-31/);
    expect(rrg.err).toMatch(/SPY: stale: last reading 2026-07-31/);
    const fresh = await runCli(['--db', db, 'rrg', '--as-of', '2026-08-04']);
    expect(fresh.out, 'two sessions behind is within a daily cadence').toMatch(/as of 2026-07-31/);
    expect(fresh.err).not.toMatch(/stale/);
    for (const verb of ['regime', 'breadth']) {
      const r = await json([verb, '--as-of', '2026-08-20']);
      const stale = (r['warnings'] as { code: string; message: string }[]).filter((w) => w.code === 'stale');
      expect(stale.length, `${verb} names its stale series`).toBeGreaterThan(0);
      expect(stale[0]?.message).toMatch(/last reading 2026-07-31/);
    }
    const race = await runCli(['--db', db, 'race', 'IWM', 'QQQ', '--as-of', '2026-08-20']);
    expect(race.out).toMatch(/stale: data end 2026-07-31/);
    expect(race.out).toMatch(/note: IWM: stale: last reading 2026-07-31/);
    const fresh2 = await runCli([
      '--db',
      db,
      'race',
      'IWM',
      'QQQ',
      '--as-of',
      '2026-07-31',
      '--format',
      'json',
    ]);
    expect((JSON.parse(fresh2.out) as { stale: unknown[] }).stale).toEqual([]);
    for (const verb of ['precedents', 'odds']) {
      const r = await runCli(['--db', db, verb, '--beats', 'IWM', 'QQQ', '--as-of', '2026-08-20']);
      expect(r.out, verb).toMatch(/stale: data end 2026-07-31/);
      const j = await json([verb, '--beats', 'IWM', 'QQQ', '--as-of', '2026-07-31']);
      expect(j['stale'], `${verb} on the last session is not stale`).toEqual([]);
    }
    const breadth = await runCli(['--db', db, 'breadth', '--as-of', '2026-08-20']);
    expect(breadth.out).toMatch(/RSP\/SPY on 2026-07-31 \(stale/);
  });
});
