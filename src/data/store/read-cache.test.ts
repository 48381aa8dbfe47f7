import { existsSync, mkdirSync, readdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closeBar } from '../../../test/support/bars.js';
import { tempDir } from '../../../test/support/tmp.js';
import type { TradingDate } from '../../shared/brand.js';
import type { Bar } from '../../shared/domain.js';
import { readCacheDir } from './read-cache.js';
import { DuckDbStore } from './store.js';

const bar = (date: string, close: number, adjClose: number | null): Bar =>
  closeBar(date, close, { adjClose });

/** Weekdays from `from`, `n` of them, as YYYY-MM-DD. */
function weekdays(from: string, n: number): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); out.length < n; t += 86_400_000) {
    const d = new Date(t);
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) out.push(d.toISOString().slice(0, 10));
  }
  return out;
}

const DATES = weekdays('2024-01-01', 300);
/** Symbols with one basis, three runs (adjusted, price, adjusted), none declared, two spellings, a path trick. */
const SYMBOLS = ['IWM', 'MIX', 'RAW', 'brk.b', 'BRK.B', 'A/../B'];

/** Backdates the file's mtime, as an hour-old store: the cache fills only files not modified within a second. */
const settle = (db: string) =>
  utimesSync(db, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));

async function build(db: string): Promise<void> {
  const s = await DuckDbStore.open(db);
  const series = (k: number) =>
    DATES.map((d, i) => bar(d, 100 + k + i / 7, i % 11 === 0 ? null : 90 + i / 9));
  await s.upsertBars('IWM', series(1), 'etf_daily/IWM.csv');
  await s.upsertBars('MIX', series(2).slice(0, 100), 'a.csv');
  await s.upsertBars('MIX', series(2).slice(100, 180), 'b.csv');
  await s.upsertBars('MIX', series(2).slice(180), 'c.csv');
  await s.upsertBars('RAW', series(3).slice(40, 90), 'raw.csv');
  await s.upsertBars('brk.b', series(4).slice(0, 5), 'x.csv');
  await s.upsertBars('BRK.B', series(5).slice(0, 7), 'y.csv');
  await s.upsertBars('A/../B', series(6).slice(0, 3), 'z.csv');
  await s.setSourceBasis([
    { symbol: 'IWM', source: 'etf_daily/IWM.csv', basis: 'adjusted', declaredBy: 'test' },
    { symbol: 'MIX', source: 'a.csv', basis: 'adjusted', declaredBy: 'test' },
    { symbol: 'MIX', source: 'b.csv', basis: 'price', declaredBy: 'test' },
    { symbol: 'MIX', source: 'c.csv', basis: 'adjusted', declaredBy: 'test' },
  ]);
  await s.upsertObservations([
    {
      series: 'CPIAUCSL',
      period: '2024-01-01',
      value: 310,
      unit: 'index',
      asOf: '2024-02-13' as TradingDate,
      source: 'test',
    },
  ]);
  s.close();
  settle(db);
}

/** What a store answers for the reads the cache serves, per symbol and range. */
async function answers(s: DuckDbStore, ranges: { from?: string; to?: string }[]) {
  const out: unknown[] = [];
  for (const text of ['iwm', 'Brk.B', 'brk.b', 'cpiaucsl', 'nope', 'a/../b'])
    out.push(await s.resolveSymbol(text));
  for (const symbol of [...SYMBOLS, 'NOPE'])
    for (const r of ranges) out.push(await s.loadCloses(symbol, r), await s.loadCloseRanges(symbol, r));
  return out;
}

const RANGES = [
  {},
  { from: DATES[50] },
  { to: DATES[120] },
  { from: DATES[95], to: DATES[185] },
  { from: '2030-01-01' },
];

/** A new store file with its answers read without a cache, and a filled cache beside it. */
async function fresh(): Promise<{ db: string; reference: unknown[] }> {
  const db = join(tempDir('read-cache-'), 'r.duckdb');
  await build(db);
  const plain = await DuckDbStore.open(db, { readOnly: true });
  const reference = await answers(plain, RANGES);
  plain.close();
  expect(existsSync(readCacheDir(db)), 'a handle without readCache writes no cache').toBe(false);
  const filling = await DuckDbStore.open(db, { readOnly: true, readCache: true });
  expect(filling.connected).toBe(true);
  expect(await answers(filling, RANGES)).toEqual(reference);
  filling.close();
  return { db, reference };
}

