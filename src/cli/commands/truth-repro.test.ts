import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { openBriefStore } from '../../../test/support/brief-store.js';
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
    const files = [
      ...['RUT', 'NDX', 'SPX'].map((s) => join(SHARED_DATA, 'indices', `${s}.csv`)),
      ...['IWM', 'QQQ'].map((s) => join(SHARED_DATA, 'etf_daily', `${s}.csv`)),
    ];
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

  it('"IWM beat QQQ" is checked first as IWM vs QQQ (the funds named), with the indices as further definitions', async () => {
    const c = await check('IWM beat QQQ in the first 7 sessions of 2026', '2026-03-31');
    expect(c.rows[0]).toMatchObject({ a: 'IWM', b: 'QQQ' });
    expect(c.rows.some((r) => r.a === '^RUT' || r.b === '^NDX')).toBe(true);
  });

  it('a claim about January 2026 checked on 2026-01-12 is pending, not a verdict', async () => {
    const c = await check('The Russell 2000 beat the Nasdaq-100 in January 2026', '2026-01-12');
    expect(c.verdict).toMatch(/^pending/);
    expect(c.verdict).not.toMatch(/^holds/);
  });
});

type JsonFact = {
  id: string;
  value: unknown;
  unit: string;
  window?: string;
  asOf: string;
  knownAt?: string;
  note?: string;
  stale?: boolean;
  label: string;
};

/** Issue 9's other reproductions, run as the issue gives them, on the brief's files through the real importer. */
describeWithSharedData('the issue 9 commands on the shared data (what is wrong today, re-run)', () => {
  let db = '';
  beforeAll(async () => {
    const { store, dir } = await openBriefStore();
    await store.close();
    db = join(dir, 'brief.duckdb');
  }, 180_000);
  const facts = async (args: string[]): Promise<JsonFact[]> => {
    const r = await runCli([...args, '--format', 'json', '--db', db]);
    expect(r.code, r.err).toBe(0);
    return (JSON.parse(r.out) as { facts: JsonFact[] }).facts;
  };

  it('macro --as-of 2026-01-12 --cpi CPI-U_NSA_cpiai:Index reads November 2025 CPI (public 2025-12-18), never January', async () => {
    const f = await facts(['macro', '--as-of', '2026-01-12', '--cpi', 'CPI-U_NSA_cpiai:Index']);
    const cpi = f.find((x) => x.id.startsWith('macro.cpi-yoy.'));
    expect(cpi?.window).toBe('2025-11');
    expect(cpi?.knownAt).toBe('2025-12-18');
    for (const x of f) if (x.knownAt) expect(x.knownAt <= '2026-01-12', x.id).toBe(true);
  }, 60_000);

  it('macro --as-of 2026-07-31 reports June 2026 CPI, not the ten-month-old 2025-09', async () => {
    const f = await facts(['macro', '--as-of', '2026-07-31']);
    const headline = f.find((x) => x.id === 'macro.cpi-yoy.headline');
    expect(headline?.window).toBe('2026-06');
    expect(f.some((x) => x.id.startsWith('macro.cpi-yoy.') && x.window === '2025-09')).toBe(false);
  }, 60_000);

  it('flows --as-of 2026-01-12 labels the 2020 ICI week stale with its date, never latest', async () => {
    const f = await facts(['flows', '--as-of', '2026-01-12']);
    // the figures; the dates they state follow them as facts of unit `date` (the week itself, 2020-12-29)
    const ici = f.filter((x) => x.id.startsWith('flows.ici-') && x.unit !== 'date');
    expect(ici.length).toBeGreaterThan(0);
    const weeks = f.filter((x) => x.id.startsWith('flows.ici-') && x.id.endsWith('.week.as-of'));
    expect(weeks.length).toBeGreaterThan(0);
    for (const w of weeks) expect(w.value, w.id).toBe('2020-12-29');
    for (const x of ici) {
      expect(x.stale, x.id).toBe(true);
      expect(x.note, x.id).toMatch(/^stale: last reading 2020-12-29/);
      expect(x.label, x.id).not.toMatch(/latest|current/i);
    }
  }, 60_000);

  it('rrg XLK --as-of 2026-07-31 gives the RS-Ratio of the default sector RRG the brief prints', async () => {
    const one = (await facts(['rrg', 'XLK', '--as-of', '2026-07-31'])).find(
      (x) => x.id === 'rrg.spy.weekly.xlk.ratio',
    );
    const all = (await facts(['rrg', '--as-of', '2026-07-31'])).find(
      (x) => x.id === 'rrg.spy.weekly.xlk.ratio',
    );
    expect(one?.value).toEqual(expect.any(Number));
    expect(one?.value).toEqual(all?.value);
  }, 60_000);

  it('--news reads the weekly RRG and --base-rate a year-start window: other uses are bad usage (exit 2)', async () => {
    const news = await runCli(['rrg', '--news', '--period', 'daily', '--db', db]);
    expect(news.code, news.err).toBe(2);
    expect(news.err).toMatch(/--news reads the weekly RRG/);
    const odds = await runCli(['odds', '--extreme', 'IWM', '--base-rate', '--db', db]);
    expect(odds.code, odds.err).toBe(2);
    expect(odds.err).toMatch(/--beats A B --window first:N/);
  }, 60_000);
});
