import {
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { parseIsoDate } from '../../shared/dates.js';
import { CLOSE_BASES } from '../../shared/domain.js';
import type { TradingDate } from '../../shared/brand.js';
import type { CloseBasis, CloseColumns, CloseRange } from '../../shared/domain.js';

/**
 * The read cache of a DuckDB store file: what a read-only verb reads most (the symbol names, each symbol's closes
 * and their close-basis runs), kept as small JSON files in `<db>.reads/<key>/`, so a `race` on a warm cache
 * answers without loading DuckDB at all (docs/bench.md, "The start-up benchmark").
 *
 * The key is the store file's stat identity (device, inode, size, mtime and ctime in ns, as git's index trusts it)
 * with this format's version and the schema version the code expects. Any write to the file changes it, so an
 * entry is never read for another version of the file: after an import the old folder is simply not found, and the
 * next fill removes it. Entries are filled by a process that holds the file open read-only (DuckDB's lock keeps
 * writers out meanwhile) and took the key after opening, so an entry holds exactly the file its key names. A file
 * modified less than RACY_MS ago is not filled: two writes in one tick of the file system's clock could leave the
 * same identity (git's "racily clean" entries). A store with a write-ahead log beside it has no cache.
 *
 * The cache is only an accelerator: an entry that does not parse or does not hold together is a miss, a folder
 * that cannot be written leaves the process reading DuckDB as before, and every answer is computed from an entry
 * with the same semantics as the SQL (read-cache.test.ts checks them against each other on random ranges).
 */
const FORMAT = 1;
const RACY_MS = 1000;

/** A symbol's closes as cached: every stored bar, oldest first, and the runs of one declared basis over them. */
export type CachedCloses = CloseColumns & { runs: { basis: CloseBasis | null; sessions: number }[] };

export const readCacheDir = (db: string): string => `${db}.reads`;

/** A key folder's name (keyOf): only such folders are ever removed from `<db>.reads/`. */
const KEY_NAME = /^\d+-\d+-\d+-\d+-\d+-\d+-\d+$/;

/**
 * True when `<db>.reads` is absent or a real folder. A symbolic link or a file there is not ours to follow: the
 * cache is then off, so nothing is read from or removed in a place the link points to.
 */
function rootUsable(db: string): boolean {
  try {
    const st = lstatSync(readCacheDir(db));
    return st.isDirectory() && !st.isSymbolicLink();
  } catch {
    return true;
  }
}

/** The key of the file's present version, or null when it has none (missing, or a write-ahead log beside it). */
function keyOf(db: string, schema: number): { key: string; mtimeMs: number } | null {
  try {
    statSync(`${db}.wal`);
    return null;
  } catch {
    // no log: the file alone is the store
  }
  try {
    const s = statSync(db, { bigint: true });
    if (!s.isFile()) return null;
    const key = [FORMAT, schema, s.dev, s.ino, s.size, s.mtimeNs, s.ctimeNs].join('-');
    return { key, mtimeMs: Number(s.mtimeMs) };
  } catch {
    return null;
  }
}

/** A file name for a symbol's entry: its UTF-8 bytes in hex (no path tricks, no case folding); null if too long. */
function entryName(symbol: string): string | null {
  const hex = Buffer.from(symbol, 'utf8').toString('hex');
  return hex.length > 0 && hex.length <= 200 ? `c-${hex}.json` : null;
}

const isBasis = (x: unknown): x is CloseBasis | null =>
  x === null || (CLOSE_BASES as readonly unknown[]).includes(x);

/** The entry in `text` when it is whole and holds together, else null (a miss). */
function parseCloses(text: string, symbol: string): CachedCloses | null {
  let j: unknown;
  try {
    j = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof j !== 'object' || j === null) return null;
  const { v, symbol: s, dates, close, adjClose, runs } = j as Record<string, unknown>;
  if (v !== FORMAT || s !== symbol || typeof dates !== 'string' || dates.length % 10 !== 0) return null;
  const n = dates.length / 10;
  if (!Array.isArray(close) || !Array.isArray(adjClose) || !Array.isArray(runs)) return null;
  if (close.length !== n || adjClose.length !== n) return null;
  const out: CachedCloses = { dates: new Array<TradingDate>(n), close: [], adjClose: [], runs: [] };
  for (let i = 0; i < n; i++) {
    const c: unknown = close[i];
    const a: unknown = adjClose[i];
    if (typeof c !== 'number' || (a !== null && typeof a !== 'number')) return null;
    out.dates[i] = dates.slice(i * 10, i * 10 + 10) as TradingDate;
  }
  out.close = close as number[];
  out.adjClose = adjClose as (number | null)[];
  let total = 0;
  for (const r of runs as unknown[]) {
    if (!Array.isArray(r) || r.length !== 2) return null;
    const [basis, sessions]: unknown[] = r;
    if (!isBasis(basis) || typeof sessions !== 'number' || !Number.isInteger(sessions) || sessions < 1)
      return null;
    out.runs.push({ basis, sessions });
    total += sessions;
  }
  return total === n ? out : null;
}

const jsonExact = (x: number): boolean => Number.isFinite(x) && !Object.is(x, -0);

/**
 * Writes `body` to `path` through a temporary name, so a reader sees the whole file or none. Unlike data/files.ts's
 * writeFileAtomic it neither syncs nor throws: an entry lost to a crash is a miss, and a failed write leaves none.
 */
function writeWhole(path: string, body: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, body, { flag: 'w' });
    renameSync(tmp, path);
  } catch {
    rmSync(tmp, { force: true });
  }
}

