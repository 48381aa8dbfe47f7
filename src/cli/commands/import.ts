import { relative, isAbsolute } from 'node:path';
import type { Command } from 'commander';
import {
  importPaths,
  type FileOutcome,
  type FileProgress,
  type ImportOptions,
} from '../../data/ingest/import.js';
import { CLOSE_BASES, INSTRUMENT_KINDS, type CloseBasis, type InstrumentKind } from '../../shared/domain.js';
import { loadConfig } from '../../data/config.js';
import { InputError, UsageError } from '../../shared/errors.js';
import { quoteName, SERIES_ID_RE, SERIES_ID_RULE } from '../../shared/identifiers.js';
import { writeServed } from '../../data/snapshot.js';
import { parseDateFlag, storePath, todayInNewYork, type GlobalOptions } from '../context.js';
import { ImportProgress, renderImportReport } from '../import-report.js';
import { parseFormat, renderJson } from '../output.js';

type ImportCliOptions = GlobalOptions & {
  symbol?: string;
  kind?: string;
  asOf?: string;
  dryRun?: boolean;
  replace?: boolean;
  verbose?: boolean;
  basis?: string;
  config?: string;
  format: string;
};

/** A path as the user would like to read it: relative to the working directory when inside it. */
function shortPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

/**
 * Control, zero-width and bidi characters made visible (`\u{202e}`): a hostile file name, column or id quoted in a
 * message can neither break the one-line format nor reorder what the terminal shows.
 */
