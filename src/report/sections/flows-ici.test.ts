import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { utils, write } from '@e965/xlsx';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { importPaths } from '../../data/ingest/import.js';
import { loadFlowsFigures } from '../../data/why/figures.js';
import { Store } from '../../data/store/store.js';
import type { TradingDate } from '../../shared/brand.js';
import { describeWithSharedData, SHARED_DATA } from '../../../test/support/shared-data.js';
import { tempDir } from '../../../test/support/tmp.js';
import { buildBrief } from '../build.js';
import { renderMarkdown } from '../render/render.js';

/**
 * Issue 10: once ICI's weekly workbook is stored (synced or imported), the brief's flows section is written from it
 * (the headline categories), and the note that ICI's public CSV says nothing about recent weeks is not printed.
 * The workbook is the replay fixture of the ICI provider tests (weeks to 2026-01-07, released 2026-01-14). The store
 * also holds the old ICI CSV of ../shared/data (imported as of 2026-12-02, its only vintage): both write
 * `flows:ici:<category>:net_flow`, and the CSV's later-vintage rows used to hide the workbook's from the brief.
 */
describeWithSharedData('the brief reads a current ICI workbook', () => {
  let store: Store;
  beforeAll(async () => {
    // the race legs, the old ICI CSV (the same series ids as the workbook) and the workbook
    const dir = tempDir('flows-ici-store-');
    store = await Store.open(join(dir, 'store.duckdb'));
    const legs = await importPaths(
      store,
      [
        ...['IWM', 'QQQ', 'SPY'].map((s) => join(SHARED_DATA, 'etf_daily', `${s}.csv`)),
        ...['weekly', 'monthly'].map((k) => join(SHARED_DATA, 'flows', `ici_ltmf_flows_${k}.csv`)),
      ],
      { today: '2026-12-02' },
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
    // ICI's weekly estimates, read from ICI's file and summed here, are computed facts, not press figures
    const ici = brief.facts.filter((f) => f.id.startsWith('flows.ici-'));
    expect(ici.length).toBeGreaterThan(0);
    expect(ici.every((f) => f.kind === 'computed')).toBe(true);
  }, 120_000);

  it('keeps the CSV\'s rows out of the workbook\'s figures: no later-vintage note, no "largest since" across the gap', async () => {
    const lenient = await loadFlowsFigures(store, { asOf: '2026-01-14' });
    const row = lenient.rows.find((r) => r.group === 'ici:taxable-bond');
    expect(row?.week).toBe('2026-01-07');
    expect(
      row?.recordSince,
      "the workbook's first week (the CSV's last week of this column: 2020-12-29)",
    ).toBe('2024-10-16');
    expect(row?.gapAfter).toBe('2020-12-29');
    expect(row?.laterVintage, "every row read is the workbook's, known by its release").toBeNull();
    expect(row?.latest.note).not.toMatch(/vintage/);
    expect(row?.latest.note, 'the inflow is the largest of the weeks read, not "since 2020"').toMatch(
      /largest inflow of the weeks stored without a gap since 2024-10-16; no week stored between 2020-12-29 and 2024-10-16/,
    );
    const read = lenient.read.find((r) => r.series === 'flows:ici:taxable-bond:net_flow');
    expect(read?.sources, "the figures' provenance: the workbook only").toEqual(['ICI flows_data_2026.xls']);
    // The brief reads strictly: the same figures (the CSV's rows, known only from 2026-12-02, are not read at all).
    const strict = await loadFlowsFigures(store, { asOf: '2026-01-14', strict: true });
    const figures = (fs: typeof strict.facts) =>
      fs.filter((f) => f.id.startsWith('flows.ici-')).map((f) => [f.id, f.value, f.asOf, f.knownAt]);
    expect(figures(strict.facts).length).toBeGreaterThan(20);
    expect(figures(strict.facts)).toEqual(figures(lenient.facts));
    // Before the workbook's weeks, the CSV's rows are read as before (lenient: with their later vintage named).
    const old = await loadFlowsFigures(store, { asOf: '2020-12-31' });
    expect(old.rows.find((r) => r.group === 'ici:total-equity')?.latest.note).toMatch(
      /values from the 2026-12-02 vintage/,
    );
  }, 120_000);

  it('before the release (as of 2026-01-13) the newest week is not known yet: no row of 2026-01-07', async () => {
    const brief = await buildBrief(store, { asOf: '2026-01-13' as TradingDate });
    expect(renderMarkdown(brief)).not.toMatch(/mutual funds \(ICI\)[^\n]*2026-01-07/);
  }, 120_000);
});
