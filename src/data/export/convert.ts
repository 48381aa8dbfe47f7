import { convertCsvToParquet } from '../ingest/files.js';

/**
 * Converts a long-format bar CSV (`date,symbol,open,high,low,close,adj_close,volume`, the benchmark generator's
 * output) to Parquet with the ingest engine: `date` as DATE, `symbol` as VARCHAR, prices as DOUBLE, `volume` as
 * BIGINT, rows in file order. Returns the number of rows written.
 */
export function csvToParquet(csvPath: string, parquetPath: string): Promise<number> {
  return convertCsvToParquet(csvPath, parquetPath);
}