/** One process's view of the cache of one version of a store file (see the top of this file). */
export class ReadCache {
  readonly key: string;
  private readonly db: string;
  private readonly schema: number;
  /** False for a file modified too recently to fill (RACY_MS): entries are then kept in this process only. */
  private readonly fills: boolean;
  private readonly dir: string;
  private readonly closesMemo = new Map<string, CachedCloses>();
  private symbolsMemo: string[] | null = null;
  private prepared = false;

  private constructor(db: string, schema: number, key: string, fills: boolean) {
    this.db = db;
    this.schema = schema;
    this.key = key;
    this.fills = fills;
    this.dir = join(readCacheDir(db), key);
  }

  /** The cache of the file's present version when a folder for it exists, else null. */
  static find(db: string, schema: number): ReadCache | null {
    const k = keyOf(db, schema);
    if (!k || !rootUsable(db)) return null;
    try {
      const st = lstatSync(join(readCacheDir(db), k.key));
      if (!st.isDirectory() || st.isSymbolicLink()) return null;
    } catch {
      return null;
    }
    return new ReadCache(db, schema, k.key, true);
  }

  /**
   * The cache to fill for the file's present version: call it while holding the file open read-only, so no writer
   * can change it between this key and the reads that fill it. Null when the file has no key.
   */
  static forFill(db: string, schema: number, now: number = Date.now()): ReadCache | null {
    const k = keyOf(db, schema);
    if (!k) return null;
    return new ReadCache(db, schema, k.key, now - k.mtimeMs >= RACY_MS && rootUsable(db));
  }

  /** True while the file is still the version this cache's key names. */
  current(): boolean {
    return keyOf(this.db, this.schema)?.key === this.key;
  }

  /** Every stored symbol and series name, sorted (SqlReads.symbolNames), or null on a miss. */
  symbols(): string[] | null {
    if (this.symbolsMemo) return this.symbolsMemo;
    const text = this.read('symbols.json');
    if (text === null) return null;
    try {
      const j: unknown = JSON.parse(text);
      const names = (j as { v?: unknown; names?: unknown }).names;
      if ((j as { v?: unknown }).v !== FORMAT || !Array.isArray(names)) return null;
      if (!names.every((x): x is string => typeof x === 'string')) return null;
      this.symbolsMemo = names;
      return names;
    } catch {
      return null;
    }
  }

  putSymbols(names: readonly string[]): void {
    this.symbolsMemo = [...names];
    this.write('symbols.json', JSON.stringify({ v: FORMAT, names }));
  }

