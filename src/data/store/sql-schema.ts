import { cadenceOf, knownAtOf, type VintageKind } from '../../core/why/known-at.js';
import type { DuckDbSession, Row, SqlParam } from './duckdb-session.js';
import { MIGRATIONS } from './migrations.js';
import type { AppliedMigration, StoreEngine } from './market-store.js';

/**
 * The store's shared SQL (both engines), part 1 of 3: the session it runs on, the schema and its migrations.
 * SqlReads (sql-reads.ts) adds the reads and SqlMarket (sql-market.ts) the writes.
 */

/** Column types of staging tables, spelled the same in both engines. */
export type SqlType = 'VARCHAR' | 'DATE' | 'DOUBLE PRECISION' | 'BIGINT';

/**
 * What an engine gives the shared SQL below: statements with `?` parameters (PgStore numbers them), rows and
 * columns as plain JS (dates as `YYYY-MM-DD`, counts as numbers), and a bulk load into a new TEMP table (the
 * appender on DuckDB, COPY FROM STDIN on PostgreSQL).
 */
export interface SqlSession {
  readonly dialect: StoreEngine;
  query<T extends Row = Row>(sql: string, params?: readonly SqlParam[]): Promise<T[]>;
  columns(sql: string, params?: readonly SqlParam[]): Promise<Record<string, unknown[]>>;
  run(sql: string, params?: readonly SqlParam[]): Promise<void>;
  /** True when `other` runs on this session's connection (its TEMP tables are readable here). DuckDB only. */
  sharesConnection?(other: DuckDbSession): boolean;
  /** Creates TEMP table `table` with `columns` and loads `rows` into it. */
  load(
    table: string,
    columns: readonly (readonly [string, SqlType])[],
    rows: readonly (readonly SqlParam[])[],
  ): Promise<void>;
}

let stageCounter = 0;
/** A staging table name no other statement of this process uses (two merges never share a table). */
export function stageName(base: string): string {
  stageCounter += 1;
  return `${base}_${process.pid}_${stageCounter}`;
}

/** The schema on one SqlSession: its version, the migrations, the known-at fill they and the writes use. */
export class SqlSchema {
  protected readonly s: SqlSession;
  constructor(session: SqlSession) {
    this.s = session;
  }

  /** The connection's statements, for the store's other SQL modules (publish-state); not part of MarketWriter. */
  get session(): SqlSession {
    return this.s;
  }

  async schemaVersion(): Promise<number> {
    const rows = await this.s.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
    return rows[0]?.v ?? 0;
  }

  async migrations(): Promise<AppliedMigration[]> {
    return this.s.query<AppliedMigration>(
      'SELECT version, name, applied_at::VARCHAR AS "appliedAt" FROM schema_migrations ORDER BY version',
    );
  }

  /** Migrations not yet applied (all of them when schema_migrations does not exist). */
  async pendingMigrations(): Promise<number> {
    const [t] = await this.s.query<{ n: number }>(
      "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'schema_migrations' AND table_type = 'BASE TABLE'",
    );
    if (!t || t.n === 0) return MIGRATIONS.length;
    const current = await this.schemaVersion();
    return MIGRATIONS.filter((m) => m.version > current).length;
  }

  /** Creates schema_migrations if needed. Each migration is then applied by `applyMigration` in its own transaction. */
  async ensureMigrationTable(): Promise<void> {
    await this.s.run(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)',
    );
  }

  async applyMigration(m: (typeof MIGRATIONS)[number]): Promise<void> {
    await this.s.run(this.s.dialect === 'duckdb' && m.duckdbSql !== undefined ? m.duckdbSql : m.sql);
    await this.s.run('INSERT INTO schema_migrations VALUES (?, ?, now())', [m.version, m.name]);
    // Rows stored before known-at dates existed: a vintage equal to the period was set from the row's own date
    // (no vintage); any other vintage is taken as the day it was published.
    if (m.version === 3) await this.fillKnownAt('observations', 'auto');
  }

  /**
   * Sets `known_at` on the rows of `table` (observations or a staged copy) where it is NULL, from the release rules
   * in core/why/known-at.ts. `vintage` says what the rows' as_of means: `publication` (the day the value was
   * published), `none` (no vintage given: as_of is the period, or a fetch date), `auto` (publication unless as_of
   * equals the period). Cadences come from the periods of each series in `table` and in the store.
   */
  protected async fillKnownAt(table: string, vintage: VintageKind | 'auto'): Promise<void> {
    const rows = await this.s.columns(
      `SELECT series, period, as_of::VARCHAR AS as_of FROM ${table} WHERE known_at IS NULL`,
    );
    const series = (rows['series'] ?? []) as string[];
    if (series.length === 0) return;
    const period = (rows['period'] ?? []) as string[];
    const asOf = (rows['as_of'] ?? []) as string[];
    const periodsOf = new Map<string, string[]>();
    for (let i = 0; i < series.length; i++) {
      const s = series[i] as string;
      let list = periodsOf.get(s);
      if (!list) periodsOf.set(s, (list = []));
      list.push(period[i] as string);
    }
    const cadence = new Map<string, ReturnType<typeof cadenceOf>>();
    for (const [s, ps] of periodsOf) {
      let c = cadenceOf(s, ps);
      if (c === null && table !== 'observations') {
        const stored = await this.s.query<{ period: string }>(
          'SELECT DISTINCT period FROM observations WHERE series = ? ORDER BY period DESC LIMIT 60',
          [s],
        );
        c = cadenceOf(s, [...ps, ...stored.map((r) => r.period)]);
      }
      cadence.set(s, c);
    }
    const out: SqlParam[][] = [];
    for (let i = 0; i < series.length; i++) {
      const s = series[i] as string;
      const p = period[i] as string;
      const a = asOf[i] as string;
      const kind: VintageKind =
        vintage === 'auto' ? (a === p.slice(0, 10) ? 'none' : 'publication') : vintage;
      out.push([
        s,
        p,
        a,
        knownAtOf({ series: s, period: p, asOf: a, vintage: kind, cadence: cadence.get(s) ?? null }),
      ]);
    }
    const fill = stageName('known_at_fill');
    await this.s.load(
      fill,
      [
        ['series', 'VARCHAR'],
        ['period', 'VARCHAR'],
        ['as_of', 'VARCHAR'],
        ['known_at', 'VARCHAR'],
      ],
      out,
    );
    await this.s.run(
      `UPDATE ${table} AS t SET known_at = f.known_at::DATE FROM ${fill} f
       WHERE t.known_at IS NULL AND t.series = f.series AND t.period = f.period AND t.as_of = f.as_of::DATE`,
    );
    await this.s.run(`DROP TABLE ${fill}`);
  }
}
