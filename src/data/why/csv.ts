import { closeSync, openSync, readSync } from 'node:fs';
import { InputError } from '../../shared/errors.js';

/** The largest "why" file read (they are read in memory; the public ones are well under 1 MB). */
export const MAX_WHY_FILE_BYTES = 64 * 1024 * 1024;

/**
 * Reads a "why" file as text: UTF-8 (BOM or not) or UTF-16 with a BOM (spreadsheets save "Unicode text" so),
 * at most MAX_WHY_FILE_BYTES (read that far and no further: a device or pipe cannot exhaust memory). Invalid
 * UTF-8 or a NUL character is an InputError, as the generic importer refuses them.
 */
export function readWhyText(path: string, file: string, maxBytes = MAX_WHY_FILE_BYTES): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new InputError(`cannot read the file (${(e as { code?: string }).code ?? (e as Error).message})`, {
      file,
    });
  }
  let buf: Buffer;
  try {
    buf = Buffer.alloc(maxBytes + 1);
    let n = 0;
    for (;;) {
      const got = readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
      if (n > maxBytes)
        throw new InputError(`is larger than ${maxBytes} bytes, the limit for a "why" file`, { file });
    }
    buf = buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
  let text: string;
  try {
    if (buf[0] === 0xff && buf[1] === 0xfe)
      text = new TextDecoder('utf-16le', { fatal: true }).decode(buf.subarray(2));
    else if (buf[0] === 0xfe && buf[1] === 0xff)
      text = new TextDecoder('utf-16be', { fatal: true }).decode(buf.subarray(2));
    else text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    throw new InputError('binary file (not valid UTF-8 or UTF-16 text)', { file });
  }
  if (text.includes('\u0000')) throw new InputError('binary file (it contains NUL characters)', { file });
  return text;
}

/** One data record of a CSV file with the 1-based file line it starts on. */
export type CsvRecord = { line: number; cells: string[] };
export type CsvTable = { header: string[]; records: CsvRecord[] };

/**
 * Parses comma-separated text (RFC 4180 quoting, CRLF or LF, optional UTF-8 BOM) into a header and records.
 * Blank lines are skipped. The "why" files are small (hundreds to a few thousand rows), so this reads in memory.
 */
export function parseCsvText(text: string, file: string): CsvTable {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const out: CsvRecord[] = [];
  let line = 1;
  let i = 0;
  while (i < src.length) {
    const start = line;
    const cells: string[] = [];
    let cell = '';
    let quoted = false;
    let ended = false;
    while (i < src.length && !ended) {
      const ch = src[i] as string;
      if (quoted) {
        if (ch === '"') {
          if (src[i + 1] === '"') {
            cell += '"';
            i += 2;
            continue;
          }
          quoted = false;
          i++;
          continue;
        }
        if (ch === '\n') line++;
        cell += ch;
        i++;
        continue;
      }
      if (ch === '"' && cell === '') {
        quoted = true;
        i++;
      } else if (ch === ',') {
        cells.push(cell);
        cell = '';
        i++;
      } else if (ch === '\r' || ch === '\n') {
        if (ch === '\r' && src[i + 1] === '\n') i++;
        i++;
        line++;
        ended = true;
      } else {
        cell += ch;
        i++;
      }
    }
    if (quoted) throw new InputError('unterminated quoted field', { file, line: start });
    cells.push(cell);
    if (cells.length === 1 && (cells[0] as string).trim() === '') continue;
    out.push({ line: start, cells });
  }
  const head = out.shift();
  if (!head) throw new InputError('empty file: no header line', { file, line: 1 });
  return { header: head.cells.map((h) => h.trim()), records: out };
}

/** The first line of a text (the header), without BOM or line ending. */
export function firstLine(head: string): string {
  const s = head.charCodeAt(0) === 0xfeff ? head.slice(1) : head;
  const end = s.search(/\r?\n/);
  return end < 0 ? s : s.slice(0, end);
}

/** Splits one header line on commas, honouring double quotes; cells trimmed. */
export function splitHeader(line: string): string[] {
  return parseCsvText(line + '\n', '(header)').header;
}
