import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { importPaths } from '../../src/data/ingest/import.js';
import { Store } from '../../src/data/store/store.js';
import { tempDir } from './tmp.js';

/**
 * A fresh store holding one why-inputs file (the examples/why-inputs-*.csv columns) made of `rows`, imported as of
 * 2026-11-24; the import must succeed.
 */
export async function storeOfWhyInputs(prefix: string, rows: readonly string[]): Promise<Store> {
  const dir = tempDir(prefix);
  const file = join(dir, 'why-inputs.csv');
  writeFileSync(file, `${['kind,group,period,metric,value,unit,as_of,source,note', ...rows].join('\n')}\n`);
  const store = await Store.open(join(dir, 'store.duckdb'));
  const out = await importPaths(store, [file], { today: '2026-11-24' });
  expect(
    out.every((o) => o.ok),
    JSON.stringify(out),
  ).toBe(true);
  return store;
}
