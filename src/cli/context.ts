import { resolve } from 'node:path';
import { closeTime, isSession, previousSession } from '../core/calendar/calendar.js';
import { DEFAULT_DB_FILE, isPostgresUrl, Store } from '../data/store/store.js';
import { newYorkClock, parseIsoDate } from '../shared/dates.js';
import type { TradingDate } from '../shared/brand.js';
import { UsageError } from '../shared/errors.js';

/** Options every command accepts (see main.ts). */
export type GlobalOptions = { db?: string };

/** The store: `--db PATH|postgres://URL`, else `ROTATION_DB`, else ./rotation.duckdb. */
export function storePath(opts: GlobalOptions): string {
  const p = opts.db ?? process.env['ROTATION_DB'] ?? DEFAULT_DB_FILE;
  return p === ':memory:' || isPostgresUrl(p) ? p : resolve(p);
}

/**
 * Opens the store for one command and always closes it. Read-only unless the verb writes (`import`, `sync`), so
 * several readers can run together and a reader never takes the writer's lock.
 */
export async function withStore<T>(
  opts: GlobalOptions,
  fn: (store: Store) => Promise<T>,
  mode: { write?: boolean } = {},
): Promise<T> {
  const store = await Store.open(storePath(opts), {
    readOnly: !mode.write,
    // The read cache beside a DuckDB store (data/store/read-cache.ts); ROTATION_READ_CACHE=off reads DuckDB only.
    readCache: !mode.write && process.env['ROTATION_READ_CACHE'] !== 'off',
  });
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}

/** Parses a `--from/--to/--as-of` date flag, or throws a usage error naming the flag. */
export function parseDateFlag(flag: string, text: string | undefined): TradingDate | undefined {
  if (text === undefined) return undefined;
  const d = parseIsoDate(text);
  if (!d)
    throw new UsageError(`${flag} "${text}" is not a date`, 'write dates as YYYY-MM-DD, e.g. 2026-01-12');
  return d;
}

/**
 * Parses `--as-of`, the one parser every verb uses: a date, never after today in New York (data that is not known
 * yet cannot be read; docs/known-at.md). `today` is injected by tests.
 */
export function parseAsOf(
  text: string | undefined,
  today: TradingDate = todayInNewYork(),
): TradingDate | undefined {
  const d = parseDateFlag('--as-of', text);
  if (d && d > today)
    throw new UsageError(
      `--as-of ${d} is in the future (today is ${today} in New York)`,
      'an as-of date reads what was known on that day: use today or an earlier date',
    );
  return d;
}

/** Today's date in New York: the clock enters here, at the edge, never in core. */
export function todayInNewYork(now: Date = new Date()): TradingDate {
  return newYorkClock(now).date;
}

/**
 * The last completed NYSE session at `now` (the clock enters here, at the edge): today once its close (16:00, or
 * 13:00 on an early close, New York time) has passed, else the session before.
 */
export function lastCompletedSession(now: Date = new Date()): TradingDate {
  const { date: today, hhmm } = newYorkClock(now);
  const close = isSession(today) ? closeTime(today) : null;
  return close !== null && hhmm >= close ? today : previousSession(today);
}
