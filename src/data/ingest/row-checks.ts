import type { SqlParam } from '../store/store.js';
import type { IngestEngine } from './engine.js';
import { InputError } from '../../shared/errors.js';
import { DECIMAL_PATTERN } from '../../shared/identifiers.js';

/**
 * The row checks every staged table goes through, whatever brought it (a file, a provider response, a why
 * importer): cells as SQL conditions run over the whole table at once, the first failing row in record order
 * reported as an InputError naming its line (or record) and field. Nothing is written before they all pass.
 */

/**
 * A row that failed a check (a cell, the order, a duplicate), as opposed to a file that cannot be read as a table
 * at all: the import outcome's reason (`bad-row`, src/shared/reasons.ts) comes from this class, whether the row is
 * located by a line (text files) or by a description (Parquet, JSON, a provider response).
 */
export class RowCheckError extends InputError {
  override name = 'RowCheckError';
}

/** Largest accepted price: anything above is a unit or parsing error, not a market price. */
export const MAX_PRICE = 1e12;
/** Largest accepted volume or observation magnitude. */
export const MAX_QUANTITY = 1e15;

/**
 * SQL for a staged row's record index in the file (0-based). Rows keep insertion (file) order in `rowid`, but
 * a table created inside a transaction numbers them from a large offset, so the index is rowid minus the
 * first rowid (read as text: it does not fit a JS number exactly).
 */
export async function recordIndexSql(store: IngestEngine, table: string): Promise<string> {
  const [r] = await store.query<{ base: string | null }>(`SELECT min(rowid)::VARCHAR AS base FROM ${table}`);
  const base = r?.base ?? '0';
  if (!/^\d+$/.test(base)) throw new Error(`unexpected rowid ${base}`);
  return `(rowid - ${base}::BIGINT)`;
}

/** Where a staged record came from, for error messages: a file line, or a description (JSON, a response). */
export type Locate = (rn: number) => { line?: number; where?: string };

/** A missing cell: empty or a conventional placeholder (FRED writes `.`). */
export const missing = (x: string): string =>
  `(${x} IS NULL OR lower(trim(${x})) IN ('', 'null', 'nan', 'na', 'n/a', '.', 'none', '-'))`;
/**
 * A cell that holds text but no number. `exact` also lets placeholders (`NaN`, `.`, `null`) count as empty;
 * the fast form skips that string work, which dominated the import time when run on every row.
 */
export const notNumber = (raw: string, typed: string, exact: boolean): string =>
  exact ? `(${typed} IS NULL AND NOT ${missing(raw)})` : `(${typed} IS NULL AND ${raw} IS NOT NULL)`;
/**
 * A cell DuckDB's cast reads as a number but that is not a plain decimal (`1_000`, `0x10`, `inf`): the fast form
 * looks for the characters only such spellings contain, the exact one applies the shared decimal rule.
 */
export const looseNumber = (raw: string, typed: string, exact: boolean): string =>
  exact
    ? `(${typed} IS NOT NULL AND NOT regexp_full_match(${raw}, '${DECIMAL_PATTERN}'))`
    : `(${typed} IS NOT NULL AND regexp_matches(${raw}, '[^0-9.eE+\\- \\t]'))`;

/** A number cell: DuckDB's cast trims blanks; `nan` and placeholders give NULL (told apart in the checks). */
export const num = (x: string): string => `nullif(TRY_CAST(${x} AS DOUBLE), 'NaN'::DOUBLE)`;
/** A date cell: YYYY-MM-DD, optionally with a time (the date part is kept). */
export const isoDate = (x: string): string => `TRY_CAST(${x} AS DATE)`;
/** The spelling a date cell must have: DuckDB's cast also takes `epoch`, `infinity` and `2024-01-05xyz`. */
const DATE_TEXT =
  '\\s*[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?\\s*(Z|[+-][0-9]{2}(:?[0-9]{2})?)?)?\\s*';

export type Check = {
  /** Fast condition run on every row. */
  cond: string;
  /** Exact condition when `cond` may over-report (placeholder cells); used only after a fast hit. */
  exact?: string;
  /** Values of the `?` placeholders in `cond` (and `exact`, which must use the same ones). */
  params?: readonly SqlParam[];
  field: string;
  message: (raw: Record<string, unknown>) => string;
};

