import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
// DuckDbStore: these tests count the observations table with SQL (DuckDbStore.query), beyond the Store interface.
import { DuckDbStore as Store } from '../store/store.js';
import { importFile, type FileOutcome } from '../ingest/import.js';
import type { InputError } from '../../shared/errors.js';
import { tempDir } from '../../../test/support/tmp.js';
import { checkOrder, whyDate, whyNumber } from './row-checks.js';
import { syncCftc, type TffSource } from './cftc-sync.js';
import type { TffPosition } from './cftc.js';
import type { TradingDate } from '../../shared/brand.js';

/**
 * The why importers (Shiller, S&P EPS, ICI, CFTC) through the generic importer's row checks: each case is a small
 * file written here from a valid one with one cell or row changed, imported through `importFile` (the path
 * `rotation import` takes), asserting the outcome's line, field and words, and that nothing was stored.
 */

const TODAY = '2026-01-16';
type Failed = Extract<FileOutcome, { ok: false }>;
type Ok = Extract<FileOutcome, { ok: true }>;

let store: Store;
let dir: string;
beforeEach(async () => {
  store = await Store.open(':memory:');
  dir = tempDir('why-checks-');
});
afterEach(() => store.close());

async function stored(): Promise<number> {
  const [o] = await store.query<{ n: number }>('SELECT count(*) AS n FROM observations');
  return o?.n ?? 0;
}

/** One why layout: its header, a row for a period with `v` in the checked value column, and the fields named. */
type Layout = {
  name: string;
  kind: string;
  header: string;
  row: (period: string, v: string) => string;
  periods: [string, string, string];
  future: string | null;
  periodField: string;
  valueField: string;
};

const ICI_HEADER =
  'Date,Total Equity,Domestic Equity,World Equity,Hybrid,Total Bond,Taxable Bond,Municipal Bond,Total';
const TFF_HEADER =
  'Market_and_Exchange_Names,Report_Date_as_YYYY-MM-DD,CFTC_Contract_Market_Code,Open_Interest_All,' +
  'Dealer_Positions_Long_All,Dealer_Positions_Short_All,Asset_Mgr_Positions_Long_All,' +
  'Asset_Mgr_Positions_Short_All,Lev_Money_Positions_Long_All,Lev_Money_Positions_Short_All';

const LAYOUTS: Layout[] = [
  {
    name: 'shiller.csv',
    kind: 'shiller',
    header:
      'Date,SP500,Dividend,Earnings,Consumer Price Index,Long Interest Rate,Real Price,Real Dividend,Real Earnings,PE10',
    row: (d, v) => `${d},${v},70.1,210.5,310.2,4.1,5900.1,71.0,212.0,35.5`,
    periods: ['2025-01-01', '2025-02-01', '2025-03-01'],
    future: '2031-01-01',
    periodField: 'Date',
    valueField: 'SP500',
  },
  {
    name: 'sp500_quarterly_eps.csv',
    kind: 'sp-quarterly-eps',
    header: 'date,price,op_eps,rep_eps,yr_qtr',
    row: (d, v) => `${d},5881.63,${v},55.1,${d.slice(0, 4)}-Q1`,
    periods: ['2025-03-31', '2025-06-30', '2025-09-30'],
    future: '2031-03-31',
    periodField: 'date',
    valueField: 'op_eps',
  },
  {
    name: 'sp_sector_eps.csv',
    kind: 'sp-sector-eps',
    header: 'year,index,Information Technology,Energy,index_type,earnings_type,earnings_metric',
    row: (y, v) => `${y},${v},217.7,42.6,SP500,op,eps`,
    periods: ['2023', '2024', '2025'],
    // Years are estimate periods (S&P publishes estimates for years ahead): not refused as future dates.
    future: null,
    periodField: 'year',
    valueField: 'index',
  },
  {
    name: 'ici_flows_monthly.csv',
    kind: 'ici-flows',
    header: ICI_HEADER,
    row: (d, v) => `${d},${v},-4499.0,497,-1354.0,-5828,-6258.0,430,-11184.0`,
    periods: ['2019-01-31', '2019-02-28', '2019-03-31'],
    future: '2031-01-31',
    periodField: 'Date',
    valueField: 'Total Equity',
  },
  {
    name: 'cftc_tff.csv',
    kind: 'cftc-tff',
    header: TFF_HEADER,
    row: (d, v) => `"RUSSELL E-MINI",${d},239742,${v},60000,90000,300000,180000,50000,140000`,
    periods: ['2025-12-23', '2025-12-30', '2026-01-06'],
    future: '2031-01-07',
    periodField: 'Report_Date_as_YYYY-MM-DD',
    valueField: 'Open_Interest_All',
  },
];

function write(name: string, lines: string[]): string {
  const p = join(dir, name);
  writeFileSync(p, lines.join('\n') + '\n');
  return p;
}

