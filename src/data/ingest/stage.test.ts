import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeSyntheticCsv } from '../../bench/synthetic-csv.js';
import { DuckDbStore, openStore, PgStore, type Store } from '../store/store.js';
import { sourceOf } from './file-names.js';
import { importPaths, type FileOutcome, type FileProgress } from './import.js';
import { pgMissing, usePostgres } from '../../../test/support/pg.js';
import { tempDir } from '../../../test/support/tmp.js';

/**
 * The staging path (issue 16): a DuckDB store's import stages on the store's own connection and merges with SQL;
 * PostgreSQL receives the checked rows in batches of 100,000. Both give the same counts and rows, a failed file
 * leaves no staging behind, and a large file reports its progress while it loads.
 */
const TODAY = '2026-01-02';
const pg = pgMissing ? null : usePostgres();

type Ok = Extract<FileOutcome, { ok: true }>;

async function importOne(store: Store, file: string, onFileProgress?: (f: string, p: FileProgress) => void) {
  const [out] = await importPaths(store, [file], {
    today: TODAY,
    ...(onFileProgress ? { onFileProgress } : {}),
  });
  if (!out?.ok) throw new Error(`expected ${file} to import: ${JSON.stringify(out)}`);
  return out;
}

const counts = (o: Ok) => [o.added, o.updated, o.unchanged, o.rows];

/** 130 symbols x 4 years: about 130,000 bars, so PostgreSQL gets two batches. */
let csv = '';
let bars = 0;
beforeAll(async () => {
  const dir = tempDir('stage-');
  csv = join(dir, 'market.csv');
  bars = (await writeSyntheticCsv({ symbols: 130, from: '2022-01-03', to: '2025-12-31', seed: 3, out: csv }))
    .bars;
  expect(bars).toBeGreaterThan(100_000);
}, 120_000);

describe('staging on a DuckDB store', () => {
  it('imports every bar, reports the file as it loads, and leaves no staging table', async () => {
    const store = await DuckDbStore.open(join(tempDir('stage-db-'), 's.duckdb'));
    try {
      const events: FileProgress[] = [];
      const first = await importOne(store, csv, (_f, p) => events.push(p));
      expect(counts(first)).toEqual([bars, 0, 0, bars]);
      const [n] = await store.query<{ n: number }>('SELECT count(*) AS n FROM bars');
      expect(n?.n).toBe(bars);
      // Reading (if it lasted long enough to be sampled) only moves forward; then one event with the rows.
      const size = statSync(csv).size;
      const reads = events.filter((e) => e.phase === 'read').map((e) => e.bytesRead);
      expect(reads).toEqual([...reads].sort((a, b) => a - b));
      expect(reads.every((b) => b >= 0 && b <= size)).toBe(true);
      expect(events.at(-1)).toEqual({ phase: 'check', bytesRead: size, totalBytes: size, rows: bars });
      const temp = await store.query<{ n: number }>(
        'SELECT count(*) AS n FROM duckdb_tables() WHERE temporary',
      );
      expect(temp[0]?.n).toBe(0);
      const again = await importOne(store, csv);
      expect(counts(again)).toEqual([0, 0, bars, bars]);
    } finally {
      store.close();
    }
  }, 120_000);

  it('a file that fails after staging leaves nothing: no bars, no staging table', async () => {
    const dir = tempDir('stage-bad-');
    const bad = join(dir, 'bad.csv');
    writeFileSync(
      bad,
      'date,symbol,close\n2024-01-02,AAA,10\n2024-01-03,AAA,11\n2024-01-04,AAA,-3\n2024-01-05,AAA,12\n',
    );
    const store = await DuckDbStore.open(join(dir, 's.duckdb'));
    try {
      const [out] = await importPaths(store, [bad], { today: TODAY });
      expect(out).toMatchObject({ ok: false, line: 4, field: 'close' });
      const [n] = await store.query<{ n: number }>('SELECT count(*) AS n FROM bars');
      expect(n?.n).toBe(0);
      const temp = await store.query<{ n: number }>(
        'SELECT count(*) AS n FROM duckdb_tables() WHERE temporary',
      );
      expect(temp[0]?.n).toBe(0);
    } finally {
      store.close();
    }
  });
});

