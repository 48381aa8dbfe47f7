import { basename, dirname } from 'node:path';
import type { FileOutcome } from '../data/ingest/import.js';
import { renderTable, type Column } from './output.js';
import { importReasonText, reasonCounts } from './reasons.js';

/**
 * `rotation import` output for people (rendering only; data/ingest decides what happened): a progress line while
 * files load, a summary that fits 100 columns, warnings grouped by kind with counts, and every detail with
 * `--verbose` (JSON always carries every outcome).
 */

export type Imported = Extract<FileOutcome, { ok: true }>;
export type NotImported = Extract<FileOutcome, { ok: false }>;

/** The width the default output keeps within. */
export const REPORT_WIDTH = 100;
/** Above this many imported files the default table has one row per folder. */
const FILES_PER_TABLE = 20;

/** `text` cut to `width` characters, the middle replaced by `…` (paths keep their start and their file name). */
export function fitMiddle(text: string, width: number): string {
  if (text.length <= width) return text;
  if (width <= 1) return text.slice(0, width);
  const tail = Math.ceil((width - 1) / 2);
  return `${text.slice(0, width - 1 - tail)}…${text.slice(text.length - tail)}`;
}

/** A path cut to `width` characters: the file name kept whole where it fits, the folders cut from the left. */
export function fitPath(path: string, width: number): string {
  if (path.length <= width) return path;
  const name = basename(path);
  if (name.length + 2 > width) return fitMiddle(name, width);
  return `…${path.slice(path.length - (width - 1))}`;
}

