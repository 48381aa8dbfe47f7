import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './files.js';
import { DEFAULT_RUN_LOCK_TIMEOUT_MS, RunLockError, withLockFile } from './store/run-lock.js';
import { isPostgresUrl, Store } from './store/store.js';

/**
 * Reads while a write runs. DuckDB lets one process write a database file, and a writer's lock shuts readers in
 * other processes out. So the server never opens the live file for long: it answers from immutable snapshot
 * copies in `<db>.snapshots/`, named by a counter (`000001.duckdb`, …), and `current` names the newest.
 *
 * Writers (`rotation import`, `rotation sync`) write through `writeServed`: they hold the snapshot lock
 * (`<db>.snapshot.lock`) from before they open the live file until they have published, and publish when the
 * folder exists (the first `rotation serve` creates it), so a store nobody serves costs no copy. A copy is made
 * under a temporary name, renamed into place, then `current` is replaced atomically: a reader sees the old id or
 * the new one, never a half-written copy. The newest KEEP snapshots are kept; older ones are removed (a server
 * still reading one keeps its open handle: the file goes when it closes it).
 *
 * The server's start takes the same lock before it reads the live file, so the two never race (docs/serve.md):
 * it creates the folder first (from then on a running writer publishes when it finishes), then copies the live
 * file under the lock; when a writer holds the lock it starts on the snapshot already there, or, when there is
 * none, waits for the writer's. Ids are given under the lock, so a higher id is always a later copy.
 */
const KEEP = 3;
const POINTER = 'current';

export const snapshotDir = (db: string): string => `${db}.snapshots`;
const lockPath = (db: string): string => `${db}.snapshot.lock`;

function readPointer(dir: string): string | null {
  try {
    const id = readFileSync(join(dir, POINTER), 'utf8').trim();
    return /^\d{6,}$/.test(id) ? id : null;
  } catch {
    return null;
  }
}

/** Copies the live file (closed, or held read-only so no writer runs) into a new snapshot and points to it. */
function copySnapshot(db: string): string {
  const dir = snapshotDir(db);
  mkdirSync(dir, { recursive: true });
  const ids = readdirSync(dir)
    .map((n) => /^(\d{6,})\.duckdb$/.exec(n)?.[1])
    .filter((x): x is string => x !== undefined)
    .sort();
  const last = Math.max(Number(readPointer(dir) ?? 0), Number(ids.at(-1) ?? 0));
  const id = String(last + 1).padStart(6, '0');
  const tmp = join(dir, `.${id}.${process.pid}.tmp`);
  copyFileSync(db, tmp);
  // A write-ahead log left beside the file belongs to it: the copy takes it along.
  if (existsSync(`${db}.wal`)) copyFileSync(`${db}.wal`, `${join(dir, `${id}.duckdb`)}.wal`);
  renameSync(tmp, join(dir, `${id}.duckdb`));
  writeFileAtomic(join(dir, POINTER), `${id}\n`);
  for (const old of ids.slice(0, Math.max(0, ids.length + 1 - KEEP))) {
    rmSync(join(dir, `${old}.duckdb`), { force: true });
    rmSync(join(dir, `${old}.duckdb.wal`), { force: true });
  }
  return id;
}

/**
 * A write of the live file: opens the store for writing, runs `write`, closes it, then publishes its snapshot when
 * the store is served. The snapshot lock is held throughout, so a server starting meanwhile never reads the file
 * mid-write and a writer never finds it held by a server's copy. A second writer waits for the first (up to
 * `waitMs`, default 30 s). With `publish: false` (a dry run) nothing is published. `:memory:` and PostgreSQL are
 * written with no lock and no snapshot.
 */
export async function writeServed<T>(
  db: string,
  write: (store: Store) => Promise<T>,
  opts: { publish?: boolean; waitMs?: number } = {},
): Promise<T> {
  const run = async () => {
    const store = await Store.open(db);
    try {
      return await write(store);
    } finally {
      store.close();
    }
  };
  if (db === ':memory:' || isPostgresUrl(db)) return run();
  return withLockFile(
    lockPath(db),
    'a write of this store (import or sync)',
    async () => {
      const out = await run();
      if (opts.publish !== false && existsSync(snapshotDir(db))) copySnapshot(db);
      return out;
    },
    opts.waitMs ?? DEFAULT_RUN_LOCK_TIMEOUT_MS,
  );
}

type Range = { from?: string; to?: string };
type Open = { id: string; store: Store; reads: Store; refs: number; retired: boolean };

/** Series kept per open snapshot (each a few hundred kB); the oldest go first. */
const SERIES_KEPT = 64;

/**
 * The store as the server reads it: a snapshot never changes, so the bars and closes a request loaded are kept for
 * the next one (an uncached race of another window or year reads no series again). Each caller gets its own arrays.
 */
