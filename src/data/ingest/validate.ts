import type { Store } from '../store/store.js';
import type { InstrumentKind } from '../../shared/domain.js';
import { InputError } from '../../shared/errors.js';

/** Largest accepted price: anything above is a unit or parsing error, not a market price. */
export const MAX_PRICE = 1e12;
/** Largest accepted volume or observation magnitude. */
export const MAX_QUANTITY = 1e15;

export const SYMBOL_PATTERN = '[A-Za-z0-9^._:=\\-]{1,32}';
export const SYMBOL_RE = new RegExp(`^${SYMBOL_PATTERN}$`);

/**
 * SQL for a staged row's record index in the file (0-based). Rows keep insertion (file) order in `rowid`, but
 * a table created inside a transaction numbers them from a large offset, so the index is rowid minus the
 * first rowid (read as text: it does not fit a JS number exactly).
 */
export async function recordIndexSql(store: Store, table: string): Promise<string> {
  const [r] = await store.query<{ base: string | null }>(`SELECT min(rowid)::VARCHAR AS base FROM ${table}`);
  const base = r?.base ?? '0';
  if (!/^\d+$/.test(base)) throw new Error(`unexpected rowid ${base}`);
  return `(rowid - ${base}::BIGINT)`;
}

/** Where a staged record came from, for error messages: a file line, or a description (JSON). */
export type Locate = (rn: number) => { line?: number; where?: string };

/** A missing cell: empty or a conventional placeholder (FRED writes `.`). */
const missing = (x: string): string =>
  `(${x} IS NULL OR lower(trim(${x})) IN ('', 'null', 'nan', 'na', 'n/a', '.', 'none', '-'))`;
/**
 * A cell that holds text but no number. `exact` also lets placeholders (`NaN`, `.`, `null`) count as empty;
 * the fast form skips that string work, which dominated the import time when run on every row.
 */
const notNumber = (raw: string, typed: string, exact: boolean): string =>
  exact ? `(${typed} IS NULL AND NOT ${missing(raw)})` : `(${typed} IS NULL AND ${raw} IS NOT NULL)`;

/** A number cell: DuckDB's cast trims blanks; `nan` and placeholders give NULL (told apart in the checks). */
const num = (x: string): string => `TRY_CAST(${x} AS DOUBLE)`;
/** A date cell: YYYY-MM-DD, optionally with a time (the date part is kept). */
const isoDate = (x: string): string => `TRY_CAST(${x} AS DATE)`;
/** A typed date that is no plausible calendar date (negative or five-digit years). */
const badYear = (x: string): string => `(year(${x}) < 1000 OR year(${x}) > 9999)`;

type Check = {
  /** Fast condition run on every row. */
  cond: string;
  /** Exact condition when `cond` may over-report (placeholder cells); used only after a fast hit. */
  exact?: string;
  field: string;
  message: (raw: Record<string, unknown>) => string;
};

/** The raw date cell `d` did not parse (or parsed to an implausible year): the same check for bars and series. */
const DATE_CHECK: Check = {
  cond: `date IS NULL OR ${badYear('date')}`,
  field: 'date',
  message: (r) =>
    r['d'] === null || String(r['d']).trim() === ''
      ? 'missing date'
      : `not a date: ${quoteValue(r['d'])} (expected YYYY-MM-DD)`,
};

const quoteValue = (v: unknown): string => {
  const s = v === null || v === undefined ? '' : String(v);
  return `"${s.length > 40 ? s.slice(0, 40) + '…' : s}"`;
};

function fail(check: Check, raw: Record<string, unknown>, rn: number, locate: Locate): never {
  const at = locate(rn);
  const message = at.where ? `${at.where}: ${check.message(raw)}` : check.message(raw);
  throw new InputError(message, { ...(at.line ? { line: at.line } : {}), field: check.field });
}

/** Runs row checks as one CASE expression; throws for the first failing row in file order. */
async function runChecks(
  store: Store,
  table: string,
  rn: string,
  checks: Check[],
  params: unknown[],
  locate: Locate,
) {
  // A plain OR filter is much faster than a long CASE over every row; the CASE then names the failed check
  // on the few rows that fail (params appear once in each).
  const find = async (exact: boolean) => {
    const conds = checks.map((c) => (exact && c.exact ? c.exact : c.cond));
    const cases = conds.map((c, i) => `WHEN ${c} THEN ${i}`).join(' ');
    const any = conds.map((c) => `(${c})`).join(' OR ');
    const [hit] = await store.query<{ rn: number; err: number }>(
      `SELECT rn, CASE ${cases} END AS err FROM (SELECT ${rn} AS rn, * FROM ${table} WHERE ${any})
       ORDER BY rn LIMIT 1`,
      [...params, ...params] as never,
    );
    return hit;
  };
  let bad = await find(false);
  if (bad && checks[bad.err]?.exact) bad = await find(true);
  if (!bad) return;
  const [raw] = await store.query(`SELECT * FROM ${table} WHERE ${rn} = ?`, [bad.rn]);
  fail(checks[bad.err] as Check, raw ?? {}, bad.rn, locate);
}