/** The folder of the one cached version beside `db`. */
function keyDir(db: string): string {
  const keys = readdirSync(readCacheDir(db)).filter((n) => /^[\d-]+$/.test(n));
  expect(keys).toHaveLength(1);
  return join(readCacheDir(db), keys[0] as string);
}

describe('the read cache of a DuckDB store', () => {
  it('fills on a first read-only open, then answers without a DuckDB connection, equal to the SQL', async () => {
    const { db, reference } = await fresh();
    const entries = readdirSync(keyDir(db)).sort();
    expect(entries).toContain('symbols.json');
    expect(
      entries.every((n) => /^(symbols|c-[0-9a-f]+)\.json$/.test(n)),
      'hex names only',
    ).toBe(true);

    const warm = await DuckDbStore.open(db, { readOnly: true, readCache: true });
    expect(warm.connected).toBe(false);
    expect(await answers(warm, RANGES)).toEqual(reference);
    expect(warm.connected, 'closes, ranges and names came from the cache').toBe(false);
    expect((await warm.listSymbols()).length).toBeGreaterThan(0);
    expect(warm.connected, 'a read the cache does not hold connects').toBe(true);
    warm.close();
  });

  it('answers any range as the SQL does (random ranges, both ends optional)', async () => {
    const { db } = await fresh();
    const plain = await DuckDbStore.open(db, { readOnly: true });
    const warm = await DuckDbStore.open(db, { readOnly: true, readCache: true });
    const day = fc.oneof(
      fc.constantFrom(...DATES),
      fc
        .date({ min: new Date('2023-12-01'), max: new Date('2025-06-30'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10)),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...SYMBOLS),
        fc.option(day, { nil: undefined }),
        fc.option(day, { nil: undefined }),
        async (symbol, from, to) => {
          const r = { ...(from ? { from } : {}), ...(to ? { to } : {}) };
          expect(await warm.loadCloses(symbol, r)).toEqual(await plain.loadCloses(symbol, r));
          expect(await warm.loadCloseRanges(symbol, r)).toEqual(await plain.loadCloseRanges(symbol, r));
        },
      ),
      { numRuns: 150 },
    );
    expect(warm.connected).toBe(false);
    plain.close();
    warm.close();
  });

  it('is not used for another version of the file: a write changes the key and the next fill drops the old one', async () => {
    const { db } = await fresh();
    const before = keyDir(db);
    const w = await DuckDbStore.open(db);
    await w.upsertBars('IWM', [bar('2025-03-03', 500, 499)], 'etf_daily/IWM.csv');
    w.close();
    settle(db);
    const s = await DuckDbStore.open(db, { readOnly: true, readCache: true });
    expect(s.connected, 'no folder for the new version: opened DuckDB').toBe(true);
    expect((await s.loadCloses('IWM')).close.at(-1)).toBe(500);
    s.close();
    expect(keyDir(db)).not.toBe(before);
    const warm = await DuckDbStore.open(db, { readOnly: true, readCache: true });
    expect(warm.connected).toBe(false);
    expect((await warm.loadCloses('IWM')).close.at(-1)).toBe(500);
    warm.close();
  });

  it('refuses to mix versions: a write between a warm open and its first DuckDB read is an error naming it', async () => {
    const { db } = await fresh();
    const warm = await DuckDbStore.open(db, { readOnly: true, readCache: true });
    expect(warm.connected).toBe(false);
    expect(await warm.resolveSymbol('iwm')).toBe('IWM');
    const w = await DuckDbStore.open(db);
    await w.upsertBars('IWM', [bar('2025-03-04', 501, 500)], 'etf_daily/IWM.csv');
    w.close();
    await expect(warm.listSymbols()).rejects.toThrow(/changed while this command was reading it/);
    warm.close();
  });

  it('reads a damaged entry as a miss and answers from DuckDB', async () => {
    const { db, reference } = await fresh();
    const dir = keyDir(db);
    writeFileSync(
      join(dir, `c-${Buffer.from('IWM').toString('hex')}.json`),
      '{"v":1,"symbol":"IWM","dates":"2024-01-0',
    );
    writeFileSync(
      join(dir, `c-${Buffer.from('MIX').toString('hex')}.json`),
      '{"v":1,"symbol":"RAW","dates":"","close":[],"adjClose":[],"runs":[]}',
    );
    writeFileSync(join(dir, 'symbols.json'), '{"v":1,"names":[1,2]}');
    const s = await DuckDbStore.open(db, { readOnly: true, readCache: true });
    expect(await answers(s, RANGES)).toEqual(reference);
    expect(s.connected, 'the damaged entries were read from DuckDB').toBe(true);
    s.close();
  });

  it('keeps values JSON cannot carry exactly (NaN, infinities, -0) out of its files, and still answers them', async () => {
    const db = join(tempDir('read-cache-odd-'), 'o.duckdb');
    const w = await DuckDbStore.open(db);
    await w.upsertBars(
      'ODD',
      [bar(DATES[0] as string, 1, Number.NaN), bar(DATES[1] as string, 2, -0)],
      'odd.csv',
    );
    await w.upsertBars('FINE', [bar(DATES[0] as string, 1, 1.5)], 'fine.csv');
    w.close();
    settle(db);
    const s = await DuckDbStore.open(db, { readOnly: true, readCache: true });
    const odd = await s.loadCloses('ODD');
    expect(odd.adjClose[0]).toBeNaN();
    expect(Object.is(odd.adjClose[1], -0)).toBe(true);
    await s.loadCloses('FINE');
    s.close();
    const files = readdirSync(keyDir(db));
    expect(files).toContain(`c-${Buffer.from('FINE').toString('hex')}.json`);
    expect(files).not.toContain(`c-${Buffer.from('ODD').toString('hex')}.json`);
  });

  it('follows no symbolic link: a linked <db>.reads is neither read, written nor emptied', async () => {
    const db = join(tempDir('read-cache-link-'), 'l.duckdb');
    await build(db);
    const elsewhere = tempDir('read-cache-elsewhere-');
    writeFileSync(join(elsewhere, 'keep.txt'), 'not the cache');
    mkdirSync(join(elsewhere, '1-8-1-2-3-4-5'));
    symlinkSync(elsewhere, readCacheDir(db));
    const s = await DuckDbStore.open(db, { readOnly: true, readCache: true });
    expect(s.connected).toBe(true);
    expect((await s.loadCloses('IWM')).dates).toHaveLength(DATES.length);
    s.close();
    expect(readdirSync(elsewhere).sort()).toEqual(['1-8-1-2-3-4-5', 'keep.txt']);
  });

  it('removes only folders named like its keys when a new version fills', async () => {
    const { db } = await fresh();
    writeFileSync(join(readCacheDir(db), 'notes.txt'), 'a user file');
    const w = await DuckDbStore.open(db);
    await w.upsertBars('IWM', [bar('2025-03-03', 500, 499)], 'etf_daily/IWM.csv');
    w.close();
    settle(db);
    const s = await DuckDbStore.open(db, { readOnly: true, readCache: true });
    await s.loadCloses('IWM');
    s.close();
    const names = readdirSync(readCacheDir(db));
    expect(names).toContain('notes.txt');
    expect(names.filter((n) => n !== 'notes.txt')).toHaveLength(1);
  });

  it('does not fill from a file modified less than a second ago, and still answers', async () => {
    const db = join(tempDir('read-cache-fresh-'), 'f.duckdb');
    await build(db);
    utimesSync(db, new Date(), new Date());
    const plain = await DuckDbStore.open(db, { readOnly: true });
    const want = await answers(plain, RANGES);
    plain.close();
    const s = await DuckDbStore.open(db, { readOnly: true, readCache: true });
    expect(await answers(s, RANGES)).toEqual(want);
    s.close();
    expect(existsSync(readCacheDir(db))).toBe(false);
  });
});