async function failed(path: string): Promise<Failed> {
  const o = await importFile(store, path, { today: TODAY });
  if (o.ok) throw new Error(`expected ${path} to fail; it imported ${o.added} observations`);
  return o;
}

for (const l of LAYOUTS)
  describe(`${l.kind}: the generic importer's row checks`, () => {
    const [a, b, c] = l.periods;
    const good = () => [l.header, l.row(a, '100'), l.row(b, '101'), l.row(c, '102')];

    it('imports the valid file through its own importer', async () => {
      const o = await importFile(store, write(l.name, good()), { today: TODAY });
      expect(o.ok && o.layout).toBe(l.kind);
      expect(await stored()).toBeGreaterThan(0);
    });

    it('refuses a duplicate date with a different value, naming both lines', async () => {
      const o = await failed(write(l.name, [...good(), l.row(c, '999')]));
      expect(o).toMatchObject({ line: 5, field: l.periodField });
      expect(o.error).toMatch(
        new RegExp(`duplicate date ${c} for series .* with a different value \\(first on line 4\\)`),
      );
      expect(await stored(), 'all or nothing').toBe(0);
    });

    it('drops an exact duplicate row with one warning', async () => {
      const base = (await importFile(store, write(`base-${l.name}`, good()), {
        today: TODAY,
        dryRun: true,
      })) as Ok;
      const lines = good();
      const o = await importFile(
        store,
        write(l.name, [lines[0]!, lines[1]!, lines[1]!, lines[2]!, lines[3]!]),
        {
          today: TODAY,
        },
      );
      expect(o.ok, JSON.stringify(o)).toBe(true);
      const warnings = (o as Ok).warnings.filter((w) => /exact duplicate/.test(w));
      expect(warnings).toEqual(['dropped 1 exact duplicate row (first on line 3)']);
      expect((o as Ok).added).toBe(base.added);
    });

    if (l.future)
      it('refuses a date after today', async () => {
        const o = await failed(write(l.name, [...good(), l.row(l.future as string, '103')]));
        expect(o).toMatchObject({ line: 5, field: l.periodField });
        expect(o.error).toBe(`date "${l.future}" is in the future (today is ${TODAY})`);
        expect(await stored()).toBe(0);
      });

    it('refuses shuffled rows as the bar importer does', async () => {
      const o = await failed(write(l.name, [l.header, l.row(a, '100'), l.row(c, '102'), l.row(b, '101')]));
      expect(o).toMatchObject({ line: 4, field: l.periodField });
      expect(o.error).toMatch(new RegExp(`dates out of order: ${b} follows ${c} for series `));
      expect(await stored()).toBe(0);
    });

    for (const [cell, words] of [
      ['0x10', /: not a plain decimal number: "0x10"$/],
      ['1_000', /: not a plain decimal number: "1_000"$/],
      ['1e999', /: value "1e999" is out of range \(magnitude above 1000000000000000\)$/],
      ['12abc', /: not a number: "12abc"$/],
    ] as const)
      it(`refuses the value ${cell}, naming line and column`, async () => {
        const o = await failed(write(l.name, [l.header, l.row(a, '100'), l.row(b, cell), l.row(c, '102')]));
        expect(o).toMatchObject({ line: 3, field: l.valueField });
        expect(o.error).toMatch(words);
        expect(await stored()).toBe(0);
      });
  });

describe('an ICI file in UTF-16', () => {
  // Two labelled rows, then the post-2020 layout: Domestic Equity, Hybrid, Taxable Bond and Total empty.
  const lines = [
    ICI_HEADER,
    '2020-10-31,-4002,-4499.0,497,-1354.0,-5828,-6258.0,430,-11184.0',
    '2020-11-30,-7397,-5842.0,-1555,512.0,3954,3927.0,28,-2931.0',
    '2020-12-31,26027,,21578,,19932,,1646,',
  ];
  const text = lines.join('\r\n') + '\r\n';
  const utf16le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  const utf16be = Buffer.from(utf16le);
  utf16be.swap16();

  for (const [name, bytes] of [
    ['le', utf16le],
    ['be', utf16be],
  ] as const)
    it(`goes through the ICI importer (${name}): its series ids and the mislabelling check`, async () => {
      const p = join(dir, `ici_ltmf_flows_monthly-${name}.csv`);
      writeFileSync(p, bytes);
      const o = await importFile(store, p, { today: TODAY });
      expect(o.ok, JSON.stringify(o)).toBe(true);
      const ok = o as Ok;
      expect(ok.layout).toBe('ici-flows');
      expect(ok.symbols).toContain('flows:ici:total-equity:net_flow_monthly');
      expect(ok.lastDate, 'the mislabelled 2020-12-31 row is not stored').toBe('2020-11-30');
      expect(ok.warnings.join('\n')).toMatch(/:4 \(2020-12-31\): ICI columns are mislabelled/);
      const [generic] = await store.query<{ n: number }>(
        `SELECT count(*) AS n FROM observations WHERE series NOT LIKE 'flows:ici:%'`,
      );
      expect(generic?.n, 'nothing under generic wide-table ids').toBe(0);
    });
});

