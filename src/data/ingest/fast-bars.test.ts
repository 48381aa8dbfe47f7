import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvToParquet } from '../export/convert.js';
import { DuckDbStore, Store } from '../store/store.js';
import { openIngestEngine } from './engine.js';
import { importPaths } from './import.js';
import { importOne } from './read-file.js';
import { BulkPathMiss } from './fast-bars.js';
import { tempDir } from '../../../test/support/tmp.js';

/**
 * The bulk path (fast-bars.ts) takes only files the checked path imports unchanged: for those it stores the same
 * rows and gives the same outcome; every other file is refused with BulkPathMiss and leaves nothing behind.
 */
const TODAY = '2026-01-02';
const HEADER = 'date,symbol,open,high,low,close,adj_close,volume';
const GOOD = [
  '2024-01-02,IWM,200.5,202,199.25,201.75,198.1,1000',
  '2024-01-03,IWM,201.75,203.5,200,203,199.3,2000',
  '2024-01-04,IWM,203,204,201.5,202.25,198.6,',
  '2024-01-02,QQQ,400,405,398,404.5,401.25,3000',
  '2024-01-03,QQQ,404.5,406,401,402,,3100',
  '2024-01-04,QQQ,,,,403.5,,',
];

async function readWith(bulk: boolean, file: string) {
  const store = await Store.open(':memory:');
  const engine = await openIngestEngine(store);
  try {
    const body = await store
      .transaction((tx) =>
        importOne(engine, tx, file, file.endsWith('.parquet') ? '.parquet' : '.csv', { today: TODAY }, bulk),
      )
      .catch((e: unknown) => e);
    if (!(store instanceof DuckDbStore)) throw new Error('a DuckDB store');
    const rows = await store.query(
      `SELECT b.symbol, b.date::VARCHAR AS date, b.open, b.high, b.low, b.close, b.adj_close, b.volume, k.source
       FROM bars b JOIN bar_stamps k ON k.stamp = b.stamp ORDER BY b.symbol, b.date`,
    );
    const instruments = await store.query('SELECT symbol, kind FROM instruments ORDER BY symbol');
    return { body, rows, instruments };
  } finally {
    engine.close();
    store.close();
  }
}

function file(name: string, lines: string[]): string {
  const path = join(tempDir('bulk-'), name);
  writeFileSync(path, [HEADER, ...lines].join('\n') + '\n');
  return path;
}