const visible = (s: string): string =>
  [...s]
    .map((ch) => {
      const c = ch.codePointAt(0) ?? 0;
      const hidden =
        c < 0x20 || (c >= 0x7f && c < 0xa0) || /[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/.test(ch);
      return hidden ? `\\u{${c.toString(16)}}` : ch;
    })
    .join('');

/** `error: file:line field: reason` for one failed file, always one line. */
export function describeFailure(o: Extract<FileOutcome, { ok: false }>): string {
  const place = `${shortPath(o.file)}${o.line ? `:${o.line}` : ''}`;
  return visible(`error: ${place}${o.field ? ` ${o.field}` : ''}: ${o.error}`);
}

export function registerImport(program: Command): void {
  program
    .command('import')
    .description(
      'import price bars and data series from files (CSV, TSV, Parquet, JSON), folders or globs into the store; ' +
        'the layout of each file is recognised from its header',
    )
    .argument('<paths...>', 'files, folders (read recursively) or globs such as "data/**/*.csv"')
    .option('--symbol <symbol>', 'symbol (or series id) for a single-symbol file; default: from the file')
    .option('--kind <kind>', `instrument kind: ${INSTRUMENT_KINDS.filter((k) => k !== 'basket').join(', ')}`)
    .option(
      '--as-of <date>',
      'vintage recorded for observations (default: each row is known on its own date)',
    )
    .option('--dry-run', 'validate and count, write nothing')
    .option('--replace', 'overwrite rows stored from another source (default: keep them)')
    .option('--verbose', 'every column, every warning and every skipped file (default: a summary)')
    .option(
      '--basis <basis>',
      'what the close column holds: adjusted (dividend-adjusted closes) | price (closes as traded, a price index); ' +
        "default: the config's imports.basis entry for the folder, else undeclared (an Adj Close column is read as such)",
    )
    .option(
      '--config <path>',
      'config file with imports.basis declarations (default ./rotation.config.json if present)',
    )
    .option('--format <format>', 'table | json', 'table')
    .addHelpText(
      'after',
      `
Examples:
  rotation import ../shared/data                     every dated file below the folder
  rotation import indices/RUT.csv                    stored as ^RUT (index); source file:indices/RUT.csv
  rotation import "data/**/*.csv" --dry-run          check files without writing
  rotation import prices.csv --symbol IWM --kind etf
  rotation import macro/DGS10.csv --as-of 2026-08-21 record the vintage of a FRED download
  rotation import bars.parquet --format json > outcome.json
  rotation import ../shared/data/etf_daily --basis adjusted   their Close column holds dividend-adjusted closes

Layouts (see docs/import.md): Date,Open,High,Low,Close[,Adj Close],Volume · Date,Close · yfinance 3-row header
· FRED date,value / DATE,SERIES · wide tables (one series per column) · long date,symbol,close,… · JSON.
Rows stored from another file are kept unless --replace; a repeat import adds and updates nothing.
Files met in a folder that are not time series (constituents snapshots, per-year tables) are skipped
with their reason; named explicitly they fail. Exit code 1 when any file failed.`,
    )
    .action(async function (this: Command, paths: string[]) {
      const opts = this.optsWithGlobals<ImportCliOptions>();
      const format = parseFormat(opts.format);
      if (format === 'csv')
        throw new UsageError('import prints table or json', 'use --format table or --format json');
      const asOf = parseDateFlag('--as-of', opts.asOf);
      let kind: InstrumentKind | undefined;
      if (opts.kind !== undefined) {
        const k = opts.kind.toLowerCase();
        if (!(INSTRUMENT_KINDS as readonly string[]).includes(k))
          throw new UsageError(`unknown kind "${opts.kind}"`, `use one of: ${INSTRUMENT_KINDS.join(', ')}`);
        kind = k as InstrumentKind;
      }
      if (opts.symbol !== undefined && !SERIES_ID_RE.test(opts.symbol))
        throw new UsageError(
          `--symbol ${quoteName(opts.symbol)} is not a symbol or series id`,
          SERIES_ID_RULE,
        );
      let basis: CloseBasis | undefined;
      if (opts.basis !== undefined) {
        const b = opts.basis.toLowerCase();
        if (!(CLOSE_BASES as readonly string[]).includes(b))
          throw new UsageError(`unknown basis "${opts.basis}"`, `use one of: ${CLOSE_BASES.join(', ')}`);
        basis = b as CloseBasis;
      }
      const config = await loadConfig(opts.config);
      const today = todayInNewYork();
      if (asOf && asOf > today) throw new UsageError(`--as-of ${asOf} is in the future (today is ${today})`);

      const started = performance.now();
      const progress =
        format === 'table' ? new ImportProgress(process.stderr, () => performance.now() / 1000) : null;
      const importOpts: ImportOptions = {
        today,
        ...(opts.symbol !== undefined ? { symbol: opts.symbol } : {}),
        ...(kind ? { kind } : {}),
        ...(asOf ? { asOf } : {}),
        dryRun: Boolean(opts.dryRun),
        replace: Boolean(opts.replace),
        ...(basis ? { basis } : {}),
        basisRules: config.imports.basis,
        onProgress: (done, total, file) => progress?.fileDone(done, total, shortPath(file)),
        ...(progress
          ? { onFileProgress: (file: string, p: FileProgress) => progress.fileProgress(shortPath(file), p) }
          : {}),
      };
      // Written under the snapshot lock, then published for a server (src/data/snapshot.ts).
      const outcomes = await writeServed(storePath(opts), (store) => importPaths(store, paths, importOpts), {
        publish: !opts.dryRun,
      });
      progress?.finish();
      const seconds = (performance.now() - started) / 1000;
      const okRows = outcomes.filter((o): o is Extract<FileOutcome, { ok: true }> => o.ok);
      const notOk = outcomes.filter((o): o is Extract<FileOutcome, { ok: false }> => !o.ok);
      const failed = notOk.filter((o) => !o.skipped);
      const skipped = notOk.filter((o) => o.skipped);
      const total = (k: 'added' | 'updated' | 'unchanged' | 'keptFromOtherSource' | 'rows') =>
        okRows.reduce((s, o) => s + o[k], 0);

      if (format === 'json') {
        process.stdout.write(
          renderJson({
            dryRun: Boolean(opts.dryRun),
            files: outcomes.length,
            failed: failed.length,
            skipped: skipped.length,
            added: total('added'),
            updated: total('updated'),
            unchanged: total('unchanged'),
            keptFromOtherSource: total('keptFromOtherSource'),
            seconds,
            outcomes,
          }),
        );
      } else {
        process.stdout.write(
          renderImportReport({
            outcomes,
            dryRun: Boolean(opts.dryRun),
            replace: Boolean(opts.replace),
            verbose: Boolean(opts.verbose),
            seconds,
            short: shortPath,
          }),
        );
        for (const o of failed) process.stderr.write(describeFailure(o) + '\n');
      }
      if (failed.length > 0)
        throw new InputError(
          `${failed.length} of ${outcomes.length} file(s) failed; nothing was written from them`,
        );
    });
}
