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
import { Store } from './store/store.js';

/**
 * Reads while a write runs. DuckDB lets one process write a database file, and a writer's lock shuts readers in
 * other processes out. So the server never opens the live file for long: it answers from immutable snapshot
 * copies in `<db>.snapshots/`, named by a counter (`000001.duckdb`, …), and `current` names the newest.
 *
 * Writers (`rotation import`, `rotation sync`) call publishSnapshot after their store is closed: the file is copied
 * under a temporary name, renamed into place, then `current` is replaced atomically. A reader sees the old id or
 * the new one, never a half-written copy. Writers publish only when the folder exists (the first `rotation serve`
 * creates it), so a store nobody serves costs no copy. The newest KEEP snapshots are kept; older ones are removed
 * (a server still reading one keeps its open handle: the file goes when it closes it).
 */
const KEEP = 3;
const POINTER = 'current';

export const snapshotDir = (db: string): string => `${db}.snapshots`;

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
 * After a write: publishes a snapshot of `db` when it is served (its snapshot folder exists). Call it once the
 * writer's store is closed. Returns the new id, or null when nothing is published.
 */
export function publishSnapshot(db: string): string | null {
  if (db === ':memory:' || !existsSync(snapshotDir(db))) return null;
  return copySnapshot(db);
}

type Open = { id: string; store: Store; refs: number; retired: boolean };

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
   * newer. The live file is held open read-only during the copy, so no writer runs meanwhile; when a writer holds
   * it now, the open fails at once and the server starts on the snapshot already there.
   */
  static async start(
    db: string,
    opts: { checkEveryMs?: number; now?: () => number } = {},
  ): Promise<SnapshotReader> {
    const dir = snapshotDir(db);
    const existing = readPointer(dir);
    const snapshotOlder = existing === null || liveIsNewer(db, join(dir, `${existing}.duckdb`));
    if (snapshotOlder) {
      try {
        const live = await Store.open(db, { readOnly: true });
        try {
          copySnapshot(db);
        } finally {
          live.close();
        }
      } catch (e) {
        if (existing === null) throw e;
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
        this.open = { id, store, refs: 0, retired: false };
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
      return await fn(o.store);
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
