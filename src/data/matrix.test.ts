import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../shared/dates.js';
import { InputError } from '../shared/errors.js';
import { loadCloseMatrix } from './matrix.js';
import { openIngestEngine } from './ingest/engine.js';
import { tempDir } from '../../test/support/tmp.js';

const FIXTURE = join(import.meta.dirname, '../../test/fixtures/matrix/gaps-unsorted.csv');

describe('loadCloseMatrix', () => {
  let dir: string;
  beforeAll(async () => {
    dir = tempDir('rotation-matrix-test-');
  });

  it('lays an unsorted long CSV out densely: sorted symbols, union of dates, NaN where a symbol has no close', async () => {
    const m = await loadCloseMatrix(FIXTURE);
    expect(m.symbols).toEqual(['AAA', 'BBB', 'CCC']);
    expect(m.dates).toEqual(['2025-01-02', '2025-01-03', '2025-01-06']);
    expect(m.closes.map((c) => [...c])).toEqual([
      [10, NaN, 12.5],
      [20, 21, NaN], // BBB's 2025-01-06 row has an empty close: no bar
      [NaN, 5.25, NaN],
    ]);
    expect(m.closes[0]).toBeInstanceOf(Float64Array);
  });

  it('reads the same cells from Parquet', async () => {
    const parquet = join(dir, 'gaps.parquet');
    const store = await openIngestEngine();
    try {
      await store.exec(
        `COPY (SELECT * FROM read_csv('${FIXTURE}', header = true)) TO '${parquet}' (FORMAT parquet)`,
      );
    } finally {
      store.close();
    }
    const m = await loadCloseMatrix(parquet);
    expect(m.symbols).toEqual(['AAA', 'BBB', 'CCC']);
    expect([...(m.closes[2] as Float64Array)]).toEqual([NaN, 5.25, NaN]);
  });

  it('streams many chunks (more rows than one DuckDB vector) to the right cells', async () => {
    // 3 symbols x 3000 days: 9000 rows, several 2048-row chunks; close = symbol number * 10000 + day number
    const lines = ['date,symbol,close'];
    for (let k = 0; k < 3; k++)
      for (let d = 0; d < 3000; d++) {
        const day = addDays('2000-01-01', d);
        lines.push(`${day},S${k},${k * 10000 + d}`);
      }
    const file = join(dir, 'many.csv');
    await writeFile(file, lines.join('\n') + '\n');
    const m = await loadCloseMatrix(file);
    expect(m.dates.length).toBe(3000);
    for (let k = 0; k < 3; k++) {
      const col = m.closes[k] as Float64Array;
      expect(col.every((x, d) => x === k * 10000 + d)).toBe(true);
    }
  });

  it('names the file when it lacks a close column', async () => {
    const file = join(dir, 'no-close.csv');
    await writeFile(file, 'date,symbol,price\n2025-01-02,AAA,1\n');
    await expect(loadCloseMatrix(file)).rejects.toThrow(InputError);
    await expect(loadCloseMatrix(file)).rejects.toThrow(/no-close\.csv/);
  });

  it('the DuckDB session streamFloat64 turns NULL into NaN and refuses a column that is not DOUBLE', async () => {
    const store = await openIngestEngine();
    try {
      const got: number[][] = [];
      const rows = await store.streamFloat64(
        'SELECT x::DOUBLE AS x FROM (VALUES (1.5), (NULL), (3)) t(x)',
        undefined,
        ([x]) => got.push([...(x as Float64Array)]),
      );
      expect(rows).toBe(3);
      expect(got.flat()).toEqual([1.5, NaN, 3]);
      await expect(store.streamFloat64('SELECT 1::INTEGER AS i', undefined, () => {})).rejects.toThrow(
        /not DOUBLE/,
      );
    } finally {
      store.close();
    }
  });
});
