import { join } from 'node:path';
import { importPaths } from '../../src/data/ingest/import.js';
import { Store } from '../../src/data/store/store.js';
import { SECTOR_SPDRS, MAG7 } from '../../src/data/config.js';
import { SHARED_DATA } from './shared-data.js';
import { tempDir } from './tmp.js';

/** The shared-data files a brief reads: the race legs, the sector ETFs, the Mag 7, the indices and macro series. */
export const BRIEF_FILES = [
  'indices/RUT.csv',
  'indices/NDX.csv',
  ...['IWM', 'QQQ', 'SPY', ...SECTOR_SPDRS].map((s) => `etf_daily/${s}.csv`),
  ...MAG7.map((s) => `stocks_daily/${s}.csv`),
  'macro/CPIAUCSL_1947_2025-09.csv',
  // Headline CPI (CPI-U NSA): two copies of one series, merged by identity.
  'macro/CPI-U_NSA_cpiai.csv',
  'macro/CPI-U_NSA_mirror_to_2026-06.csv',
  'macro/FEDFUNDS.csv',
  'macro/DGS10.csv',
  'macro/DGS2.csv',
  'macro/fred_cache_2021_2026.json',
  // ICI flows: the importer keeps the labelled rows and drops the mislabelled ones (2020-12 monthly, 2022-07 weekly).
  'flows/ici_ltmf_flows_weekly.csv',
  'flows/ici_ltmf_flows_monthly.csv',
  // S&P's sector and index EPS and the quarterly actuals: the vintage is the workbook date (2026-01-16).
  'earnings/sp_sector_eps_pe_annual.csv',
  'earnings/sp500_quarterly_eps_actuals.csv',
];

/** The equal-weight twins the brief's breadth compares with SPY and QQQ (rotation breadth's --equal). */
const BREADTH_FILES = ['etf_daily/RSP.csv', 'etf_daily/QQQE.csv'];

/** The "why" inputs of the week of 2026-01-12 (earnings estimates with two vintages, sector flows, CPI consensus). */
export const WHY_EXAMPLE = new URL('../../examples/why-inputs-2026-01-12.csv', import.meta.url).pathname;

/** A temp-file store filled through the real importer (the importer refuses rows dated after `today`). */
export async function openBriefStore(): Promise<{ store: Store; dir: string }> {
  const dir = tempDir('brief-test-');
  const store = await Store.open(join(dir, 'brief.duckdb'));
  const out = await importPaths(
    store,
    [...[...BRIEF_FILES, ...BREADTH_FILES].map((f) => join(SHARED_DATA, f)), WHY_EXAMPLE],
    {
      today: '2026-11-24',
    },
  );
  const failed = out.filter((o) => !o.ok);
  if (failed.length > 0) throw new Error(`import failed: ${JSON.stringify(failed)}`);
  return { store, dir };
}
