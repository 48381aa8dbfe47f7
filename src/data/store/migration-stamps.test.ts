import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DuckDbSession } from './duckdb-session.js';
import { MIGRATIONS } from './migrations.js';
import { DuckDbStore, openStore, PgStore, type Store } from './store.js';
import type { TradingDate } from '../../shared/brand.js';
import { tempDir } from '../../../test/support/tmp.js';
import { pgMissing, usePostgres } from '../../../test/support/pg.js';

/**
 * Migration 9 on a store written before it: each bar's source and ingested_at move to a stamp (one per source and
 * time, numbered -1, -2, ... oldest first), the values and what the reads say stay as they were, and a write after
 * it gets stamp 1, above them all, which barsFingerprint sees.
 */
const pgServer = pgMissing ? null : usePostgres();

const SCHEMA_TABLE =
  'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)';

/** Rows as a version-8 store held them: two sources, written at two times. */
const OLD_ROWS = `INSERT INTO bars (symbol, date, open, high, low, close, adj_close, volume, source, ingested_at) VALUES
  ('IWM', DATE '2026-01-02', 249, 251, 248, 250, 249.5, 1000, 'file:a', TIMESTAMP '2026-01-03 10:00:00'),
  ('IWM', DATE '2026-01-05', NULL, NULL, NULL, 251, NULL, NULL, 'file:b', TIMESTAMP '2026-01-06 09:00:00'),
  ('QQQ', DATE '2026-01-05', NULL, NULL, NULL, 600, NULL, NULL, 'file:a', TIMESTAMP '2026-01-03 10:00:00')`;

const upTo8 = MIGRATIONS.filter((m) => m.version <= 8);

async function checkMigrated(store: Store, stamps: () => Promise<unknown>): Promise<void> {
  expect(await store.schemaVersion()).toBe(9);
  const listed = (await store.listSymbols()).filter((s) => s.table === 'bars');
  expect(listed.map((s) => [s.symbol, s.rows, s.firstDate, s.lastDate, s.sources])).toEqual([
    ['IWM', 2, '2026-01-02', '2026-01-05', ['file:a', 'file:b']],
    ['QQQ', 1, '2026-01-05', '2026-01-05', ['file:a']],
  ]);
  expect(await stamps()).toEqual([
    { stamp: -2, source: 'file:b', t: '2026-01-06 09:00:00' },
    { stamp: -1, source: 'file:a', t: '2026-01-03 10:00:00' },
  ]);
  expect(await store.loadBars('IWM')).toEqual([
    { date: '2026-01-02', open: 249, high: 251, low: 248, close: 250, adjClose: 249.5, volume: 1000 },
    { date: '2026-01-05', open: null, high: null, low: null, close: 251, adjClose: null, volume: null },
  ]);
  // A write after the migration: its row gets a stamp of its own (checked by the callers).
  const bar = {
    date: '2026-01-06' as TradingDate,
    open: null,
    high: null,
    low: null,
    adjClose: null,
    volume: null,
  };
  const counts = await store.upsertBars('IWM', [{ ...bar, close: 252 }], 'yahoo');
  expect(counts).toMatchObject({ added: 1, updated: 0 });
  const after = (await store.listSymbols(['IWM']))[0];
  expect(after?.sources).toEqual(['file:a', 'file:b', 'yahoo']);
}

describe('migration 9: bar stamps', () => {
  it('moves source and ingested_at to stamps on a version-8 DuckDB file', async () => {
    const path = join(tempDir('migration-9-'), 'old.duckdb');
    const session = await DuckDbSession.open(path);
    try {
      await session.exec(SCHEMA_TABLE);
      for (const m of upTo8) {
        await session.exec(m.duckdbSql ?? m.sql);
        await session.exec('INSERT INTO schema_migrations VALUES (?, ?, now())', [m.version, m.name]);
      }
      await session.exec(OLD_ROWS);
    } finally {
      session.close();
    }
    const store = await openStore(path);
    try {
      if (!(store instanceof DuckDbStore)) throw new Error('a DuckDB store');
      const query = (sql: string) => store.query(sql);
      const before = await store.barsFingerprint(['IWM']);
      expect(before).toBe('2:-1');
      await checkMigrated(store, () =>
        query(
          'SELECT stamp, source, ingested_at::VARCHAR AS t FROM bar_stamps WHERE stamp < 0 ORDER BY stamp',
        ),
      );
      expect(await query("SELECT stamp FROM bars WHERE date = DATE '2026-01-06'")).toEqual([{ stamp: 1 }]);
      expect(await store.barsFingerprint(['IWM'])).toBe('3:1');
      expect(await store.barsFingerprint(['QQQ']), 'a write of other symbols leaves it').toBe('1:-1');
    } finally {
      if (store instanceof DuckDbStore) store.close();
    }
  });

  it.skipIf(!pgServer)(
    'moves source and ingested_at to stamps on a version-8 PostgreSQL database',
    async () => {
      if (!pgServer) return;
      const url = await pgServer.newDatabase();
      const pg = (await import('pg')).default;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(SCHEMA_TABLE);
        for (const m of upTo8) {
          await client.query(m.sql);
          await client.query('INSERT INTO schema_migrations VALUES ($1, $2, now())', [m.version, m.name]);
        }
        await client.query(OLD_ROWS);
        const store = await openStore(url);
        try {
          await checkMigrated(
            store,
            async () =>
              (
                await client.query(
                  "SELECT stamp, source, to_char(ingested_at, 'YYYY-MM-DD HH24:MI:SS') AS t FROM bar_stamps WHERE stamp < 0 ORDER BY stamp",
                )
              ).rows,
          );
          const { rows } = await client.query("SELECT stamp FROM bars WHERE date = DATE '2026-01-06'");
          expect(rows).toEqual([{ stamp: 1 }]);
        } finally {
          if (store instanceof PgStore) await store.end();
        }
      } finally {
        await client.end();
      }
    },
  );
});
