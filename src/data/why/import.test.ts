import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
// DuckDbStore: these tests inspect the file's tables with SQL (DuckDbStore.query), beyond the Store interface.
import { DuckDbStore as Store } from '../store/store.js';
import { InputError } from '../../shared/errors.js';
import { describeWithSharedData, SHARED_DATA } from '../../../test/support/shared-data.js';
import { yearOverYear } from '../../core/why/macro.js';
import { parseCsvText } from './csv.js';
import { checkIciRows, parseIciTable } from './ici.js';
import { detectWhyFile, importWhyFile } from './import.js';
import { loadNotes } from './load.js';
import { tempDir } from '../../../test/support/tmp.js';

const EXAMPLE = new URL('../../../examples/why-inputs-2026-01-12.csv', import.meta.url).pathname;
const TFF = new URL('../../../test/fixtures/why/cftc-tff-rty-nq.fake.csv', import.meta.url).pathname;
const TODAY = '2026-01-16';

let store: Store;
let dir: string;
beforeEach(async () => {
  store = await Store.open(':memory:');
  dir = tempDir('why-');
});
afterEach(() => store.close());

function write(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const HEADER = 'kind,group,period,metric,value,unit,as_of,source,note\n';

async function thrown(p: Promise<unknown>): Promise<InputError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}

describe('the week-of-2026-01-12 example file', () => {
  it('is detected and imported with both non-tech vintages', async () => {
    expect(detectWhyFile(EXAMPLE, readFileSync(EXAMPLE, 'utf8'))).toBe('why-csv');
    const r = await importWhyFile(store, EXAMPLE, { today: TODAY });
    expect(r.rows).toBe(16);
    expect(r.added).toBe(16);
    expect(r.series).toContain('earnings:sp500:ex-tech:growth_yoy');
    const vintages = await store.query<{ n: number }>(
      `SELECT count(*) AS n FROM observations WHERE series = 'earnings:sp500:ex-tech:growth_yoy' AND period = '2025Q4'`,
    );
    expect(vintages[0]?.n).toBe(2);
    const tech = await store.loadObservations('earnings:sp500:tech:growth_yoy');
    expect(tech[0]?.value, '"20%" with unit fraction is 0.20').toBeCloseTo(0.2, 12);
    const flows = await store.loadObservations('flows:sector:tech:net_flow');
    expect(flows[0]?.value, '"-$0.9B" is -0.9e9 usd').toBeCloseTo(-0.9e9, 0);
    const notes = await loadNotes(store, 'earnings:sp500:health-care:growth_yoy');
    expect(notes.get('2026|2026-01-12')).toMatch(/just under 10%/);
  });

  it('as-of returns the vintage known at that date', async () => {
    await importWhyFile(store, EXAMPLE, { today: TODAY });
    const before = await store.loadObservations('earnings:sp500:ex-tech:growth_yoy', { asOf: '2025-12-31' });
    const after = await store.loadObservations('earnings:sp500:ex-tech:growth_yoy', { asOf: '2026-01-12' });
    expect(before[0]?.value).toBeCloseTo(0.09, 12);
    expect(after[0]?.value).toBeCloseTo(0.01, 12);
  });

  it('keeps both vintages when a revised estimate arrives in a later file, and re-import is unchanged', async () => {
    const a = write(
      'a.csv',
      HEADER + 'earnings,sp500:ex-tech,2025Q4,growth_yoy,9%,fraction,2025-09-30,BofA,\n',
    );
    const b = write(
      'b.csv',
      HEADER + 'earnings,sp500:ex-tech,2025Q4,growth_yoy,1%,fraction,2026-01-12,BofA,\n',
    );
    await importWhyFile(store, a, { today: TODAY });
    const rb = await importWhyFile(store, b, { today: TODAY });
    expect(rb.added).toBe(1);
    expect(
      (await store.loadObservations('earnings:sp500:ex-tech:growth_yoy', { asOf: '2025-10-01' }))[0]?.value,
    ).toBeCloseTo(0.09, 12);
    expect((await store.loadObservations('earnings:sp500:ex-tech:growth_yoy'))[0]?.value).toBeCloseTo(
      0.01,
      12,
    );
    const again = await importWhyFile(store, b, { today: TODAY });
    expect(again).toMatchObject({ added: 0, updated: 0, unchanged: 1 });
  });

  it('dry run writes nothing', async () => {
    const r = await importWhyFile(store, EXAMPLE, { today: TODAY, dryRun: true });
    expect(r.added).toBe(16);
    expect(await store.loadObservations('earnings:sp500:tech:growth_yoy')).toEqual([]);
  });
});