/**
 * Order and duplicate checks for a staged table keyed by (key, date) in record order `rn`: dates must be
 * consistently ascending or consistently descending per key; a repeated date with the same values is dropped
 * (returned as a warning), with different values it is an error.
 */
async function orderAndDuplicates(
  store: Store,
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
      throw new InputError(
        `${prefix}duplicate date ${first.dt} for ${what} ${first.k} with a different value (first on ${prevPlace})`,
        where,
      );
    const [earlier] = await store.query<{ rn: number }>(
      `SELECT ${rn} AS rn FROM ${table} WHERE ${key} = ? AND ${dateCol} = ?::DATE AND ${rn} < ? ORDER BY ${rn} LIMIT 1`,
      [first.k, first.dt, first.rn],
    );
    if (earlier) {
      const e = locate(earlier.rn);
      throw new InputError(
        `${prefix}duplicate date ${first.dt} for ${what} ${first.k} (also on ${e.line ? `line ${e.line}` : (e.where ?? 'an earlier row')}); dates must be sorted`,
        where,
      );
    }
    throw new InputError(
      `${prefix}dates out of order: ${first.dt} follows ${first.prev_dt} for ${what} ${first.k}, but the file's dates ` +
        'are sorted the other way; sort the file by date (ascending or descending)',
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
    warnings.push(
      `dropped ${dups.n} exact duplicate row${dups.n === 1 ? '' : 's'} (first on ${at.line ? `line ${at.line}` : (at.where ?? 'record')})`,
    );
  }
  await store.exec('DROP TABLE imp_issues');
  return warnings;
}

export type BarsResult = {
  added: number;
  updated: number;
  unchanged: number;
  keptFromOtherSource: number;
  symbols: string[];
  rows: number;
  firstDate: string | null;
  lastDate: string | null;
  warnings: string[];
};

/**
 * The SELECT list that adds typed columns (symbol, date, open, high, low, close, adj_close, volume) to raw VARCHAR
 * columns sym, d, o, h, l, c, ac, v. Staging applies it while loading, so the file is copied once.
 * `fallbackSymbol` must already match SYMBOL_RE (it is inlined as a literal).
 */
export function typedBarColumns(fallbackSymbol: string | null): string {
  if (fallbackSymbol !== null && !SYMBOL_RE.test(fallbackSymbol)) throw new Error('unchecked symbol');
  const fallback = fallbackSymbol === null ? 'NULL' : `'${fallbackSymbol}'`;
  return `*, coalesce(nullif(trim(sym), ''), ${fallback}) AS symbol, ${isoDate('d')} AS date,
    ${num('o')} AS open, ${num('h')} AS high, ${num('l')} AS low, ${num('c')} AS close,
    ${num('ac')} AS adj_close, ${num('v')} AS volume`;
}

/**
 * Validates the bars staged in TEMP table `imp_file` (raw VARCHAR columns sym, d, o, h, l, c, ac, v plus the
 * typedBarColumns; rowid = record index) and merges them into `bars`. Throws an InputError naming line and field for the first bad row.
 */
