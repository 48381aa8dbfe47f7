import { existsSync, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import type { Store } from '../store/store.js';
import { openIngestEngine, type IngestEngine } from './engine.js';
import type { CloseBasis } from '../../shared/domain.js';
import { InputError } from '../../shared/errors.js';
import { plainDuckDbCause } from '../store/duckdb-errors.js';
import { expandPaths } from './paths.js';
import { sourceOf } from './file-names.js';
import { NotATimeSeriesError } from './sniff.js';
import { probeFile, recordImport, unchangedImport } from './stage-unchanged.js';
import { RowCheckError } from './row-checks.js';
import { BulkPathMiss, type BulkSink } from './fast-bars.js';
import type { ImportReason } from '../../shared/reasons.js';
import { type FileOutcome, type ImportOptions } from './import-types.js';
import { importIciXls, importOne, importWhyIfKnown } from './read-file.js';
export type { FileProgress } from './engine.js';
export type { FileOutcome, ImportOptions } from './import-types.js';

/**
 * Imports files, folders (recursively: .csv .tsv .txt .parquet .json) and globs into the store, one file at a
 * time in sorted path order. Each file is written in one transaction: a bad row leaves nothing of that file,
 * and the other files still import. Every file is recorded in import_log (except with dryRun).
 */
export async function importPaths(
  store: Store,
  paths: string[],
  opts: ImportOptions,
): Promise<FileOutcome[]> {
  const outcomes: FileOutcome[] = [];
  const files: string[] = [];
  for (const p of paths) {
    try {
      files.push(...expandPaths([p]));
    } catch (e) {
      outcomes.push({
        ok: false,
        file: p,
        reason: 'unreadable',
        error: e instanceof Error ? e.message : String(e),
      });
    }
  }
  const unique = [...new Set(files)].sort();
  const named = new Set(paths.map((p) => resolve(p)).filter((p) => existsSync(p) && statSync(p).isFile()));
  if (unique.length === 0) return outcomes;
  const engine = await openIngestEngine(store);
  try {
    for (let i = 0; i < unique.length; i++) {
      const file = unique[i] as string;
      const outcome = await importFile(store, file, opts, { skipNonSeries: !named.has(file), engine });
      outcomes.push(outcome);
      opts.onProgress?.(i + 1, unique.length, file);
    }
  } finally {
    engine.close();
  }
  return outcomes;
}

/**
 * Imports one file; never throws for bad input (the outcome says why it failed). The file is read and validated
 * in the ingest engine (`how.engine`, else a new one) and its rows written in one store transaction.
 */
export async function importFile(
  store: Store,
  file: string,
  opts: ImportOptions,
  how: { skipNonSeries?: boolean; engine?: IngestEngine } = {},
): Promise<FileOutcome> {
  const startedAt = new Date();
  let outcome: FileOutcome;
  const engine = how.engine ?? (await openIngestEngine(store));
  try {
    const ext = extname(file).toLowerCase();
    // An unchanged bars file whose stored rows are as its last import left them is not read again (its
    // declared basis is part of what must be unchanged).
    const declared = declaredBasis(file, opts);
    const probe = await probeFile(
      store,
      file,
      opts,
      declared ? `${declared.basis} (${declared.declaredBy})` : null,
    );
    const same = await unchangedImport(store, probe, opts.today);
    const why = same
      ? null
      : ext === '.xls'
        ? await importIciXls(store, file, opts)
        : ext !== '.parquet' && ext !== '.json'
          ? await importWhyIfKnown(store, file, opts)
          : null;
    const sink: BulkSink = { fingerprint: null };
    const read = (bulk: boolean) =>
      store.transaction(async (tx) => {
        const body = await importOne(engine, tx, file, ext, opts, bulk, sink);
        if (!declared || body.table !== 'bars' || opts.dryRun) return body;
        const warnings = [...body.warnings];
        for (const symbol of body.symbols) {
          const before = await tx.loadCloseBasis(symbol);
          if (before && before.basis !== declared.basis)
            warnings.push(
              `${symbol}: closes of this file declared ${declared.basis} (${declared.declaredBy}), other stored closes ${before.basis} (${before.declaredBy}): the basis is kept per source, and a comparison spanning both says so`,
            );
        }
        await tx.setCloseBasis(body.symbols.map((symbol) => ({ symbol, ...declared })));
        // Per source too: the rows this file stored (or kept from it) have this basis, whatever other files declared.
        const source = sourceOf(file);
        await tx.setSourceBasis(body.symbols.map((symbol) => ({ symbol, source, ...declared })));
        return { ...body, warnings };
      });
    // A bars file into a DuckDB store first tries the bulk path (fast-bars.ts); a file it does not take is read
    // again through the checked path, in a new transaction (the bulk attempt was rolled back).
    const bulk =
      same || why || store.engine !== 'duckdb' || opts.dryRun || ext === '.json'
        ? null
        : await read(true).catch((e: unknown) => {
            if (e instanceof BulkPathMiss) return null;
            throw e;
          });
    const result = same ?? why ?? bulk ?? (await read(false));
    // The bulk path's fingerprint of the rows it inserted is the symbols' fingerprint now: no second scan of them.
    if (!same && !why) await recordImport(store, probe, opts.today, result, bulk ? sink.fingerprint : null);
    // An unchanged file is not read again, but a store from before the per-source basis (migration 8) still learns
    // this file's declaration for the rows it stored.
    if (same && declared && !opts.dryRun)
      await store.setSourceBasis(
        same.symbols.map((symbol) => ({ symbol, source: sourceOf(file), ...declared })),
      );
    outcome = {
      ok: true,
      file,
      reason: result.added + result.updated > 0 ? 'imported' : 'unchanged',
      ...result,
    };
  } catch (e) {
    if (e instanceof InputError)
      outcome = {
        ok: false,
        file,
        reason: inputReason(e),
        error: e.message,
        ...(e.where.line !== undefined ? { line: e.where.line } : {}),
        ...(e.where.field !== undefined ? { field: e.where.field } : {}),
        ...(how.skipNonSeries && e instanceof NotATimeSeriesError ? { skipped: true as const } : {}),
      };
    else {
      // DuckDB's reading errors (a corrupt Parquet page, an unreadable file) are bad input, in our words; anything
      // else is a bug and keeps its stack (the CLI prints it with ROTATION_DEBUG=1).
      const code = (e as { code?: unknown }).code;
      const cause =
        typeof code === 'string' && /^E[A-Z]+$/.test(code)
          ? `cannot read the file (${code})`
          : e instanceof Error
            ? plainDuckDbCause(e.message)
            : null;
      if (!cause) throw e;
      outcome = { ok: false, file, reason: 'unreadable', error: cause };
    }
  } finally {
    if (!how.engine) engine.close();
  }
  if (!opts.dryRun) {
    await store.logImport({
      kind: 'import',
      target: file,
      symbol: outcome.ok && outcome.symbols.length === 1 ? (outcome.symbols[0] ?? null) : null,
      status: !outcome.ok
        ? outcome.skipped
          ? 'unchanged'
          : 'failed'
        : outcome.added + outcome.updated === 0
          ? 'unchanged'
          : 'ok',
      counts: outcome.ok
        ? { added: outcome.added, updated: outcome.updated, unchanged: outcome.unchanged }
        : { added: 0, updated: 0, unchanged: 0 },
      firstDate: outcome.ok ? outcome.firstDate : null,
      lastDate: outcome.ok ? outcome.lastDate : null,
      message: outcome.ok
        ? outcome.warnings.join('; ') || null
        : `${outcome.line ? `line ${outcome.line}: ` : ''}${outcome.field ? `${outcome.field}: ` : ''}${outcome.error}`,
      startedAt,
      finishedAt: new Date(),
    });
  }
  return outcome;
}

/**
 * The reason code of a refused file: a failed row check (RowCheckError, or any error naming a data line) is a
 * bad row; not a time series is its own code; the rest (empty, binary, no header, unknown layout) a bad file.
 */
function inputReason(e: InputError): Exclude<ImportReason, 'imported' | 'unchanged' | 'unreadable'> {
  if (e instanceof NotATimeSeriesError) return 'not-a-series';
  if (e instanceof RowCheckError || (e.where.line !== undefined && e.where.line > 1)) return 'bad-row';
  return 'bad-file';
}

/**
 * What a file's close column holds, as declared: `--basis` first, else the first config entry whose path is one of
 * the file's folders (or the file itself); null when nothing is declared (the basis is never guessed).
 */
export function declaredBasis(
  file: string,
  opts: Pick<ImportOptions, 'basis' | 'basisRules'>,
): { basis: CloseBasis; declaredBy: string } | null {
  if (opts.basis) return { basis: opts.basis, declaredBy: `--basis ${opts.basis}` };
  const path = `/${file.replace(/\\/g, '/').replace(/^\/+/, '')}`;
  for (const r of opts.basisRules ?? []) {
    const rule = r.path
      .replace(/\\/g, '/')
      .replace(/^\.?\/+/, '')
      .replace(/\/+$/, '');
    if (rule && (path.includes(`/${rule}/`) || path.endsWith(`/${rule}`)))
      return { basis: r.basis, declaredBy: `config imports.basis "${r.path}"` };
  }
  return null;
}