describe('bad why rows are refused with file, line and field, and nothing is written', () => {
  const cases: [string, string, number, string, RegExp][] = [
    ['bad unit', 'earnings,sp500:tech,2025Q4,growth_yoy,0.2,pct,2026-01-12,BofA,', 3, 'unit', /fraction/],
    [
      'bad period',
      'earnings,sp500:tech,Q4-2025,growth_yoy,0.2,fraction,2026-01-12,BofA,',
      3,
      'period',
      /YYYYQ1/,
    ],
    ['percent with usd', 'flows,sector:tech,2026-01-07,net_flow,5%,usd,2026-01-12,EPFR,', 3, 'value', /%/],
    [
      'not a number',
      'earnings,sp500:tech,2025Q4,growth_yoy,twenty,fraction,2026-01-12,BofA,',
      3,
      'value',
      /not a number/,
    ],
    [
      'future vintage',
      'earnings,sp500:tech,2025Q4,growth_yoy,0.2,fraction,2026-02-01,BofA,',
      3,
      'as_of',
      /future/,
    ],
    ['no source', 'earnings,sp500:tech,2025Q4,growth_yoy,0.2,fraction,2026-01-12,,', 3, 'source', /source/],
    [
      'impossible date',
      'flows,sector:tech,2026-02-30,net_flow,1,usd,2026-01-12,EPFR,',
      3,
      'period',
      /period/,
    ],
    [
      'conflicting duplicate',
      'earnings,sp500:tech,2025Q4,growth_yoy,0.21,fraction,2026-01-12,BofA,',
      3,
      'value',
      /line 2/,
    ],
  ];
  for (const [name, row, line, field, message] of cases)
    it(name, async () => {
      const p = write(
        `${name}.csv`,
        HEADER + 'earnings,sp500:tech,2025Q4,growth_yoy,0.2,fraction,2026-01-12,BofA,\n' + row + '\n',
      );
      const e = await thrown(importWhyFile(store, p, { today: TODAY }));
      expect(e.where).toMatchObject({ line, field });
      expect(e.message).toMatch(message);
      expect(await store.loadObservations('earnings:sp500:tech:growth_yoy'), 'all or nothing').toEqual([]);
    });
  it('an unknown column', async () => {
    const p = write('x.csv', 'kind,group,period,metric,value,unit,as_of,source,comment\n');
    const e = await thrown(importWhyFile(store, p, { today: TODAY }));
    expect(e.where).toMatchObject({ line: 1, field: 'comment' });
  });
});

describe('CFTC Traders in Financial Futures', () => {
  it('reads the public TFF layout into net positions with the Friday release as vintage', async () => {
    expect(detectWhyFile(TFF, readFileSync(TFF, 'utf8'))).toBe('cftc-tff');
    const r = await importWhyFile(store, TFF, { today: TODAY });
    expect(r.series).toContain('positioning:cftc-tff:rty:lev_money_net');
    expect(r.series).toContain('positioning:cftc-tff:nq:asset_mgr_net');
    const lev = await store.loadObservations('positioning:cftc-tff:rty:lev_money_net');
    // Fixture row 2026-01-06: leveraged funds long 50,000, short 140,000.
    // Both reports came out on the CFTC's 2025 catch-up schedule (2026-01-06 on 2026-01-16, 2026-01-13 on
    // 2026-01-20): the vintage is the release day, whatever the import day (here 2026-01-16), never capped at it.
    expect(lev.map((o) => [o.period, o.value, o.asOf])).toEqual([
      ['2026-01-06', -90000, '2026-01-16'],
      ['2026-01-13', -70000, '2026-01-20'],
    ]);
    const asKnown = await store.loadObservations('positioning:cftc-tff:rty:lev_money_net', {
      asOf: '2026-01-15',
    });
    expect(
      asKnown.map((o) => o.period),
      'the 2026-01-06 report was released 2026-01-16',
    ).toEqual([]);
  });
});