if (!pg)
  describe('batches to PostgreSQL', () => {
    it.skip(`skipped: ${pgMissing ?? 'no PostgreSQL'}`, () => {});
  });
else
  describe('batches to PostgreSQL', () => {
    it('gives the counts and rows DuckDB gives, on first import and again', async () => {
      const url = await pg.newDatabase();
      const store = await openStore(url);
      const duck = await DuckDbStore.open(join(tempDir('stage-pg-'), 's.duckdb'));
      try {
        expect(counts(await importOne(store, csv))).toEqual(counts(await importOne(duck, csv)));
        expect(counts(await importOne(store, csv))).toEqual([0, 0, bars, bars]);
        const pgSymbols = (await store.listSymbols()).map((s) => [s.symbol, s.rows, s.firstDate, s.lastDate]);
        const duckSymbols = (await duck.listSymbols()).map((s) => [
          s.symbol,
          s.rows,
          s.firstDate,
          s.lastDate,
        ]);
        expect(pgSymbols).toEqual(duckSymbols);
        const pgBars = await store.loadBars('S0042');
        expect(pgBars).toEqual(await duck.loadBars('S0042'));
      } finally {
        if (store instanceof PgStore) await store.end();
        duck.close();
      }
    }, 240_000);
  });

describe('re-importing an unchanged file', () => {
  const file = (dir: string, closes: string[]) => {
    const path = join(dir, 'aaa.csv');
    writeFileSync(
      path,
      'date,symbol,close\n' + closes.map((c, i) => `2024-01-0${i + 2},AAA,${c}\n`).join(''),
    );
    return path;
  };

  it('uses the record of the last import when file, options and stored rows are unchanged', async () => {
    const dir = tempDir('stage-same-');
    const path = file(dir, ['10', '11', '12']);
    const store = await DuckDbStore.open(join(dir, 's.duckdb'));
    try {
      expect(counts(await importOne(store, path))).toEqual([3, 0, 0, 3]);
      // Mark the record: a re-import that uses it says so in its layout.
      await store.exec(
        `UPDATE imported_files SET outcome = replace(outcome, '"layout":"long"', '"layout":"marked"')`,
      );
      const again = await importOne(store, path);
      expect([again.layout, ...counts(again)]).toEqual(['marked', 0, 0, 3, 3]);
      // Other options (--replace) read the file again.
      const [other] = await importPaths(store, [path], { today: TODAY, replace: true });
      expect(other).toMatchObject({ ok: true, layout: 'long', unchanged: 3 });
    } finally {
      store.close();
    }
  });

  it('reads the file again when its stored rows or its content changed since', async () => {
    const dir = tempDir('stage-changed-');
    const path = file(dir, ['10', '11', '12']);
    const store = await DuckDbStore.open(join(dir, 's.duckdb'));
    try {
      await importOne(store, path);
      // A write of those bars through the store (here one close, from the file's own source) gives them a new
      // stamp: the next import of the file reads it again and puts its close back.
      const [stored] = await store.loadBars('AAA', { from: '2024-01-03', to: '2024-01-03' });
      if (!stored) throw new Error('no bar on 2024-01-03');
      await store.upsertBars('AAA', [{ ...stored, close: 99 }], sourceOf(path));
      expect(counts(await importOne(store, path))).toEqual([0, 1, 2, 3]);
      file(dir, ['10', '11', '13']); // same size, one digit changed
      expect(counts(await importOne(store, path))).toEqual([0, 1, 2, 3]);
      const [bar] = await store.query<{ close: number }>(
        `SELECT close FROM bars WHERE symbol = 'AAA' AND date = DATE '2024-01-04'`,
      );
      expect(bar?.close).toBe(13);
    } finally {
      store.close();
    }
  });
});
