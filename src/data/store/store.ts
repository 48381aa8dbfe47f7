import { DuckDbStore } from './duckdb-store.js';
import type { MarketStore } from './market-store.js';
import { isPostgresUrl, PgStore } from './pg-store.js';

/**
 * The store's entry points. `Store` is the one interface everything above data/store uses (MarketStore); the
 * engine is chosen by the `--db` / `ROTATION_DB` value: a `postgres://` URL opens PgStore, anything else is a
 * DuckDB file (DuckDbStore, the default `./rotation.duckdb`).
 */
export type Store = MarketStore;

/** The default store file, in the working directory; `--db PATH` and `ROTATION_DB` override it. */
export const DEFAULT_DB_FILE = 'rotation.duckdb';

/**
 * Opens the store `target` names (a DuckDB file path, `:memory:`, or a `postgres://` URL) and migrates it. With
 * `readOnly` and `readCache`, a DuckDB file is read through its read cache (read-cache.ts): the CLI's read verbs
 * ask for it, since each runs once and exits; PostgreSQL has none.
 */
export function openStore(
  target: string,
  opts: { readOnly?: boolean; readCache?: boolean } = {},
): Promise<Store> {
  return isPostgresUrl(target) ? PgStore.open(target, opts) : DuckDbStore.open(target, opts);
}

/** `Store.open(target)`: the same as openStore, kept as the entry point callers already use. */
export const Store = { open: openStore };

export { StoreOpenError, DuckDbStore } from './duckdb-store.js';
export { RunLockError } from './run-lock.js';
export { isPostgresUrl, PgStore } from './pg-store.js';
export type { SqlParam } from './duckdb-session.js';
export type {
  AppliedMigration,
  BarBatch,
  MarketStore,
  MarketWriter,
  ObservationBatch,
  SymbolSummary,
} from './market-store.js';
