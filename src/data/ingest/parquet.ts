import type { IngestEngine } from './engine.js';
import { InputError } from '../../shared/errors.js';
import { sqlString } from './csv.js';
import { plainDuckDbCause } from '../store/duckdb-errors.js';

/** A DuckDB identifier, double-quoted (embedded quotes doubled): column names come from the file. */
export const sqlIdent = (s: string): string => `"${s.replace(/"/g, '""')}"`;

/** Column names of a Parquet file, in order; an InputError when it is not a readable Parquet file. */
export async function parquetColumns(store: IngestEngine, path: string): Promise<string[]> {
  try {
    const rows = await store.query<{ name: string }>(
      `SELECT column_name AS name FROM (DESCRIBE SELECT * FROM read_parquet(${sqlString(path)}))`,
    );
    return rows.map((r) => r.name);
  } catch (e) {
    const cause = plainDuckDbCause(e instanceof Error ? e.message : String(e));
    throw new InputError(`not a readable Parquet file${cause ? `: ${cause}` : ''}`);
  }
}

/**
 * Loads a Parquet file into TEMP table `imp_file`: `select` refers to the file's columns as c0 … cN (every
 * value cast to VARCHAR, so validation is the same as for CSV); rowid is the row's index in the file.
 */
export async function stageParquet(
  store: IngestEngine,
  path: string,
  columns: readonly string[],
  select: string,
  outer: string,
): Promise<void> {
  const renamed = columns.map((c, i) => `CAST(${sqlIdent(c)} AS VARCHAR) AS c${i}`).join(', ');
  try {
    await store.exec(
      `CREATE OR REPLACE TEMP TABLE imp_file AS SELECT ${outer} FROM (SELECT ${select} FROM (SELECT ${renamed} FROM read_parquet(${sqlString(path)})))`,
    );
  } catch (e) {
    const cause = plainDuckDbCause(e instanceof Error ? e.message : String(e));
    if (!cause) throw e;
    throw new InputError(`not a readable Parquet file: ${cause}`);
  }
}
