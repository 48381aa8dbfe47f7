import { DuckDbSession } from '../store/duckdb-session.js';
import { sqlString } from './csv.js';

/**
 * The import benchmark's baseline: DuckDB's own reader loading a file into a table of a fresh DuckDB file, with
 * nothing checked (`read_csv` with its sniffer, or `read_parquet`), the pace `rotation import` is measured
 * against. Returns the rows loaded.
 */
export async function rawDuckDbLoad(db: string, file: string): Promise<number> {
  const session = await DuckDbSession.open(db);
  try {
    const reader = /\.parquet$/i.test(file) ? 'read_parquet' : 'read_csv';
    await session.exec(`CREATE TABLE bars AS SELECT * FROM ${reader}(${sqlString(file)})`);
    const [r] = await session.query<{ n: number }>('SELECT count(*) AS n FROM bars');
    return r?.n ?? 0;
  } finally {
    session.close();
  }
}
