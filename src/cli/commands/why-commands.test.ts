import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Store } from '../../data/store/store.js';
import { importWhyFile } from '../../data/why/import.js';
import type { TradingDate } from '../../shared/brand.js';
import { describeWithSharedData, SHARED_DATA } from '../../../test/support/shared-data.js';
import { main } from '../main.js';
import { tempDir } from '../../../test/support/tmp.js';

const EXAMPLE = new URL('../../../examples/why-inputs-2026-01-12.csv', import.meta.url).pathname;
const TFF = new URL('../../../test/fixtures/why/cftc-tff-rty-nq.fake.csv', import.meta.url).pathname;

let db: string;
let out: string[];
let err: string[];
beforeEach(async () => {
  db = join(tempDir('why-cli-'), 'store.duckdb');
  const store = await Store.open(db);
  await importWhyFile(store, EXAMPLE, { today: '2026-01-16' });
  await importWhyFile(store, TFF, { today: '2026-01-16' });
  store.close();
  out = [];
  err = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
});
afterEach(() => vi.restoreAllMocks());

type Fact = {
  id: string;
  value: number;
  unit: string;
  note?: string;
  inputs: string[];
  window?: string;
  knownAt?: string;
};
async function facts(args: string[]): Promise<Fact[]> {
  const code = await main(['--db', db, ...args, '--format', 'json']);
  expect(code, err.join('')).toBe(0);
  return (JSON.parse(out.join('')) as { facts: Fact[] }).facts;
}
const byId = (fs: Fact[], id: string) => fs.find((f) => f.id === id);

describe('rotation earnings', () => {
  it('shows the cut of non-tech growth and the spreads as of 2026-01-12', async () => {
    const fs = await facts(['earnings', '--as-of', '2026-01-12']);
    expect(byId(fs, 'earnings.revision.sp500-ex-tech.2025q4')?.value).toBeCloseTo(-0.08, 12);
    expect(byId(fs, 'earnings.spread.sp500-tech-vs-sp500-ex-tech.2025q4')?.value).toBeCloseTo(0.19, 12);
    expect(byId(fs, 'earnings.spread.style-growth-vs-style-value.2026')?.value).toBeCloseTo(0.21, 12);
    expect(byId(fs, 'earnings.growth.sp500-health-care.2026')?.note).toMatch(/just under 10%/);
  });
  it('returns the vintage known at an earlier as-of', async () => {
    const fs = await facts(['earnings', '--as-of', '2025-12-31']);
    expect(byId(fs, 'earnings.growth.sp500-ex-tech.2025q4')?.value).toBeCloseTo(0.09, 12);
    expect(byId(fs, 'earnings.revision.sp500-ex-tech.2025q4'), 'one vintage known then').toBeUndefined();
    expect(byId(fs, 'earnings.growth.sp500-tech.2025q4'), 'tech estimate not yet known').toBeUndefined();
  });
  it('rejects a bad --as-of as usage (exit 2)', async () => {
    expect(await main(['--db', db, 'earnings', '--as-of', '2026-13-01'])).toBe(2);
    expect(err.join('')).toMatch(/error: --as-of/);
  });
});

describe('rotation flows and positioning', () => {
  it('splits tech from everything else', async () => {
    const fs = await facts(['flows', '--as-of', '2026-01-12']);
    expect(byId(fs, 'flows.tech-vs-rest.week')?.value).toBeCloseTo(-9.2e9, 0);
    expect(byId(fs, 'flows.sector-tech.week')?.value).toBeCloseTo(-0.9e9, 0);
  });
  it('scores leveraged-fund nets in the Russell 2000 E-mini', async () => {
    // The 2026-01-13 report came out on 2026-01-20 (the CFTC's catch-up schedule): as of 2026-01-16 only the
    // 2026-01-06 report is known, whatever day the file was imported.
    await expect(facts(['positioning', '--lookback', '2', '--as-of', '2026-01-16'])).rejects.toThrow(
      /no positioning series has 2 readings on or before 2026-01-16/,
    );
    const fs = await facts(['positioning', '--lookback', '2', '--as-of', '2026-01-20']);
    const f = byId(fs, 'positioning.cftc-tff-rty.lev-money-net.cot-index');
    // Fixture: -90,000 on 2026-01-06, -70,000 on 2026-01-13: the latest is the top of the 2-week range.
    expect(f?.value).toBe(100);
    expect(f?.note).toBe('highest on record');
  });
  it('csv output has a header and one line per fact', async () => {
    expect(await main(['--db', db, 'flows', '--as-of', '2026-01-12', '--format', 'csv'])).toBe(0);
    const lines = out.join('').trim().split('\n');
    expect(lines[0]).toBe('id,label,value,unit,window,as_of,known_at,note,inputs,method');
    // the two groups' weeks, tech vs the rest, and its two sums (the brief prints them too)
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual([
      'flows.sector-ex-tech.week',
      'flows.sector-tech.week',
      'flows.tech-vs-rest.week',
      'flows.tech.week',
      'flows.rest.week',
    ]);
  });
});

