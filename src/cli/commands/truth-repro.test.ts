import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { runCli } from '../../../test/support/run-cli.js';
import { describeWithSharedData, SHARED_DATA } from '../../../test/support/shared-data.js';
import { tempDir } from '../../../test/support/tmp.js';

type CheckJson = {
  verdict: string;
  rows: { a: string; b: string; evaluation: { status: string; reason: string } }[];
};

/** Issue 9's reproductions on the real index files: one alias table, and windows still running are pending. */
describeWithSharedData('claims on the real indices (issue 9 reproductions)', () => {
  let db = '';
  beforeAll(async () => {
    db = join(tempDir('truth-repro-'), 'store.duckdb');
    const files = ['RUT', 'NDX', 'SPX'].map((s) => join(SHARED_DATA, 'indices', `${s}.csv`));
    const r = await runCli(['import', ...files, '--db', db]);
    expect(r.code, r.err).toBe(0);
  }, 120_000);

  const check = async (sentence: string, asOf: string): Promise<CheckJson> => {
    const r = await runCli(['check', sentence, '--as-of', asOf, '--format', 'json', '--db', db]);
    expect(r.code, r.err).toBe(0);
    return JSON.parse(r.out) as CheckJson;
  };

  it('"the S&P 500" finds the ^SPX file the import stored (^GSPC and ^SPX are one index)', async () => {
    const c = await check(
      'The Russell 2000 beat the S&P 500 over the first 7 sessions of 2025',
      '2025-03-31',
    );
    const spx = c.rows.filter((r) => r.a === '^RUT' && /SPX|GSPC/.test(r.b));
    expect(spx.length).toBeGreaterThan(0);
    for (const r of spx) expect(r.evaluation.reason).not.toMatch(/not in the store/);
    expect(spx.some((r) => r.evaluation.status === 'holds' || r.evaluation.status === 'fails')).toBe(true);
  });

  it('a claim about January 2026 checked on 2026-01-12 is pending, not a verdict', async () => {
    const c = await check('The Russell 2000 beat the Nasdaq-100 in January 2026', '2026-01-12');
    expect(c.verdict).toMatch(/^pending/);
    expect(c.verdict).not.toMatch(/^holds/);
  });
});