/** `text` cut to `width` characters with a trailing `…`. */
export function fitEnd(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

const symbolsText = (symbols: readonly string[]) =>
  symbols.length > 2 ? `${symbols.slice(0, 2).join(', ')} +${symbols.length - 2}` : symbols.join(', ');

/** Every column, as wide as it needs (`--verbose`). */
function fullColumns(short: (f: string) => string): Column<Imported>[] {
  return [
    { header: 'file', get: (o) => short(o.file) },
    { header: 'layout', get: (o) => o.layout },
    { header: 'symbols', get: (o) => o.symbols, show: (o) => o.symbols.join(', ') },
    { header: 'rows', get: (o) => o.rows, align: 'right' },
    { header: 'added', get: (o) => o.added, align: 'right' },
    { header: 'updated', get: (o) => o.updated, align: 'right' },
    { header: 'unchanged', get: (o) => o.unchanged, align: 'right' },
    { header: 'kept', get: (o) => o.keptFromOtherSource, align: 'right' },
    { header: 'dates', get: (o) => (o.firstDate ? `${o.firstDate}..${o.lastDate ?? ''}` : '—') },
  ];
}

/**
 * One row per file, within `width` columns: the file path and the symbols are cut to the room the other columns
 * leave (the first and last date stay whole).
 */
function fileTable(rows: readonly Imported[], short: (f: string) => string, width: number): string {
  const symbolsWidth = Math.min(18, Math.max(7, ...rows.map((o) => symbolsText(o.symbols).length)));
  const rest: Column<Imported>[] = [
    { header: 'layout', get: (o) => o.layout, show: (o) => fitEnd(o.layout, 12) },
    { header: 'symbols', get: (o) => o.symbols, show: (o) => fitEnd(symbolsText(o.symbols), symbolsWidth) },
    { header: 'rows', get: (o) => o.rows, align: 'right' },
    { header: 'added', get: (o) => o.added, align: 'right' },
    { header: 'updated', get: (o) => o.updated, align: 'right' },
    { header: 'unchanged', get: (o) => o.unchanged, align: 'right' },
    { header: 'dates', get: (o) => (o.firstDate ? `${o.firstDate}..${o.lastDate ?? ''}` : '—') },
  ];
  const restWidth = (renderTable(rest, rows).split('\n')[1] ?? '').length;
  const fileWidth = Math.max(12, width - restWidth - 2);
  const columns: Column<Imported>[] = [
    { header: 'file', get: (o) => short(o.file), show: (o) => fitPath(short(o.file), fileWidth) },
    ...rest,
  ];
  return renderTable(columns, rows);
}

type FolderRow = {
  folder: string;
  files: number;
  symbols: number;
  rows: number;
  added: number;
  updated: number;
  unchanged: number;
  last: string | null;
};

/** One row per folder: how many files and symbols, their rows and what they changed, the latest date. */
export function folderRows(rows: readonly Imported[], short: (f: string) => string): FolderRow[] {
  const by = new Map<string, FolderRow>();
  const symbols = new Map<string, Set<string>>();
  for (const o of rows) {
    const folder = dirname(short(o.file));
    const r = by.get(folder) ?? {
      folder,
      files: 0,
      symbols: 0,
      rows: 0,
      added: 0,
      updated: 0,
      unchanged: 0,
      last: null,
    };
    r.files++;
    r.rows += o.rows;
    r.added += o.added;
    r.updated += o.updated;
    r.unchanged += o.unchanged;
    if (o.lastDate && (r.last === null || o.lastDate > r.last)) r.last = o.lastDate;
    const s = symbols.get(folder) ?? new Set<string>();
    for (const x of o.symbols) s.add(x);
    symbols.set(folder, s);
    r.symbols = s.size;
    by.set(folder, r);
  }
  return [...by.values()].sort((a, b) => (a.folder < b.folder ? -1 : a.folder > b.folder ? 1 : 0));
}

function folderTable(rows: readonly Imported[], short: (f: string) => string, width: number): string {
  const table = folderRows(rows, short);
  const rest: Column<FolderRow>[] = [
    { header: 'files', get: (r) => r.files, align: 'right' },
    { header: 'symbols', get: (r) => r.symbols, align: 'right' },
    { header: 'rows', get: (r) => r.rows, align: 'right' },
    { header: 'added', get: (r) => r.added, align: 'right' },
    { header: 'updated', get: (r) => r.updated, align: 'right' },
    { header: 'unchanged', get: (r) => r.unchanged, align: 'right' },
    { header: 'latest', get: (r) => r.last ?? '—' },
  ];
  const restWidth = (renderTable(rest, table).split('\n')[1] ?? '').length;
  const folderWidth = Math.max(12, width - restWidth - 2);
  return renderTable(
    [{ header: 'folder', get: (r) => r.folder, show: (r) => fitPath(r.folder, folderWidth) }, ...rest],
    table,
  );
}

/** A warning's kind: its text without the subject, quoted values, dates, numbers and parentheses. */
export function warningKind(text: string): string {
  return (
    text
      // a leading subject ("PE10: ", "file.csv:169 (2020-12-31): ") names where, not what
      .replace(/^[^;,]{1,48}?: (?=\S)/, '')
      .replace(/\([^)]*\)/g, '')
      .replace(/"[^"]*"/g, '"…"')
      .replace(/\b\d{4}-\d{2}-\d{2}\b/g, 'D')
      .replace(/\b\d[\d,.]*\b/g, 'N')
      .replace(/\s+/g, ' ')
      .replace(/ ([;,.])/g, '$1')
      .trim()
  );
}

export type WarningGroup = { kind: string; count: number; files: string[]; example: string };

/** Warnings (or skip reasons) grouped by kind, the most frequent first; each with its files and one example. */
export function groupByKind(items: readonly { file: string; text: string }[]): WarningGroup[] {
  const groups = new Map<string, WarningGroup>();
  for (const { file, text } of items) {
    const kind = warningKind(text);
    const g = groups.get(kind) ?? { kind, count: 0, files: [], example: text };
    g.count++;
    if (!g.files.includes(file)) g.files.push(file);
    groups.set(kind, g);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || (a.kind < b.kind ? -1 : 1));
}

