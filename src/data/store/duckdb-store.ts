import { AsyncLocalStorage } from 'node:async_hooks';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { InputError } from '../../shared/errors.js';
import type { CloseColumns, CloseRange } from '../../shared/domain.js';
import { DuckDbSession, type Row, type SqlParam } from './duckdb-session.js';
import type { MarketWriter } from './market-store.js';
import { MIGRATIONS } from './migrations.js';
import { DEFAULT_RUN_LOCK_TIMEOUT_MS, RunLockError, sleep, withLockFile } from './run-lock.js';
import { closesIn, plainRange, rangesIn, ReadCache, type CachedCloses } from './read-cache.js';
import { indexSymbols, SqlMarket, type SqlSession } from './sql-market.js';
import { scopedWriter, SqlStore } from './sql-store.js';

/** A store that cannot be opened: not a DuckDB file, locked by another process, unreadable, unreachable server. */
export class StoreOpenError extends InputError {
  override name = 'StoreOpenError';
}

/** DuckDB files carry the magic bytes `DUCK` at offset 8. */
const DUCKDB_MAGIC = Buffer.from('DUCK');

/**
 * Refuses a path that exists but is not a DuckDB store: a folder, or a non-empty file without DuckDB's magic
 * bytes (DuckDB would open a CSV or Parquet file as a read-only view). A missing or empty file is created.
 */
function checkStoreFile(path: string): void {
  if (!existsSync(path)) return;
  const st = statSync(path);
  if (st.isDirectory())
    throw new StoreOpenError('is a folder, not a store file; pass --db FILE.duckdb', { file: path });
  if (!st.isFile()) throw new StoreOpenError('is not a regular file; pass --db FILE.duckdb', { file: path });
  if (st.size === 0) return;
  const head = Buffer.alloc(12);
  const fd = openSync(path, 'r');
  let n: number;
  try {
    n = readSync(fd, head, 0, 12, 0);
  } finally {
    closeSync(fd);
  }
  if (n < 12 || !head.subarray(8, 12).equals(DUCKDB_MAGIC))
    throw new StoreOpenError(
      'is not a DuckDB store (no DuckDB header); --db names the store file, e.g. --db rotation.duckdb, and data files go to `rotation import`',
      { file: path },
    );
}

/** DuckDB's open errors as one line: who holds a lock and what to do, or the cause without DuckDB's prefix. */
export function storeOpenError(path: string, e: unknown): StoreOpenError {
  const message = e instanceof Error ? e.message : String(e);
  const lock = /Conflicting lock is held in (.*?) \(PID (\d+)\)/.exec(message);
  if (lock || /Could not set lock/i.test(message))
    return new StoreOpenError(
      `is in use by another process${lock ? ` (${lock[1]}, PID ${lock[2]})` : ''}: a sync or import is writing it; ` +
        'wait for it to finish, or stop it, then run again',
      { file: path },
    );
  const first = (message.split('\n')[0] ?? message).replace(/^[A-Za-z ]*Error: /, '');
  return new StoreOpenError(`cannot open the store: ${first}`, { file: path });
}

/** The shared SQL's view of a DuckDB connection: `?` parameters as they are, bulk loads through the appender. */
function duckSql(session: DuckDbSession): SqlSession {
  return {
    dialect: 'duckdb',
    query: (sql, params) => session.query(sql, params),
    columns: (sql, params) => session.queryColumns(sql, params),
    run: (sql, params) => session.exec(sql, params),
    sharesConnection: (other) => session.sharesConnection(other),
    async load(table, columns, rows) {
      await session.exec(`CREATE TEMP TABLE ${table} (${columns.map(([n, t]) => `${n} ${t}`).join(', ')})`);
      await session.append(table, rows);
    },
  };
}

