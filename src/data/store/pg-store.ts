import { AsyncLocalStorage } from 'node:async_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type * as Pg from 'pg';
import type { from as CopyFromFn } from 'pg-copy-streams';
import type { Row, SqlParam } from './duckdb-session.js';
import type { MarketWriter } from './market-store.js';
import { MIGRATIONS } from './migrations.js';
import { DEFAULT_RUN_LOCK_TIMEOUT_MS, RunLockError, sleep } from './run-lock.js';
import { SqlMarket, type SqlSession } from './sql-market.js';
import { scopedWriter, SqlStore } from './sql-store.js';
import { StoreOpenError } from './duckdb-store.js';

/** True for a `postgres://` or `postgresql://` URL (the value of `--db` or `ROTATION_DB` that selects PgStore). */
export function isPostgresUrl(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target);
}

/** The URL without its password, for messages and `location`. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

/** `?` placeholders to `$1 … $n`, outside single-quoted literals and double-quoted names. */
export function numberParams(sql: string): string {
  let out = '';
  let n = 0;
  let quote: string | null = null;
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = null;
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else if (ch === '?') out += `$${++n}`;
    else out += ch;
  }
  return out;
}

/** One value in COPY's text format: `\N` for NULL, backslash escapes for the separators. */
function copyCell(v: SqlParam): string {
  if (v === null) return '\\N';
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new RangeError(`COPY: ${v} is not a finite number`);
    return String(v);
  }
  if (typeof v === 'bigint') return v.toString();
  return v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