function groupLines(title: string, groups: readonly WarningGroup[], width: number): string[] {
  const total = groups.reduce((s, g) => s + g.count, 0);
  const files = new Set(groups.flatMap((g) => g.files)).size;
  const lines = [
    `${title}: ${total} in ${files} file${files === 1 ? '' : 's'}, ${groups.length} kind${groups.length === 1 ? '' : 's'} (--verbose lists each)`,
  ];
  for (const g of groups) {
    const names = g.files.map((f) => basename(f));
    const where =
      names.length > 2 ? `${names.slice(0, 2).join(', ')} +${names.length - 2}` : names.join(', ');
    lines.push(fitEnd(`${String(g.count).padStart(5)}  ${g.kind}  [${where}]`, width));
  }
  return lines;
}

export type ImportReport = {
  outcomes: readonly FileOutcome[];
  dryRun: boolean;
  replace: boolean;
  verbose: boolean;
  seconds: number;
  /** How a path is shown (relative to the working directory when inside it). */
  short: (file: string) => string;
  width?: number;
};

/** The table-format report on stdout (failures go to stderr separately: see `failureLines`). */
export function renderImportReport(r: ImportReport): string {
  const width = r.width ?? REPORT_WIDTH;
  const ok = r.outcomes.filter((o): o is Imported => o.ok);
  const notOk = r.outcomes.filter((o): o is NotImported => !o.ok);
  const failed = notOk.filter((o) => !o.skipped);
  const skipped = notOk.filter((o) => o.skipped);
  const sum = (k: 'added' | 'updated' | 'unchanged' | 'keptFromOtherSource') =>
    ok.reduce((s, o) => s + o[k], 0);
  const out: string[] = [];
  if (ok.length > 0)
    out.push(
      r.verbose
        ? renderTable(fullColumns(r.short), ok)
        : ok.length > FILES_PER_TABLE
          ? folderTable(ok, r.short, width)
          : fileTable(ok, r.short, width),
    );
  const warnings = ok.flatMap((o) => o.warnings.map((text) => ({ file: o.file, text })));
  if (r.verbose) {
    for (const w of warnings) out.push(`warning: ${r.short(w.file)}: ${w.text}\n`);
    for (const o of skipped) out.push(`skipped: ${r.short(o.file)}: ${o.error}\n`);
  } else {
    if (warnings.length > 0) out.push(groupLines('warnings', groupByKind(warnings), width).join('\n') + '\n');
    if (skipped.length > 0)
      out.push(
        groupLines('skipped', groupByKind(skipped.map((o) => ({ file: o.file, text: o.error }))), width).join(
          '\n',
        ) + '\n',
      );
  }
  const kept = sum('keptFromOtherSource');
  const failedWhy =
    failed.length > 0
      ? ` (${reasonCounts(
          failed.map((o) => o.reason),
          importReasonText,
        )})`
      : '';
  out.push(
    `${r.dryRun ? 'dry run: ' : ''}${ok.length} file(s) imported, ${failed.length} failed${failedWhy}` +
      `${skipped.length > 0 ? `, ${skipped.length} skipped (${importReasonText('not-a-series')})` : ''}\n` +
      `${sum('added')} added, ${sum('updated')} updated, ${sum('unchanged')} unchanged` +
      `${kept > 0 ? `, kept ${kept} from other sources` : ''} in ${r.seconds.toFixed(1)}s\n`,
  );
  if (kept > 0 && !r.replace)
    out.push('(rows stored from another file were kept; --replace overwrites them)\n');
  return out.join('');
}

/** The stream the progress writes to: a terminal gets a redrawn bar, anything else plain lines. */
export type ProgressStream = { isTTY?: boolean; columns?: number; write(s: string): unknown };

/**
 * The progress line on a terminal: a bar over the files, the count, the time so far and the last file done; while
 * a large file loads, where it is instead (`current`: "reading big.csv 45% of 330 MB").
 */