/** A one-at-a-time gate: each holder runs after the previous one has finished. */
class Gate {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(fn, fn);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

/** Run locks of `:memory:` stores, held in this process (there is no file to put a lock beside). */
const memoryLocks = new Set<string>();

async function withMemoryLock<T>(name: string, fn: () => Promise<T>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (memoryLocks.has(name)) {
    if (Date.now() >= deadline)
      throw new RunLockError(
        `rotation ${name} is running in this process; waited ${Math.round(timeoutMs / 1000)} s: let it finish, then run again`,
      );
    await sleep(20);
  }
  memoryLocks.add(name);
  try {
    return await fn();
  } finally {
    memoryLocks.delete(name);
  }
}

/** A store's connection: the DuckDB session and the shared SQL on it. */
type Conn = { session: DuckDbSession; market: SqlMarket };

/** The schema version this code writes and reads: a read cache is only trusted for it. */
const SCHEMA = Math.max(...MIGRATIONS.map((m) => m.version));

/**
 * The embedded engine: one DuckDB file (`./rotation.duckdb` by default) on one connection. Calls on a handle run
 * one at a time through a gate, so a transaction's statements never interleave with another caller's; a call on
 * the store from inside its own transaction's callback is refused (it would wait for itself): use `tx`.
 *
 * Opened read-only with `readCache`, it reads symbol names and closes through the file's read cache (read-cache.ts)
 * and, when the cache already holds the file's present version, connects to DuckDB only for the first read the
 * cache cannot answer: a `race` on a warm cache never loads DuckDB.
 */
export class DuckDbStore extends SqlStore {
  readonly engine = 'duckdb' as const;
  readonly location: string;
  readOnly: boolean;
  protected readonly cacheSymbols = true;
  /** Null until the first read of a store opened on a warm read cache; set for every other handle. */
  private conn: Conn | null;
  private connecting: Promise<Conn> | null = null;
  private closed = false;
  private reads: ReadCache | null;
  private readonly gate = new Gate();
  private readonly inside = new AsyncLocalStorage<DuckDbStore>();

  private constructor(
    path: string,
    session: DuckDbSession | null,
    readOnly: boolean,
    reads: ReadCache | null,
  ) {
    super();
    this.location = path;
    this.conn = session ? { session, market: new SqlMarket(duckSql(session)) } : null;
    this.readOnly = readOnly;
    this.reads = reads;
  }

  /** The file path (or `:memory:`). */
  get path(): string {
    return this.location;
  }

  /** True once the handle has a DuckDB connection (inspection: a warm read cache leaves a `race` without one). */
  get connected(): boolean {
    return this.conn !== null;
  }

  /**
   * Opens (creating if needed) a store file, or `:memory:`, and applies pending migrations. With `readOnly`, an
   * existing, up-to-date store is opened read-only (several readers may then run together); a missing or older
   * store is opened read-write once so it can be created or migrated. Refuses a file that is not a DuckDB store
   * (a CSV or Parquet file named by mistake would otherwise open as a read-only view and swallow writes) and
   * turns DuckDB's lock and IO errors into one line naming the file and what to do (StoreOpenError). With
   * `readCache` as well, reads go through the file's read cache (see the class comment).
   */
  static async open(
    path: string,
    opts: { readOnly?: boolean; readCache?: boolean } = {},
  ): Promise<DuckDbStore> {
    if (path !== ':memory:') checkStoreFile(path);
    const readOnly = Boolean(opts.readOnly) && path !== ':memory:' && existsSync(path);
    const cached = readOnly && opts.readCache ? ReadCache.find(path, SCHEMA) : null;
    if (cached) return new DuckDbStore(path, null, true, cached);
    let store = await DuckDbStore.connect(path, readOnly);
    if (readOnly && (await store.eager().market.pendingMigrations()) > 0) {
      store.close();
      store = await DuckDbStore.connect(path, false);
    }
    if (!store.readOnly) await store.migrate();
    // Keyed after opening: DuckDB's lock now keeps writers out until this handle closes.
    else if (opts.readCache) store.reads = ReadCache.forFill(path, SCHEMA);
    return store;
  }

  private static async connect(path: string, readOnly: boolean): Promise<DuckDbStore> {
    return new DuckDbStore(path, await DuckDbStore.session(path, readOnly), readOnly, null);
  }

  private static async session(path: string, readOnly: boolean): Promise<DuckDbSession> {
    try {
      return await DuckDbSession.open(path, { readOnly });
    } catch (e) {
      throw storeOpenError(path, e);
    }
  }

  /** The connection of a handle that was opened with one. */
  private eager(): Conn {
    if (!this.conn) throw new Error('DuckDbStore: this handle has no connection yet');
    return this.conn;
  }

  /**
   * The connection, made on first use by a handle opened on a warm read cache. The file must still be the version
   * the cache answered from: a write in between (DuckDB's lock was not held until now) would mix two versions in
   * one answer, so it is refused, naming what happened.
   */
  private connection(): Promise<Conn> {
    if (this.conn) return Promise.resolve(this.conn);
    this.connecting ??= (async () => {
      const session = await DuckDbStore.session(this.location, true);
      if (this.closed || (this.reads && !this.reads.current())) {
        session.close();
        throw new StoreOpenError(
          this.closed
            ? 'was closed while it was being opened'
            : 'changed while this command was reading it (a sync or import wrote it meanwhile): run the command again',
          { file: this.location },
        );
      }
      this.conn = { session, market: new SqlMarket(duckSql(session)) };
      return this.conn;
    })();
    return this.connecting;
  }

