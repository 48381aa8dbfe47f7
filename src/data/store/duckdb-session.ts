import type * as DuckDB from '@duckdb/node-api';
import type { DuckDBConnection, DuckDBInstance, DuckDBValue } from '@duckdb/node-api';

/** A value bound to a SQL parameter. Dates travel as `YYYY-MM-DD` strings and are cast in SQL. */
export type SqlParam = string | number | boolean | null | bigint;
export type Row = Record<string, unknown>;

/** Converts DuckDB's JS values once, here: BIGINT to number, DATE to `YYYY-MM-DD`, TIMESTAMP to ISO text. */
function toPlain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) {
    const iso = value.toISOString();
    // A DuckDB DATE arrives as UTC midnight: its UTC calendar date is the stored date, whatever the machine's zone.
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  if (Array.isArray(value)) return value.map(toPlain);
  return value;
}

/** The DuckDB binding, loaded on the first open (a third of a second): verbs without DuckDB never pay it. */
type Driver = typeof DuckDB;
let driver: Driver | null = null;

/**
 * One DuckDB connection and the statements run on it: the only code that calls the DuckDB binding. The store
 * file's engine (DuckDbStore) and the ingest engine (an in-memory DuckDB per import that parses and validates
 * files) are both built on it. A connection runs one statement at a time; callers that start several at once are
 * queued, so no statement's result can be lost to another's.
 */
export class DuckDbSession {
  /** The statement queue, shared with the views `borrow` hands out (one connection, one queue). */
  private readonly line: { queue: Promise<unknown> };
  private closed = false;

  private readonly instance: DuckDBInstance;
  private readonly conn: DuckDBConnection;
  /** False for a borrowed view: closing it leaves the connection to its owner. */
  private readonly owner: boolean;

  private constructor(
    instance: DuckDBInstance,
    conn: DuckDBConnection,
    line: { queue: Promise<unknown> } = { queue: Promise.resolve() },
    owner = true,
  ) {
    this.instance = instance;
    this.conn = conn;
    this.line = line;
    this.owner = owner;
  }

  /**
   * A view of this connection for the ingest engine of a DuckDB store: its TEMP tables live on the store's own
   * connection (so the store's transaction reads staged rows with SQL, without copying them through JS), its
   * statements join this session's queue, and its `close` leaves the connection open.
   */
  borrow(): DuckDbSession {
    return new DuckDbSession(this.instance, this.conn, this.line, false);
  }

  /**
   * After a failed statement on a borrowed view: DuckDB aborts the owner's transaction, so it is rolled back and
   * begun again, and the next statement can run. Only for a failed FIRST statement of that transaction (nothing
   * written yet: the ingest engine's read of a file, retried with other options). A no-op on an owned session (the
   * in-memory ingest engine runs each statement on its own) and when no transaction is open.
   */
  async restartAfterError(): Promise<void> {
    if (this.owner) return;
    try {
      await this.exec('ROLLBACK');
    } catch {
      return; // no transaction was open
    }
    await this.exec('BEGIN TRANSACTION');
  }

  /** True when `other` runs on this session's connection (a view from `borrow`, or this session). */
  sharesConnection(other: DuckDbSession): boolean {
    return other.conn === this.conn;
  }

  /**
   * How far the statement running on this connection is (DuckDB's own estimate, -1 when it has none) and how
   * many rows it has processed: read while a long statement (a large file's read_csv) runs.
   */
  progress(): { percentage: number; rowsProcessed: number } {
    const p = this.conn.progress;
    return { percentage: p.percentage, rowsProcessed: Number(p.rows_processed) };
  }

  /** Opens `path` (or `:memory:`); `create` errors (a lock held by another process) are thrown as DuckDB's. */
  static async open(path: string, opts: { readOnly?: boolean } = {}): Promise<DuckDbSession> {
    driver ??= await import('@duckdb/node-api');
    const instance = await driver.DuckDBInstance.create(path, {
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
      ...(opts.readOnly ? { access_mode: 'READ_ONLY' } : {}),
    });
    const conn = await instance.connect();
    return new DuckDbSession(instance, conn);
  }

  private serial<T>(run: () => Promise<T>): Promise<T> {
    const next = this.line.queue.then(run, run);
    this.line.queue = next.catch(() => undefined);
    return next;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (!this.owner) return;
    this.conn.closeSync();
    this.instance.closeSync();
  }

