import { readCloseMatrix, type CloseMatrix } from './ingest/files.js';

export type { CloseMatrix };

/**
 * Reads a long-format file (`date,symbol,close`, extra columns ignored; CSV with a header, or Parquet by the
 * `.parquet` extension) into a dense matrix through the ingest engine (an in-memory DuckDB). Rows with a missing
 * close are skipped. Throws InputError when the file lacks a column or holds no rows.
 */
export function loadCloseMatrix(path: string): Promise<CloseMatrix> {
  return readCloseMatrix(path);
}
