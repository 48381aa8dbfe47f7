import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Store } from '../store/store.js';

/**
 * Re-importing an unchanged bars file (issue 16): a file whose content (size, then SHA-256), options and store
 * state are those of its last import changes nothing, so its rows are not read and checked again. The store
 * keeps, per file, what its last import left (imported_files): the content's hash, the options, the import's
 * "today", the fingerprint of the stored bars of the file's symbols right after, and the outcome.
 *
 * The skip holds only when all of these are equal now: the file's size and hash; the options that shape the
 * result (--symbol, --as-of, --replace; never with --kind, which rewrites instruments, nor --dry-run); a "today" no
 * earlier than the recorded one (a file that passed the future-date check then passes it now); and the
 * fingerprint (count and hash sum of every stored bar of those symbols, with source and ingested_at): any write to
 * those bars since (another file, a sync, --replace) changes it, and the file is read and checked in full. The
 * counts are then those the full path gives: every row unchanged, the rows kept from other sources kept again.
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

/** A file as this import sees it: null when the fast path does not apply to this import at all. */
export type FileProbe = { path: string; size: number; sha256: string; options: string } | null;

function sha256Of(path: string): Promise<string> {
  return new Promise((res, rej) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => h.update(chunk))
      .on('error', rej)
      .on('end', () => res(h.digest('hex')));
  });
}

/** Hashes the file when the fast path applies (a DuckDB store, no --dry-run, no --kind); else null. */
export async function probeFile(
  store: Store,
  file: string,
  opts: Options,
  declaredBasis: string | null = null,
): Promise<FileProbe> {
  if (store.engine !== 'duckdb' || opts.dryRun || opts.kind !== undefined) return null;
  const path = resolve(file);
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return null; // the import itself says why the file cannot be read
  }
  const options = JSON.stringify({
    symbol: opts.symbol ?? null,
    asOf: opts.asOf ?? null,
    replace: Boolean(opts.replace),
    basis: declaredBasis,
  });
  try {
    return { path, size, sha256: await sha256Of(path), options };
  } catch {
    return null;
  }
}

/** The outcome of re-importing an unchanged file, without reading it; null when it must be read. */
export async function unchangedImport(
  store: Store,
  probe: FileProbe,
  today: string,
): Promise<UnchangedOutcome | null> {
  if (!probe) return null;
  const rec = await store.importedFile(probe.path);
  if (!rec || rec.size !== probe.size || rec.sha256 !== probe.sha256 || rec.options !== probe.options)
    return null;
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

/** Records a bars file's successful import (after its transaction committed) for the next run's unchangedImport. */
export async function recordImport(
  store: Store,
  probe: FileProbe,
  today: string,
  outcome: Omit<UnchangedOutcome, 'table'> & { table: string },
): Promise<void> {
  if (!probe || outcome.table !== 'bars') return;
  const fingerprint = await store.barsFingerprint(outcome.symbols);
  if (fingerprint === null) return;
  await store.recordImportedFile({
    path: probe.path,
    size: probe.size,
    sha256: probe.sha256,
    options: probe.options,
    today,
    fingerprint,
    outcome: JSON.stringify({ ...outcome, table: 'bars' }),
    recordedMs: Date.now(),
  });
}