describeWithSharedData('shared data: ICI flows', () => {
  for (const [name, line, date] of [
    // Lines as `grep -n` counts them (header = line 1).
    ['ici_ltmf_flows_monthly.csv', 169, '2020-12-31'],
    ['ici_ltmf_flows_weekly.csv', 52, '2022-07-06'],
  ] as const)
    it(`${name}: finds the first mislabelled row (line ${line}, ${date}) with the evidence`, async () => {
      const path = join(SHARED_DATA, 'flows', name);
      const rows = parseIciTable(parseCsvText(readFileSync(path, 'utf8'), name), name, TODAY);
      const check = checkIciRows(rows, name);
      expect(rows[check.firstBadIndex as number]?.line).toBe(line);
      expect(check.message).toContain(`${name}:${line} (${date})`);
      expect(check.message).toMatch(/World Equity -?\d+ = Total Bond -?\d+ \+ Municipal Bond -?\d+/);
      const r = await importWhyFile(store, path, { today: TODAY });
      expect(r.warnings[0]).toContain(`${name}:${line}`);
      expect(r.lastDate! < date, 'no mislabelled row is imported').toBe(true);
    });
});

describeWithSharedData('shared data: every file in macro, flows and earnings', () => {
  for (const folder of ['macro', 'flows', 'earnings'])
    for (const name of readdirSync(join(SHARED_DATA, folder)).filter((f) => f !== 'README.md'))
      it(`${folder}/${name} is read here or left to the generic importer`, async () => {
        const path = join(SHARED_DATA, folder, name);
        const head = readFileSync(path, 'utf8').slice(0, 65536);
        const kind = detectWhyFile(path, head);
        if (kind === null) {
          // date,value tables and the FRED cache JSON belong to src/data/ingest (the generic importer).
          const first = head.split(/\r?\n/)[0] ?? '';
          expect(/^\{/.test(head) || /^(date|observation_date|Date),/i.test(first), first).toBe(true);
          return;
        }
        // Today after the files' last rows (Shiller's table runs to 2026-06): rows after today are refused.
        const r = await importWhyFile(store, path, { today: '2026-11-24', asOf: '2026-01-16' });
        expect(r.added).toBeGreaterThan(0);
      });
});

describeWithSharedData('CPI year over year against BLS headlines', () => {
  // CPI-U all items, NSA (CUUR0000SA0), 12-month change as published by BLS, one decimal:
  //  Jun 2022 9.1% — BLS CPI news release of 2022-07-13; Dec 2023 3.4% — release of 2024-01-11;
  //  Dec 2024 2.9% — release of 2025-01-15; Sep 2025 3.0% — release of 2025-10-24.
  const published: [string, number][] = [
    ['2022-06-01', 9.1],
    ['2023-12-01', 3.4],
    ['2024-12-01', 2.9],
    ['2025-09-01', 3.0],
  ];
  it('matches after rounding to one decimal', () => {
    const text = readFileSync(join(SHARED_DATA, 'macro', 'CPI-U_NSA_cpiai.csv'), 'utf8');
    const t = parseCsvText(text, 'CPI-U_NSA_cpiai.csv');
    const pts = t.records.map((r) => ({ period: r.cells[0] as string, value: Number(r.cells[1]) }));
    const yoy = new Map(yearOverYear(pts).map((p) => [p.period, p.value]));
    for (const [month, pct] of published)
      expect(Math.round((yoy.get(month) as number) * 1000) / 10, month).toBe(pct);
  });
});