  private async migrate(): Promise<void> {
    const { market } = this.eager();
    await market.ensureMigrationTable();
    const current = await market.schemaVersion();
    for (const m of MIGRATIONS) {
      if (m.version <= current) continue;
      await this.transaction(async () => market.applyMigration(m));
    }
  }

  close(): void {
    this.closed = true;
    this.conn?.session.close();
  }

  /**
   * The ingest engine for imports into this store: a view of the store's own connection (DuckDbSession.borrow),
   * so files are staged and checked next to the store and the transaction merges them with one INSERT … SELECT.
   * Null when the store is read-only (the engine is then an in-memory DuckDB of its own).
   */
  ingestSession(): DuckDbSession | null {
    return this.readOnly ? null : this.eager().session.borrow();
  }

  private guard(what: string): void {
    if (this.inside.getStore() === this)
      throw new Error(
        `store.${what} was called inside this store's transaction: use the transaction's tx handle`,
      );
  }

  protected read<T>(fn: (m: SqlMarket) => Promise<T>): Promise<T> {
    this.guard('read');
    return this.gate.run(async () => fn((await this.connection()).market));
  }

  protected override async loadSymbolIndex(): Promise<Map<string, string[]>> {
    const reads = this.reads;
    if (!reads) return super.loadSymbolIndex();
    let names = reads.symbols();
    if (!names) {
      names = await this.read((m) => m.symbolNames());
      reads.putSymbols(names);
    }
    return indexSymbols(names);
  }

  override async loadCloses(
    symbol: string,
    range: { from?: string; to?: string } = {},
  ): Promise<CloseColumns> {
    const entry = await this.cachedCloses(symbol, range);
    return entry ? closesIn(entry, range) : super.loadCloses(symbol, range);
  }

  override async loadCloseRanges(
    symbol: string,
    range: { from?: string; to?: string } = {},
  ): Promise<CloseRange[]> {
    const entry = await this.cachedCloses(symbol, range);
    return entry ? rangesIn(entry, range) : super.loadCloseRanges(symbol, range);
  }

  /** A symbol's read-cache entry, read from the store (every bar, no range) on a miss; null without a cache. */
  private async cachedCloses(
    symbol: string,
    range: { from?: string; to?: string },
  ): Promise<CachedCloses | null> {
    const reads = this.reads;
    if (!reads || !plainRange(range)) return null;
    const hit = reads.closes(symbol);
    if (hit) return hit;
    const [cols, ranges] = await this.read(
      async (m) => [await m.loadCloses(symbol), await m.loadCloseRanges(symbol)] as const,
    );
    return reads.putCloses(symbol, cols, ranges);
  }

  transaction<T>(fn: (tx: MarketWriter) => Promise<T>): Promise<T> {
    this.guard('transaction');
    return this.gate.run(async () => {
      const { session, market } = await this.connection();
      let open = true;
      const tx = scopedWriter(market, () => open);
      this.dropSymbolCaches();
      await session.exec('BEGIN TRANSACTION');
      try {
        const result = await this.inside.run(this, () => fn(tx));
        await session.exec('COMMIT');
        return result;
      } catch (e) {
        await session.exec('ROLLBACK');
        throw e;
      } finally {
        open = false;
        this.dropSymbolCaches();
      }
    });
  }

  withRunLock<T>(name: string, fn: () => Promise<T>, opts: { timeoutMs?: number } = {}): Promise<T> {
    if (!/^[a-z0-9-]+$/.test(name))
      throw new Error(`run lock name ${JSON.stringify(name)}: use a-z, 0-9 and -`);
    const timeoutMs = opts.timeoutMs ?? DEFAULT_RUN_LOCK_TIMEOUT_MS;
    if (this.location === ':memory:') return withMemoryLock(name, fn, timeoutMs);
    return withLockFile(`${this.location}.${name}.lock`, `rotation ${name}`, fn, timeoutMs);
  }

  // ---- inspection (tests and the data doctor's own checks; not part of MarketStore) ----------------

  /** Runs raw SQL on this DuckDB file (tests inspect tables with it). Writes drop the symbol caches. */
  async exec(sql: string, params?: readonly SqlParam[]): Promise<void> {
    this.guard('exec');
    this.dropSymbolCaches();
    await this.gate.run(async () => (await this.connection()).session.exec(sql, params));
  }

  /** A raw query on this DuckDB file, as plain rows. */
  async query<T extends Row = Row>(sql: string, params?: readonly SqlParam[]): Promise<T[]> {
    this.guard('query');
    if (!/^\s*SELECT\b/i.test(sql)) this.dropSymbolCaches();
    return this.gate.run(async () => (await this.connection()).session.query<T>(sql, params));
  }
}
