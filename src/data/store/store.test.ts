import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { DuckDbStore, openStore, PgStore, RunLockError, Store } from './store.js';
import { MIGRATIONS } from './migrations.js';
import { numberParams } from './pg-store.js';
import type { Bar } from '../../shared/domain.js';
import type { TradingDate } from '../../shared/brand.js';
import { tempDir } from '../../../test/support/tmp.js';
import { pgMissing, usePostgres } from '../../../test/support/pg.js';

const bar = (date: string, close: number, adjClose: number | null = null): Bar => ({
  date: date as TradingDate,
  open: null,
  high: null,
  low: null,
  close,
  adjClose,
  volume: null,
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const pgServer = pgMissing ? null : usePostgres();

/** Every engine the store tests run on: DuckDB always, PostgreSQL when a server can be had. */
const ENGINES: [string, () => Promise<Store>][] = [
  ['duckdb', () => openStore(':memory:')],
  ...(pgServer
    ? [['postgres', async () => openStore(await pgServer.newDatabase())] as [string, () => Promise<Store>]]
    : []),
];

async function closeStore(store: Store): Promise<void> {
  if (store instanceof PgStore) await store.end();
  else store.close();
}

if (pgMissing)
  describe('Store (postgres)', () => {
    it.skip(`skipped: ${pgMissing}`, () => {});
  });

describe.each(ENGINES)('Store (%s)', (engine, open) => {
  let store: Store;
  beforeEach(async () => {
    store = await open();
  });
  afterEach(() => closeStore(store));

  it('applies migrations on open and records the version', async () => {
    expect(store.engine).toBe(engine);
    expect(await store.schemaVersion()).toBe(Math.max(...MIGRATIONS.map((m) => m.version)));
    expect((await store.migrations()).map((m) => [m.version, m.name])).toEqual(
      MIGRATIONS.map((m) => [m.version, m.name]),
    );
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
    expect(await store.loadBars('IWM', { from: '2026-01-03' })).toHaveLength(1);
    // loadCloses: the same rows as loadBars, three of their columns (an adjusted close where one is stored).
    await store.upsertBars('IWM', [{ ...bar('2026-01-06', 253), adjClose: 249.5 }], 'test');
    expect(await store.loadCloses('IWM', { to: '2026-01-06' })).toEqual({
      dates: ['2026-01-02', '2026-01-05', '2026-01-06'],
      close: [250, 252, 253],
      adjClose: [null, null, 249.5],
    });
    expect(await store.loadCloses('IWM', { from: '2026-01-03', to: '2026-01-05' })).toEqual({
      dates: ['2026-01-05'],
      close: [252],
      adjClose: [null],
    });
    expect(await store.loadCloses('NOPE')).toEqual({ dates: [], close: [], adjClose: [] });
    expect(await store.barSpan('IWM')).toEqual({ first: '2026-01-02', last: '2026-01-06', n: 3 });
    expect(await store.barDateFromEnd('IWM', 1)).toBe('2026-01-05');
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
    expect((await store.loadObservations('EPS_TECH', { asOf: '2026-01-12' }))[0]).toMatchObject({
      value: 0.01,
      asOf: '2026-01-10',
      knownAt: '2026-01-10',
    });
    expect(await store.loadObservations('EPS_TECH', { asOf: '2025-09-30' })).toEqual([]);
    expect((await store.loadVintages('EPS_TECH')).map((o) => o.asOf)).toEqual(['2025-10-01', '2026-01-10']);
    expect(await store.seriesIds('EPS_')).toEqual(['EPS_TECH']);
  });

  it('keeps notes, corporate actions, instruments and the import log', async () => {
    await store.upsertNotes([{ series: 'X', period: '2025', asOf: '2025-03-01', note: 'just under 10%' }]);
    await store.upsertNotes([{ series: 'X', period: '2025', asOf: '2025-03-01', note: 'about 9%' }]);
    expect(await store.loadNotes('X')).toEqual(new Map([['2025|2025-03-01', 'about 9%']]));
    const split = {
      kind: 'split' as const,
      symbol: 'AAPL',
      date: '2020-08-31' as TradingDate,
      ratio: 4,
      source: 't',
    };
    expect(await store.upsertCorporateActions([split])).toEqual({ added: 1, updated: 0, unchanged: 0 });
    expect(await store.upsertCorporateActions([split])).toEqual({ added: 0, updated: 0, unchanged: 1 });
    expect(await store.loadCorporateActions('AAPL')).toEqual([split]);
    await store.addInstruments([
      { symbol: 'IWM', kind: 'etf' },
      { symbol: 'IWM', kind: 'etf' },
    ]);
    await store.addInstruments([{ symbol: 'IWM', kind: 'stock' }]);
    expect(await store.getInstrument('IWM')).toMatchObject({ kind: 'etf', currency: 'USD' });
    const t = new Date('2026-01-12T21:00:00Z');
    await store.logImport({
      kind: 'import',
      target: 'a.csv',
      symbol: 'IWM',
      status: 'ok',
      counts: { added: 2, updated: 0, unchanged: 1 },
      firstDate: '2026-01-02',
      lastDate: '2026-01-05',
      message: null,
      startedAt: t,
      finishedAt: t,
    });
    expect(await store.importLog()).toEqual([
      {
        kind: 'import',
        target: 'a.csv',
        symbol: 'IWM',
        status: 'ok',
        rowsAdded: 2,
        rowsUpdated: 0,
        rowsUnchanged: 1,
        message: null,
      },
    ]);
  });

  it('resolves symbols case-insensitively and keeps its lookups in step with writes', async () => {
    expect(await store.resolveSymbol('iwm')).toBeNull();
    expect(await store.listSymbols()).toEqual([]);
    await store.upsertBars('^RUT', [bar('2026-01-02', 2500)], 'test');
    expect(await store.resolveSymbol('^rut')).toBe('^RUT');
    await store.upsertBars('IWM', [bar('2026-01-02', 250)], 'test');
    expect(await store.resolveSymbol('iwm')).toBe('IWM');
    await store.transaction((tx) => tx.upsertBars('iwm', [bar('2026-01-02', 1)], 't'));
    expect(await store.resolveSymbol('iwm')).toBe('iwm');
    expect(await store.resolveSymbol('Iwm')).toBe('IWM');
    expect(await store.resolveSymbol('NOPE')).toBeNull();
    const listed = await store.listSymbols();
    expect(listed.map((s) => [s.symbol, s.rows, s.sources])).toEqual([
      ['IWM', 1, ['test']],
      ['^RUT', 1, ['test']],
      ['iwm', 1, ['t']],
    ]);
  });

  it('lists just the asked symbols (every spelling, case-insensitively) and says whether it is empty', async () => {
    expect(await store.isEmpty()).toBe(true);
    expect(await store.listSymbols(['IWM'])).toEqual([]);
    await store.upsertBars('IWM', [bar('2026-01-02', 250), bar('2026-01-05', 251)], 'test');
    await store.upsertBars('iwm', [bar('2026-01-02', 1)], 't');
    await store.upsertBars('^RUT', [bar('2026-01-02', 2500)], 'test');
    expect(await store.isEmpty()).toBe(false);
    // Read before the whole listing is cached, then filtered from the cached one: the same rows either way.
    const before = await store.listSymbols(['Iwm', 'NOPE']);
    const all = await store.listSymbols();
    const expected = all.filter((s) => s.symbol.toLowerCase() === 'iwm');
    expect(before).toEqual(expected);
    expect(await store.listSymbols(['iwm', 'nope'])).toEqual(expected);
    expect(expected.map((s) => [s.symbol, s.rows, s.firstDate, s.lastDate, s.sources])).toEqual([
      ['IWM', 2, '2026-01-02', '2026-01-05', ['test']],
      ['iwm', 1, '2026-01-02', '2026-01-02', ['t']],
    ]);
    expect(await store.listSymbols([])).toEqual([]);
  });

  it('rolls back everything written inside a failed transaction', async () => {
    await expect(
      store.transaction(async (tx) => {
        await tx.upsertBars('SPY', [bar('2026-01-02', 680)], 'test');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await store.loadBars('SPY')).toEqual([]);
  });

  it('never lets one transaction join another running on the same handle', async () => {
    const failing = store.transaction(async (tx) => {
      await tx.upsertBars('AAA', [bar('2026-01-02', 1)], 'test');
      await sleep(50);
      throw new Error('first fails');
    });
    const other = store.transaction((tx) => tx.upsertBars('BBB', [bar('2026-01-02', 2)], 'test'));
    await expect(failing).rejects.toThrow('first fails');
    await expect(other).resolves.toMatchObject({ added: 1 });
    expect(await store.loadBars('AAA')).toEqual([]);
    expect(await store.loadBars('BBB')).toHaveLength(1);
  });

  it('refuses the store inside its own transaction, and a tx kept past its callback', async () => {
    let kept: Parameters<Parameters<Store['transaction']>[0]>[0] | null = null;
    await expect(
      store.transaction(async (tx) => {
        kept = tx;
        await store.upsertBars('AAA', [bar('2026-01-02', 1)], 'test');
      }),
    ).rejects.toThrow(/use the transaction's tx handle/);
    expect(() => kept?.loadBars('AAA')).toThrow(/the transaction is over/);
  });

  it('makes a second daily run wait for the first, and fail after its timeout', async () => {
    const order: string[] = [];
    const first = store.withRunLock('daily', async () => {
      order.push('first start');
      await sleep(300);
      order.push('first end');
    });
    await sleep(50);
    await expect(
      store.withRunLock('daily', async () => order.push('late'), { timeoutMs: 100 }),
    ).rejects.toThrow(RunLockError);
    await store.withRunLock('daily', async () => {
      order.push('second');
    });
    await first;
    expect(order).toEqual(['first start', 'first end', 'second']);
  });
});

/** A stamp (source and time) for DUPLICATE_ROW, written around the store's writers: the test-only raw path. */
const RAW_STAMP = `INSERT INTO bar_stamps (stamp, source, ingested_at)
  VALUES (-100, 'file:b', TIMESTAMP '2026-01-06 00:00:00')`;
/** A second bar row on a stored (symbol, date), written around the store's writers: the test-only raw path. */
const DUPLICATE_ROW = `INSERT INTO bars (symbol, date, open, high, low, close, adj_close, volume, stamp)
  VALUES ('IWM', DATE '2026-01-05', NULL, NULL, NULL, 251.5, NULL, NULL, -100)`;

describe('Store.duplicateBars', () => {
  it('finds none in a store its writers filled, then each (symbol, date) a raw insert doubled (duckdb)', async () => {
    const store = await DuckDbStore.open(':memory:');
    try {
      await store.upsertBars('IWM', [bar('2026-01-02', 250), bar('2026-01-05', 251)], 'file:a');
      await store.upsertBars('IWM', [bar('2026-01-05', 251)], 'file:b');
      await store.upsertBars('QQQ', [bar('2026-01-05', 600)], 'file:a');
      expect(await store.duplicateBars()).toEqual([]);
      await store.exec(RAW_STAMP);
      await store.exec(DUPLICATE_ROW);
      await store.exec(DUPLICATE_ROW);
      expect(await store.duplicateBars()).toEqual([
        { symbol: 'IWM', date: '2026-01-05', rows: 3, sources: ['file:a', 'file:b'] },
      ]);
    } finally {
      store.close();
    }
  });

  it.skipIf(!pgServer)(
    'finds none on PostgreSQL, whose key refuses the raw duplicate (postgres)',
    async () => {
      if (!pgServer) return;
      const url = await pgServer.newDatabase();
      const store = await openStore(url);
      const pg = (await import('pg')).default;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await store.upsertBars('IWM', [bar('2026-01-02', 250), bar('2026-01-05', 251)], 'file:a');
        await client.query(RAW_STAMP);
        await expect(client.query(DUPLICATE_ROW)).rejects.toThrow(/duplicate key/);
        expect(await store.duplicateBars()).toEqual([]);
      } finally {
        await client.end();
        await closeStore(store);
      }
    },
  );
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
    expect(b).toBeInstanceOf(DuckDbStore);
    expect(await b.schemaVersion()).toBe(Math.max(...MIGRATIONS.map((m) => m.version)));
    expect((await b.loadBars('IWM')).length).toBe(1);
    b.close();
  });

  it('puts the run lock beside the file, names the holder, and takes over a dead holder’s lock', async () => {
    const path = join(dir, 'r.duckdb');
    const store = await Store.open(path);
    try {
      const { writeFileSync, existsSync } = await import('node:fs');
      // A pid that cannot be running (above the kernel's pid_max).
      writeFileSync(`${path}.daily.lock`, '99999999');
      await store.withRunLock('daily', async () => {
        expect(existsSync(`${path}.daily.lock`)).toBe(true);
        await expect(store.withRunLock('daily', async () => 1, { timeoutMs: 50 })).rejects.toThrow(
          new RegExp(`running in another process \\(PID ${process.pid}\\)`),
        );
      });
      expect(existsSync(`${path}.daily.lock`)).toBe(false);
    } finally {
      store.close();
    }
  });
});

describe('numberParams', () => {
  it('numbers ? placeholders outside quotes', () => {
    expect(numberParams('SELECT ? AS a, \'?\' AS b, "x?" AS c WHERE d = ?')).toBe(
      'SELECT $1 AS a, \'?\' AS b, "x?" AS c WHERE d = $2',
    );
  });
});
