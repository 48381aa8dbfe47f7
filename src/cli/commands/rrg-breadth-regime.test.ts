import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { importPaths } from '../../data/ingest/import.js';
import { Store } from '../../data/store/store.js';
import { describeWithSharedData, SHARED_DATA } from '../../../test/support/shared-data.js';
import { runCli } from '../../../test/support/run-cli.js';
import { tempDir } from '../../../test/support/tmp.js';

const run = runCli;

describeWithSharedData('rotation rrg / breadth / regime on the shared ETF and stock files', () => {
  let dir: string;
  let db: string;
  beforeAll(async () => {
    dir = tempDir('rotation-rrg-');
    db = join(dir, 'store.duckdb');
    const store = await Store.open(db);
    try {
      const outcomes = await importPaths(
        store,
        [join(SHARED_DATA, 'etf_daily'), join(SHARED_DATA, 'stocks_daily')],
        {
          today: '2026-08-03',
        },
      );
      const failed = outcomes.filter((o) => !o.ok);
      if (failed.length > 0) throw new Error(`import failed: ${JSON.stringify(failed).slice(0, 500)}`);
      if (outcomes.length !== 38) throw new Error(`expected 38 files, imported ${outcomes.length}`);
    } finally {
      store.close();
    }
  }, 120_000);

  // Provenance: test/fixtures/series/rrg_breadth_regime_reference.py section 2 (independent plain-Python run).
  const QUADRANTS: Record<string, Record<string, string>> = {
    '2026-01-12': {
      XLK: 'weakening',
      XLF: 'improving',
      XLI: 'leading',
      XLV: 'improving',
      XLY: 'leading',
      XLP: 'improving',
      XLE: 'improving',
      XLB: 'improving',
      XLU: 'lagging',
      XLRE: 'improving',
      XLC: 'improving',
    },
    '2026-07-31': {
      XLK: 'weakening',
      XLF: 'improving',
      XLI: 'leading',
      XLV: 'leading',
      XLY: 'improving',
      XLP: 'improving',
      XLE: 'weakening',
      XLB: 'improving',
      XLU: 'improving',
      XLRE: 'improving',
      XLC: 'improving',
    },
  };

  for (const asOf of Object.keys(QUADRANTS)) {
    it(`rrg places the 11 sectors vs SPY as of ${asOf}`, async () => {
      const r = await run(['--db', db, 'rrg', '--as-of', asOf, '--format', 'json']);
      expect(r.code, r.err).toBe(0);
      const doc = JSON.parse(r.out) as {
        asOf: string;
        members: { symbol: string; quadrant: string; tail: unknown[] }[];
      };
      expect(doc.asOf).toBe(asOf);
      expect(Object.fromEntries(doc.members.map((m) => [m.symbol, m.quadrant]))).toEqual(QUADRANTS[asOf]);
      expect(doc.members.every((m) => m.tail.length === 8)).toBe(true);
    });
  }

  it('rrg prints a table and a CSV of tail points', async () => {
    const t = await run(['--db', db, 'rrg', '--as-of', '2026-07-31', '--tail', '4']);
    expect(t.code, t.err).toBe(0);
    expect(t.out).toMatch(/^RRG vs SPY, weekly, N=52 K=10/);
    expect(t.out).toMatch(/XLK\s+2026-07-31\s+101\.01\s+98\.40\s+weakening/);
    const c = await run(['--db', db, 'rrg', 'XLK', '--tail', '3', '--period', 'daily', '--format', 'csv']);
    expect(c.code, c.err).toBe(0);
    const lines = c.out.trim().split('\n');
    expect(lines[0]).toBe('symbol,date,rs,rs_ratio,rs_momentum,quadrant');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toMatch(/^XLK,2026-07-31,/);
  });

  it('rrg refuses a bad period and an unknown symbol with a hint', async () => {
    const bad = await run(['--db', db, 'rrg', '--period', 'monthly']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/error: unknown period "monthly"/);
    const unknown = await run(['--db', db, 'rrg', 'NOPE']);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/error: unknown symbol or basket "NOPE"[\s\S]*hint:/);
  });

  it('breadth reports equal vs cap, participation with its coverage, and concentration', async () => {
    const r = await run([
      '--db',
      db,
      'breadth',
      '--constituents',
      join(SHARED_DATA, 'constituents'),
      '--as-of',
      '2026-07-31',
      '--format',
      'json',
    ]);
    expect(r.code, r.err).toBe(0);
    const doc = JSON.parse(r.out) as {
      equalVsCap: { windows: { window: string; spread: number }[] };
      participation: { listed: number; available: number; above200: { counted: number } };
      concentration: { top10: number };
      warnings: { code: string }[];
    };
    // Reference script sections 6 and 7.
    expect(doc.equalVsCap.windows.find((w) => w.window === 'ytd')?.spread).toBeCloseTo(
      0.030284612591282345,
      12,
    );
    expect(doc.participation.listed).toBe(503);
    // The S&P 500 members with prices in the shared data: the 10 stocks (AAPL … PG).
    expect(doc.participation.available).toBe(10);
    expect(doc.participation.above200.counted).toBe(10);
    expect(doc.warnings.map((w) => w.code)).toContain('partial-coverage');
    expect(doc.concentration.top10).toBeCloseTo(0.3616169701821115, 12);
    const t = await run([
      '--db',
      db,
      'breadth',
      '--constituents',
      join(SHARED_DATA, 'constituents'),
      '--universe',
      'ndx',
    ]);
    expect(t.code, t.err).toBe(0);
    expect(t.out).toMatch(/participation\s+coverage\s+\S+\s+share\s+\d+ of 101 ndx members/);
    expect(t.err).toMatch(/warning: ndx: prices stored for \d+ of 101 members/);
  });

  it('regime tags the default symbols and honours --as-of', async () => {
    const r = await run(['--db', db, 'regime', 'QQQ', 'SPY', '--as-of', '2022-10-14', '--format', 'json']);
    expect(r.code, r.err).toBe(0);
    const doc = JSON.parse(r.out) as {
      regimes: { symbol: string; state: string; highDate: string; distance: number }[];
    };
    // Reference script section 5.
    expect(doc.regimes[0]).toMatchObject({ symbol: 'QQQ', state: 'bear', highDate: '2021-12-27' });
    expect(doc.regimes[0]?.distance).toBeCloseTo(-0.35056449787026533, 12);
    const all = await run(['--db', db, 'regime', '--format', 'csv']);
    expect(all.code, all.err).toBe(0);
    expect(all.out.trim().split('\n')).toHaveLength(15); // header + SPY QQQ IWM + 11 sectors
  });
});