export const quoteValue = (v: unknown): string => {
  const s = v === null || v === undefined ? '' : String(v);
  return `"${s.length > 40 ? s.slice(0, 40) + '…' : s}"`;
};

/**
 * The words of the row checks, shared by the SQL checks here and the in-memory checks of the why importers
 * (`src/data/why/row-checks.ts`), so that a bad cell reads the same whichever way the file came in.
 */
export const rowMessages = {
  badDate: (raw: unknown): string =>
    raw === null || raw === undefined || String(raw).trim() === ''
      ? 'missing date'
      : `not a date: ${quoteValue(raw)} (expected YYYY-MM-DD)`,
  futureDate: (raw: unknown, today: string): string =>
    `date ${quoteValue(raw)} is in the future (today is ${today})`,
  notNumber: (series: unknown, raw: unknown): string => `${String(series)}: not a number: ${quoteValue(raw)}`,
  looseNumber: (series: unknown, raw: unknown): string =>
    `${String(series)}: not a plain decimal number: ${quoteValue(raw)}`,
  outOfRange: (series: unknown, raw: unknown): string =>
    `${String(series)}: value ${quoteValue(raw)} is out of range (magnitude above ${MAX_QUANTITY})`,
  duplicateDifferent: (date: string, what: string, key: string, prevPlace: string): string =>
    `duplicate date ${date} for ${what} ${key} with a different value (first on ${prevPlace})`,
  duplicateUnsorted: (date: string, what: string, key: string, earlierPlace: string): string =>
    `duplicate date ${date} for ${what} ${key} (also on ${earlierPlace}); dates must be sorted`,
  outOfOrder: (date: string, prev: string, what: string, key: string): string =>
    `dates out of order: ${date} follows ${prev} for ${what} ${key}, but the dates ` +
    'are sorted the other way; sort them by date (ascending or descending)',
  exactDuplicates: (n: number, firstPlace: string): string =>
    `dropped ${n} exact duplicate row${n === 1 ? '' : 's'} (first on ${firstPlace})`,
} as const;

/** The raw date cell `d` did not parse, is spelled oddly or is implausible: the same check for bars and series. */
export const DATE_CHECK: Check = {
  cond: `date IS NULL OR NOT isfinite(date) OR year(date) < 1000 OR year(date) > 9999 OR
         ((length(d) <> 10 OR d NOT LIKE '____-__-__') AND NOT regexp_full_match(d, '${DATE_TEXT}'))`,
  field: 'date',
  message: (r) => rowMessages.badDate(r['d']),
};

/** Dates after `today` are refused: nothing is known about the future. */
export const futureCheck = (today: string, cond = 'date > ?::DATE'): Check => ({
  cond,
  params: [today],
  field: 'date',
  message: (r) => rowMessages.futureDate(r['d'], today),
});

function fail(check: Check, raw: Record<string, unknown>, rn: number, locate: Locate): never {
  const at = locate(rn);
  const message = at.where ? `${at.where}: ${check.message(raw)}` : check.message(raw);
  throw new RowCheckError(message, { ...(at.line ? { line: at.line } : {}), field: check.field });
}

/** Runs row checks as one CASE expression; throws for the first failing row in record order. */
export async function runChecks(
  store: IngestEngine,
  table: string,
  rn: string,
  checks: readonly Check[],
  locate: Locate,
): Promise<void> {
  const params = checks.flatMap((c) => c.params ?? []);
  // A plain OR filter is much faster than a long CASE over every row; the CASE then names the failed check
  // on the few rows that fail (params appear once in each).
  const find = async (exact: boolean) => {
    const conds = checks.map((c) => (exact && c.exact ? c.exact : c.cond));
    const cases = conds.map((c, i) => `WHEN ${c} THEN ${i}`).join(' ');
    const any = conds.map((c) => `(${c})`).join(' OR ');
    const [hit] = await store.query<{ rn: number; err: number }>(
      `SELECT rn, CASE ${cases} END AS err FROM (SELECT ${rn} AS rn, * FROM ${table} WHERE ${any})
       ORDER BY rn LIMIT 1`,
      [...params, ...params],
    );
    return hit;
  };
  let bad = await find(false);
  if (bad && checks[bad.err]?.exact) bad = await find(true);
  if (!bad) return;
  // DATE columns as text: an infinite date does not convert to a JS Date.
  const cols = await store.query<{ column_name: string; column_type: string }>(`DESCRIBE ${table}`);
  const list = cols
    .map((c) =>
      c.column_type === 'DATE' ? `"${c.column_name}"::VARCHAR AS "${c.column_name}"` : `"${c.column_name}"`,
    )
    .join(', ');
  const [raw] = await store.query(`SELECT ${list} FROM ${table} WHERE ${rn} = ?`, [bad.rn]);
  fail(checks[bad.err] as Check, raw ?? {}, bad.rn, locate);
}

