import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importPaths } from '../ingest/import.js';
import { Store } from '../store/store.js';
import { tempDir } from '../../../test/support/tmp.js';
import { futuresFigures } from './futures.js';

describe('futuresFigures', () => {
  let store: Store;
  beforeEach(async () => {
    store = await Store.open(':memory:');
  });
  afterEach(() => store.close());

  it('gives the last session move of each stored index future and lists the ones not stored', async () => {
    const dir = tempDir('futures-');
    const es = join(dir, 'ES=F.csv');
    writeFileSync(es, 'Date,Close\n2026-03-10,6900\n2026-03-11,6950\n2026-03-12,6881.5\n2026-03-13,6900\n');
    const out = await importPaths(store, [es], { today: '2026-11-24' });
    expect(
      out.every((o) => o.ok),
      JSON.stringify(out),
    ).toBe(true);
    const f = await futuresFigures(store, { asOf: '2026-03-12' });
    expect(f.missing).toEqual(['NQ=F', 'YM=F', 'RTY=F']);
    const row = f.rows[0];
    expect(row?.points.value).toBeCloseTo(-68.5, 9);
    expect(row?.change.value).toBeCloseTo(6881.5 / 6950 - 1, 12);
    expect(row?.points.window, 'never reads the 2026-03-13 close').toBe('2026-03-11..2026-03-12');
    expect(row?.points.note, '2026-03-12 is the roll Thursday before the 2026-03-20 expiry').toMatch(
      /near a contract roll/,
    );
  });
});
