import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Store } from './store.js';
import { MIGRATIONS } from './migrations.js';
import type { Bar } from '../../shared/domain.js';
import type { TradingDate } from '../../shared/brand.js';
import { tempDir } from '../../../test/support/tmp.js';

const bar = (date: string, close: number, adjClose: number | null = null): Bar => ({
  date: date as TradingDate,
  open: null,
  high: null,
  low: null,
  close,
  adjClose,
  volume: null,
});

describe('Store', () => {
  let store: Store;
  beforeEach(async () => {
    store = await Store.open(':memory:');
  });
  afterEach(() => store.close());

  it('applies migrations on open and records the version', async () => {
    expect(await store.schemaVersion()).toBe(MIGRATIONS.length);
  });

  it('counts added, updated and unchanged bars and rewrites nothing on a repeat', async () => {
    const first = await store.upsertBars('IWM', [bar('2026-01-02', 250), bar('2026-01-05', 251)], 'test');
    expect(first).toMatchObject({ added: 2, updated: 0, unchanged: 0 });
    const again = await store.upsertBars('IWM', [bar('2026-01-02', 250), bar('2026-01-05', 252)], 'test');
    expect(again).toMatchObject({ added: 0, updated: 1, unchanged: 1 });
    const bars = await store.loadBars('IWM');
    expect(bars.map((b) => [b.date, b.close])).toEqual([
      ['2026-01-02', 250],
      ['2026-01-05', 252],
    ]);
  });

  it('keeps rows of another source unless asked to replace them', async () => {
    await store.upsertBars('QQQ', [bar('2026-01-02', 600)], 'file:a');
    const kept = await store.upsertBars('QQQ', [bar('2026-01-02', 601)], 'file:b');
    expect(kept).toMatchObject({ added: 0, updated: 0, unchanged: 1, keptFromOtherSource: 1 });
    expect((await store.loadBars('QQQ'))[0]?.close).toBe(600);
    const replaced = await store.upsertBars('QQQ', [bar('2026-01-02', 601)], 'file:b', {
      replaceOtherSources: true,
    });
    expect(replaced).toMatchObject({ updated: 1 });
    expect((await store.loadBars('QQQ'))[0]?.close).toBe(601);
  });

  it('keeps every vintage of an observation and answers as of a date', async () => {
    const obs = (value: number, asOf: string) => ({
      series: 'EPS_TECH',
      period: '2025Q4',
      value,
      unit: 'fraction',
      asOf: asOf as TradingDate,
      source: 'test',
    });
    expect(await store.upsertObservations([obs(0.09, '2025-10-01')])).toEqual({
      added: 1,
      updated: 0,
      unchanged: 0,
    });
    expect(await store.upsertObservations([obs(0.09, '2025-11-01')])).toEqual({
      added: 0,
      updated: 0,
      unchanged: 1,
    });
    expect(await store.upsertObservations([obs(0.01, '2026-01-10')])).toEqual({
      added: 1,
      updated: 0,
      unchanged: 0,
    });
    expect((await store.loadObservations('EPS_TECH', { asOf: '2025-12-31' }))[0]?.value).toBe(0.09);
    expect((await store.loadObservations('EPS_TECH', { asOf: '2026-01-12' }))[0]?.value).toBe(0.01);
    expect(await store.loadObservations('EPS_TECH', { asOf: '2025-09-30' })).toEqual([]);
  });

  it('resolves symbols case-insensitively', async () => {
    await store.upsertBars('^RUT', [bar('2026-01-02', 2500)], 'test');
    expect(await store.resolveSymbol('^rut')).toBe('^RUT');
    expect(await store.resolveSymbol('NOPE')).toBeNull();
  });

  it('keeps the symbol lookups it caches in step with every write through the handle', async () => {
    expect(await store.resolveSymbol('iwm')).toBeNull();
    expect(await store.listSymbols()).toEqual([]);
    await store.upsertBars('IWM', [bar('2026-01-02', 250)], 'test');
    expect(await store.resolveSymbol('iwm')).toBe('IWM');
    expect((await store.listSymbols()).map((s) => [s.symbol, s.rows])).toEqual([['IWM', 1]]);
    await store.exec(
      "INSERT INTO bars VALUES ('iwm', DATE '2026-01-02', NULL, NULL, NULL, 1, NULL, NULL, 't', now())",
    );
    expect(await store.resolveSymbol('iwm')).toBe('iwm');
    expect(await store.resolveSymbol('Iwm')).toBe('IWM');
    expect((await store.listSymbols()).map((s) => s.symbol)).toEqual(['IWM', 'iwm']);
    await store.upsertBars('IWM', [bar('2026-01-05', 251)], 'test');
    expect((await store.listSymbols()).find((s) => s.symbol === 'IWM')?.lastDate).toBe('2026-01-05');
  });

  it('rolls back everything written inside a failed transaction', async () => {
    await expect(
      store.transaction(async () => {
        await store.upsertBars('SPY', [bar('2026-01-02', 680)], 'test');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await store.loadBars('SPY')).toEqual([]);
  });
});

describe('Store on disk', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir('rotation-store-');
  });

  it('reopens a file without re-running migrations and keeps its rows', async () => {
    const path = join(dir, 'r.duckdb');
    const a = await Store.open(path);
    await a.upsertBars('IWM', [bar('2026-01-02', 250)], 'test');
    a.close();
    const b = await Store.open(path);
    expect(await b.schemaVersion()).toBe(MIGRATIONS.length);
    expect((await b.loadBars('IWM')).length).toBe(1);
    b.close();
  });
});