export async function finishBars(
  store: Store,
  opts: {
    /** False when every row has the same, already checked symbol. */
    checkSymbols: boolean;
    today: string;
    source: string;
    replace: boolean;
    dryRun: boolean;
    kind: InstrumentKind | undefined;
    defaultKind: InstrumentKind;
    locate: Locate;
  },
): Promise<BarsResult> {
  const rn = await recordIndexSql(store, 'imp_file');
  const warnings: string[] = [];
  // Blank (whitespace-only) records are not rows.
  await store.exec(
    `DELETE FROM imp_file WHERE coalesce(sym, o, h, l, c, ac, v) IS NULL AND (d IS NULL OR trim(d) = '')`,
  );
  const priceCols = [
    ['c', 'close', 'close'],
    ['o', 'open', 'open'],
    ['h', 'high', 'high'],
    ['l', 'low', 'low'],
    ['ac', 'adj_close', 'adj_close'],
  ] as const;
  // Rows without any price (holidays in some exports) are skipped; the string test runs only if there are some.
  const noTypedPrice = 'coalesce(open, high, low, close, adj_close) IS NULL AND date IS NOT NULL';
  const [candidates] = await store.query<{ n: number }>(
    `SELECT count(*) AS n FROM imp_file WHERE ${noTypedPrice}`,
  );
  if (candidates && candidates.n > 0) {
    const noPrice = `${noTypedPrice} AND ${priceCols.map(([r]) => missing(r)).join(' AND ')}`;
    const [skipped] = await store.query<{ n: number }>(`SELECT count(*) AS n FROM imp_file WHERE ${noPrice}`);
    if (skipped && skipped.n > 0) {
      await store.exec(`DELETE FROM imp_file WHERE ${noPrice}`);
      warnings.push(`skipped ${skipped.n} row${skipped.n === 1 ? '' : 's'} without any price`);
    }
  }

  const checks: Check[] = [
    {
      cond: 'symbol IS NULL',
      field: 'symbol',
      message: () => 'missing symbol; pass --symbol',
    },
    {
      cond: opts.checkSymbols ? `NOT regexp_full_match(symbol, '${SYMBOL_PATTERN}')` : 'FALSE',
      field: 'symbol',
      message: (r) => `invalid symbol ${quoteValue(r['symbol'])}: use 1-32 letters, digits or ^ . _ : = -`,
    },
    DATE_CHECK,
    {
      cond: 'date > ?::DATE',
      field: 'date',
      message: (r) => `date ${quoteValue(r['d'])} is in the future (today is ${opts.today})`,
    },
  ];
  for (const [raw, typed, field] of priceCols) {
    checks.push(
      {
        cond: notNumber(raw, typed, false),
        exact: notNumber(raw, typed, true),
        field,
        message: (r) => `not a number: ${quoteValue(r[raw])}`,
      },
      {
        cond: `NOT isfinite(${typed}) OR abs(${typed}) > ${MAX_PRICE}`,
        field,
        message: (r) => `value ${quoteValue(r[raw])} is out of range (prices must be at most ${MAX_PRICE})`,
      },
      {
        cond: `${typed} <= 0`,
        field,
        message: (r) => `price must be positive, found ${quoteValue(r[raw])}`,
      },
    );
  }
  checks.push(
    { cond: 'close IS NULL', field: 'close', message: () => 'missing close' },
    {
      cond: notNumber('v', 'volume', false),
      exact: notNumber('v', 'volume', true),
      field: 'volume',
      message: (r) => `not a number: ${quoteValue(r['v'])}`,
    },
    {
      cond: `NOT isfinite(volume) OR volume < 0 OR volume > ${MAX_QUANTITY}`,
      field: 'volume',
      message: (r) => `volume ${quoteValue(r['v'])} is out of range (0 to ${MAX_QUANTITY})`,
    },
  );
  await runChecks(store, 'imp_file', rn, checks, [opts.today], opts.locate);
  warnings.push(
    ...(await orderAndDuplicates(
      store,
      'imp_file',
      rn,
      'symbol',
      'date',
      ['open', 'high', 'low', 'close', 'adj_close', 'volume'],
      'symbol',
      opts.locate,
    )),
  );

  const [meta] = await store.query<{
    n: number;
    first: string | null;
    last: string | null;
    symbols: string[];
  }>(
    `SELECT count(*) AS n, min(date)::VARCHAR AS first, max(date)::VARCHAR AS last,
            list(DISTINCT symbol ORDER BY symbol) AS symbols FROM imp_file`,
  );
  const counts = await store.mergeStagedBars('imp_file', opts.source, {
    replaceOtherSources: opts.replace,
    dryRun: opts.dryRun,
  });
  const symbols = meta?.symbols ?? [];
  if (!opts.dryRun) {
    if (symbols.length === 1) {
      const symbol = symbols[0] as string;
      const existing = await store.getInstrument(symbol);
      if (!existing || opts.kind) {
        await store.upsertInstrument({
          symbol,
          name: existing?.name ?? null,
          kind: opts.kind ?? (symbol.startsWith('^') ? 'index' : opts.defaultKind),
          sector: existing?.sector ?? null,
          currency: existing?.currency ?? 'USD',
          exchange: existing?.exchange ?? null,
        });
      }
    } else if (symbols.length > 1) {
      await store.exec(
        `INSERT INTO instruments (symbol, name, kind, sector, currency, exchange)
         SELECT DISTINCT symbol, NULL, CASE WHEN ? IS NOT NULL THEN ? WHEN symbol LIKE '^%' THEN 'index' ELSE ? END,
                NULL, 'USD', NULL FROM imp_file
         ON CONFLICT (symbol) DO ${opts.kind ? 'UPDATE SET kind = excluded.kind' : 'NOTHING'}`,
        [opts.kind ?? null, opts.kind ?? null, opts.defaultKind],
      );
    }
  }
  return {
    ...counts,
    symbols,
    rows: meta?.n ?? 0,
    firstDate: meta?.first ?? null,
    lastDate: meta?.last ?? null,
    warnings,
  };
}

