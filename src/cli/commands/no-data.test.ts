import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/run-cli.js';
import { weekdays, wigglyPath } from '../../../test/support/synthetic-series.js';
import { tempDir } from '../../../test/support/tmp.js';

/** Issue 17's "wrong successes": a window with no data, or a blank flag value, must not exit 0. */
let db = '';
beforeAll(async () => {
  const dir = tempDir('no-data-');
  db = join(dir, 'store.duckdb');
  const dates = weekdays(400, '2024-01-01');
  for (const [sym, seed] of [
    ['AAA', 1],
    ['BBB', 2],
  ] as const) {
    const closes = wigglyPath(dates.length, seed);
    const rows = dates.map((d, i) => `${d},${(closes[i] as number).toFixed(4)}`);
    writeFileSync(join(dir, `${sym}.csv`), `Date,Close\n${rows.join('\n')}\n`);
  }
  const r = await runCli(['import', join(dir, 'AAA.csv'), join(dir, 'BBB.csv'), '--db', db]);
  expect(r.code, r.err).toBe(0);
});

describe('no data is an error, not an empty success', () => {
  it('a claim check where no definition has data exits 1, after the table, naming what is missing', async () => {
    const empty = join(tempDir('no-data-empty-'), 'empty.duckdb');
    const r = await runCli([
      'check',
      'the Russell 2000 beat the Nasdaq-100 over the first 7 sessions of 2026',
      '--db',
      empty,
    ]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/verdict: cannot check: no definition has data/);
    expect(r.err).toMatch(/no definition has data \(\^RUT, \^NDX not in the store\)/);
    expect(r.err).toMatch(/import or sync the symbols first/);
  });

  it('a claim over the first 0 sessions is bad usage on an empty store too (the bounds come before the data)', async () => {
    const empty = join(tempDir('no-data-empty-'), 'empty.duckdb');
    const r = await runCli([
      'check',
      'the Russell 2000 beat the Nasdaq-100 over the first 0 sessions of 2026',
      '--db',
      empty,
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/window "first:0" needs N between 1 and 260/);
    expect(r.out).toBe('');
  });

  it('a race over a range before the data starts exits 1 and says where the data is', async () => {
    const r = await runCli(['race', 'AAA', 'BBB', '--window', 'range:1800-01-01..1805-01-01', '--db', db]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /no data for range:1800-01-01\.\.1805-01-01: AAA and BBB have sessions in common from 2024-01-01/,
    );
  });

  it('a race over years before the data exits 1', async () => {
    const r = await runCli(['race', 'AAA', 'BBB', '--window', 'first:7', '--years', '1800-1805', '--db', db]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/no data for first:7 in 1800-1805/);
  });

  it('a race over years that do hold data still answers', async () => {
    const r = await runCli(['race', 'AAA', 'BBB', '--window', 'first:7', '--years', '2023-2025', '--db', db]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^2024 /m);
  });

  it.each([
    [['race', 'AAA', 'BBB', '--years', ''], /--years "" is not a year list/],
    [['precedents', '--beats', 'AAA', 'BBB', '--min-spread', ''], /--min-spread "" is not a number/],
    [['precedents', '--beats', 'AAA', 'BBB', '--min-spread', ' '], /--min-spread " " is not a number/],
    [['precedents', '--extreme', 'AAA', '--lookback', ''], /--lookback "" is not a whole number/],
  ])('%j is bad usage (exit 2)', async (args, message) => {
    const r = await runCli([...args, '--db', db]);
    expect(r.err).toMatch(message);
    expect(r.code).toBe(2);
  });
});