function readThrough(store: Store): Store {
  const kept = new Map<string, Promise<unknown>>();
  const through =
    <T>(method: string, load: (symbol: string, range?: Range) => Promise<T>, copy: (t: T) => T) =>
    (symbol: string, range?: Range): Promise<T> => {
      const key = JSON.stringify([method, symbol, range?.from ?? null, range?.to ?? null]);
      let p = kept.get(key) as Promise<T> | undefined;
      if (!p) {
        if (kept.size >= SERIES_KEPT) kept.delete(kept.keys().next().value as string);
        p = load(symbol, range);
        kept.set(key, p);
        p.catch(() => kept.delete(key));
      }
      return p.then(copy);
    };
  const loadBars: Store['loadBars'] = through(
    'loadBars',
    (s, r) => store.loadBars(s, r),
    (b) => b.slice(),
  );
  const loadCloses: Store['loadCloses'] = through(
    'loadCloses',
    (s, r) => store.loadCloses(s, r),
    (c) => ({ dates: c.dates.slice(), close: c.close.slice(), adjClose: c.adjClose.slice() }),
  );
  return new Proxy(store, {
    get(target, name) {
      if (name === 'loadBars') return loadBars;
      if (name === 'loadCloses') return loadCloses;
      const v: unknown = Reflect.get(target, name, target);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

/**
 * The server's side: one read-only store on the current snapshot, switched when `current` changes. Requests in
 * flight finish on the snapshot they started with; it is closed when the last of them is done.
 */
export class SnapshotReader {
  private open: Open | null = null;
  private switching: Promise<Open> | null = null;
  private checkedAt = -Infinity;
  private pointer: string | null = null;

  private readonly dir: string;
  /** Milliseconds between looks at `current` (default 100): at most one read of it per interval. */
  private readonly checkEveryMs: number;
  private readonly now: () => number;

  private constructor(dir: string, checkEveryMs: number, now: () => number) {
    this.dir = dir;
    this.checkEveryMs = checkEveryMs;
    this.now = now;
  }

  /**
   * Opens the snapshots of `db`, first publishing one from the live file when there is none or the live file is
   * newer. The folder is made first, so a writer running now publishes when it finishes. The copy is made under
   * the snapshot lock with the live file held read-only: no writer runs meanwhile. When a writer holds the lock,
   * the server starts on the snapshot already there; with none, it waits (up to `waitMs`, default 10 minutes) for
   * the writer to publish one.
   */
  static async start(
    db: string,
    opts: {
      checkEveryMs?: number;
      now?: () => number;
      waitMs?: number;
      /** Told when the start has to wait for a running writer's snapshot (there is none yet). */
      onWait?: () => void;
    } = {},
  ): Promise<SnapshotReader> {
    const dir = snapshotDir(db);
    mkdirSync(dir, { recursive: true });
    const stale = () => {
      const id = readPointer(dir);
      return id === null || liveIsNewer(db, join(dir, `${id}.duckdb`));
    };
    if (stale()) {
      const existing = readPointer(dir);
      const copy = async () => {
        // Under the lock: a writer that held it has published by now, and may have made the copy needless.
        if (!stale()) return;
        try {
          const live = await Store.open(db, { readOnly: true });
          try {
            copySnapshot(db);
          } finally {
            live.close();
          }
        } catch (e) {
          // A writer outside the lock (an older binary, a daily run) holds the file: the snapshot there will do.
          if (readPointer(dir) === null) throw e;
        }
      };
      if (existing === null && existsSync(lockPath(db))) opts.onWait?.();
      try {
        await withLockFile(
          lockPath(db),
          'rotation serve',
          copy,
          existing === null ? (opts.waitMs ?? 600_000) : 0,
        );
      } catch (e) {
        if (!(e instanceof RunLockError) || readPointer(dir) === null) throw e;
      }
    }
    const reader = new SnapshotReader(dir, opts.checkEveryMs ?? 100, opts.now ?? (() => performance.now()));
    await reader.current();
    return reader;
  }

  /** The id of the snapshot answers come from now (the cache key of computed answers). */
  version(): string {
    const t = this.now();
    if (t - this.checkedAt >= this.checkEveryMs) {
      this.checkedAt = t;
      this.pointer = readPointer(this.dir) ?? this.pointer;
    }
    if (this.pointer === null) throw new Error(`no snapshot in ${this.dir}`);
    return this.pointer;
  }

  private async current(): Promise<Open> {
    const id = this.version();
    if (this.open && this.open.id === id) return this.open;
    if (this.switching) return this.switching;
    this.switching = (async () => {
      try {
        const store = await Store.open(join(this.dir, `${id}.duckdb`), { readOnly: true });
        const prev = this.open;
        this.open = { id, store, reads: readThrough(store), refs: 0, retired: false };
        if (prev) {
          prev.retired = true;
          if (prev.refs === 0) prev.store.close();
        }
        return this.open;
      } finally {
        this.switching = null;
      }
    })();
    return this.switching;
  }

  /** Runs `fn` on the current snapshot's store. */
  async withStore<T>(fn: (store: Store) => Promise<T>): Promise<T> {
    const o = await this.current();
    o.refs++;
    try {
      return await fn(o.reads);
    } finally {
      o.refs--;
      if (o.retired && o.refs === 0) o.store.close();
    }
  }

  close(): void {
    if (this.open && this.open.refs === 0) this.open.store.close();
    this.open = null;
  }
}

/** The live file changed after the snapshot was copied (or there is no snapshot). */
function liveIsNewer(db: string, snapshot: string): boolean {
  try {
    return statSync(db).mtimeMs > statSync(snapshot).mtimeMs;
  } catch {
    return true;
  }
}
