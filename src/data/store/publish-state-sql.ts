/**
 * The publish layer's state in the store (docs/publish.md), split by concept: this file holds what every part
 * shares (statements, one transaction per async call chain, row converters); `publish-state-runs.ts` the run steps,
 * the brief archive and the alerts' state and events; `publish-state-subscribers.ts` the subscribers;
 * `publish-state-outbox.ts` editions, the outbox and its delivery log; `publish-state.ts` puts them together.
 * All SQL is portable (it runs on PostgreSQL too): `$n` parameters, TEXT/BIGINT/BOOLEAN columns, times as BIGINT
 * milliseconds, ids made by the caller. It uses three methods of the store and nothing else, so another engine
 * only has to provide these.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { SqlParam } from './duckdb-session.js';

export type Row = Record<string, unknown>;

/** Statements on one connection: the store's own, or a transaction's. */
export type SqlStatements = {
  query<T extends Row = Row>(sql: string, params?: readonly SqlParam[]): Promise<T[]>;
  exec(sql: string, params?: readonly SqlParam[]): Promise<void>;
};

/** What the store gives the publish layer (SqlStore.publishState): statements, and a transaction's statements. */
export type SqlRunner = SqlStatements & {
  transaction<T>(fn: (tx: SqlStatements) => Promise<T>): Promise<T>;
};

export const num = (v: unknown): number => Number(v);
export const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
export const str = (v: unknown): string => String(v);
export const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** Statements and transactions: the base every part of the publish state builds on. */
export class PublishStateBase {
  private readonly runner: SqlRunner;
  /** The transaction this async call chain is inside, if any: its statements go to the transaction's connection. */
  private readonly inside = new AsyncLocalStorage<SqlStatements>();
  constructor(runner: SqlRunner) {
    this.runner = runner;
  }

  /** The statements for this call: the enclosing transaction's, else the store's. */
  protected get db(): SqlStatements {
    return this.inside.getStore() ?? this.runner;
  }

  /**
   * Runs `fn` in one transaction; publish-state calls made by `fn` (and only by it: the transaction is bound to
   * this async call chain) run inside it. A nested call joins the enclosing transaction of the same chain.
   */
  transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.inside.getStore()) return fn();
    return this.runner.transaction((tx) => this.inside.run(tx, fn));
  }
}