function* copyText(rows: readonly (readonly SqlParam[])[]): Generator<string> {
  let chunk = '';
  for (const row of rows) {
    chunk += row.map(copyCell).join('\t') + '\n';
    if (chunk.length >= 1 << 16) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}

/** PostgreSQL's values as the DuckDB engine gives them: DATE and TIMESTAMP as text, BIGINT and NUMERIC as numbers. */
function typeParsers(builtin: (oid: number, format: 'text') => unknown): Pg.CustomTypesConfig {
  return {
    getTypeParser: ((oid: number) => {
      if (oid === 1082 || oid === 1114 || oid === 1184) return (v: string) => v;
      if (oid === 20 || oid === 1700) return (v: string) => Number(v);
      return builtin(oid, 'text');
    }) as Pg.CustomTypesConfig['getTypeParser'],
  };
}

type CopyFrom = typeof CopyFromFn;
type Queryable = Pick<Pg.ClientBase, 'query'>;

/** The shared SQL's view of a PostgreSQL connection (a pooled client, or the pool for reads). */
function pgSql(q: Queryable, copyFrom: CopyFrom | null): SqlSession {
  const rowsOf = async <T extends Row>(sql: string, params?: readonly SqlParam[]): Promise<T[]> => {
    const r = await q.query<T>(numberParams(sql), params ? (params as unknown[]) : undefined);
    return r.rows;
  };
  return {
    dialect: 'postgres',
    query: rowsOf,
    async columns(sql, params) {
      const rows = await rowsOf(sql, params);
      const out: Record<string, unknown[]> = {};
      if (rows.length === 0) return out;
      for (const k of Object.keys(rows[0] as Row)) out[k] = rows.map((r) => r[k]);
      return out;
    },
    async run(sql, params) {
      await q.query(
        params && params.length > 0 ? numberParams(sql) : sql,
        params ? (params as unknown[]) : undefined,
      );
    },
    async load(table, columns, rows) {
      if (!copyFrom) throw new Error('bulk loads need a transaction connection');
      await q.query(`CREATE TEMP TABLE ${table} (${columns.map(([n, t]) => `${n} ${t}`).join(', ')})`);
      if (rows.length === 0) return;
      const sink = (q as Pg.PoolClient).query(
        copyFrom(`COPY ${table} (${columns.map(([n]) => n).join(', ')}) FROM STDIN`),
      );
      await pipeline(Readable.from(copyText(rows)), sink);
    },
  };
}

const MIGRATION_LOCK = 'rotation:migrations';

/**
 * The server engine: a PostgreSQL database reached by a `postgres://` URL, through a small pool. Reads run on the
 * pool; each transaction takes its own connection (BEGIN … COMMIT), so concurrent transactions are isolated by
 * the server and never join; bulk rows enter by COPY FROM STDIN into a TEMP table of the transaction's session.
 * Several processes (serve replicas, one daily writer) may share one database.
 */
export class PgStore extends SqlStore {
  readonly engine = 'postgres' as const;
  readonly location: string;
  readonly readOnly: boolean;
  protected readonly cacheSymbols = false;
  private readonly pool: Pg.Pool;
  private readonly market: SqlMarket;
  private readonly copyFrom: CopyFrom;
  private readonly inside = new AsyncLocalStorage<PgStore>();
  private ended: Promise<void> | null = null;

  private constructor(url: string, pool: Pg.Pool, copyFrom: CopyFrom, readOnly: boolean) {
    super();
    this.location = redactUrl(url);
    this.pool = pool;
    this.copyFrom = copyFrom;
    this.readOnly = readOnly;
    this.market = new SqlMarket(pgSql(pool, null));
  }

  /** Connects to `url`, applies pending migrations (one process at a time, under an advisory lock). */
  static async open(url: string, opts: { readOnly?: boolean } = {}): Promise<PgStore> {
    const pg = (await import('pg')).default;
    const { from } = await import('pg-copy-streams');
    const pool = new pg.Pool({
      connectionString: url,
      max: 4,
      types: typeParsers((oid, format) => pg.types.getTypeParser(oid, format)),
      options: '-c DateStyle=ISO -c TimeZone=UTC',
      connectionTimeoutMillis: 10_000,
    });
    pool.on('error', () => {
      // An idle client lost its server (a restart): the pool drops it and the next query reconnects.
    });
    const store = new PgStore(url, pool, from, Boolean(opts.readOnly));
    try {
      await store.migrate();
    } catch (e) {
      await pool.end().catch(() => undefined);
      const code = (e as { code?: string }).code;
      const message = e instanceof Error ? e.message : String(e);
      if (code && /^E[A-Z]+$/.test(code))
        throw new StoreOpenError(`cannot reach PostgreSQL (${code}): is the server running?`, {
          file: redactUrl(url),
        });
      throw new StoreOpenError(`cannot open the store: ${message.split('\n')[0]}`, { file: redactUrl(url) });
    }
    return store;
  }

  private async migrate(): Promise<void> {
    if ((await this.market.pendingMigrations()) === 0) return;
    await this.onClient(async (client) => {
      const m = new SqlMarket(pgSql(client, this.copyFrom));
      await client.query('SELECT pg_advisory_lock(hashtext($1))', [MIGRATION_LOCK]);
      try {
        await m.ensureMigrationTable();
        for (const migration of MIGRATIONS) {
          if (migration.version <= (await m.schemaVersion())) continue;
          await client.query('BEGIN');
          try {
            await m.applyMigration(migration);
            await client.query('COMMIT');
          } catch (e) {
            await client.query('ROLLBACK');
            throw e;
          }
        }
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [MIGRATION_LOCK]);
      }
    });
  }

  private async onClient<T>(fn: (client: Pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      return await fn(client);
    } catch (e) {
      broken = (e as { code?: string }).code === undefined;
      throw e;
    } finally {
      client.release(broken);
    }
  }

  /** Empties the database `url` names (drops and recreates its public schema): the bench's fresh store. */
  static async wipe(url: string): Promise<void> {
    const pg = (await import('pg')).default;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query('DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public');
    } finally {
      await client.end();
    }
  }

  /** Closes the pool (in the background; `end()` waits for it). */
  close(): void {
    this.ended ??= this.pool.end().catch(() => undefined);
  }

  /** Closes the pool and waits until every connection is gone. */
  async end(): Promise<void> {
    this.close();
    await this.ended;
  }

  private guard(what: string): void {
    if (this.inside.getStore() === this)
      throw new Error(
        `store.${what} was called inside this store's transaction: use the transaction's tx handle`,
      );
  }

  protected read<T>(fn: (m: SqlMarket) => Promise<T>): Promise<T> {
    this.guard('read');
    return fn(this.market);
  }

  transaction<T>(fn: (tx: MarketWriter) => Promise<T>): Promise<T> {
    this.guard('transaction');
    return this.onClient(async (client) => {
      let open = true;
      const tx = scopedWriter(new SqlMarket(pgSql(client, this.copyFrom)), () => open);
      await client.query(this.readOnly ? 'BEGIN READ ONLY' : 'BEGIN');
      try {
        const result = await this.inside.run(this, () => fn(tx));
        await client.query('COMMIT');
        return result;
      } catch (e) {
        await client.query('ROLLBACK');
        throw e;
      } finally {
        open = false;
      }
    });
  }

  withRunLock<T>(name: string, fn: () => Promise<T>, opts: { timeoutMs?: number } = {}): Promise<T> {
    if (!/^[a-z0-9-]+$/.test(name))
      throw new Error(`run lock name ${JSON.stringify(name)}: use a-z, 0-9 and -`);
    const timeoutMs = opts.timeoutMs ?? DEFAULT_RUN_LOCK_TIMEOUT_MS;
    const key = `rotation-run:${name}`;
    return this.onClient(async (client) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const r = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [
          key,
        ]);
        if (r.rows[0]?.ok) break;
        if (Date.now() >= deadline)
          throw new RunLockError(
            `rotation ${name} is running on another connection to this database; waited ${Math.round(timeoutMs / 1000)} s: let it finish, then run again`,
            { file: this.location },
          );
        await sleep(100);
      }
      try {
        return await fn();
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [key]);
      }
    });
  }
}
