import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openStore, type Store } from './store.js';
import { withReadMemo } from './read-memo.js';
import { closeBar } from '../../../test/support/bars.js';
import type { Bar } from '../../shared/domain.js';

const bar = closeBar;

describe('withReadMemo', () => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore(':memory:');
    await store.upsertBars(
      'IWM',
      [bar('2026-01-02', 250), bar('2026-01-05', 251), bar('2026-01-06', 252)],
      'test',
    );
  });
  afterEach(() => store.close());

  it('returns the store rows, and reads each (symbol, range) from the store once', async () => {
    const loadBars = vi.spyOn(store, 'loadBars');
    const loadCloseRanges = vi.spyOn(store, 'loadCloseRanges');
    const memo = withReadMemo(store);
    const range = { to: '2026-01-05' };
    const [a, b] = await Promise.all([
      memo.loadBars('IWM', range),
      memo.loadBars('IWM', { to: '2026-01-05' }),
    ]);
    expect(a).toEqual(await store.loadBars('IWM', range));
    expect(a.map((x) => x.close)).toEqual([250, 251]);
    expect(b).toBe(a);
    expect(await memo.loadBars('IWM')).toHaveLength(3); // another range: another read
    await memo.loadBars('IWM');
    expect(await memo.loadCloseRanges('IWM', range)).toEqual(await store.loadCloseRanges('IWM', range));
    await memo.loadCloseRanges('IWM', range);
    // two memo misses + the direct read above
    expect(loadBars).toHaveBeenCalledTimes(3);
    expect(loadCloseRanges).toHaveBeenCalledTimes(2);
  });

  it('hands out frozen rows, so that no caller can change what another one reads', async () => {
    const memo = withReadMemo(store);
    const rows = await memo.loadBars('IWM');
    expect(Object.isFrozen(rows)).toBe(true);
    expect(Object.isFrozen(rows[0])).toBe(true);
    expect(() => (rows as Bar[]).push(bar('2026-01-07', 1))).toThrow(TypeError);
  });

  it('keeps closes as frozen columns, read once per (symbol, range)', async () => {
    const loadCloses = vi.spyOn(store, 'loadCloses');
    const memo = withReadMemo(store);
    const a = await memo.loadCloses('IWM', { to: '2026-01-05' });
    expect(a).toEqual({ dates: ['2026-01-02', '2026-01-05'], close: [250, 251], adjClose: [null, null] });
    expect(await memo.loadCloses('IWM', { to: '2026-01-05' })).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(Object.isFrozen(a.close)).toBe(true);
    expect(() => (a.close as number[]).push(1)).toThrow(TypeError);
    expect(loadCloses).toHaveBeenCalledTimes(1);
  });

  it('empties the memo on a write made through it', async () => {
    const memo = withReadMemo(store);
    expect(await memo.loadBars('IWM')).toHaveLength(3);
    await memo.upsertBars('IWM', [bar('2026-01-07', 253)], 'test');
    expect((await memo.loadBars('IWM')).map((x) => x.close)).toEqual([250, 251, 252, 253]);
  });

  it('keeps no failed read: the next call asks the store again', async () => {
    const memo = withReadMemo(store);
    const loadBars = vi.spyOn(store, 'loadBars').mockRejectedValueOnce(new Error('boom'));
    await expect(memo.loadBars('IWM')).rejects.toThrow('boom');
    expect(await memo.loadBars('IWM')).toHaveLength(3);
    expect(loadBars).toHaveBeenCalledTimes(2);
  });

  it('passes other reads through unchanged', async () => {
    const memo = withReadMemo(store);
    expect(await memo.resolveSymbol('iwm')).toBe('IWM');
    expect(await memo.barSpan('IWM')).toEqual(await store.barSpan('IWM'));
  });
});