export function progressLine(
  done: number,
  total: number,
  seconds: number,
  last: string,
  cols: number,
  current: string | null = null,
): string {
  const tail = current ?? last;
  if (total === 0)
    return fitEnd(
      `importing…  ${seconds.toFixed(0)}s${current ? `  ${current}` : ''}`,
      Math.max(10, cols - 1),
    );
  const width = 20;
  const filled = total > 0 ? Math.round((done / total) * width) : 0;
  const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
  const head = `importing ${bar} ${done}/${total} files  ${seconds.toFixed(0)}s`;
  return fitEnd(tail ? `${head}  ${tail}` : head, Math.max(10, cols - 1));
}

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0)} MB`;

/** Where a large file's load is, in words: "reading big.csv 45% of 330 MB", "checking big.csv: 1,527,675 rows". */
export function fileProgressText(
  file: string,
  p: { phase: 'read' | 'check'; bytesRead: number; totalBytes: number; rows: number | null },
): string {
  if (p.phase === 'check')
    return `checking and writing ${file}: ${(p.rows ?? 0).toLocaleString('en-US')} rows`;
  const pct = p.totalBytes > 0 ? Math.floor((p.bytesRead / p.totalBytes) * 100) : 0;
  return `reading ${file} ${pct}% of ${mb(p.totalBytes)}`;
}

/** Files below this size get no progress of their own off a terminal: they load in about a second. */
const PLAIN_FILE_PROGRESS_BYTES = 64 * 2 ** 20;

/**
 * Progress while files load. On a terminal one line is redrawn: after each file, and once a second while a large
 * file loads (the clock keeps moving, so a long file does not look stuck). Elsewhere (pipes, CI, tests) one
 * plain line per file (none for a single file). `now` is the caller's clock in seconds (performance.now() / 1000 at the edge).
 */
export class ImportProgress {
  private readonly stream: ProgressStream;
  private readonly now: () => number;
  private readonly started: number;
  private timer: ReturnType<typeof setInterval> | null = null;
  private done = 0;
  private total = 0;
  private last = '';
  /** The file being loaded, in words (fileProgressText), until it is done. */
  private current: string | null = null;
  /** Off a terminal: the last quarter of the current file's bytes reported. */
  private quarter = 0;

  constructor(stream: ProgressStream, now: () => number) {
    this.stream = stream;
    this.now = now;
    this.started = now();
    if (stream.isTTY) {
      this.timer = setInterval(() => this.draw(), 1000);
      this.timer.unref();
    }
  }

  /**
   * Where the file being loaded is (the engine's FileProgress). On a terminal it replaces the last file in the
   * line; elsewhere files of 64 MiB and more get a plain line per quarter read and one when reading is done.
   */
  fileProgress(
    file: string,
    p: { phase: 'read' | 'check'; bytesRead: number; totalBytes: number; rows: number | null },
  ): void {
    this.current = fileProgressText(file, p);
    if (this.stream.isTTY) {
      this.draw();
      return;
    }
    if (p.totalBytes < PLAIN_FILE_PROGRESS_BYTES) return;
    const quarter = Math.floor((p.bytesRead / p.totalBytes) * 4);
    if (p.phase === 'read' && (quarter <= this.quarter || quarter >= 4)) return;
    this.quarter = quarter;
    this.stream.write(`import: ${this.current}\n`);
  }

  /** One more file is done (`done` of `total`). */
  fileDone(done: number, total: number, file: string): void {
    this.done = done;
    this.total = total;
    this.last = file;
    this.current = null;
    this.quarter = 0;
    if (this.stream.isTTY) this.draw();
    else if (total > 1) this.stream.write(`import: ${done}/${total} ${file}\n`);
  }

  finish(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.stream.isTTY) this.stream.write('\r\x1b[2K');
  }

  private draw(): void {
    const line = progressLine(
      this.done,
      this.total,
      this.now() - this.started,
      this.last,
      this.stream.columns ?? 80,
      this.current,
    );
    this.stream.write(`\r\x1b[2K${line}`);
  }
}
