import { createHash } from 'node:crypto';
import { createReadStream, statSync, type BigIntStats } from 'node:fs';
import { resolve } from 'node:path';
import type { Store } from '../store/store.js';

/**
 * Re-importing an unchanged bars file (issue 16): a file whose content, options and store state are those of its
 * last import changes nothing, so its rows are not read and checked again. The store keeps, per file, what its
 * last import left (imported_files): the file's stat identity (and its SHA-256 when it was computed), the options,
 * the import's "today", the fingerprint of the stored bars of the file's symbols right after, and the outcome.
 *
 * The skip holds only when all of these are equal now: the file's content (its size, then its stat identity as git's
 * index trusts it: size, mtime and ctime in ns, inode, device, unless the file changed within RACY_MS of its
 * record; else its SHA-256, when the record has one); the options that shape the
 * result (--symbol, --as-of, --replace; never with --kind, which rewrites instruments, nor --dry-run); a "today" no
 * earlier than the recorded one (a file that passed the future-date check then passes it now); and the
 * fingerprint (count and greatest stamp of the stored bars of those symbols, migration 9): any write to those
 * bars since (another file, a sync, --replace) gives them a new, greater stamp, and the file is read and checked
 * in full. The counts are then those the full path gives: every row unchanged, the rows kept from other sources
 * kept again.
 * PostgreSQL has no fingerprint (barsFingerprint returns null): files are always read there.
 */

/** The part of an import's outcome recorded and given back (the Body of import.ts). */
export type UnchangedOutcome = {
  layout: string;
  table: 'bars';
  symbols: string[];
  rows: number;
  firstDate: string | null;
  lastDate: string | null;
  added: number;
  updated: number;
  unchanged: number;
  keptFromOtherSource: number;
  warnings: string[];
};

type Options = {
  symbol?: string;
  kind?: string;
  asOf?: string;
  dryRun?: boolean;
  replace?: boolean;
  today: string;
};

/**
 * A file as this import sees it: null when the fast path does not apply to this import at all. The SHA-256 is
 * computed only when needed (`sha256()`, once): the stat identity decides for a file nobody touched since its record.
 */
export type FileProbe = {
  path: string;
  size: number;
  identity: string;
  mtimeMs: number;
  sha256: () => Promise<string>;
  /** The hash if it was computed, else null. */
  computed: () => string | null;
  options: string;
} | null;

/**
 * A file changed within this many ms of its record may have changed again within the file system's clock tick
 * without its mtime moving (git's "racy" files): its identity is not trusted, its hash decides.
 */
const RACY_MS = 2000;

function sha256Of(path: string): Promise<string> {
  return new Promise((res, rej) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => h.update(chunk))
      .on('error', rej)
      .on('end', () => res(h.digest('hex')));
  });
}

/** The stat identity git's index trusts: size, mtime and ctime (ns), inode and device. */
const identityOf = (st: BigIntStats): string => `${st.size}:${st.mtimeNs}:${st.ctimeNs}:${st.ino}:${st.dev}`;

/** Stats the file when the fast path applies (a DuckDB store, no --dry-run, no --kind); else null. */
export async function probeFile(
  store: Store,
  file: string,
  opts: Options,
  declaredBasis: string | null = null,
): Promise<FileProbe> {
  if (store.engine !== 'duckdb' || opts.dryRun || opts.kind !== undefined) return null;
  const path = resolve(file);
  let st: BigIntStats;
  try {
    st = statSync(path, { bigint: true });
  } catch {
    return null; // the import itself says why the file cannot be read
  }
  if (!st.isFile()) return null;
  const options = JSON.stringify({
    symbol: opts.symbol ?? null,
    asOf: opts.asOf ?? null,
    replace: Boolean(opts.replace),
    basis: declaredBasis,
  });
  let hash: Promise<string> | null = null;
  let done: string | null = null;
  return {
    path,
    size: Number(st.size),
    identity: identityOf(st),
    mtimeMs: Number(st.mtimeMs),
    sha256: () =>
      (hash ??= sha256Of(path).then((h) => {
        done = h;
        return h;
      })),
    computed: () => done,
    options,
  };
}

/** The outcome of re-importing an unchanged file, without reading it; null when it must be read. */
export async function unchangedImport(
  store: Store,
  probe: FileProbe,
  today: string,
): Promise<UnchangedOutcome | null> {
  if (!probe) return null;
  const rec = await store.importedFile(probe.path);
  if (!rec || rec.size !== probe.size || rec.options !== probe.options) return null;
  const trusted = rec.identity === probe.identity && probe.mtimeMs < rec.recordedMs - RACY_MS;
  if (!trusted) {
    if (rec.sha256 === '') return null;
    try {
      if ((await probe.sha256()) !== rec.sha256) return null;
    } catch {
      return null; // the import itself says why the file cannot be read
    }
  }
  if (today < rec.today) return null;
  const last = JSON.parse(rec.outcome) as UnchangedOutcome;
  if ((await store.barsFingerprint(last.symbols)) !== rec.fingerprint) return null;
  return {
    ...last,
    added: 0,
    updated: 0,
    unchanged: last.rows,
    keptFromOtherSource: last.keptFromOtherSource,
  };
}

/**
 * Records a bars file's successful import (after its transaction committed) for the next run's unchangedImport.
 * `known` is the barsFingerprint of its symbols when the import already computed it (the bulk path), else null.
 */
export async function recordImport(
  store: Store,
  probe: FileProbe,
  today: string,
  outcome: Omit<UnchangedOutcome, 'table'> & { table: string },
  known: string | null = null,
): Promise<void> {
  if (!probe || outcome.table !== 'bars') return;
  const fingerprint = known ?? (await store.barsFingerprint(outcome.symbols));
  if (fingerprint === null) return;
  const recordedMs = Date.now();
  // The hash is kept when it was computed anyway, and computed for a file changed just before: a later change
  // within the same clock tick would leave its identity as it is.
  let sha256 = probe.computed() ?? '';
  if (sha256 === '' && probe.mtimeMs >= recordedMs - RACY_MS) {
    try {
      sha256 = await probe.sha256();
    } catch {
      return;
    }
  }
  await store.recordImportedFile({
    path: probe.path,
    size: probe.size,
    sha256,
    identity: probe.identity,
    options: probe.options,
    today,
    fingerprint,
    outcome: JSON.stringify({ ...outcome, table: 'bars' }),
    recordedMs,
  });
}
