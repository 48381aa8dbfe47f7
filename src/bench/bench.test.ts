import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { csvToParquet } from '../data/export/convert.js';
import { importPaths } from '../data/ingest/import.js';
import { Store } from '../data/store/store.js';
import { parseBenchArgs } from './args.js';
import { writeSyntheticCsv } from './synthetic-csv.js';
import { syntheticMarket } from './synthetic-market.js';
import { tempDir } from '../../test/support/tmp.js';

const OPTS = { symbols: 15, from: '2024-01-01', to: '2025-12-31', seed: 9 };

describe("the project's importer reads the generator's files", () => {
  let dir: string;
  let csv: string;
  let parquet: string;
  let bars: number;
  beforeAll(async () => {
    dir = tempDir('rotation-bench-test-');
    csv = join(dir, 'universe.csv');
    parquet = join(dir, 'universe.parquet');
    bars = (await writeSyntheticCsv({ ...OPTS, out: csv })).bars;
    await csvToParquet(csv, parquet);
  });

  for (const format of ['csv', 'parquet'] as const) {
    it(`imports every ${format} bar, then adds nothing on a repeat import`, async () => {
      const store = await Store.open(':memory:');
      try {
        const file = format === 'csv' ? csv : parquet;
        const [first] = await importPaths(store, [file], { today: '2026-01-02' });
        expect(first, JSON.stringify(first)).toMatchObject({ ok: true, added: bars, updated: 0 });
        const [again] = await importPaths(store, [file], { today: '2026-01-02' });
        expect(again, 'idempotent').toMatchObject({ ok: true, added: 0, updated: 0, unchanged: bars });

        const series = syntheticMarket(OPTS).series(13);
        const stored = await store.loadBars(series.profile.symbol);
        expect(stored.length).toBe(series.dates.length);
        const k = stored.length - 1;
        expect(stored[k]?.date).toBe(series.dates[k]);
        expect(stored[k]?.close, 'CSV keeps 4 decimals').toBeCloseTo(series.close[k] as number, 4);
        expect(stored[0]?.adjClose, 'adj_close kept').toBeCloseTo(series.adjClose[0] as number, 6);
      } finally {
        store.close();
      }
    });
  }
});

describe('parseBenchArgs', () => {
  it('defaults to 1,000 symbols x 25 years, and 50 x 5 with --quick', () => {
    expect(parseBenchArgs([])).toEqual({
      symbols: 1000,
      years: 25,
      seed: 42,
      keep: null,
      peer: null,
      data: null,
      only: null,
      analyticsSymbols: 3000,
      analyticsYears: 25,
      pg: process.env['ROTATION_BENCH_PG'] ?? null,
      serveSeconds: 60,
      startupRounds: 15,
    });
    expect(parseBenchArgs(['--only', 'serve', '--serve-seconds', '5'])).toMatchObject({
      only: 'serve',
      serveSeconds: 5,
    });
    expect(parseBenchArgs(['--pg', 'postgres://u@127.0.0.1:5432/b'])).toMatchObject({
      pg: 'postgres://u@127.0.0.1:5432/b',
    });
    expect(() => parseBenchArgs(['--pg', 'bench.duckdb'])).toThrow(/--pg must be a postgres:\/\/ URL/);
    expect(parseBenchArgs(['--only', 'analytics', '--analytics-symbols', '500'])).toMatchObject({
      only: 'analytics',
      analyticsSymbols: 500,
      analyticsYears: 25,
    });
    expect(parseBenchArgs(['--quick'])).toMatchObject({
      symbols: 50,
      years: 5,
      analyticsSymbols: 50,
      analyticsYears: 5,
    });
    expect(parseBenchArgs(['--quick', '--symbols', '7', '--keep', '/tmp/x'])).toMatchObject({
      symbols: 7,
      years: 5,
      keep: '/tmp/x',
    });
  });

  it('rejects bad flags', () => {
    expect(() => parseBenchArgs(['--years', '0'])).toThrow(/positive whole number/);
    expect(() => parseBenchArgs(['--years', '60'])).toThrow(/before the calendar/);
    expect(() => parseBenchArgs(['--seed', 'x'])).toThrow(/integer/);
    expect(() => parseBenchArgs(['--fast'])).toThrow(/fast/);
    expect(() => parseBenchArgs(['--only', 'both'])).toThrow(/import, analytics, brief, serve or startup/);
    expect(() => parseBenchArgs(['--serve-seconds', '0'])).toThrow(/positive whole number/);
    expect(parseBenchArgs(['--only', 'brief', '--data', '/d'])).toMatchObject({ only: 'brief', data: '/d' });
    expect(() => parseBenchArgs(['--analytics-symbols', '5'])).toThrow(/at least 13/);
  });
});
