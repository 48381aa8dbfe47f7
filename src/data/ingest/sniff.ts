import { closeSync, openSync, readSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { InputError } from '../../shared/errors.js';
import { fredUnit } from '../providers/fred/map.js';
import { DECIMAL_RE } from '../../shared/identifiers.js';

export { fredUnit };

/** How many bytes of a file are read to recognise its encoding, delimiter and layout. */
export const SAMPLE_BYTES = 64 * 1024;

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be';

/** The start of a file, decoded: enough to read its header rows and a few data rows. */
export type Sample = {
  encoding: TextEncodingName;
  /** Decoded text of the sample, without BOM. */
  text: string;
  /** True when the sample is the whole file. */
  complete: boolean;
  /** Size of the file in bytes. */
  size: number;
};

/**
 * Reads and decodes the first SAMPLE_BYTES of a file. UTF-8 (with or without BOM) and UTF-16 with a BOM are
 * text; NUL bytes or invalid UTF-8 mean a binary file, refused with an InputError.
 */
export function readSample(path: string): Sample {
  const fd = openSync(path, 'r');
  let buf: Buffer;
  let size: number;
  try {
    buf = Buffer.alloc(SAMPLE_BYTES);
    const n = readSync(fd, buf, 0, SAMPLE_BYTES, 0);
    buf = buf.subarray(0, n);
    const more = Buffer.alloc(1);
    size = n + readSync(fd, more, 0, 1, n);
  } finally {
    closeSync(fd);
  }
  const complete = size <= buf.length;
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe)
    return { encoding: 'utf-16le', text: decode16(buf.subarray(2), 'utf-16le', complete), complete, size };
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff)
    return { encoding: 'utf-16be', text: decode16(buf.subarray(2), 'utf-16be', complete), complete, size };
  let body = buf;
  if (body.length >= 3 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) body = body.subarray(3);
  if (body.includes(0)) throw new InputError('binary file (it contains NUL bytes), not a text table');
  if (!complete) {
    // Cut at the last line end so a multi-byte character split by the sample boundary does not look invalid.
    const lastNl = body.lastIndexOf(0x0a);
    if (lastNl > 0) body = body.subarray(0, lastNl + 1);
  }
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(body);
    return { encoding: 'utf-8', text, complete, size };
  } catch {
    throw new InputError('binary file (not valid UTF-8 or UTF-16 text)');
  }
}

function decode16(bytes: Buffer, enc: 'utf-16le' | 'utf-16be', complete: boolean): string {
  const even = complete ? bytes : bytes.subarray(0, bytes.length - (bytes.length % 2));
  const text = new TextDecoder(enc).decode(even);
  if (text.includes('\u0000')) throw new InputError('binary file (it contains NUL characters)');
  return text;
}

