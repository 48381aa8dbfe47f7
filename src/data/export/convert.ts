import { Store } from '../store/store.js';

/** Quotes a path as a SQL string literal (DuckDB's COPY and read_csv take no bound parameters for paths). */
function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * Converts a long-format bar CSV (`date,symbol,open,high,low,close,adj_close,volume`, the benchmark generator's
 * output) to Parquet with DuckDB: `date` as DATE, `symbol` as VARCHAR, prices as DOUBLE, `volume` as BIGINT,
 * rows in file order. Uses a throwaway in-memory store; returns the number of rows written.
 */
export async function csvToParquet(csvPath: string, parquetPath: string): Promise<number> {
  const store = await Store.open(':memory:');
  try {
    const columns =
      "{'date': 'DATE', 'symbol': 'VARCHAR', 'open': 'DOUBLE', 'high': 'DOUBLE', 'low': 'DOUBLE', " +
      "'close': 'DOUBLE', 'adj_close': 'DOUBLE', 'volume': 'BIGINT'}";
    await store.exec(
      `COPY (SELECT * FROM read_csv(${sqlString(csvPath)}, header = true, columns = ${columns})) ` +
        `TO ${sqlString(parquetPath)} (FORMAT parquet, COMPRESSION zstd)`,
    );
    const rows = await store.query<{ n: number }>(
      `SELECT count(*)::DOUBLE AS n FROM read_parquet(${sqlString(parquetPath)})`,
    );
    return rows[0]?.n ?? 0;
  } finally {
    store.close();
  }
}
