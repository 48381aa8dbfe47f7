import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TradingDate } from '../../shared/brand.js';
import { runCli } from '../../../test/support/run-cli.js';
import { parseAsOf } from '../context.js';

const dir = mkdtempSync(join(tmpdir(), 'as-of-'));
const db = join(dir, 'store.duckdb');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--as-of: one parser, no future dates', () => {
  it('accepts today and earlier, refuses tomorrow', () => {
    const today = '2026-01-12' as TradingDate;
    expect(parseAsOf('2026-01-12', today)).toBe('2026-01-12');
    expect(parseAsOf(undefined, today)).toBeUndefined();
    expect(() => parseAsOf('2026-01-13', today)).toThrow(
      /--as-of 2026-01-13 is in the future \(today is 2026-01-12/,
    );
    expect(() => parseAsOf('2026-02-30', today)).toThrow(/is not a date/);
  });

  const verbs: string[][] = [
    ['race', 'IWM', 'QQQ'],
    ['precedents', '--beats', 'IWM', 'QQQ', '--window', 'jan'],
    ['rrg'],
    ['breadth'],
    ['regime'],
    ['basket', 'MAG7'],
    ['macro'],
    ['earnings'],
    ['flows'],
    ['positioning'],
    ['brief', '--out', dir],
    ['check', 'the Russell 2000 beat the Nasdaq-100 in January 2026'],
  ];
  for (const args of verbs)
    it(`rotation ${args[0]} refuses a future --as-of as bad usage (exit 2)`, async () => {
      const r = await runCli([...args, '--db', db, '--as-of', '2999-01-04']);
      expect(r.err).toMatch(/--as-of 2999-01-04 is in the future/);
      expect(r.code).toBe(2);
    });
});
