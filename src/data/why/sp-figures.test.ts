import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { epsGrowth, quarterlyYoY } from '../../core/why/sp-earnings.js';
import { Store } from '../store/store.js';
import { describeWithSharedData, SHARED_DATA } from '../../../test/support/shared-data.js';
import { runCli } from '../../../test/support/run-cli.js';
import { tempDir } from '../../../test/support/tmp.js';
import { importWhyFile } from './import.js';
import { spEarningsFigures } from './sp-figures.js';

describe('epsGrowth and quarterlyYoY', () => {
  it('divides the next EPS by the base and refuses a base of zero or less', () => {
    expect(epsGrowth(263.5, 310.32)).toBeCloseTo(310.32 / 263.5 - 1, 12);
    expect(epsGrowth(0, 5), 'growth from nothing has no rate').toBeNull();
    expect(epsGrowth(-0.92, 5.0), 'growth from a loss has no rate').toBeNull();
  });
  it('compares each quarter with the same quarter a year before and ignores quarters after as-of', () => {
    const pts = [
      { period: '2024-06-30', value: 50 },
      { period: '2024-09-30', value: 60 },
      { period: '2025-06-30', value: 55 },
      { period: '2025-09-30', value: 72 },
    ];
    expect(quarterlyYoY(pts, '2025-12-31').map((q) => [q.period, q.base.period])).toEqual([
      ['2025-06-30', '2024-06-30'],
      ['2025-09-30', '2024-09-30'],
    ]);
    expect(quarterlyYoY(pts, '2025-12-31').at(-1)?.growth).toBeCloseTo(0.2, 12);
    expect(quarterlyYoY(pts, '2025-08-01').map((q) => q.period)).toEqual(['2025-06-30']);
  });
});

const SECTORS =
  'Consumer Discretionary,Consumer Staples,Energy,Financials,Health Care,Industrials,Information Technology,Materials,Communication Services,Utilities,Real Estate';
const SECTOR_HEADER = `year,index,${SECTORS},index_type,earnings_type,earnings_metric,real interest rate\n`;
const Q_HEADER =
  'date,price,op_eps,rep_eps,op_pe,rep_pe,12m_op_eps,12m_rep_eps,yr_qtr,op_margin,div_ps,sales_ps,bk_val_ps,capex_ps,divisor,real interest rate\n';