  /** `symbol`'s cached closes (every stored bar), or null on a miss. */
  closes(symbol: string): CachedCloses | null {
    const memo = this.closesMemo.get(symbol);
    if (memo) return memo;
    const name = entryName(symbol);
    const text = name ? this.read(name) : null;
    const entry = text === null ? null : parseCloses(text, symbol);
    if (entry) this.closesMemo.set(symbol, entry);
    return entry;
  }

  /** Keeps `symbol`'s closes and ranges, read from the store with no range, and returns them as an entry. */
  putCloses(symbol: string, cols: CloseColumns, ranges: readonly CloseRange[]): CachedCloses {
    const entry: CachedCloses = {
      dates: cols.dates,
      close: cols.close,
      adjClose: cols.adjClose,
      runs: ranges.map((r) => ({ basis: r.basis, sessions: r.sessions })),
    };
    this.closesMemo.set(symbol, entry);
    const name = entryName(symbol);
    // JSON keeps every finite double exactly, but not NaN, the infinities or -0: such an entry stays in memory.
    if (name && cols.close.every(jsonExact) && cols.adjClose.every((x) => x === null || jsonExact(x)))
      this.write(
        name,
        JSON.stringify({
          v: FORMAT,
          symbol,
          dates: cols.dates.join(''),
          close: cols.close,
          adjClose: cols.adjClose,
          runs: entry.runs.map((r) => [r.basis, r.sessions]),
        }),
      );
    return entry;
  }

  private read(name: string): string | null {
    try {
      return readFileSync(join(this.dir, name), 'utf8');
    } catch {
      return null;
    }
  }

  /** Writes an entry when this process may fill; the first write of a key removes the folders of older versions. */
  private write(name: string, body: string): void {
    if (!this.fills) return;
    if (!this.prepared) {
      this.prepared = true;
      const root = readCacheDir(this.db);
      try {
        for (const old of readdirSync(root))
          if (old !== this.key && KEY_NAME.test(old))
            rmSync(join(root, old), { recursive: true, force: true });
      } catch {
        // no folder yet
      }
      try {
        mkdirSync(this.dir, { recursive: true });
      } catch {
        return;
      }
    }
    writeWhole(join(this.dir, name), body);
  }
}

/** A range the cache answers as the SQL does: each end absent or a valid `YYYY-MM-DD` (else the SQL decides). */
export function plainRange(range: { from?: string; to?: string }): boolean {
  const ok = (d: string | undefined) => d === undefined || parseIsoDate(d) !== null;
  return ok(range.from) && ok(range.to);
}

/** The index span [lo, hi) of an entry's bars with from <= date <= to. */
function span(dates: readonly string[], range: { from?: string; to?: string }): [number, number] {
  const lower = (d: string, strict: boolean) => {
    let lo = 0;
    let hi = dates.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const x = dates[mid] as string;
      if (x < d || (strict && x === d)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const lo = range.from === undefined ? 0 : lower(range.from, false);
  const hi = range.to === undefined ? dates.length : lower(range.to, true);
  return [lo, Math.max(lo, hi)];
}

/** Store.loadCloses over an entry: the bars in `range`, as fresh arrays. */
export function closesIn(c: CachedCloses, range: { from?: string; to?: string }): CloseColumns {
  const [lo, hi] = span(c.dates, range);
  return { dates: c.dates.slice(lo, hi), close: c.close.slice(lo, hi), adjClose: c.adjClose.slice(lo, hi) };
}

/** Store.loadCloseRanges over an entry: its runs cut to the bars in `range` (runs with none left dropped). */
export function rangesIn(c: CachedCloses, range: { from?: string; to?: string }): CloseRange[] {
  const [lo, hi] = span(c.dates, range);
  const out: CloseRange[] = [];
  let start = 0;
  for (const r of c.runs) {
    const end = start + r.sessions;
    const a = Math.max(start, lo);
    const b = Math.min(end, hi);
    if (a < b)
      out.push({
        basis: r.basis,
        first: c.dates[a] as TradingDate,
        last: c.dates[b - 1] as TradingDate,
        sessions: b - a,
      });
    start = end;
  }
  return out;
}
