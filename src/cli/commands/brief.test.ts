import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { lastCompletedSession } from '../context.js';
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

it('takes the last completed NYSE session from the clock: today after the close, else the session before', () => {
  // 2026-01-12 is a Monday: 15:59 New York (20:59 UTC) is before the close, 16:00 (21:00 UTC) after it.
  expect(lastCompletedSession(new Date('2026-01-12T20:59:00Z'))).toBe('2026-01-09');
  expect(lastCompletedSession(new Date('2026-01-12T21:00:00Z'))).toBe('2026-01-12');
  // Saturday 2026-01-10 and the Thanksgiving early close (Friday 2026-11-27, 13:00 New York = 18:00 UTC).
  expect(lastCompletedSession(new Date('2026-01-10T15:00:00Z'))).toBe('2026-01-09');
  expect(lastCompletedSession(new Date('2026-11-27T18:30:00Z'))).toBe('2026-11-27');
  expect(lastCompletedSession(new Date('2026-11-27T17:30:00Z'))).toBe('2026-11-25');
});