describe('S&P workbook files: vintage and figures', () => {
  let store: Store;
  let dir: string;
  beforeEach(async () => {
    store = await Store.open(':memory:');
    dir = tempDir('sp-');
  });
  afterEach(() => store.close());

  function files(lastRow: string): { sector: string; quarterly: string } {
    const sector = join(dir, 'sector.csv');
    writeFileSync(
      sector,
      SECTOR_HEADER +
        '2026,120,11,11,11,11,11,11,15,11,11,11,11,SP500,op,eps,\n' +
        '2025,100,10,10,10,10,10,10,10,10,10,10,-1,SP500,op,eps,\n' +
        '2026,60,,,,,,,,,,,,SP600,op,eps,\n' +
        '2025,40,,,,,,,,,,,,SP600,op,eps,\n',
    );
    const quarterly = join(dir, 'quarterly.csv');
    writeFileSync(
      quarterly,
      Q_HEADER +
        '2024-09-30,5000,50,,,,200,,2024-Q3,,,,,,,\n2025-09-30,6000,60,,,,230,,2025-Q3,,,,,,,\n' +
        lastRow,
    );
    return { sector, quarterly };
  }

  it('takes the workbook date from the quarterly table beside the sector table and hides it before that date', async () => {
    const f = files('2026-01-16,6940,,,,,,,2026-Q1,,,,,,,\n');
    const r = await importWhyFile(store, f.sector, { today: '2026-11-24' });
    expect(r.warnings.join(' ')).toMatch(/workbook date 2026-01-16 \(from quarterly\.csv\)/);
    const sp = await spEarningsFigures(store, { asOf: '2026-01-20' });
    expect(sp.year).toBe('2026');
    expect(sp.vintage).toBe('2026-01-16');
    expect(sp.index.find((x) => x.index === 'sp500')?.fact?.value).toBeCloseTo(0.2, 12);
    expect(sp.smallVsLarge?.value).toBeCloseTo(0.5 - 0.2, 12);
    expect(sp.sectors.filter((x) => x.fact).length, 'ten sectors with a positive base').toBe(10);
    expect(sp.refusals.join(' ')).toMatch(/S&P 500 Real Estate: no growth rate, 2025 operating EPS is -1/);
    expect(sp.refusals.join(' ')).toMatch(/tech vs the rest is not computed/);
    const before = await spEarningsFigures(store, { asOf: '2026-01-12' });
    expect(before.facts, 'a workbook dated 2026-01-16 is not known on 2026-01-12').toEqual([]);
  });

  it('falls back to today with a warning when no dated quarterly table is beside it', async () => {
    const f = files('2025-12-31,6845,61,,,,,,2025-Q4,,,,,,,\n');
    const r = await importWhyFile(store, f.sector, { today: '2026-11-24' });
    expect(r.warnings.join(' ')).toMatch(/recorded as known on 2026-11-24/);
  });

  it('computes quarterly y/y from the actuals, strict mode skipping a vintage later than as-of', async () => {
    const f = files('2026-01-16,6940,,,,,,,2026-Q1,,,,,,,\n');
    await importWhyFile(store, f.quarterly, { today: '2026-11-24' });
    const sp = await spEarningsFigures(store, { asOf: '2026-02-01' });
    expect(sp.quarterly.quarter?.value).toBeCloseTo(0.2, 12);
    expect(sp.quarterly.trailing?.value).toBeCloseTo(230 / 200 - 1, 12);
    expect(sp.quarterly.quarter?.knownAt, 'known 90 days after the quarter').toBe('2025-12-29');
    const lenient = await spEarningsFigures(store, { asOf: '2026-01-05' });
    expect(lenient.quarterly.quarter?.note).toMatch(/2026-01-16 vintage/);
    const strict = await spEarningsFigures(store, { asOf: '2026-01-05', strict: true });
    expect(strict.quarterly.quarter).toBeNull();
  });
});

describeWithSharedData('rotation earnings on the shipped S&P files', () => {
  it('gives growth for all 11 S&P 500 sectors as of 2026-01-20 and nothing from the workbook on 2026-01-12', async () => {
    const dir = tempDir('sp-cli-');
    const db = join(dir, 'e.duckdb');
    const imported = await runCli(['import', join(SHARED_DATA, 'earnings'), '--db', db]);
    expect(imported.code, imported.err).toBe(0);
    const r = await runCli(['earnings', '--db', db, '--as-of', '2026-01-20', '--format', 'json']);
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out) as {
      facts: { id: string; value: number; knownAt?: string }[];
      notComputed: string[];
    };
    const sectors = out.facts.filter((f) => /^earnings\.sp\.sp500\.[a-z-]+\.growth\.2026$/.test(f.id));
    expect(sectors.length).toBe(11);
    expect(sectors.every((f) => f.knownAt === '2026-01-16')).toBe(true);
    // S&P's 2026-01-16 workbook: S&P 500 operating EPS 310.32 (2026 est.) vs 263.50 (2025), IT 217.77 vs 155.41.
    expect(out.facts.find((f) => f.id === 'earnings.sp.sp500.growth.2026')?.value).toBeCloseTo(
      310.32 / 263.5 - 1,
      10,
    );
    expect(
      out.facts.find((f) => f.id === 'earnings.sp.sp500.information-technology.growth.2026')?.value,
    ).toBeCloseTo(217.77 / 155.41 - 1, 10);
    expect(out.facts.find((f) => f.id === 'earnings.sp.sp600-vs-sp500.growth.2026')).toBeDefined();
    expect(out.notComputed.join(' ')).toMatch(/tech vs the rest/);
    const early = await runCli(['earnings', '--db', db, '--as-of', '2026-01-12', '--format', 'json']);
    const ids =
      early.code === 0 ? (JSON.parse(early.out) as { facts: { id: string }[] }).facts.map((f) => f.id) : [];
    expect(ids.filter((id) => /growth\.2026$/.test(id))).toEqual([]);
  }, 60_000);
});