/**
 * Order and duplicate checks for a staged table keyed by (key, date) in record order `rn`: dates must be
 * consistently ascending or consistently descending per key; a repeated date with the same values is dropped
 * (returned as a warning), with different values it is an error.
 */
export async function orderAndDuplicates(
  store: IngestEngine,
  table: string,
  rn: string,
  key: string,
  dateCol: string,
  valueCols: string[],
  what: string,
  locate: Locate,
): Promise<string[]> {
  const values = `(${valueCols.join(', ')})`;
  await store.exec(
    `CREATE OR REPLACE TEMP TABLE imp_issues AS
     WITH s AS (
       SELECT ${rn} AS rn, ${key} AS k, ${dateCol} AS dt, lag(${dateCol}) OVER w AS prev_dt,
              lag(${rn}) OVER w AS prev_rn, ${values} IS NOT DISTINCT FROM lag(${values}) OVER w AS same
       FROM ${table} WINDOW w AS (PARTITION BY ${key} ORDER BY ${rn})
     ), d AS (
       SELECT *, sign(dt - prev_dt) AS dir,
              first_value(nullif(sign(dt - prev_dt), 0) IGNORE NULLS) OVER (PARTITION BY k ORDER BY rn
                ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS first_dir
       FROM s
     )
     SELECT rn, k, dt::VARCHAR AS dt, prev_dt::VARCHAR AS prev_dt, prev_rn, dir, same FROM d
     WHERE dir = 0 OR dir <> first_dir`,
  );
  const [first] = await store.query<{
    rn: number;
    k: string;
    dt: string;
    prev_dt: string;
    prev_rn: number;
    dir: number;
    same: boolean;
  }>('SELECT * FROM imp_issues WHERE dir <> 0 OR NOT same ORDER BY rn LIMIT 1');
  if (first) {
    const at = locate(first.rn);
    const prevAt = locate(first.prev_rn);
    const prevPlace = prevAt.line ? `line ${prevAt.line}` : (prevAt.where ?? 'the previous row');
    const prefix = at.where ? `${at.where}: ` : '';
    const where = { ...(at.line ? { line: at.line } : {}), field: 'date' };
    if (first.dir === 0)
      throw new RowCheckError(
        `${prefix}${rowMessages.duplicateDifferent(first.dt, what, first.k, prevPlace)}`,
        where,
      );
    const [earlier] = await store.query<{ rn: number }>(
      `SELECT ${rn} AS rn FROM ${table} WHERE ${key} = ? AND ${dateCol} = ?::DATE AND ${rn} < ? ORDER BY ${rn} LIMIT 1`,
      [first.k, first.dt, first.rn],
    );
    if (earlier) {
      const e = locate(earlier.rn);
      const place = e.line ? `line ${e.line}` : (e.where ?? 'an earlier row');
      throw new RowCheckError(
        `${prefix}${rowMessages.duplicateUnsorted(first.dt, what, first.k, place)}`,
        where,
      );
    }
    throw new RowCheckError(
      `${prefix}${rowMessages.outOfOrder(first.dt, first.prev_dt, what, first.k)}`,
      where,
    );
  }
  const [dups] = await store.query<{ n: number; rn: number | null }>(
    'SELECT count(*) AS n, min(rn) AS rn FROM imp_issues WHERE dir = 0',
  );
  const warnings: string[] = [];
  if (dups && dups.n > 0) {
    await store.exec(`DELETE FROM ${table} WHERE ${rn} IN (SELECT rn FROM imp_issues WHERE dir = 0)`);
    const at = locate(dups.rn ?? 0);
    warnings.push(rowMessages.exactDuplicates(dups.n, at.line ? `line ${at.line}` : (at.where ?? 'record')));
  }
  await store.exec('DROP TABLE imp_issues');
  return warnings;
}