/** Splits text into physical lines (LF or CRLF). The last line is dropped when the sample is incomplete. */
export function sampleLines(sample: Sample): string[] {
  const lines = sample.text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  if (!sample.complete) lines.pop();
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Parses one CSV line (RFC 4180 quotes, `""` escapes) into trimmed cells. */
export function parseCsvLine(line: string, delim: string): string[] {
  const cells: string[] = [];
  let cur = '';
  let inQuotes = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (inQuotes) {
      if (ch === '"') {
        if (line[i + 1] === '"') {
          cur += '"';
          i++;
        } else inQuotes = false;
      } else cur += ch;
    } else if (ch === '"') inQuotes = true;
    else if (ch === delim) {
      cells.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  cells.push(cur.trim());
  return cells;
}

/** The delimiter of a delimited text file: tab for .tsv, else whichever of , \t ; | the header uses most. */
export function detectDelimiter(firstLine: string, ext: string): string {
  if (ext === '.tsv') return '\t';
  const counts = [',', '\t', ';', '|'].map((d) => [d, firstLine.split(d).length - 1] as const);
  const best = counts.reduce((a, b) => (b[1] > a[1] ? b : a));
  return best[1] > 0 ? best[0] : ',';
}

/** Lower-cased header name with everything but letters and digits removed: `Adj Close` → `adjclose`. */
export const normalizeHeader = (h: string): string => h.toLowerCase().replace(/[^a-z0-9]/g, '');

const DATE_NAMES = new Set([
  'date',
  'timestamp',
  'time',
  'datetime',
  'observationdate',
  'day',
  'dt',
  'tradedate',
  'tradingdate',
]);
const BAR_FIELDS: Record<string, BarField> = {
  open: 'open',
  high: 'high',
  low: 'low',
  close: 'close',
  closeprice: 'close',
  adjclose: 'adjClose',
  adjustedclose: 'adjClose',
  adjclosed: 'adjClose',
  volume: 'volume',
  vol: 'volume',
  symbol: 'symbol',
  ticker: 'symbol',
};
const ISO_START = /^\d{4}-\d{2}-\d{2}/;

export type BarField = 'symbol' | 'open' | 'high' | 'low' | 'close' | 'adjClose' | 'volume';

/** A recognised table layout: which header rows to skip and which column holds what. */
export type Layout =
  | {
      table: 'bars';
      name: string;
      headerRows: number;
      /** Number of columns to read. */
      width: number;
      date: number;
      fields: Partial<Record<BarField, number>>;
      /** The symbol named by a yfinance `Ticker` header row. */
      headerSymbol: string | null;
      ignored: string[];
    }
  | {
      table: 'observations';
      name: string;
      headerRows: number;
      width: number;
      date: number;
      /** Candidate value columns: index, series id, unit. Non-numeric ones are dropped after loading. */
      values: { index: number; column: string; series: string; unit: string }[];
      /** A `known_at` (or `as_of`, `released`) column: the day each row became public (docs/known-at.md). */
      knownAt?: number;
    };

/** Header names of a column saying when a row became public. */
const KNOWN_AT_HEADERS = new Set(['knownat', 'asof', 'released', 'releasedate', 'vintage']);

/** A column name made safe for a series id: runs of other characters become `_`. */
export function slug(column: string): string {
  return column.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[^A-Za-z0-9]+|[_.-]+$/g, '');
}

export const fileStem = (path: string): string => basename(path, extname(path));

/**
 * A table that is readable but is not a time series (a constituents snapshot, a per-year table). Named on the
 * command line it is an error; met while walking a folder it is skipped with its reason.
 */
export class NotATimeSeriesError extends InputError {
  override name = 'NotATimeSeriesError';
}

/**
 * Recognises the layout of a table from its first rows (header rows, then data rows). Refuses, with a reason,
 * tables that are not time series: snapshots without a date column and per-year tables.
 */
export function detectLayout(rows: readonly string[][], path: string): Layout {
  const stem = slug(fileStem(path)) || 'file';
  const header = rows[0] ?? [];
  if (header.length === 0 || header.every((c) => c === '')) throw new InputError('empty file: no header row');
  const norm = header.map(normalizeHeader);
  const shown = `"${header.join(',').slice(0, 200)}"`;

  // yfinance multi-index export: Price,... / Ticker,^NDX,... / [Date,,,,]
  const second = rows[1] ?? [];
  if (norm[0] === 'price' && normalizeHeader(second[0] ?? '') === 'ticker') {
    const third = rows[2] ?? [];
    const threeRow = normalizeHeader(third[0] ?? '') === 'date' && third.slice(1).every((c) => c === '');
    const tickers = [...new Set(second.slice(1).filter((c) => c !== ''))];
    if (tickers.length > 1)
      throw new InputError(
        `yfinance file with several tickers (${tickers.slice(0, 5).join(', ')}): import one ticker per file`,
      );
    const layout = barLayout(norm, header, 0, threeRow ? 3 : 2, threeRow ? 'yfinance-3row' : 'yfinance-2row');
    if (!layout) throw new InputError(`unknown layout: yfinance header ${shown} has no Close column`);
    return {
      ...layout,
      headerSymbol: tickers[0] ?? null,
      width: widthOf(rows, header.length, threeRow ? 3 : 2),
    };
  }

  if (norm[0] === 'year' || norm[0] === 'yr' || norm[0] === 'fiscalyear')
    throw new NotATimeSeriesError(
      `per-year table; not importable as a time series yet (first column "${header[0]}" is a year, not a date)`,
    );

  let date = norm.findIndex((h) => DATE_NAMES.has(h));
  if (date < 0 && ISO_START.test(rows[1]?.[0] ?? '')) date = 0;
  if (date < 0) {
    const snapshotWords =
      /^(symbol|ticker|weight|weightpct|sector|security|holding|holdings|constituent|name|count)$/;
    const looksSnapshot = rows
      .slice(0, 15)
      .some((r) => r.map(normalizeHeader).some((h) => snapshotWords.test(h)));
    if (looksSnapshot)
      throw new NotATimeSeriesError(
        'no date column: this looks like a constituents/holdings snapshot, not a time series',
      );
    throw new InputError(
      `unknown layout: header ${shown} has no date column (expected Date, date, timestamp or observation_date)`,
    );
  }
  if (rows.length < 2) throw new InputError('no data rows (header only)');
  const dataLike = header.filter((c, i) => i !== date && DECIMAL_RE.test(c));
  if (ISO_START.test(header[date] ?? '') || (dataLike.length > 0 && dataLike.length === header.length - 1))
    throw new InputError(
      `no header row: the first line ${shown} holds data; add a header such as Date,Close or Date,VALUE`,
      { line: 1 },
    );
  const width = widthOf(rows, header.length, 1);

  const bars = barLayout(norm, header, date, 1, '');
  if (bars) return { ...bars, width };
  const priceNames = norm.filter((h) => ['open', 'high', 'low', 'adjclose', 'adjustedclose'].includes(h));
  if (priceNames.length > 0)
    throw new InputError(
      `header ${shown} names prices (${priceNames.join(', ')}) but no Close column; name the closing price Close`,
      { line: 1, field: 'close' },
    );

  const knownAtIndex = norm.findIndex((h, i) => i !== date && KNOWN_AT_HEADERS.has(h));
  const knownAt = knownAtIndex >= 0 ? { knownAt: knownAtIndex } : {};
  const others = header
    .map((column, index) => ({ column, index }))
    .filter((c) => c.index !== date && c.index !== knownAtIndex && c.column !== '');
  if (others.length === 0)
    throw new InputError(`unknown layout: header ${shown} has a date column but no value column`);
  if (others.length === 1) {
    const only = others[0] as { column: string; index: number };
    const series =
      normalizeHeader(only.column) === 'value'
        ? stem
        : /^[A-Z0-9_]{2,}$/.test(only.column)
          ? only.column
          : `${stem}:${slug(only.column)}`;
    const base = series.split(':')[0] ?? series;
    return {
      table: 'observations',
      name: 'fred',
      headerRows: 1,
      width,
      date,
      values: [{ index: only.index, column: only.column, series, unit: fredUnit(base) }],
      ...knownAt,
    };
  }
  const values = others.map((c) => ({
    index: c.index,
    column: c.column,
    series: `${stem}:${slug(c.column) || `column${c.index + 1}`}`,
    unit: 'number',
  }));
  const seen = new Map<string, string>();
  for (const v of values) {
    const before = seen.get(v.series);
    if (before !== undefined)
      throw new InputError(
        `columns "${before}" and "${v.column}" both become series ${v.series}; rename one of them`,
        { line: 1, field: v.column },
      );
    seen.set(v.series, v.column);
  }
  return { table: 'observations', name: 'wide', headerRows: 1, width, date, values, ...knownAt };
}

/**
 * The number of columns to read: the header's. A data row in the sample with more cells is an error naming
 * its line (a stray delimiter would shift every later column), unless the extra cells are empty (a trailing
 * delimiter on every row).
 */
function widthOf(rows: readonly string[][], headerWidth: number, headerRows: number): number {
  let width = headerWidth;
  rows.slice(headerRows).forEach((r, i) => {
    if (r.length <= headerWidth) return;
    if (r.slice(headerWidth).every((c) => c === '')) width = Math.max(width, r.length);
    else
      throw new InputError(
        `${r.length} fields, but the header has ${headerWidth} (a stray delimiter shifts the columns)`,
        { line: headerRows + i + 1 },
      );
  });
  return width;
}

function barLayout(
  norm: readonly string[],
  header: readonly string[],
  date: number,
  headerRows: number,
  forcedName: string,
): Extract<Layout, { table: 'bars' }> | null {
  const fields: Partial<Record<BarField, number>> = {};
  const ignored: string[] = [];
  norm.forEach((h, i) => {
    if (i === date) return;
    const f = BAR_FIELDS[h];
    if (f && fields[f] === undefined) fields[f] = i;
    else if (h !== '') ignored.push(header[i] ?? '');
  });
  if (fields.close === undefined) return null;
  const name =
    forcedName ||
    (fields.symbol !== undefined
      ? 'long'
      : fields.open !== undefined || fields.high !== undefined || fields.low !== undefined
        ? 'ohlcv'
        : 'date-close');
  return { table: 'bars', name, headerRows, width: header.length, date, fields, headerSymbol: null, ignored };
}
