import { afterAll, beforeAll, expect, it } from 'vitest';
import { relative } from 'node:path';
import { Store } from '../store/store.js';
import { describeWithSharedData, SHARED_DATA } from '../../../test/support/shared-data.js';
import { importPaths, type FileOutcome } from './import.js';

/**
 * The undated files of ../shared/data (see its README, "Undated snapshot files"), skipped with a reason when met in a
 * folder walk. (earnings/sp_sector_eps_pe_annual.csv is undated too, but the S&P EPS reader of src/data/why takes it.)
 */
const UNDATED: Record<string, RegExp> = {
  'constituents/IWM_holdings_2026-05-05.csv': /constituents\/holdings snapshot/,
  'constituents/nasdaq100_weights_2026-06-29.csv': /constituents\/holdings snapshot/,
  'constituents/sp500_constituents_gics.csv': /constituents\/holdings snapshot/,
  'constituents/sp500_sector_counts.csv': /constituents\/holdings snapshot/,
  'constituents/sp500_weights_2026-06-29.csv': /constituents\/holdings snapshot/,
  'derived/year_start_russell2000_vs_nasdaq100.csv': /per-year table/,
};

describeWithSharedData('import of ../shared/data', () => {
  let store: Store;
  let first: FileOutcome[];
  let second: FileOutcome[];
  const today = '2026-11-24';

  beforeAll(async () => {
    store = await Store.open(':memory:');
    first = await importPaths(store, [SHARED_DATA], { today });
    second = await importPaths(store, [SHARED_DATA], { today });
  }, 240_000); // two imports of all of ../shared/data: ~45 s alone, far more on a loaded 2-core machine
  afterAll(() => store.close());

  it('imports every dated file and skips only the undated ones, with reasons', () => {
    const failed = first.filter((o): o is Extract<FileOutcome, { ok: false }> => !o.ok);
    expect(
      failed.every((o) => o.skipped),
      'files met in a folder walk are skipped, not failed',
    ).toBe(true);
    const byFile = Object.fromEntries(failed.map((o) => [relative(SHARED_DATA, o.file), o.error]));
    expect(Object.keys(byFile).sort(), 'only undated files fail').toEqual(Object.keys(UNDATED).sort());
    for (const [file, error] of Object.entries(byFile)) expect(error, file).toMatch(UNDATED[file] as RegExp);
    expect(first.filter((o) => o.ok).length).toBeGreaterThanOrEqual(100);
  });

  it('finds the indices, the ETFs and the Magnificent Seven', async () => {
    for (const s of [
      '^RUT',
      '^NDX',
      '^SPX',
      'IWM',
      'QQQ',
      'AAPL',
      'MSFT',
      'NVDA',
      'AMZN',
      'GOOGL',
      'META',
      'TSLA',
    ])
      expect(await store.resolveSymbol(s), s).toBe(s);
    expect((await store.getInstrument('^RUT'))?.kind).toBe('index');
    expect((await store.getInstrument('IWM'))?.kind).toBe('etf');
    expect((await store.getInstrument('NVDA'))?.kind).toBe('stock');
  });

  it('adds and updates nothing on a second import', () => {
    const ok = second.filter((o): o is Extract<FileOutcome, { ok: true }> => o.ok);
    expect(ok.length).toBe(first.filter((o) => o.ok).length);
    expect(ok.reduce((s, o) => s + o.added + o.updated, 0)).toBe(0);
  });

  it('stores the values of the files', async () => {
    // indices/NDX.csv line 4: 1985-10-01,112.13999938964844,112.13999938964844,112.16000366210938,...
    const ndx = await store.loadBars('^NDX', { from: '1985-10-01', to: '1985-10-01' });
    expect(ndx[0]?.close).toBe(112.13999938964844);
    // indices/RUT.csv line 2: 1987-09-10,168.97000122070312,... (Close comes before Open in that file)
    const rut = await store.loadBars('^RUT', { from: '1987-09-10', to: '1987-09-10' });
    expect(rut[0]).toMatchObject({ close: Number('168.97000122070312'), open: Number('167.44000244140625') });
    // etf_daily/IWM.csv line 2: 2000-05-26,32.590633392333984 (imported before etf_daily_ohlcv, so it is kept)
    const iwm = await store.loadBars('IWM', { from: '2000-05-26', to: '2000-05-26' });
    expect(iwm[0]?.close).toBe(32.590633392333984);
    // etf_recent_raw/IWM.csv line 2: 2026-08-21,299.9500,300.3300,298.1700,299.9400,22919225 (descending, CRLF)
    const recent = await store.loadBars('IWM', { from: '2026-08-21', to: '2026-08-21' });
    expect(recent[0]).toMatchObject({ open: 299.95, close: 299.94, volume: 22919225 });
    // macro/DGS10.csv line 2: 1962-01-02,4.06
    const dgs10 = await store.loadObservations('DGS10', { asOf: '1962-01-02' });
    expect(dgs10.map((o) => [o.period, o.value, o.unit])).toEqual([['1962-01-02', 4.06, 'percent']]);
  });
});
