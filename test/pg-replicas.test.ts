import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../src/data/config.js';
import { openStore, PgStore, type Store } from '../src/data/store/store.js';
import { createApp } from '../src/server/app.js';
import type { Bar } from '../src/shared/domain.js';
import type { TradingDate } from '../src/shared/brand.js';
import { pgMissing, usePostgres } from './support/pg.js';

/**
 * Several `rotation serve` processes on one PostgreSQL answer the same, while one daily run writes: two app
 * instances, each on its own PgStore handle (as two processes would have), and a writer on a third handle holding
 * the run lock.
 */
const pg = pgMissing ? null : usePostgres();

const bars = (symbol: string, n: number, start: number): Bar[] =>
  Array.from({ length: n }, (_, i) => {
    const d = new Date(Date.UTC(2026, 0, 5 + i));
    return {
      date: d.toISOString().slice(0, 10) as TradingDate,
      open: null,
      high: null,
      low: null,
      close: start + i + (symbol === 'QQQ' ? 0.5 * i : 0),
      adjClose: null,
      volume: null,
    };
  }).filter((b) => ![0, 6].includes(new Date(`${b.date}T00:00:00Z`).getUTCDay()));

if (!pg)
  describe('serve replicas on one PostgreSQL', () => {
    it.skip(`skipped: ${pgMissing}`, () => {});
  });
else
  describe('serve replicas on one PostgreSQL', () => {
    it('answer the same, before and after a daily run writes', async () => {
      const url = await pg.newDatabase();
      const writer = await openStore(url);
      const replicas: Store[] = [
        await openStore(url, { readOnly: true }),
        await openStore(url, { readOnly: true }),
      ];
      try {
        await writer.upsertBars('IWM', bars('IWM', 20, 200), 'test');
        await writer.upsertBars('QQQ', bars('QQQ', 20, 500), 'test');
        const apps = replicas.map((s) =>
          createApp({
            withStore: (fn) => fn(s),
            config: DEFAULT_CONFIG,
            today: () => '2026-02-27' as TradingDate,
            maxConcurrent: 1,
          }),
        );
        const ask = async (path: string) =>
          Promise.all(
            apps.map(async (app) => {
              const r = await app.request(path);
              expect(r.status, path).toBe(200);
              return r.json() as Promise<unknown>;
            }),
          );
        const race = '/api/v1/race?a=IWM&b=QQQ&window=rolling:5';
        const [a1, b1] = await ask('/api/v1/symbols');
        expect(a1).toEqual(b1);
        const [r1, s1] = await ask(race);
        expect(r1).toEqual(s1);

        // The daily run writes under its lock; a second run fails fast while the first holds it.
        await writer.withRunLock('daily', async () => {
          await expect(replicas[0]?.withRunLock('daily', async () => 0, { timeoutMs: 200 })).rejects.toThrow(
            /running on another connection/,
          );
          await writer.upsertBars('SPY', bars('SPY', 20, 600), 'test');
        });
        const [a2, b2] = await ask('/api/v1/symbols');
        expect(a2).toEqual(b2);
        expect(JSON.stringify(a2)).toContain('SPY');
        expect(a2).not.toEqual(a1);
        const [r2, s2] = await ask(race);
        expect(r2).toEqual(s2);
        expect(r2).toEqual(r1);
      } finally {
        for (const s of [writer, ...replicas]) if (s instanceof PgStore) await s.end();
      }
    });
  });
