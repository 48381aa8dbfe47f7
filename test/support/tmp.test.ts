import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { removeTempDirs, tempDir } from './tmp.js';

it('makes a fresh empty folder per call and removes every one with its contents', () => {
  const a = tempDir('tmp-helper-');
  const b = tempDir('tmp-helper-');
  expect(a, 'each call gets its own folder').not.toBe(b);
  writeFileSync(join(a, 'x.txt'), 'x');
  removeTempDirs();
  expect(existsSync(a), 'a folder with a file in it is removed').toBe(false);
  expect(existsSync(b)).toBe(false);
});
