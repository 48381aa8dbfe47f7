import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { importPaths } from '../../data/ingest/import.js';
import type { TffSocrataRow } from '../../data/providers/cftc/schema.js';
import { Store } from '../../data/store/store.js';
import type { TradingDate } from '../../shared/brand.js';
import { describeWithSharedData, SHARED_DATA } from '../../../test/support/shared-data.js';
import { tempDir } from '../../../test/support/tmp.js';
import { buildBrief } from '../build.js';
import { renderMarkdown } from '../render/render.js';

/**
 * Issue 10: the brief's positioning is written from CFTC Traders in Financial Futures data when it is stored (here
 * the CFTC's published-file layout built from the service replay fixtures, 2025-01-07 to 2026-01-13 for the three
 * E-mini contracts, invented numbers), and names the command that adds it when it is not.
 */
const FIXTURES = new URL('../../../test/fixtures/http/cftc/', import.meta.url).pathname;
const CODES = ['239742', '209742', '13874A'];

function tffFile(dir: string): string {
  const header =
    'Market_and_Exchange_Names,As_of_Date_In_Form_YYMMDD,Report_Date_as_YYYY-MM-DD,CFTC_Contract_Market_Code,Open_Interest_All,Dealer_Positions_Long_All,Dealer_Positions_Short_All,Asset_Mgr_Positions_Long_All,Asset_Mgr_Positions_Short_All,Lev_Money_Positions_Long_All,Lev_Money_Positions_Short_All';
  const lines = CODES.flatMap((c) =>
    (
      JSON.parse(
        readFileSync(join(FIXTURES, `tff-gpe5-46if-${c}-2025-01-07-to-2026-01-13.fake.json`), 'utf8'),
      ) as TffSocrataRow[]
    ).map((r) => {
      const d = r.report_date_as_yyyy_mm_dd.slice(0, 10);
      return [
        `"${r.market_and_exchange_names}"`,
        d.slice(2).replace(/-/g, ''),
        d,
        r.cftc_contract_market_code,
        r.open_interest_all,
        r.dealer_positions_long_all,
        r.dealer_positions_short_all,
        r.asset_mgr_positions_long,
        r.asset_mgr_positions_short,
        r.lev_money_positions_long,
        r.lev_money_positions_short,
      ].join(',');
    }),
  );
  const file = join(dir, 'fut_fin_txt_2025.csv');
  writeFileSync(file, [header, ...lines].join('\n') + '\n');
  return file;
}

describeWithSharedData('the brief writes flows, positioning and the calendar from stored data', () => {
  let store: Store;
  beforeAll(async () => {
    const dir = tempDir('flows-positioning-');
    store = await Store.open(join(dir, 'store.duckdb'));
    const legs = await importPaths(
      store,
      ['IWM', 'QQQ', 'SPY'].map((s) => join(SHARED_DATA, 'etf_daily', `${s}.csv`)),
      { today: '2026-12-02' },
    );
    expect(
      legs.every((o) => o.ok),
      JSON.stringify(legs),
    ).toBe(true);
  }, 180_000);
  afterAll(() => store.close());

  it('names what to add without CFTC or flow data; with the CFTC file, the 52-week COT index and "highest since"', async () => {
    // the Markdown escapes backticks and underscores; the words are compared without the escapes
    const md = renderMarkdown(await buildBrief(store, { asOf: '2026-01-20' as TradingDate })).replace(
      /\\/g,
      '',
    );
    expect(md).toMatch(/No futures positioning stored: .*`rotation sync cftc:rty cftc:nq cftc:es`/);
    expect(md).toMatch(
      /No current weekly fund flows stored\..*`rotation sync ici`.*`rotation import flows_data_2026\.xls`/,
    );
    expect(md, 'the calendar names the next releases').toMatch(
      /the next FOMC rate decision is on 2026-01-28; the next CPI release is on 2026-02-11 \(the 2026-01 index\); the next jobs report \(Employment Situation\) is on 2026-02-06/,
    );
    // then with the CFTC file imported, the positioning table has the 52-week COT index and "highest since"
    const out = await importPaths(store, [tffFile(tempDir('tff-'))], { today: '2026-01-20' });
    expect(
      out.every((o) => o.ok),
      JSON.stringify(out),
    ).toBe(true);
    const brief = await buildBrief(store, { asOf: '2026-01-20' as TradingDate });
    const withCftc = renderMarkdown(brief);
    expect(withCftc).toMatch(
      /Futures positioning \(COT index over a year of weekly reports\) known on 2026-01-20/,
    );
    for (const g of ['rty', 'nq', 'es'])
      expect(withCftc, `${g}: the latest leveraged-fund net is the top of its year`).toMatch(
        new RegExp(
          `cftc-tff:${g} lev money net \\| 2026-01-13 \\|[^\\n]*\\| 100 \\|[^\\n]*highest since 2025-01-07`,
        ),
      );
    expect(withCftc).toMatch(
      /CFTC futures positioning is the nearest computable proxy for it, a proxy, not the gauge/,
    );
    expect(withCftc).not.toMatch(/No futures positioning stored/);
    const cot = brief.facts.find((f) => f.id === 'positioning.cftc-tff-rty.lev-money-net.cot-index');
    expect(cot?.value).toBe(100);
    // Before the 2026-01-13 report's release (2026-01-20, the CFTC's catch-up date) the brief reads the week before.
    const before = renderMarkdown(await buildBrief(store, { asOf: '2026-01-16' as TradingDate }));
    expect(before).toMatch(/cftc-tff:rty lev money net \| 2026-01-06 \|/);
    expect(before).not.toMatch(/cftc-tff:rty lev money net \| 2026-01-13 \|/);
  }, 240_000);
});