describeWithSharedData('rotation macro on shared FRED/BLS files', () => {
  async function load(series: string, file: string, from: string): Promise<void> {
    const text = readFileSync(join(SHARED_DATA, 'macro', file), 'utf8')
      .trim()
      .split('\n')
      .slice(1);
    const store = await Store.open(db);
    const obs = text
      .map((l) => l.split(','))
      .filter(([d]) => (d as string) >= from)
      .map(([d, v]) => ({
        series,
        period: d as string,
        value: Number(v),
        unit: 'index',
        asOf: '2026-08-21' as TradingDate,
        source: 'test',
      }));
    await store.upsertObservations(obs);
    store.close();
  }
  it('computes CPI y/y, the fed funds path and the curve', async () => {
    await load('CUUR0000SA0', 'CPI-U_NSA_cpiai.csv', '2020-01-01');
    await load('FEDFUNDS', 'FEDFUNDS.csv', '2020-01-01');
    await load('DGS10', 'DGS10.csv', '2025-06-01');
    await load('DGS2', 'DGS2.csv', '2025-06-01');
    // A month is read from its release day (the BLS CPI calendar, docs/known-at.md), not from its first day: June
    // 2022 was released 2022-07-13, so on 2022-07-12 the latest month known is May.
    const before = await facts(['macro', '--as-of', '2022-07-12', '--cpi', 'CUUR0000SA0']);
    // BLS, CPI news release of 2022-06-10: all items +8.6% over the 12 months to May 2022 (NSA).
    const may = byId(before, 'macro.cpi-yoy.cuur0000sa0');
    expect(may?.window).toBe('2022-05');
    expect(Math.round((may?.value as number) * 1000) / 10).toBe(8.6);
    out = [];
    const fs = await facts(['macro', '--as-of', '2022-07-13', '--cpi', 'CUUR0000SA0']);
    // BLS, CPI news release of 2022-07-13: all items +9.1% over the 12 months to June 2022 (NSA).
    const cpi = byId(fs, 'macro.cpi-yoy.cuur0000sa0');
    expect(Math.round((cpi?.value as number) * 1000) / 10).toBe(9.1);
    expect(cpi?.knownAt).toBe('2022-07-13');
    expect(cpi?.note, 'stored vintage is later than the as-of').toMatch(/vintage/);
    // Headline CPI by default: on 2026-01-12 the latest month released is November 2025 (out 2025-12-18; October
    // 2025 was never collected, December came out 2026-01-13).
    out = [];
    const jan = await facts(['macro', '--as-of', '2026-01-12']);
    const headline = byId(jan, 'macro.cpi-yoy.headline');
    expect(headline?.window).toBe('2025-11');
    expect(headline?.knownAt).toBe('2025-12-18');
    const later = await (async () => {
      out = [];
      return facts(['macro', '--as-of', '2026-01-12', '--cpi', 'CUUR0000SA0']);
    })();
    const ff = byId(later, 'macro.fed-funds.fedfunds.change12m');
    // FEDFUNDS monthly average: the latest month known on 2026-01-12 is 2025-12 (January's average is published on
    // the first weekday of February), against 2025-01, the reading in force 12 months before (FRED FEDFUNDS, file).
    const ffFile = Object.fromEntries(
      readFileSync(join(SHARED_DATA, 'macro', 'FEDFUNDS.csv'), 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(',')),
    );
    expect(ff?.value).toBeCloseTo(Number(ffFile['2025-12-01']) - Number(ffFile['2025-01-01']), 12);
    const spread = byId(later, 'macro.yield.10y-2y');
    const t10 = byId(later, 'macro.yield.10y')?.value as number;
    const t2 = byId(later, 'macro.yield.2y')?.value as number;
    expect(spread?.value).toBeCloseTo(t10 - t2, 12);
    expect(byId(later, 'macro-us-cpi-yoy.2025-12.consensus')?.value).toBeCloseTo(0.027, 12);
  });
});

describe('--config on earnings, flows and positioning', () => {
  const CONFIG = new URL('../../../examples/shared-data.config.json', import.meta.url).pathname;
  const verbs: string[][] = [
    ['earnings', '--as-of', '2026-01-12'],
    ['flows', '--as-of', '2026-01-12'],
    ['positioning', '--lookback', '2', '--as-of', '2026-01-20'],
  ];
  it.each(verbs)('%s takes --config, and the figures are those without it', async (...args) => {
    const without = await facts(args);
    out.length = 0;
    expect(await facts([...args, '--config', CONFIG])).toEqual(without);
  });
  it.each(verbs)('%s refuses a bad --config file, naming it and the key', async (...args) => {
    const bad = join(tempDir('why-config-'), 'bad.json');
    writeFileSync(bad, '{"bogus": 1}');
    const code = await main(['--db', db, ...args, '--config', bad, '--format', 'json']);
    expect(code).not.toBe(0);
    expect(err.join('')).toContain(`${bad}: unknown key bogus`);
    expect(out.join('')).toBe('');
  });
});
