import { existsSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { readCacheDir } from '../../data/store/read-cache.js';
import { runCli } from '../../../test/support/run-cli.js';
import { describeWithSharedData, SHARED_DATA } from '../../../test/support/shared-data.js';
import { tempDir } from '../../../test/support/tmp.js';

/** A store of the shared indices and ETFs, last written an hour ago (the cache fills only settled files). */
async function sharedStore(): Promise<string> {
  const db = join(tempDir('read-cache-cli-'), 'store.duckdb');
  const files = [
    ...['RUT', 'NDX'].map((s) => join(SHARED_DATA, 'indices', `${s}.csv`)),
    ...['IWM', 'QQQ'].map((s) => join(SHARED_DATA, 'etf_daily', `${s}.csv`)),
  ];
  const r = await runCli(['--db', db, 'import', ...files]);
  expect(r.code, r.err).toBe(0);
  const hourAgo = new Date(Date.now() - 3_600_000);
  utimesSync(db, hourAgo, hourAgo);
  return db;
}

const RUNS = [
  ['race', '^rut', '^NDX', '--window', 'first:7', '--year', '2026', '--format', 'json'],
  ['race', 'IWM', 'QQQ', '--window', 'jan', '--years', '2001-2026', '--basis', 'total', '--format', 'json'],
  ['race', 'IWM', 'QQQ', '--window', 'ytd', '--as-of', '2026-03-31', '--format', 'csv'],
  ['race', 'IWM', 'QQQ', '--history', '--as-of', '2026-07-31', '--format', 'json'],
];

describeWithSharedData('the read cache through the CLI (race on the shared data)', () => {
  let db = '';
  beforeAll(async () => {
    db = await sharedStore();
  }, 120_000);
  afterEach(() => {
    delete process.env['ROTATION_READ_CACHE'];
  });

  it('prints the same race cold (filling the cache) and warm (from it), byte for byte', async () => {
    for (const args of RUNS) {
      const cold = await runCli(['--db', db, ...args]);
      expect(cold.code, cold.err).toBe(0);
      expect(existsSync(readCacheDir(db))).toBe(true);
      const warm = await runCli(['--db', db, ...args]);
      expect(warm.code, warm.err).toBe(0);
      expect(warm.out, args.join(' ')).toBe(cold.out);
      expect(warm.err).toBe(cold.err);
    }
  });

  it('ROTATION_READ_CACHE=off reads DuckDB only and writes no cache', async () => {
    const other = await sharedStore();
    process.env['ROTATION_READ_CACHE'] = 'off';
    const off = await runCli(['--db', other, ...(RUNS[0] as string[])]);
    expect(off.code, off.err).toBe(0);
    expect(existsSync(readCacheDir(other))).toBe(false);
    delete process.env['ROTATION_READ_CACHE'];
    const on = await runCli(['--db', other, ...(RUNS[0] as string[])]);
    expect(on.out).toBe(off.out);
    expect(existsSync(readCacheDir(other))).toBe(true);
  }, 120_000);
});
