import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/run-cli.js';
import { weekdays, wigglyPath } from '../../../test/support/synthetic-series.js';
import { tempDir } from '../../../test/support/tmp.js';

/**
 * Issue 17's "wrong successes" for `check`: a claim over the first 0 (or 99999) sessions of a year answered
 * "holds under 32 of 32" on a store with data. The window is refused as bad usage, naming its bounds.
 */
let db = '';
beforeAll(async () => {
  const dir = tempDir('check-window-');
  db = join(dir, 'store.duckdb');
  const dates = weekdays(480, '2025-01-01');
  for (const [stem, seed] of [
    ['RUT', 1],
    ['GSPC', 2],
  ] as const) {
    const closes = wigglyPath(dates.length, seed);
    const rows = dates.map((d, i) => `${d},${(closes[i] as number).toFixed(4)}`);
    writeFileSync(join(dir, `${stem}.csv`), `Date,Close\n${rows.join('\n')}\n`);
  }
  const r = await runCli(['import', join(dir, 'RUT.csv'), join(dir, 'GSPC.csv'), '--db', db]);
  expect(r.code, r.err).toBe(0);
});

describe('check refuses a window of 0 or 99999 sessions', () => {
  for (const n of ['0', '99999'])
    it(`"over the first ${n} sessions of 2026" is bad usage (exit 2), not a verdict`, async () => {
      const r = await runCli([
        'check',
        `Small caps beat large caps over the first ${n} sessions of 2026.`,
        '--db',
        db,
      ]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(new RegExp(`window "first:${n}" needs N between 1 and 260`));
      expect(r.out).not.toMatch(/holds/);
    });

  it('a window inside the bounds still answers', async () => {
    const r = await runCli([
      'check',
      'Small caps beat large caps over the first 10 sessions of 2026.',
      '--db',
      db,
    ]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/first:10 +price +(holds|fails)/);
  });
});