describe('the in-memory checks', () => {
  const at = { file: 'f.csv', line: 7, field: 'x' };
  it('reads placeholders as gaps and plain decimals as numbers', () => {
    expect(['', ' ', 'NaN', '.', 'n/a'].map((c) => whyNumber(c, 's', at))).toEqual([
      null,
      null,
      null,
      null,
      null,
    ]);
    expect(['1', '-2.5', '+3e2', ' 4 ', '.5'].map((c) => whyNumber(c, 's', at))).toEqual([
      1, -2.5, 300, 4, 0.5,
    ]);
  });
  it('refuses Infinity spelled out, naming the place', () => {
    expect(() => whyNumber('Infinity', 's', at)).toThrow(/s: not a plain decimal number: "Infinity"/);
    try {
      whyNumber('inf', 's', at);
    } catch (e) {
      expect((e as InputError).describe()).toBe('f.csv:7, field x: s: not a plain decimal number: "inf"');
    }
  });
  it('refuses odd date spellings', () => {
    for (const d of ['2024-01-05xyz', 'epoch', '-infinity', '2024-02-30', '20240105'])
      expect(() => whyDate(d, TODAY, at), d).toThrow(/not a date/);
    expect(whyDate(' 2024-01-05 ', TODAY, at)).toBe('2024-01-05');
  });
  it('accepts descending files and a duplicate whose value repeats', () => {
    const r = checkOrder(
      [
        { line: 2, key: 's', period: '2024-03', value: 1 },
        { line: 3, key: 's', period: '2024-02', value: 2 },
        { line: 4, key: 's', period: '2024-02', value: 2 },
        { line: 5, key: 's', period: '2024-01', value: 3 },
      ],
      'f.csv',
      'date',
    );
    expect(r.keep).toEqual([true, true, false, true]);
    expect(r.warnings).toEqual(['f.csv: dropped 1 exact duplicate row (first on line 4)']);
  });
  it('names a repeated date out of sequence as a duplicate', () => {
    expect(() =>
      checkOrder(
        [
          { line: 2, key: 's', period: '2024-01', value: 1 },
          { line: 3, key: 's', period: '2024-02', value: 2 },
          { line: 4, key: 's', period: '2024-01', value: 1 },
        ],
        'f.csv',
        'date',
      ),
    ).toThrow('duplicate date 2024-01 for series s (also on line 2); dates must be sorted');
  });
});

describe('CFTC sync answers through the same checks', () => {
  const pos = (reportDate: string, openInterest = 480000): TffPosition => ({
    code: '239742',
    name: 'RUSSELL E-MINI',
    reportDate,
    openInterest,
    dealerLong: 60000,
    dealerShort: 90000,
    assetMgrLong: 300000,
    assetMgrShort: 180000,
    levMoneyLong: 50000,
    levMoneyShort: 140000,
  });
  const source = (rows: TffPosition[]): TffSource => ({
    name: 'cftc',
    origin: 'http://127.0.0.1:9',
    fetchTff: () => Promise.resolve(rows),
  });
  const cases: [string, TffPosition[], RegExp][] = [
    [
      'a report dated after today',
      [pos('2026-01-06'), pos('2099-01-06')],
      /date "2099-01-06" is in the future/,
    ],
    ['a report date that is not a date', [pos('2026-01-06'), pos('2026-02-30')], /not a date: "2026-02-30"/],
    ['an infinite position', [pos('2026-01-06', Infinity)], /not a plain decimal number: "Infinity"/],
    [
      'a repeated report with another value',
      [pos('2026-01-06'), pos('2026-01-06', 1)],
      /duplicate date 2026-01-06/,
    ],
  ];
  for (const [name, rows, words] of cases)
    it(`refuses ${name} and writes nothing`, async () => {
      const [out] = await syncCftc(store, source(rows), ['239742'], TODAY as TradingDate);
      expect(out).toMatchObject({ status: 'failed', reason: 'rows-refused' });
      expect(out?.message).toMatch(words);
      expect(await stored()).toBe(0);
    });
  it('stores a good answer once, an exact repeat dropped', async () => {
    const [out] = await syncCftc(
      store,
      source([pos('2026-01-06'), pos('2026-01-06'), pos('2026-01-13')]),
      ['239742'],
      TODAY as TradingDate,
    );
    expect(out).toMatchObject({ status: 'updated', reason: 'updated', counts: { added: 16 } });
  });
});