describe('the bulk path of a bars import', () => {
  it('stores the rows and gives the outcome of the checked path for a clean CSV and its Parquet copy', async () => {
    const csv = file('clean.csv', GOOD);
    const parquet = csv.replace(/\.csv$/, '.parquet');
    await csvToParquet(csv, parquet);
    for (const path of [csv, parquet]) {
      const bulk = await readWith(true, path);
      const checked = await readWith(false, path);
      expect(bulk.body, `${path}: the bulk path took the file`).not.toBeInstanceOf(Error);
      expect(bulk.body, 'same outcome').toEqual(checked.body);
      expect(bulk.rows, 'same rows').toEqual(checked.rows);
      expect(bulk.instruments, 'same instruments').toEqual(checked.instruments);
      expect(bulk.rows).toHaveLength(GOOD.length);
    }
  });

  const refused: [string, string[]][] = [
    ['an underscore in a number', ['2024-01-02,IWM,1_000,2000,900,1500,1500,1']],
    ['inf', ['2024-01-02,IWM,inf,2,1,1.5,1.5,1']],
    ['NaN as a gap', ['2024-01-02,IWM,NaN,2,1,1.5,1.5,1']],
    ['a one-digit month', ['2024-1-02,IWM,1,2,1,1.5,1.5,1']],
    ['a date with a time', ['2024-01-02 16:00,IWM,1,2,1,1.5,1.5,1']],
    ['a lower-case symbol', ['2024-01-02,iwm,1,2,1,1.5,1.5,1']],
    ['an exact duplicate', [GOOD[0] as string, GOOD[0] as string]],
    ['dates out of order', [GOOD[1] as string, GOOD[0] as string, GOOD[2] as string]],
    ['a future date', ['2026-01-05,IWM,1,2,1,1.5,1.5,1']],
    ['a zero price', ['2024-01-02,IWM,0,2,1,1.5,1.5,1']],
    ['high below low', ['2024-01-02,IWM,1,1,2,1.5,1.5,1']],
    ['a row without close', ['2024-01-02,IWM,1,2,1,,1.5,1']],
    ['a placeholder cell', ['2024-01-02,IWM,n/a,2,1,1.5,1.5,1']],
    ['a negative volume', ['2024-01-02,IWM,1,2,1,1.5,1.5,-1']],
    ['-inf as a low', ['2024-01-02,IWM,1,2,-inf,1.5,1.5,1']],
    ['an adjusted close above the limit', ['2024-01-02,IWM,1,2,1,1.5,2e12,1']],
    ['NaN as a volume', ['2024-01-02,IWM,1,2,1,1.5,1.5,nan']],
    ['inf as a volume', ['2024-01-02,IWM,1,2,1,1.5,1.5,inf']],
    ['a date after a blank', [' 2024-01-02,IWM,1,2,1,1.5,1.5,1']],
    ['a date that does not exist', ['2024-02-30,IWM,1,2,1,1.5,1.5,1']],
    ['a row without symbol', ['2024-01-02,,1,2,1,1.5,1.5,1']],
  ];
  for (const [what, lines] of refused)
    it(`leaves a file with ${what} to the checked path and stores nothing`, async () => {
      const bulk = await readWith(true, file('odd.csv', lines));
      expect(bulk.body, what).toBeInstanceOf(BulkPathMiss);
      expect(bulk.rows, 'rolled back').toEqual([]);
    });

  it("records the fingerprint of the rows it inserted, equal to the store's for those symbols", async () => {
    const csv = file('clean.csv', GOOD);
    const store = await Store.open(':memory:');
    try {
      const [first] = await importPaths(store, [csv], { today: TODAY });
      expect(first?.ok && first.added, 'imported').toBe(GOOD.length);
      const [rec] = await (store as DuckDbStore).query<{ fingerprint: string }>(
        'SELECT fingerprint FROM imported_files',
      );
      expect(rec?.fingerprint).toBe(await store.barsFingerprint(['IWM', 'QQQ']));
      expect(rec?.fingerprint).toMatch(/^6:[0-9]+$/);
      // And so the re-import of the unchanged file is answered from that record.
      const [again] = await importPaths(store, [csv], { today: TODAY });
      expect(again?.ok && [again.reason, again.unchanged]).toEqual(['unchanged', GOOD.length]);
    } finally {
      store.close();
    }
  });

  it('does not take rows of a symbol already stored, and the import still merges them', async () => {
    const dir = tempDir('bulk-');
    const first = join(dir, 'first.csv');
    const second = join(dir, 'second.csv');
    writeFileSync(first, [HEADER, ...GOOD.slice(0, 2)].join('\n') + '\n');
    writeFileSync(second, [HEADER, ...GOOD.slice(1)].join('\n') + '\n');
    const store = await Store.open(':memory:');
    try {
      const [a, b] = await importPaths(store, [first, second], { today: TODAY });
      expect(a?.ok && [a.added, a.updated, a.unchanged]).toEqual([2, 0, 0]);
      // second.csv repeats 2024-01-03 of IWM (from another source: kept) and adds four rows.
      expect(b?.ok && [b.added, b.updated, b.unchanged, b.keptFromOtherSource]).toEqual([4, 0, 1, 0]);
      const [n] = await (store as DuckDbStore).query<{ n: number }>('SELECT count(*) AS n FROM bars');
      expect(n?.n, 'each (symbol, date) once').toBe(GOOD.length);
    } finally {
      store.close();
    }
  });
});
