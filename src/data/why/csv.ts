import { InputError } from '../../shared/errors.js';

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