export type ObservationsResult = {
  added: number;
  updated: number;
  unchanged: number;
  symbols: string[];
  rows: number;
  firstDate: string | null;
  lastDate: string | null;
  warnings: string[];
};

/**
 * Validates observations staged in TEMP table `imp_oraw` (rn, series, unit, d, val VARCHAR, as_of DATE or
 * NULL = the row's own date, optional known_at VARCHAR: the file's own known-at column) and merges them into
 * `observations`. Empty values are gaps, not errors. Rows without a known-at get one from the release rules
 * (core/why/known-at.ts).
 */
export async function finishObservations(
  store: Store,
  opts: { today: string; source: string; dryRun: boolean; locate: Locate },
): Promise<ObservationsResult> {
  await store.exec(
    `CREATE OR REPLACE TEMP TABLE imp_obs AS
     SELECT rn, series, unit, d, val, as_of AS vintage, ${isoDate('d')} AS date, ${num('val')} AS value,
            ka, ${isoDate('ka')} AS known_at
     FROM (SELECT *, known_at AS ka FROM imp_oraw) WHERE NOT (${missing('d')} AND ${missing('val')})`,
  );
  const checks: Check[] = [
    DATE_CHECK,
    {
      cond: 'vintage IS NULL AND date > ?::DATE',
      field: 'date',
      message: (r) => `date ${quoteValue(r['d'])} is in the future (today is ${opts.today})`,
    },
    {
      cond: `ka IS NOT NULL AND trim(ka) <> '' AND (known_at IS NULL OR ${badYear('known_at')})`,
      field: 'known_at',
      message: (r) => `known_at: not a date: ${quoteValue(r['ka'])} (expected YYYY-MM-DD)`,
    },
    {
      cond: 'vintage > ?::DATE',
      field: 'as_of',
      message: (r) => `vintage ${quoteValue(r['vintage'])} is in the future (today is ${opts.today})`,
    },
    {
      cond: notNumber('val', 'value', false),
      exact: notNumber('val', 'value', true),
      field: 'value',
      message: (r) => `${r['series']}: not a number: ${quoteValue(r['val'])}`,
    },
    {
      cond: `NOT isfinite(value) OR abs(value) > ${MAX_QUANTITY}`,
      field: 'value',
      message: (r) =>
        `${r['series']}: value ${quoteValue(r['val'])} is out of range (magnitude above ${MAX_QUANTITY})`,
    },
  ];
  await runChecks(store, 'imp_obs', 'rn', checks, [opts.today, opts.today], opts.locate);
  const [gaps] = await store.query<{ n: number }>('SELECT count(*) AS n FROM imp_obs WHERE value IS NULL');
  await store.exec('DELETE FROM imp_obs WHERE value IS NULL');
  const warnings: string[] = [];
  if (gaps && gaps.n > 0) warnings.push(`${gaps.n} empty value${gaps.n === 1 ? '' : 's'} skipped as gaps`);
  warnings.push(
    ...(await orderAndDuplicates(store, 'imp_obs', 'rn', 'series', 'date', ['value'], 'series', opts.locate)),
  );
  await store.exec(
    `CREATE OR REPLACE TEMP TABLE imp_obs_stage AS
     SELECT series, date::VARCHAR AS period, value, unit, coalesce(vintage, known_at, date) AS as_of, ? AS source,
            known_at
     FROM imp_obs`,
    [opts.source],
  );
  const [meta] = await store.query<{
    n: number;
    first: string | null;
    last: string | null;
    symbols: string[];
  }>(
    `SELECT count(*) AS n, min(period) AS first, max(period) AS last,
            list(DISTINCT series ORDER BY series) AS symbols FROM imp_obs_stage`,
  );
  const counts = await store.mergeStagedObservations('imp_obs_stage', { dryRun: opts.dryRun });
  if (!opts.dryRun)
    await store.exec(
      `INSERT INTO instruments (symbol, name, kind, sector, currency, exchange)
       SELECT DISTINCT series, NULL, 'series', NULL, 'USD', NULL FROM imp_obs_stage
       ON CONFLICT (symbol) DO NOTHING`,
    );
  await store.exec('DROP TABLE imp_obs; DROP TABLE imp_obs_stage');
  return {
    ...counts,
    symbols: meta?.symbols ?? [],
    rows: meta?.n ?? 0,
    firstDate: meta?.first ?? null,
    lastDate: meta?.last ?? null,
    warnings,
  };
}
