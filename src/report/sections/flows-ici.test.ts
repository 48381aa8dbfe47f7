import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { utils, write } from '@e965/xlsx';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { importPaths } from '../../data/ingest/import.js';
import { Store } from '../../data/store/store.js';
import type { TradingDate } from '../../shared/brand.js';
import { describeWithSharedData, SHARED_DATA } from '../../../test/support/shared-data.js';
import { tempDir } from '../../../test/support/tmp.js';
import { buildBrief } from '../build.js';
import { renderMarkdown } from '../render/render.js';

/**
 * Issue 10: once ICI's weekly workbook is stored (synced or imported), the brief's flows section is written from it
 * (the headline categories), and the note that ICI's public CSV says nothing about recent weeks is not printed.
 * The workbook is the replay fixture of the ICI provider tests (weeks to 2026-01-07, released 2026-01-14). Not
 * covered yet: a store holding both the old ICI CSV and a workbook, whose rows share series ids (issue 10's note).
 */
describeWithSharedData('the brief reads a current ICI workbook', () => {
  let store: Store;
  beforeAll(async () => {
    // the race legs and the workbook only: the old ICI CSV shares the workbook's series ids (see the note below)
    const dir = tempDir('flows-ici-store-');
    store = await Store.open(join(dir, 'store.duckdb'));
    const legs = await importPaths(
      store,
      ['IWM', 'QQQ', 'SPY'].map((s) => join(SHARED_DATA, 'etf_daily', `${s}.csv`)),
      { today: '2026-11-24' },
    );
    expect(
      legs.every((o) => o.ok),
      JSON.stringify(legs),
    ).toBe(true);
    const rows = JSON.parse(
      readFileSync(
        new URL('../../../test/fixtures/http/ici/flows_data_2025.fake.json', import.meta.url),
        'utf8',
      ),
    ) as unknown[][];
    const wb = utils.book_new();
    utils.book_append_sheet(wb, utils.aoa_to_sheet(rows), 'Weekly MF Flow Estimates');
    const file = join(tempDir('flows-ici-'), 'flows_data_2026.xls');
    writeFileSync(file, write(wb, { type: 'buffer', bookType: 'biff8' }) as Buffer);
    const out = await importPaths(store, [file], { today: '2026-01-20' });
    expect(
      out.every((o) => o.ok),
      JSON.stringify(out),
    ).toBe(true);
  }, 180_000);
  afterAll(() => store.close());

  it('prints the equity and bond mutual-fund rows of the week ending 2026-01-07, as of 2026-01-14', async () => {
    const brief = await buildBrief(store, { asOf: '2026-01-14' as TradingDate });
    const md = renderMarkdown(brief);
    const flows = md.slice(md.indexOf('flows') > 0 ? md.indexOf('## ') : 0);
    expect(flows).toMatch(/total equity mutual funds \(ICI\)/);
    expect(flows).toMatch(/total bond mutual funds \(ICI\)/);
    expect(md).not.toMatch(/The ICI figures say nothing about recent weeks/);
    const facts = brief.facts.map((f) => f.id);
    expect(facts.some((id) => id.startsWith('flows.ici-total-equity.'))).toBe(true);
  }, 120_000);

  it('before the release (as of 2026-01-13) the newest week is not known yet: no row of 2026-01-07', async () => {
    const brief = await buildBrief(store, { asOf: '2026-01-13' as TradingDate });
    expect(renderMarkdown(brief)).not.toMatch(/mutual funds \(ICI\)[^\n]*2026-01-07/);
  }, 120_000);
});
