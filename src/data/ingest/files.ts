import { InputError } from '../../shared/errors.js';
import { withIngestEngine } from './engine.js';

/**
 * Files read or written with the ingest engine (an in-memory DuckDB) that never touch the store: the benchmark's
 * long-format close matrix and its CSV-to-Parquet conversion.
 */

/**
 * A dense close matrix: `closes[k][t]` is the close of `symbols[k]` on `dates[t]`, NaN where the symbol has no
 * bar. Dates are the union of every symbol's dates (ascending), symbols are sorted — the same layout as the
 * pandas peer's `pivot(index='date', columns='symbol', values='close')`.
 */
export type CloseMatrix = {
  dates: string[];
  symbols: string[];
  /** One Float64Array per symbol (memory: 8 bytes per cell, no per-row JS objects). */
  closes: Float64Array[];
};

/** Quotes a path as a SQL string literal (DuckDB's table functions take no bound parameters for paths). */
function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * Reads a long-format file (`date,symbol,close`, extra columns ignored; CSV with a header, or Parquet by the
 * `.parquet` extension) into a dense matrix. Rows with a missing close are skipped. Throws InputError when the
 * file lacks a column or holds no rows.
 */
export async function readCloseMatrix(path: string): Promise<CloseMatrix> {
  const source = path.toLowerCase().endsWith('.parquet')
    ? `read_parquet(${sqlString(path)})`
    : `read_csv(${sqlString(path)}, header = true, types = {'date': 'DATE', 'symbol': 'VARCHAR', 'close': 'DOUBLE'})`;
  // A CSV is parsed once into a temp table; a Parquet file is read where it lies (a view): its columns are read
  // apart, so the symbols and dates cost a scan of one column each, and the rows go from the file to the join
  // without a copy (about 1 s less on the bench's 15M rows).
  const parquet = source.startsWith('read_parquet');
  const unreadable = (e: unknown) =>
    new InputError(`cannot read date,symbol,close from ${path}: ${(e as Error).message.split('\n')[0]}`, {
      file: path,
    });
  return withIngestEngine(async (engine) => {
    try {
      await engine.exec(
        `CREATE TEMP ${parquet ? 'VIEW' : 'TABLE'} src AS
         SELECT symbol::VARCHAR AS symbol, date::DATE AS date, close::DOUBLE AS close
         FROM ${source} WHERE close IS NOT NULL AND symbol IS NOT NULL AND date IS NOT NULL;
         CREATE TEMP TABLE syms AS SELECT symbol, (row_number() OVER (ORDER BY symbol) - 1)::INTEGER AS si
           FROM (SELECT DISTINCT symbol FROM src);
         CREATE TEMP TABLE days AS SELECT date, (row_number() OVER (ORDER BY date) - 1)::INTEGER AS di
           FROM (SELECT DISTINCT date FROM src);`,
      );
    } catch (e) {
      throw unreadable(e);
    }
    const symbols = (await engine.queryColumns('SELECT symbol FROM syms ORDER BY si'))['symbol'] as string[];
    const dates = (await engine.queryColumns('SELECT date::VARCHAR AS date FROM days ORDER BY di'))[
      'date'
    ] as string[];
    if (symbols.length === 0) throw new InputError(`no rows with a close in ${path}`, { file: path });
    const closes = symbols.map(() => new Float64Array(dates.length).fill(NaN));
    // Streamed as typed arrays straight from DuckDB's vectors: no per-row JS values, no sort needed. A Parquet
    // file's closes are first read here (src is a view): a cell it cannot read is the file's error too.
    try {
      await engine.streamFloat64(
        'SELECT s.si::DOUBLE, d.di::DOUBLE, src.close FROM src JOIN syms s USING (symbol) JOIN days d USING (date)',
        undefined,
        ([si, di, close], rows) => {
          const s = si as Float64Array;
          const d = di as Float64Array;
          const c = close as Float64Array;
          for (let r = 0; r < rows; r++)
            (closes[s[r] as number] as Float64Array)[d[r] as number] = c[r] as number;
        },
      );
    } catch (e) {
      throw unreadable(e);
    }
    return { dates, symbols, closes };
  });
}

/**
 * Converts a long-format bar CSV (`date,symbol,open,high,low,close,adj_close,volume`, the benchmark generator's
 * output) to Parquet: `date` as DATE, `symbol` as VARCHAR, prices as DOUBLE, `volume` as BIGINT, rows in file
 * order. Returns the number of rows written.
 */
export async function convertCsvToParquet(csvPath: string, parquetPath: string): Promise<number> {
  return withIngestEngine(async (engine) => {
    const columns =
      "{'date': 'DATE', 'symbol': 'VARCHAR', 'open': 'DOUBLE', 'high': 'DOUBLE', 'low': 'DOUBLE', " +
      "'close': 'DOUBLE', 'adj_close': 'DOUBLE', 'volume': 'BIGINT'}";
    await engine.exec(
      `COPY (SELECT * FROM read_csv(${sqlString(csvPath)}, header = true, columns = ${columns})) ` +
        `TO ${sqlString(parquetPath)} (FORMAT parquet, COMPRESSION zstd)`,
    );
    const rows = await engine.query<{ n: number }>(
      `SELECT count(*)::DOUBLE AS n FROM read_parquet(${sqlString(parquetPath)})`,
    );
    return rows[0]?.n ?? 0;
  });
}
