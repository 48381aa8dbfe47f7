import {
  closeSync,
  fstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withReadProgress, type FileProgress, type IngestEngine } from './engine.js';
import { InputError } from '../../shared/errors.js';
import type { TextEncodingName } from './sniff.js';

/** A SQL string literal (single quotes doubled). Only for paths and fixed option values we build ourselves. */
export const sqlString = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/**
 * Loads a delimited text file into the TEMP table `imp_file` with DuckDB's CSV reader: every cell as VARCHAR,
 * columns c0 … c{width-1}, header rows skipped. The table's rowid is the data record's index in the file
 * (insertion order is preserved), which `locateLine` turns back into a file line.
 */
export async function stageCsv(
  store: IngestEngine,
  path: string,
  opts: {
    headerRows: number;
    width: number;
    delim: string;
    select: string;
    outer: string;
    /** Called while the file is read (bytes), then once with its rows when it is staged. */
    onProgress?: (p: FileProgress) => void;
  },
): Promise<void> {
  const totalBytes = opts.onProgress ? statSync(path).size : 0;
  await withReadProgress(store, totalBytes, opts.onProgress, () => stageCsvRead(store, path, opts));
  if (opts.onProgress) {
    const [r] = await store.query<{ n: number }>('SELECT count(*) AS n FROM imp_file');
    opts.onProgress({ phase: 'check', bytesRead: totalBytes, totalBytes, rows: r?.n ?? 0 });
  }
}

async function stageCsvRead(
  store: IngestEngine,
  path: string,
  opts: { headerRows: number; width: number; delim: string; select: string; outer: string },
): Promise<void> {
  const columns = Array.from({ length: opts.width }, (_, i) => `'c${i}': 'VARCHAR'`).join(', ');
  const read = (parallel: boolean) =>
    `CREATE OR REPLACE TEMP TABLE imp_file AS SELECT ${opts.outer} FROM (SELECT ${opts.select} FROM read_csv(${sqlString(path)},
       header = false, skip = ${opts.headerRows}, all_varchar = true, columns = {${columns}},
       delim = ${sqlString(opts.delim)}, quote = '"', escape = '"', strict_mode = true, null_padding = false,
       auto_detect = false, parallel = ${parallel}))`;
  try {
    await store.exec(read(true));
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    // Quoted line breaks with null padding need the single-threaded reader.
    if (/parallel=false/.test(message)) {
      // On a DuckDB store the read is the first statement of the file's transaction, which it aborted.
      await store.restartAfterError();
      try {
        await store.exec(read(false));
        return;
      } catch (e2) {
        throw csvError(e2, path);
      }
    }
    throw csvError(e, path);
  }
}

/**
 * Turns a DuckDB CSV reader error into an InputError with the file line it names, in our words: DuckDB's own
 * text ("CSV Parser state machine reached an invalid state", its option dump) never reaches the user.
 */
function csvError(e: unknown, path: string): InputError {
  const message = e instanceof Error ? e.message : String(e);
  const line = /CSV Error on Line: (\d+)/.exec(message);
  const at = line ? { line: Number(line[1]) } : {};
  const found = /Expected Number of Columns: (\d+) Found: (\d+)/.exec(message);
  if (found) {
    const [want, got] = [Number(found[1]), Number(found[2])];
    return new InputError(
      got < want
        ? `a short row: ${got} field${got === 1 ? '' : 's'} where the file's rows have ${want} (a missing cell needs its delimiter, e.g. "2024-01-03,")`
        : `expected at most ${want} columns, found ${got}`,
      at,
    );
  }
  if (/unicode|utf-?8/i.test(message)) return new InputError('binary file (not valid UTF-8 text)', at);
  if (/state machine|not RFC 4180/i.test(message)) {
    const mixed = mixedLineEnding(path);
    if (mixed)
      return new InputError(
        `line ${mixed.line} ends with ${mixed.found} but line 1 ends with ${mixed.first}: use one kind of line ending`,
        { line: mixed.line },
      );
    return new InputError('cannot read as a table: a stray quote or an unclosed quoted cell', at);
  }
  if (/quote/i.test(message)) return new InputError('an unclosed quoted cell', at);
  const first = (message.split('\n')[0] ?? message).replace(/^[A-Za-z ]*Error: /, '');
  return new InputError(`cannot read as a table (${first})`, at);
}

