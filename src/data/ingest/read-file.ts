/** Reading one file of each format (delimited text, Parquet, JSON, the why files, ICI workbooks) into checked batches. */
import { rmSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { MarketWriter, Store } from '../store/store.js';
import { type FileProgress, type IngestEngine } from './engine.js';
import { parseIsoDate } from '../../shared/dates.js';
import { InputError } from '../../shared/errors.js';
import { checkLastLine, locateLine, stageCsv, transcodeToUtf8 } from './csv.js';
import { readJsonFile } from './json.js';
import { parquetColumns, sqlIdent, stageParquet } from './parquet.js';
import { detectWhyFile, importWhyFile } from '../why/import.js';
import { importIciWorkbook } from '../why/ici-flows.js';
import {
  detectDelimiter,
  detectLayout,
  fredUnit,
  parseCsvLine,
  readSample,
  sampleLines,
  type Layout,
} from './sniff.js';
import { finishBars, typedBarColumns, type BarsResult } from './bars.js';
import { BulkPathMiss, importBulkBars, type BulkSink } from './fast-bars.js';
import { finishObservations } from './observations.js';
import { recordIndexSql, type Locate } from './row-checks.js';
import {
  normalizeTicker,
  quoteName,
  SERIES_ID_RE,
  SYMBOL_RE,
  SYMBOL_RULE,
} from '../../shared/identifiers.js';
import { kindFromPath, sourceOf, symbolFromFileName } from './file-names.js';
import { type Body, type ImportOptions } from './import-types.js';

/**
 * Reads one file into `tx`: through the checked path (staging, row checks, merge), or with `bulk` through the bulk
 * path of a bars file (fast-bars.ts), which throws BulkPathMiss for any file it does not take (the caller then
 * rolls back and reads it through the checked path). Both share the steps before the rows are read (layout,
 * header, last line), so an error found there is the same whichever path found it. The bulk path leaves in `sink`
 * what else it learnt (the inserted rows' fingerprint).
 */
export async function importOne(
  engine: IngestEngine,
  tx: MarketWriter,
  file: string,
  ext: string,
  opts: ImportOptions,
  bulk = false,
  sink: BulkSink = { fingerprint: null },
): Promise<Body> {
  if (ext === '.parquet') return importParquet(engine, tx, file, opts, bulk, sink);
  if (bulk && ext === '.json') throw new BulkPathMiss('a JSON file');
  if (ext === '.json') return importJson(engine, tx, file, opts);
  return importText(engine, tx, file, ext, opts, bulk, sink);
}

/** The options of the bulk path for a bars layout of `file`. */
function bulkOptions(layout: Extract<Layout, { table: 'bars' }>, file: string, opts: ImportOptions) {
  return {
    today: opts.today,
    source: sourceOf(file),
    kind: opts.kind,
    defaultKind: kindFromPath(file),
    fallbackSymbol: fallbackSymbol(layout, file, opts),
    ...(opts.onFileProgress
      ? {
          onProgress: (p: FileProgress) => opts.onFileProgress?.(file, p),
          totalBytes: statSync(file).size,
        }
      : {}),
  };
}

/** The body of a bars file's import: its layout's name and the ignored columns before the other warnings. */
function barsBody(layout: Extract<Layout, { table: 'bars' }>, prefix: string | null, r: BarsResult): Body {
  const warnings = [...r.warnings];
  if (layout.ignored.length > 0) warnings.unshift(`ignored column(s): ${layout.ignored.join(', ')}`);
  return { layout: prefix ? `${prefix}:${layout.name}` : layout.name, table: 'bars', ...r, warnings };
}

/** Column projection from the file's c0 … cN to the staging columns of a layout. */
export function projection(layout: Layout): string {
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
export function fallbackSymbol(layout: Layout, file: string, opts: ImportOptions): string | null {
  if (layout.table !== 'bars' || layout.fields.symbol !== undefined) return null;
  const s = layout.headerSymbol ?? opts.symbol ?? symbolFromFileName(file);
  if (!SYMBOL_RE.test(s))
    throw new InputError(`invalid symbol ${quoteName(s)}: ${SYMBOL_RULE}`, { field: 'symbol' });
  return normalizeTicker(s);
}

/** The outer SELECT list applied while staging: typed columns for bars, the raw cells for observations. */
export const outerSelect = (layout: Layout, file: string, opts: ImportOptions): string =>
  layout.table === 'bars' ? typedBarColumns(fallbackSymbol(layout, file, opts)) : '*';

export async function importText(
  store: IngestEngine,
  tx: MarketWriter,
  file: string,
  ext: string,
  opts: ImportOptions,
  bulk = false,
  sink: BulkSink = { fingerprint: null },
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
  if (bulk) {
    if (layout.table !== 'bars') throw new BulkPathMiss('not a bars file');
    if (sample.encoding !== 'utf-8') throw new BulkPathMiss(sample.encoding);
    const cut = checkLastLine(file, layout.width, delim);
    const src = {
      kind: 'csv' as const,
      path: file,
      delim,
      headerRows: layout.headerRows,
      width: layout.width,
    };
    const body = barsBody(
      layout,
      null,
      await importBulkBars(store, tx, layout, src, bulkOptions(layout, file, opts), sink),
    );
    return cut ? { ...body, warnings: [...body.warnings, cut] } : body;
  }
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
export async function importWhyIfKnown(
  store: Store,
  file: string,
  opts: ImportOptions,
): Promise<Body | null> {
  // Any encoding readSample decodes (UTF-8, UTF-16 with a BOM): the layout is recognised from the decoded text,
  // so a UTF-16 ICI file reaches the ICI importer and its mislabelling check like a UTF-8 one.
  const sample = readSample(file);
  if (sample.text.trim() === '' || !detectWhyFile(file, sample.text)) return null;
  const r = await importWhyFile(store, file, {
    today: opts.today,
    ...(opts.asOf ? { asOf: opts.asOf } : {}),
    ...(opts.dryRun ? { dryRun: true } : {}),
  });
  // The why-importer names the file in its messages; the summary already does.
  return whyBody(
    r,
    r.kind,
    r.warnings.map((w) => (w.startsWith(`${basename(file)}: `) ? w.slice(basename(file).length + 2) : w)),
  );
}

/** The body of a file an observations importer of data/why wrote (counts and dates as it reports them). */
function whyBody(
  r: {
    series: string[];
    added: number;
    updated: number;
    unchanged: number;
    firstDate: string | null;
    lastDate: string | null;
    rows: number;
  },
  layout: string,
  warnings: string[],
): Body {
  return {
    layout,
    table: 'observations',
    symbols: r.series,
    added: r.added,
    updated: r.updated,
    unchanged: r.unchanged,
    keptFromOtherSource: 0,
    firstDate: r.firstDate,
    lastDate: r.lastDate,
    rows: r.rows,
    warnings,
  };
}

/** ICI's weekly flow workbooks (`flows_data_2026.xls` …): the only spreadsheets read (data/why/ici-flows.ts). */
export async function importIciXls(store: Store, file: string, opts: ImportOptions): Promise<Body> {
  const r = await importIciWorkbook(store, file, {
    today: opts.today,
    ...(opts.asOf ? { asOf: opts.asOf } : {}),
    ...(opts.dryRun ? { dryRun: true } : {}),
  });
  return whyBody(r, r.layout, []);
}

export async function requireRows(store: IngestEngine): Promise<void> {
  const [r] = await store.query<{ n: number }>('SELECT count(*) AS n FROM imp_file');
  if (!r || r.n === 0) throw new InputError('no data rows (header only)');
}

export async function importParquet(
  store: IngestEngine,
  tx: MarketWriter,
  file: string,
  opts: ImportOptions,
  bulk = false,
  sink: BulkSink = { fingerprint: null },
): Promise<Body> {
  const columns = await parquetColumns(store, file);
  const firstRows = await store.query(
    `SELECT ${columns.map((c, i) => `CAST(${sqlIdent(c)} AS VARCHAR) AS c${i}`).join(', ')} FROM read_parquet('${file.replace(/'/g, "''")}') LIMIT 1`,
  );
  const first = firstRows[0] ?? {};
  const rows = [columns, columns.map((_, i) => String(first[`c${i}`] ?? ''))];
  if (firstRows.length === 0) throw new InputError('no data rows (empty Parquet file)');
  const layout = { ...detectLayout(rows, file), headerRows: 0, width: columns.length };
  if (bulk) {
    if (layout.table !== 'bars') throw new BulkPathMiss('not a bars file');
    const types = await store.query<{ column_name: string; column_type: string }>(
      `DESCRIBE SELECT * FROM read_parquet('${file.replace(/'/g, "''")}')`,
    );
    const src = {
      kind: 'parquet' as const,
      path: file,
      columns: types.map((t) => ({ name: t.column_name, type: t.column_type })),
    };
    if (src.columns.map((c) => c.name).join('\u0000') !== columns.join('\u0000'))
      throw new BulkPathMiss('column names');
    return barsBody(
      layout,
      'parquet',
      await importBulkBars(store, tx, layout, src, bulkOptions(layout, file, opts), sink),
    );
  }
  await stageParquet(store, file, columns, projection(layout), outerSelect(layout, file, opts));
  await requireRows(store);
  const locate: Locate = (rn) => ({ where: `row ${rn + 1}` });
  return finish(store, tx, file, layout, opts, locate, 'parquet');
}

export async function importJson(
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
export async function finish(
  store: IngestEngine,
  tx: MarketWriter,
  file: string,
  layout: Layout,
  opts: ImportOptions,
  locate: Locate,
  prefix: string | null,
): Promise<Body> {
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
    return barsBody(layout, prefix, r);
  }
  const name = prefix ? `${prefix}:${layout.name}` : layout.name;

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
