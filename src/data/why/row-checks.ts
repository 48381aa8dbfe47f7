import { parseIsoDate } from '../../shared/dates.js';
import { DECIMAL_RE } from '../../shared/identifiers.js';
import { MAX_QUANTITY, RowCheckError, rowMessages } from '../ingest/row-checks.js';

/**
 * The row checks of the generic importer (src/data/ingest/row-checks.ts), applied in memory to the small "why"
 * files (Shiller, S&P EPS, ICI, CFTC): the same rules and the same words. Cells: a plain decimal (no `0x10`,
 * `1_000`, `Infinity`), magnitude at most MAX_QUANTITY, placeholders (`NaN`, `.`, `n/a`) as gaps. Dates:
 * YYYY-MM-DD, never after today. Order: per series consistently ascending or descending; an exact duplicate
 * row is dropped with one warning, a duplicate date with another value is an error. Every failure is an
 * InputError naming file, line and field, thrown before anything is written.
 */

/** Where a cell is: the file, its line and the column (the field the error names). */
export type CellAt = { file: string; line: number; field: string };

const PLACEHOLDERS = new Set(['', 'null', 'nan', 'na', 'n/a', '.', 'none', '-']);

/** A number cell of series `series`: the number, or null for an empty or placeholder cell (a gap). */
export function whyNumber(cell: string | undefined, series: string, at: CellAt): number | null {
  const raw = cell ?? '';
  if (PLACEHOLDERS.has(raw.trim().toLowerCase())) return null;
  if (!DECIMAL_RE.test(raw)) {
    // The generic importer tells a spelling its SQL cast reads as a number (hex, digit separators, inf) apart
    // from plain text; the same split here.
    const loose = /^\s*[+-]?(0x[0-9a-f]+|[0-9][0-9_]*(\.[0-9_]*)?|inf(inity)?)\s*$/i.test(raw);
    throw new RowCheckError(
      loose ? rowMessages.looseNumber(series, raw) : rowMessages.notNumber(series, raw),
      at,
    );
  }
  const v = Number(raw);
  if (!Number.isFinite(v) || Math.abs(v) > MAX_QUANTITY)
    throw new RowCheckError(rowMessages.outOfRange(series, raw), at);
  return v;
}

/** A date cell: YYYY-MM-DD (blanks around it allowed), not after `today`. */
export function whyDate(cell: string | undefined, today: string, at: CellAt): string {
  const d = (cell ?? '').trim();
  if (!parseIsoDate(d)) throw new RowCheckError(rowMessages.badDate(cell ?? ''), at);
  if (d > today) throw new RowCheckError(rowMessages.futureDate(d, today), at);
  return d;
}

/** One record for the order and duplicate check: its key (a series), its period and what it holds. */
export type OrderedRecord = { line: number; key: string; period: string; value: number | string };

/**
 * The generic importer's order and duplicate rule (orderAndDuplicates) in memory: per key, periods in record
 * order must all rise or all fall. Returns the lines to drop (rows whose every record repeats the previous
 * record of its key exactly) and the warning; throws for a duplicate period with another value, a repeated
 * period out of sequence, or a period out of order. `field` is the period column the errors name.
 */
export function checkOrder(
  records: readonly OrderedRecord[],
  file: string,
  field: string,
): { keep: boolean[]; warnings: string[] } {
  type State = { prev: OrderedRecord; dir: number; lines: Map<string, number> };
  const byKey = new Map<string, State>();
  const dupLines = new Set<number>();
  const keep = records.map(() => true);
  records.forEach((r, i) => {
    const s = byKey.get(r.key);
    if (!s) {
      byKey.set(r.key, { prev: r, dir: 0, lines: new Map([[r.period, r.line]]) });
      return;
    }
    const at = { file, line: r.line, field };
    if (r.period === s.prev.period) {
      if (r.value !== s.prev.value)
        throw new RowCheckError(
          rowMessages.duplicateDifferent(r.period, 'series', r.key, `line ${s.prev.line}`),
          at,
        );
      dupLines.add(r.line);
      keep[i] = false;
      return;
    }
    const dir = r.period > s.prev.period ? 1 : -1;
    if (s.dir !== 0 && dir !== s.dir) {
      const earlier = s.lines.get(r.period);
      if (earlier !== undefined)
        throw new RowCheckError(
          rowMessages.duplicateUnsorted(r.period, 'series', r.key, `line ${earlier}`),
          at,
        );
      throw new RowCheckError(rowMessages.outOfOrder(r.period, s.prev.period, 'series', r.key), at);
    }
    s.dir = dir;
    s.prev = r;
    if (!s.lines.has(r.period)) s.lines.set(r.period, r.line);
  });
  const first = Math.min(...dupLines);
  const warnings =
    dupLines.size > 0 ? [`${file}: ${rowMessages.exactDuplicates(dupLines.size, `line ${first}`)}`] : [];
  return { keep, warnings };
}