/** The first line whose ending (LF or CRLF) differs from the first line's, in the file's first megabyte. */
function mixedLineEnding(path: string): { line: number; first: string; found: string } | null {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(1 << 20);
    const n = readSync(fd, buf, 0, buf.length, 0);
    let firstCr: boolean | null = null;
    let line = 1;
    for (let i = 0; i < n; i++) {
      if (buf[i] !== 0x0a) continue;
      const cr = i > 0 && buf[i - 1] === 0x0d;
      if (firstCr === null) firstCr = cr;
      else if (cr !== firstCr) return { line, first: firstCr ? 'CRLF' : 'LF', found: cr ? 'CRLF' : 'LF' };
      line++;
    }
    return null;
  } finally {
    closeSync(fd);
  }
}

/**
 * The check for a file cut mid-line: when a file does not end with a line break, its last line is read in full;
 * fewer cells than the header is an error (a cut row would store a cut number), as many is a warning (a cut
 * inside the last value cannot be told from a complete file). Returns the warning, or null.
 */
export function checkLastLine(path: string, width: number, delim: string): string | null {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return null;
    const len = Math.min(size, 1 << 16);
    const buf = Buffer.alloc(len);
    readSync(fd, buf, 0, len, size - len);
    if (buf[len - 1] === 0x0a) return null;
    const nl = buf.lastIndexOf(0x0a);
    const text = buf
      .subarray(nl + 1)
      .toString('utf8')
      .replace(/\r$/, '');
    if (text.trim() === '') return null;
    const cells = text.split(delim).length;
    const line = countLines(path);
    if (cells < width)
      throw new InputError(
        `the last line has ${cells} of ${width} fields and no line break: the file looks cut off mid-line`,
        { line },
      );
    return `the file does not end with a line break; if it was cut short, the last value (line ${line}) may be incomplete`;
  } finally {
    closeSync(fd);
  }
}

function countLines(path: string): number {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(1 << 20);
    let lines = 1;
    let pos = 0;
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, pos);
      if (n === 0) return lines;
      pos += n;
      for (let i = 0; i < n; i++) if (buf[i] === 0x0a) lines++;
    }
  } finally {
    closeSync(fd);
  }
}

let tempCounter = 0;

/** The folder of temporary UTF-8 copies: one per process, so a later run can tell which ones are orphans. */
const TEMP_PREFIX = 'rotation-import-';

/** True when a process with this id is running (signal 0 tests without sending anything). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM';
  }
}

/**
 * Removes temporary copies left by import processes that were killed (SIGKILL runs no cleanup): every
 * `rotation-import-<pid>-…` file in the temp folder whose process is gone.
 */
export function removeOrphanTempCopies(dir: string = tmpdir()): number {
  let removed = 0;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    const m = new RegExp(`^${TEMP_PREFIX}(\\d+)-\\d+\\.csv$`).exec(name);
    if (!m || Number(m[1]) === process.pid || alive(Number(m[1]))) continue;
    rmSync(join(dir, name), { force: true });
    removed++;
  }
  return removed;
}

/**
 * Writes a UTF-16 file as a temporary UTF-8 copy (DuckDB reads UTF-8) and returns its path. The caller removes
 * it in a `finally`; a copy orphaned by a killed process is removed by the next import.
 */
export function transcodeToUtf8(path: string, encoding: TextEncodingName, dir: string = tmpdir()): string {
  removeOrphanTempCopies(dir);
  const bytes = readFileSync(path);
  const text = new TextDecoder(encoding).decode(bytes.subarray(2));
  mkdirSync(dir, { recursive: true });
  const out = join(dir, `${TEMP_PREFIX}${process.pid}-${++tempCounter}.csv`);
  try {
    writeFileSync(out, text, 'utf8');
  } catch (e) {
    rmSync(out, { force: true });
    throw e;
  }
  return out;
}

/**
 * The 1-based file line where data record `recordIndex` (0-based, after `headerRows` skipped lines) starts.
 * Blank lines are skipped as DuckDB skips them; quoted line breaks stay inside their record. Runs on the
 * error path only, streaming the file.
 */
export function locateLine(path: string, headerRows: number, recordIndex: number): number {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(1 << 20);
    let line = 1;
    let inQuotes = false;
    let lineHasContent = false;
    let records = 0;
    let pos = 0;
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, pos);
      if (n === 0) break;
      pos += n;
      for (let i = 0; i < n; i++) {
        const b = buf[i];
        if (b === 0x0a) {
          if (!inQuotes) lineHasContent = false;
          line++;
          continue;
        }
        if (b === 0x0d) continue;
        if (!lineHasContent) {
          lineHasContent = true;
          if (line > headerRows) {
            if (records === recordIndex) return line;
            records++;
          }
        }
        if (b === 0x22) inQuotes = !inQuotes;
      }
    }
    return line;
  } finally {
    closeSync(fd);
  }
}
