import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { NotFoundError } from '../shared/errors.js';
import { tempDir } from '../../test/support/tmp.js';
import { loadSeries, loadSeriesOrNull, loadSeriesOutcome } from './load.js';
import { Store } from './store/store.js';

let store: Store;
beforeEach(async () => {
  store = await Store.open(join(tempDir('load-'), 'store.duckdb'));
});
afterEach(async () => {
  await store.close();
});

it('gives absence as a value: null from loadSeriesOrNull, NotFoundError with a hint from loadSeries', async () => {
  expect(await loadSeriesOrNull(store, 'NOPE'), 'an unknown symbol is absent').toBeNull();
  await expect(loadSeries(store, 'NOPE')).rejects.toThrow(NotFoundError);
  await expect(loadSeries(store, 'NOPE')).rejects.toThrow('unknown symbol or basket "NOPE"');
  const outcome = await loadSeriesOutcome(store, 'MAG7', {});
  expect(outcome, 'a basket whose members are not stored').toMatchObject({
    absent: 'basket-incomplete',
    message: expect.stringContaining('basket MAG7 needs AAPL') as unknown,
  });
  expect(await loadSeriesOrNull(store, 'MAG7')).toBeNull();
});
