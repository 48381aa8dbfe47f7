import { closeSync, openSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '../store/store.js';
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
  store: Store,
  path: string,
  opts: { headerRows: number; width: number; delim: string; select: string; outer: string },
): Promise<void> {
  const columns = Array.from({ length: opts.width }, (_, i) => `'c${i}': 'VARCHAR'`).join(', ');
  const read = (parallel: boolean) =>
    `CREATE OR REPLACE TEMP TABLE imp_file AS SELECT ${opts.outer} FROM (SELECT ${opts.select} FROM read_csv(${sqlString(path)},
       header = false, skip = ${opts.headerRows}, all_varchar = true, columns = {${columns}},
       delim = ${sqlString(opts.delim)}, quote = '"', escape = '"', strict_mode = true, null_padding = true,
       auto_detect = false, parallel = ${parallel}))`;
  try {
    await store.exec(read(true));
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    // Quoted line breaks with null padding need the single-threaded reader.
    if (/parallel=false/.test(message)) {
      try {
        await store.exec(read(false));
        return;
      } catch (e2) {
        throw csvError(e2);
      }
    }
    throw csvError(e);
  }
}

/** Turns a DuckDB CSV reader error into an InputError with the file line it names. */
function csvError(e: unknown): InputError {
  const message = e instanceof Error ? e.message : String(e);
  const line = /CSV Error on Line: (\d+)/.exec(message);
  const found = /Expected Number of Columns: (\d+) Found: (\d+)/.exec(message);
  if (found) {
    return new InputError(`expected at most ${found[1]} columns, found ${found[2]}`, {
      ...(line ? { line: Number(line[1]) } : {}),
    });
  }
  if (/unicode|utf-?8/i.test(message))
    return new InputError('binary file (not valid UTF-8 text)', line ? { line: Number(line[1]) } : {});
  const first = message.split('\n')[0] ?? message;
  return new InputError(`cannot read as a table: ${first}`, line ? { line: Number(line[1]) } : {});
}

let tempCounter = 0;

/** Writes a UTF-16 file as a temporary UTF-8 copy (DuckDB reads UTF-8) and returns its path. */
export function transcodeToUtf8(path: string, encoding: TextEncodingName): string {
  const bytes = readFileSync(path);
  const text = new TextDecoder(encoding).decode(bytes.subarray(2));
  const out = join(tmpdir(), `rotation-import-${process.pid}-${++tempCounter}.csv`);
  writeFileSync(out, text, 'utf8');
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