  /** Runs one statement (or several separated by `;` when there are no params). */
  async exec(sql: string, params?: readonly SqlParam[]): Promise<void> {
    await this.serial(() => this.conn.run(sql, params as DuckDBValue[] | undefined));
  }

  /** Runs a query and returns plain JS rows (see toPlain for the conversions). */
  async query<T extends Row = Row>(sql: string, params?: readonly SqlParam[]): Promise<T[]> {
    const reader = await this.serial(() => this.conn.runAndReadAll(sql, params as DuckDBValue[] | undefined));
    return reader.getRowObjectsJS().map((r) => {
      const out: Row = {};
      for (const [k, v] of Object.entries(r)) out[k] = toPlain(v);
      return out as T;
    });
  }

  /**
   * A query's result as columns (fast path for long series), converted as `query` converts rows (toPlain). When
   * every column is DOUBLE, INTEGER, VARCHAR, BOOLEAN or BIGINT, the binding's own values are taken as they are
   * (numbers, strings, booleans; BIGINT made a number): the JS converter's per-value visit, which returns the same
   * values for these types, was a tenth of `rotation race`'s CPU (docs/bench.md). Other types go through it.
   */
  async queryColumns(sql: string, params?: readonly SqlParam[]): Promise<Record<string, unknown[]>> {
    const reader = await this.serial(() => this.conn.runAndReadAll(sql, params as DuckDBValue[] | undefined));
    const out: Record<string, unknown[]> = {};
    const T = (driver as Driver).DuckDBTypeId;
    const plain = new Set<number>([T.BOOLEAN, T.INTEGER, T.BIGINT, T.DOUBLE, T.VARCHAR]);
    const ids = Array.from({ length: reader.columnCount }, (_, c) => reader.columnTypeId(c));
    if (ids.every((id) => plain.has(id))) {
      const names = reader.deduplicatedColumnNames();
      const raw = reader.getColumnsObject();
      names.forEach((name, c) => {
        const column = (raw[name] ?? []) as unknown[];
        if (ids[c] === T.BIGINT) for (let i = 0; i < column.length; i++) column[i] = toPlain(column[i]);
        out[name] = column;
      });
      return out;
    }
    for (const [k, v] of Object.entries(reader.getColumnsObjectJS())) out[k] = v.map(toPlain);
    return out;
  }

  /**
   * Streams a query's result chunk by chunk as Float64Array columns (in select order), read straight from DuckDB's
   * vectors with no per-value conversion: the bulk path for dense numeric matrices (millions of cells). Every
   * column must be DOUBLE (cast in SQL); NULL arrives as NaN. The arrays are valid only during the callback.
   * Returns the number of rows.
   */
  async streamFloat64(
    sql: string,
    params: readonly SqlParam[] | undefined,
    onChunk: (columns: readonly Float64Array[], rows: number) => void,
  ): Promise<number> {
    return this.serial(async () => {
      const result = await this.conn.stream(sql, params as DuckDBValue[] | undefined);
      let total = 0;
      for (;;) {
        const chunk = await result.fetchChunk();
        if (!chunk || chunk.rowCount === 0) break;
        const rows = chunk.rowCount;
        const columns: Float64Array[] = [];
        for (let c = 0; c < chunk.columnCount; c++) {
          const vector = chunk.getColumnVector(c);
          if (!driver || !(vector instanceof driver.DuckDBDoubleVector))
            throw new TypeError(`streamFloat64: column ${c + 1} is ${vector.type.toString()}, not DOUBLE`);
          const items = new Float64Array(rows);
          for (let i = 0; i < rows; i++) items[i] = vector.getItem(i) ?? NaN;
          columns.push(items);
        }
        onChunk(columns, rows);
        total += rows;
      }
      return total;
    });
  }

  /** Appends rows to a table through DuckDB's appender (fast bulk path). Values must match column order. */
  async append(table: string, rows: readonly (readonly SqlParam[])[]): Promise<void> {
    await this.serial(async () => {
      const appender = await this.conn.createAppender(table);
      try {
        for (const row of rows) {
          for (const v of row) {
            if (v === null) appender.appendNull();
            else if (typeof v === 'number') appender.appendDouble(v);
            else if (typeof v === 'string') appender.appendVarchar(v);
            else if (typeof v === 'boolean') appender.appendBoolean(v);
            else appender.appendBigInt(v);
          }
          appender.endRow();
        }
        appender.flushSync();
      } finally {
        appender.closeSync();
      }
    });
  }
}
