import { existsSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import type { MarketWriter, Store } from '../store/store.js';
import { openIngestEngine, type FileProgress, type IngestEngine } from './engine.js';
import type { CloseBasis, InstrumentKind } from '../../shared/domain.js';
import { parseIsoDate } from '../../shared/dates.js';
import { InputError } from '../../shared/errors.js';
import { checkLastLine, locateLine, stageCsv, transcodeToUtf8 } from './csv.js';
import { readJsonFile } from './json.js';
import { plainDuckDbCause } from '../store/duckdb-errors.js';
import { parquetColumns, sqlIdent, stageParquet } from './parquet.js';
import { expandPaths } from './paths.js';
import { detectWhyFile, importWhyFile } from '../why/import.js';
import { importIciWorkbook } from '../why/ici-flows.js';
import {
  detectDelimiter,
  detectLayout,
  fileStem,
  fredUnit,
  NotATimeSeriesError,
  parseCsvLine,
  readSample,
  sampleLines,
  type Layout,
} from './sniff.js';
import { finishBars, typedBarColumns } from './bars.js';
import { probeFile, recordImport, unchangedImport } from './stage-unchanged.js';
import { finishObservations } from './observations.js';
import { recordIndexSql, RowCheckError, type Locate } from './row-checks.js';
import type { ImportReason } from '../../shared/reasons.js';
import {
  normalizeTicker,
  quoteName,
  SERIES_ID_RE,
  SYMBOL_RE,
  SYMBOL_RULE,
} from '../../shared/identifiers.js';

export type { FileProgress } from './engine.js';

export type ImportOptions = {
  /** --symbol: override the symbol (single-symbol files) or the series id (single-series files). */
  symbol?: string;
  /** --kind: the instrument kind recorded for the imported symbols. */
  kind?: InstrumentKind;
  /** --as-of: the vintage recorded for observations. */
  asOf?: string;
  /** --dry-run: validate and count, write nothing. */
  dryRun?: boolean;
  /** --replace: overwrite rows stored from another source. */
  replace?: boolean;
  /** Today in New York, YYYY-MM-DD: rows dated later are refused. */
  today: string;
  /** --basis: what the close column of every file holds (wins over `basisRules`). */
  basis?: CloseBasis;
  /** The config's `imports.basis` entries: per folder or file, what its close columns hold. */
  basisRules?: readonly { path: string; basis: CloseBasis }[];
  onProgress?: (done: number, total: number, file: string) => void;
  /** Progress inside a large delimited file: bytes read, then its rows (see FileProgress). */
  onFileProgress?: (file: string, p: FileProgress) => void;
};

export type FileOutcome =
  | {
      ok: true;
      file: string;
      /** `imported` or `unchanged` (src/shared/reasons.ts; the CLI's words are in src/cli/reasons.ts). */
      reason: Extract<ImportReason, 'imported' | 'unchanged'>;
      layout: string;
      table: 'bars' | 'observations';
      symbols: string[];
      added: number;
      updated: number;
      unchanged: number;
      keptFromOtherSource: number;
      firstDate: string | null;
      lastDate: string | null;
      rows: number;
      warnings: string[];
    }
  | {
      ok: false;
      file: string;
      /** Why it failed or was skipped, as a code (src/shared/reasons.ts); `error` says it in words. */
      reason: Exclude<ImportReason, 'imported' | 'unchanged'>;
      error: string;
      line?: number;
      field?: string;
      /** True for a file met while walking a folder that is not a time series: reported, not a failure. */
      skipped?: true;
    };

type Success = Extract<FileOutcome, { ok: true }>;

/** Index names whose files are stored under the caret symbol (`RUT.csv` → `^RUT`). */
const INDEX_STEMS: Record<string, string> = {
  RUT: '^RUT',
  NDX: '^NDX',
  SPX: '^SPX',
  GSPC: '^GSPC',
  DJI: '^DJI',
  VIX: '^VIX',
  RUA: '^RUA',
};

/** `file:<parent folder>/<file name>`: the same file imported from another location keeps its source. */
export function sourceOf(path: string): string {
  return `file:${basename(dirname(path))}/${basename(path)}`;
}

/** The symbol a file name stands for: a known index name maps to its caret symbol, else the upper-cased stem. */
export function symbolFromFileName(path: string): string {
  const stem = fileStem(path);
  const mapped = INDEX_STEMS[stem.toUpperCase()];
  if (mapped) return mapped;
  const symbol = stem.toUpperCase();
  if (!SYMBOL_RE.test(symbol))
    throw new InputError(`cannot use the file name "${stem}" as a symbol; pass --symbol`, {
      field: 'symbol',
    });
  return symbol;
}

/**
 * The kind of instrument for symbols without a caret: from the nearest folder whose name contains `etf`
 * or `stock`; otherwise `stock`.
 */
export function kindFromPath(path: string): InstrumentKind {
  let dir = dirname(path);
  for (;;) {
    const name = basename(dir).toLowerCase();
    if (name.includes('etf')) return 'etf';
    if (name.includes('stock')) return 'stock';
    const up = dirname(dir);
    if (up === dir) return 'stock';
    dir = up;
  }
}

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
    const result =
      same ??
      why ??
      (await store.transaction(async (tx) => {
        const body = await importOne(engine, tx, file, ext, opts);
        if (!declared || body.table !== 'bars' || opts.dryRun) return body;
        const warnings = [...body.warnings];
        for (const symbol of body.symbols) {
          const before = await tx.loadCloseBasis(symbol);
          if (before && before.basis !== declared.basis)
            warnings.push(
              `${symbol}: closes declared ${declared.basis} (${declared.declaredBy}), replacing ${before.basis} (${before.declaredBy}): the stored closes may now mix both`,
            );
        }
        await tx.setCloseBasis(body.symbols.map((symbol) => ({ symbol, ...declared })));
        return { ...body, warnings };
      }));
    if (!same && !why) await recordImport(store, probe, opts.today, result);
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

type Body = Omit<Success, 'ok' | 'file' | 'reason'>;

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

async function importOne(
  engine: IngestEngine,
  tx: MarketWriter,
  file: string,
  ext: string,
  opts: ImportOptions,
): Promise<Body> {
  if (ext === '.parquet') return importParquet(engine, tx, file, opts);
  if (ext === '.json') return importJson(engine, tx, file, opts);
  return importText(engine, tx, file, ext, opts);
}

/** Column projection from the file's c0 … cN to the staging columns of a layout. */
function projection(layout: Layout): string {
  const c = (i: number | undefined) => (i === undefined ? 'NULL::VARCHAR' : `c${i}`);
  if (layout.table === 'bars') {
    const f = layout.fields;
    return [
      `${c(f.symbol)} AS sym`,
      `${c(layout.date)} AS d`,
      `${c(f.open)} AS o`,
      `${c(f.high)} AS h`,
      `${c(f.low)} AS l`,
      `${c(f.close)} AS c`,
      `${c(f.adjClose)} AS ac`,
      `${c(f.volume)} AS v`,
    ].join(', ');
  }
  return [
    `${c(layout.date)} AS d`,
    ...(layout.knownAt !== undefined ? [`${c(layout.knownAt)} AS ka`] : []),
    ...layout.values.map((v, i) => `${c(v.index)} AS x${i}`),
  ].join(', ');
}

/** The symbol for rows without a symbol column: yfinance Ticker row or JSON symbol > --symbol > file name. */
function fallbackSymbol(layout: Layout, file: string, opts: ImportOptions): string | null {
  if (layout.table !== 'bars' || layout.fields.symbol !== undefined) return null;
  const s = layout.headerSymbol ?? opts.symbol ?? symbolFromFileName(file);
  if (!SYMBOL_RE.test(s))
    throw new InputError(`invalid symbol ${quoteName(s)}: ${SYMBOL_RULE}`, { field: 'symbol' });
  return normalizeTicker(s);
}

/** The outer SELECT list applied while staging: typed columns for bars, the raw cells for observations. */
const outerSelect = (layout: Layout, file: string, opts: ImportOptions): string =>
  layout.table === 'bars' ? typedBarColumns(fallbackSymbol(layout, file, opts)) : '*';

async function importText(
  store: IngestEngine,
  tx: MarketWriter,
  file: string,
  ext: string,
  opts: ImportOptions,
): Promise<Body> {
  const sample = readSample(file);
  if (sample.text.trim() === '') throw new InputError('empty file');
  const lines = sampleLines(sample).slice(0, 50);
  const delim = detectDelimiter(lines[0] ?? '', ext);
  const rows = lines.filter((l) => l.trim() !== '').map((l) => parseCsvLine(l, delim));
  const blankTail = sample.complete && /\r?\n[ \t]*\r?\n/.test(sample.text);
  if (rows.length === 1 && blankTail && sample.text.trim().split(/\r?\n/).length === 1)
    throw new InputError('no data rows: only blank lines follow the header', { line: 2 });
  const layout = detectLayout(rows, file);
  const csvPath = sample.encoding === 'utf-8' ? file : transcodeToUtf8(file, sample.encoding);
  try {
    const cut = checkLastLine(csvPath, layout.width, delim);
    await stageCsv(store, csvPath, {
      headerRows: layout.headerRows,
      width: layout.width,
      delim,
      select: projection(layout),
      outer: outerSelect(layout, file, opts),
      ...(opts.onFileProgress ? { onProgress: (p: FileProgress) => opts.onFileProgress?.(file, p) } : {}),
    });
    await requireRows(store);
    const locate: Locate = (rn) => ({ line: locateLine(csvPath, layout.headerRows, rn) });
    const body = await finish(store, tx, file, layout, opts, locate, null);
    return cut ? { ...body, warnings: [...body.warnings, cut] } : body;
  } finally {
    if (csvPath !== file) rmSync(csvPath, { force: true });
  }
}

/**
 * Files in one of the "why" layouts (earnings estimates, ICI flows, CFTC positioning, Shiller, S&P EPS; see
 * docs/why.md) go to their own importer, which knows their units, vintages and pitfalls (ICI's mislabelled
 * columns); the generic wide-table reader would take them in unchecked.
 */
async function importWhyIfKnown(store: Store, file: string, opts: ImportOptions): Promise<Body | null> {
  // Any encoding readSample decodes (UTF-8, UTF-16 with a BOM): the layout is recognised from the decoded text,
  // so a UTF-16 ICI file reaches the ICI importer and its mislabelling check like a UTF-8 one.
  const sample = readSample(file);
  if (sample.text.trim() === '' || !detectWhyFile(file, sample.text)) return null;
  const r = await importWhyFile(store, file, {
    today: opts.today,
    ...(opts.asOf ? { asOf: opts.asOf } : {}),
    ...(opts.dryRun ? { dryRun: true } : {}),
  });
  return {
    layout: r.kind,
    table: 'observations',
    symbols: r.series,
    added: r.added,
    updated: r.updated,
    unchanged: r.unchanged,
    keptFromOtherSource: 0,
    firstDate: r.firstDate,
    lastDate: r.lastDate,
    rows: r.rows,
    // The why-importer names the file in its messages; the summary already does.
    warnings: r.warnings.map((w) =>
      w.startsWith(`${basename(file)}: `) ? w.slice(basename(file).length + 2) : w,
    ),
  };
}

/** ICI's weekly flow workbooks (`flows_data_2026.xls` …): the only spreadsheets read (data/why/ici-flows.ts). */
async function importIciXls(store: Store, file: string, opts: ImportOptions): Promise<Body> {
  const r = await importIciWorkbook(store, file, {
    today: opts.today,
    ...(opts.asOf ? { asOf: opts.asOf } : {}),
    ...(opts.dryRun ? { dryRun: true } : {}),
  });
  return {
    layout: r.layout,
    table: 'observations',
    symbols: r.series,
    added: r.added,
    updated: r.updated,
    unchanged: r.unchanged,
    keptFromOtherSource: 0,
    firstDate: r.firstDate,
    lastDate: r.lastDate,
    rows: r.rows,
    warnings: [],
  };
}

async function requireRows(store: IngestEngine): Promise<void> {
  const [r] = await store.query<{ n: number }>('SELECT count(*) AS n FROM imp_file');
  if (!r || r.n === 0) throw new InputError('no data rows (header only)');
}

async function importParquet(
  store: IngestEngine,
  tx: MarketWriter,
  file: string,
  opts: ImportOptions,
): Promise<Body> {
  const columns = await parquetColumns(store, file);
  const firstRows = await store.query(
    `SELECT ${columns.map((c, i) => `CAST(${sqlIdent(c)} AS VARCHAR) AS c${i}`).join(', ')} FROM read_parquet('${file.replace(/'/g, "''")}') LIMIT 1`,
  );
  const first = firstRows[0] ?? {};
  const rows = [columns, columns.map((_, i) => String(first[`c${i}`] ?? ''))];
  if (firstRows.length === 0) throw new InputError('no data rows (empty Parquet file)');
  const layout = { ...detectLayout(rows, file), headerRows: 0, width: columns.length };
  await stageParquet(store, file, columns, projection(layout), outerSelect(layout, file, opts));
  await requireRows(store);
  const locate: Locate = (rn) => ({ where: `row ${rn + 1}` });
  return finish(store, tx, file, layout, opts, locate, 'parquet');
}

async function importJson(
  store: IngestEngine,
  tx: MarketWriter,
  file: string,
  opts: ImportOptions,
): Promise<Body> {
  const content = readJsonFile(file);
  if (content.kind === 'fred-cache') {
    const asOf = opts.asOf ?? null;
    await store.exec(
      `CREATE OR REPLACE TEMP TABLE imp_jraw (rn BIGINT, series VARCHAR, unit VARCHAR, d VARCHAR, val VARCHAR, as_of VARCHAR)`,
    );
    const seen = new Map<string, number>();
    const labels: string[] = [];
    for (const [series, , , vintage] of content.rows) {
      // A hostile id is shown escaped wherever an error names it (the row checks then refuse it).
      const shown = SERIES_ID_RE.test(series) ? series : quoteName(series);
      if (!parseIsoDate(vintage))
        throw new InputError(`observed_at ${quoteName(vintage)} of ${shown} is not a date`, {
          field: `observed_at.${shown}`,
        });
      const i = seen.get(series) ?? 0;
      seen.set(series, i + 1);
      labels.push(`series.${shown}[${i}]`);
    }
    await store.append(
      'imp_jraw',
      content.rows.map(([series, d, val, vintage], i) => [
        BigInt(i),
        series,
        fredUnit(series),
        d,
        val,
        asOf ?? vintage,
      ]),
    );
    await store.exec(
      `CREATE OR REPLACE TEMP TABLE imp_oraw AS
         SELECT rn, series, unit, d, val, as_of::DATE AS as_of, NULL::VARCHAR AS known_at FROM imp_jraw;
       DROP TABLE imp_jraw`,
    );
    const locate: Locate = (rn) => ({ where: labels[rn] ?? `record ${rn + 1}` });
    const r = await finishObservations(store, tx, {
      today: opts.today,
      source: 'fred-file',
      dryRun: opts.dryRun ?? false,
      locate,
    });
    await store.exec('DROP TABLE imp_oraw');
    return {
      layout: 'fred-cache-json',
      table: 'observations',
      keptFromOtherSource: 0,
      ...r,
      warnings: [...content.warnings, ...r.warnings],
    };
  }
  const rows = [content.header, content.rows[0]?.map((v) => v ?? '') ?? []];
  const detected = detectLayout(rows, file);
  const layout: Layout =
    detected.table === 'bars'
      ? {
          ...detected,
          headerRows: 0,
          width: content.header.length,
          headerSymbol: content.symbol,
          name: content.name,
        }
      : {
          ...detected,
          headerRows: 0,
          width: content.header.length,
          name: `${content.name}-${detected.name}`,
        };
  const cols = content.header.map((_, i) => `c${i} VARCHAR`).join(', ');
  await store.exec(`CREATE OR REPLACE TEMP TABLE imp_json (${cols})`);
  await store.append('imp_json', content.rows);
  await store.exec(
    `CREATE OR REPLACE TEMP TABLE imp_file AS SELECT ${outerSelect(layout, file, opts)}
     FROM (SELECT ${projection(layout)} FROM imp_json); DROP TABLE imp_json`,
  );
  const what = content.name === 'json-symbol-bars' ? 'bars' : 'record';
  const locate: Locate = (rn) => ({ where: what === 'bars' ? `bars[${rn}]` : `record ${rn + 1}` });
  return finish(store, tx, file, layout, opts, locate, null);
}

/** Validates and merges what is staged in imp_file according to the layout. */
async function finish(
  store: IngestEngine,
  tx: MarketWriter,
  file: string,
  layout: Layout,
  opts: ImportOptions,
  locate: Locate,
  prefix: string | null,
): Promise<Body> {
  const name = prefix ? `${prefix}:${layout.name}` : layout.name;
  if (layout.table === 'bars') {
    const r = await finishBars(store, tx, 'imp_file', {
      checkSymbols: layout.fields.symbol !== undefined,
      today: opts.today,
      source: sourceOf(file),
      replace: opts.replace ?? false,
      dryRun: opts.dryRun ?? false,
      kind: opts.kind,
      defaultKind: kindFromPath(file),
      locate,
    });
    await store.exec('DROP TABLE imp_file');
    const warnings = [...r.warnings];
    if (layout.ignored.length > 0) warnings.unshift(`ignored column(s): ${layout.ignored.join(', ')}`);
    return { layout: name, table: 'bars', ...r, warnings };
  }

  // Observations: one series per value column; wide tables drop columns with no number at all.
  let values = layout.values;
  if (layout.name === 'fred' && opts.symbol && values[0]) values = [{ ...values[0], series: opts.symbol }];
  const warnings: string[] = [];
  if (layout.name.endsWith('wide')) {
    const missingCell = (x: string) =>
      `(${x} IS NULL OR lower(trim(${x})) IN ('', 'null', 'nan', 'na', 'n/a', '.', 'none', '-'))`;
    const stats = await store.query<Record<string, number>>(
      `SELECT ${values
        .map(
          (_, i) =>
            `count(*) FILTER (WHERE NOT ${missingCell(`x${i}`)}) AS n${i}, count(*) FILTER (WHERE NOT ${missingCell(`x${i}`)} AND TRY_CAST(trim(x${i}) AS DOUBLE) IS NOT NULL) AS ok${i}`,
        )
        .join(', ')} FROM imp_file`,
    );
    const s = stats[0] ?? {};
    const kept: { v: (typeof values)[number]; i: number }[] = [];
    values.forEach((v, i) => {
      if ((s[`n${i}`] ?? 0) === 0) warnings.push(`column "${v.column}" is empty; skipped`);
      else if ((s[`ok${i}`] ?? 0) === 0) warnings.push(`column "${v.column}" is not numeric; skipped`);
      else kept.push({ v, i });
    });
    if (kept.length === 0) throw new InputError('no numeric column besides the date: nothing to import');
    values = kept.map((k) => ({ ...k.v, index: k.i }));
  } else values = values.map((v, i) => ({ ...v, index: i }));

  const params: (string | null)[] = [];
  const rn = await recordIndexSql(store, 'imp_file');
  const selects = values.map((v) => {
    params.push(v.series, v.unit, opts.asOf ?? null);
    const knownAt = layout.knownAt !== undefined ? 'ka' : 'NULL::VARCHAR';
    return `SELECT ${rn} AS rn, ?::VARCHAR AS series, ?::VARCHAR AS unit, d, x${v.index} AS val, ?::DATE AS as_of, ${knownAt} AS known_at FROM imp_file`;
  });
  await store.exec(`CREATE OR REPLACE TEMP TABLE imp_oraw AS ${selects.join(' UNION ALL ')}`, params);
  const r = await finishObservations(store, tx, {
    today: opts.today,
    source: layout.name === 'fred' ? 'fred-file' : sourceOf(file),
    dryRun: opts.dryRun ?? false,
    locate,
  });
  await store.exec('DROP TABLE imp_oraw; DROP TABLE imp_file');
  return {
    layout: name,
    table: 'observations',
    keptFromOtherSource: 0,
    ...r,
    warnings: [...warnings, ...r.warnings],
  };
}
