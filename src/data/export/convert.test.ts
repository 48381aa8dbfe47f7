import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
// DuckDbStore: these tests inspect the file's tables with SQL (DuckDbStore.query), beyond the Store interface.
import { DuckDbStore as Store } from '../store/store.js';
import { csvToParquet } from './convert.js';
import { tempDir } from '../../../test/support/tmp.js';

const CSV = [
  'date,symbol,open,high,low,close,adj_close,volume',
  '2025-12-30,S0001,10.5,11,10,10.75,10.5,1200',
  '2025-12-31,S0001,10.75,11.25,10.5,11,10.9,900',
  "2025-12-31,O'NEIL,5,5.5,4.75,5.25,5.25,30000000000",
].join('\n');

describe('csvToParquet', () => {
  let dir: string;
  beforeAll(async () => {
    dir = tempDir("rotation-convert-test-it's-");
  });

  it('writes every row with typed columns, in file order, to a path that needs quoting', async () => {
    const csv = join(dir, 'bars.csv');
    const parquet = join(dir, 'bars.parquet');
    await writeFile(csv, CSV + '\n');
    expect(await csvToParquet(csv, parquet)).toBe(3);
    const store = await Store.open(':memory:');
    try {
      const rows = await store.query(
        `SELECT date::VARCHAR AS date, symbol, close, volume, typeof(date) AS t_date, typeof(volume) AS t_volume
         FROM read_parquet('${parquet.replaceAll("'", "''")}')`,
      );
      expect(rows).toEqual([
        {
          date: '2025-12-30',
          symbol: 'S0001',
          close: 10.75,
          volume: 1200,
          t_date: 'DATE',
          t_volume: 'BIGINT',
        },
        { date: '2025-12-31', symbol: 'S0001', close: 11, volume: 900, t_date: 'DATE', t_volume: 'BIGINT' },
        {
          date: '2025-12-31',
          symbol: "O'NEIL",
          close: 5.25,
          volume: 30_000_000_000,
          t_date: 'DATE',
          t_volume: 'BIGINT',
        },
      ]);
    } finally {
      store.close();
    }
  });

  it('fails on a missing input file', async () => {
    await expect(csvToParquet(join(dir, 'nope.csv'), join(dir, 'nope.parquet'))).rejects.toThrow(/nope\.csv/);
  });
});
