import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { main } from '../main.js';
import { tempDir } from '../../../test/support/tmp.js';

afterEach(() => vi.restoreAllMocks());

it('says how to fill an empty store and exits non-zero, writing nothing', async () => {
  const dir = tempDir('brief-cli-');
  const err: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    err.push(String(s));
    return true;
  });
  try {
    const code = await main(['--db', join(dir, 'empty.duckdb'), 'brief', '--out', join(dir, 'out')]);
    expect(code).not.toBe(0);
    const text = err.join('');
    expect(text).toMatch(/^error: the store is empty/);
    expect(text).toContain('rotation sync');
    expect(text).toContain('rotation import');
    expect(readdirSync(dir)).not.toContain('out');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('rejects a bad --first with a usage error (exit 2)', async () => {
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  expect(await main(['--db', ':memory:', 'brief', '--first', 'seven'])).toBe(2);
});
