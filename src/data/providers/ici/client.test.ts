import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { utils, write } from '@e965/xlsx';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { runSync, type SyncDeps } from '../../../cli/commands/sync.js';
import type { TradingDate } from '../../../shared/brand.js';
import { InputError } from '../../../shared/errors.js';
import { Store } from '../../store/store.js';
import { startServer, unusedPort, type TestServer } from '../../../../test/support/http-server.js';
import { runCli } from '../../../../test/support/run-cli.js';
import { tempDir } from '../../../../test/support/tmp.js';
import { HttpClient } from '../http.js';
import { IciClient, iciUrl, parseIciWorkbook } from './client.js';
import type { IciCell } from './schema.js';

/**
 * A replay of ICI's weekly flow workbooks on 127.0.0.1. The fixtures hold the sheets' rows in ICI's layout (title
 * rows, the three-row header with figures in every other column, a "Monthly" then an "Estimated Weekly" block,
 * dates as Excel serial numbers, millions of dollars) and are written here as BIFF8 `.xls`, the format ICI
 * serves. Mutual funds: the five weeks to 2026-01-07 are ICI's published headline figures (release of
 * 2026-01-14), the earlier weeks and the subcategories invented (`.fake.json`). ETFs: ICI's published net
 * issuance for the five weeks to 2024-02-21 (release of 2024-02-27).
 */
const FIXTURES = new URL('../../../../test/fixtures/http/ici/', import.meta.url).pathname;
type Rows = IciCell[][];
const rowsOf = (name: string): Rows => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as Rows;
const MF = rowsOf('flows_data_2025.fake.json');
const ETF = rowsOf('etf_flows_data_2024.json');

function xls(rows: Rows, sheet: string): Buffer {
  const wb = utils.book_new();
  utils.book_append_sheet(wb, utils.aoa_to_sheet(rows), sheet);
  return write(wb, { type: 'buffer', bookType: 'biff8' }) as Buffer;
}
const MF_SHEET = 'Weekly MF Flow Estimates';
const ETF_SHEET = 'Weekly ETF Public Report';

const FAST: SyncDeps['http'] = { backoffBaseMs: 1, backoffMaxMs: 5, random: () => 0.5 };
const TODAY = '2026-01-20' as TradingDate;
const M = 1e6;

let server: TestServer;
let mfRows: Rows = MF;
let etfBusy = true;
beforeAll(async () => {
  server = await startServer((url) => {
    const xlsReply = (rows: Rows, sheet: string) => ({
      headers: { 'content-type': 'application/vnd.ms-excel' },
      body: xls(rows, sheet),
    });
    // January: ICI has not started the 2026 mutual fund workbook yet, so the client reads 2025's.
    if (url.pathname === '/flows_data_2025.xls') return xlsReply(mfRows, MF_SHEET);
    if (url.pathname === '/etf_flows_data_2026.xls') {
      if (etfBusy) {
        etfBusy = false;
        return { status: 503, body: 'busy' };
      }
      return xlsReply(ETF, ETF_SHEET);
    }
    return {
      status: 404,
      headers: { 'content-type': 'text/html' },
      body: '<!DOCTYPE html><h1>Not found</h1>',
    };
  });
});
afterAll(() => server.close());

let dir: string;
let config: string;
beforeEach(() => {
  dir = tempDir('ici-');
  config = join(dir, 'rotation.config.json');
  writeFileSync(
    config,
    JSON.stringify({ providers: { timeoutMs: 3000, retries: 3, requestsPerSecond: { ici: 1000 } } }),
  );
  mfRows = MF;
  etfBusy = true;
});
afterEach(() => vi.restoreAllMocks());

const sync = (db: string, args: string[], env: Record<string, string>) => {
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  return runSync(
    { args, db, config, format: 'json', overlap: 10, cache: false },
    { env, today: TODAY, http: FAST },
  );
};

type Fact = { id: string; value: number; note?: string; label: string; asOf: string; knownAt?: string };
async function flows(db: string, asOf: string): Promise<Fact[]> {
  const r = await runCli(['flows', '--db', db, '--as-of', asOf, '--format', 'json']);
  expect(r.code, r.err).toBe(0);
  return (JSON.parse(r.out) as { facts: Fact[] }).facts;
}
const fact = (fs: Fact[], id: string) => fs.find((f) => f.id === id);

/** The weekly total-equity column of the mutual fund fixture, oldest first (millions). */
function weeklyTotalEquity(rows: Rows): number[] {
  const start = rows.findIndex((r) => r[0] === 'Estimated Weekly');
  return rows
    .slice(start + 1)
    .filter((r) => typeof r[0] === 'number')
    .map((r) => r[3] as number);
}

describe('parseIciWorkbook', () => {
  it("reads ICI's layout: header block, monthly and weekly blocks, serial dates, millions", () => {
    const s = parseIciWorkbook(xls(MF, MF_SHEET), 'mf', 'flows_data_2025.xls');
    expect(s.categories).toEqual([
      'total',
      'total-equity',
      'domestic-equity',
      'domestic-equity-large-cap',
      'domestic-equity-small-cap',
      'world-equity',
      'hybrid',
      'total-bond',
      'taxable-bond',
      'taxable-bond-high-yield',
      'municipal-bond',
    ]);
    expect(s.months.map((m) => m.date)).toEqual(['2025-10-31', '2025-11-30']);
    expect(s.weeks).toHaveLength(65);
    const last = s.weeks.at(-1);
    expect(last?.date).toBe('2026-01-07');
    // ICI, 2026-01-14: "Total equity -37,571 … Total -23,345" (millions of dollars).
    expect(last?.values['total-equity']).toBe(-37_571 * M);
    expect(last?.values['total']).toBe(-23_345 * M);
    expect(
      s.weeks.find((w) => w.date === '2025-12-23'),
      'the holiday week ends on a Tuesday',
    ).toBeDefined();
  });
  it('names the sheet row and column of a figure that is not a number, and refuses a web page', () => {
    const bad = MF.map((r) => [...r]);
    const row = bad.findIndex((r) => r[0] === 'Estimated Weekly') + 3;
    (bad[row] as IciCell[])[3] = 'n/a';
    let e: unknown;
    try {
      parseIciWorkbook(xls(bad, MF_SHEET), 'mf', 'flows_data_2025.xls');
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).where).toMatchObject({ line: row + 1, field: 'D equity total equity' });
    expect((e as InputError).describe()).toMatch(/flows_data_2025\.xls \(sheet "Weekly MF Flow Estimates"\)/);
    expect(() =>
      parseIciWorkbook(new TextEncoder().encode('<!DOCTYPE html><p>moved</p>'), 'mf', 'flows_data_2026.xls'),
    ).toThrow(/not an Excel workbook \(it starts "<!DOCTYPE html>/);
    const noEquity = MF.map((r) => r.map((c) => (c === 'Total equity' ? 'Equity funds' : c)));
    expect(() => parseIciWorkbook(xls(noEquity, MF_SHEET), 'mf', 'f.xls')).toThrow(
      /does not name "equity total equity"/,
    );
  });
  it('refuses a workbook larger than the HTTP size cap, unread', async () => {
    const http = new HttpClient({
      provider: 'ici',
      userAgent: 'test',
      timeoutMs: 3000,
      retries: 0,
      requestsPerSecond: 1000,
      maxBodyBytes: 1000,
    });
    await expect(new IciClient(http, server.origin).fetchSheet('mf', 2025)).rejects.toThrow(
      /sent a body larger than 1000 bytes; refused/,
    );
  });
  it("builds ICI's addresses", () => {
    expect(iciUrl('https://www.ici.org', 'combined', 2026)).toBe(
      'https://www.ici.org/combined_flows_data_2026.xls',
    );
  });
});

describe('rotation sync ici from a loopback replay of ici.org', () => {
  it('stores weekly flows and ETF net issuance, known on the Wednesday release, with z-scores and "largest since"', async () => {
    const db = join(dir, 's.duckdb');
    const out = await sync(db, ['ici:mf', 'ici:etf'], { ROTATION_ICI_URL: server.origin });
    expect(out.map((o) => [o.symbol, o.status, o.lastDate])).toEqual([
      ['ici:mf', 'updated', '2026-01-07'],
      ['ici:etf', 'updated', '2024-02-21'],
    ]);
    expect(server.requests.map((u) => u.pathname)).toContain('/flows_data_2026.xls');
    const fs = await flows(db, '2026-01-14');
    const week = fact(fs, 'flows.ici-total-equity.week');
    expect(week?.value).toBe(-37_571 * M);
    expect(week?.asOf).toBe('2026-01-07');
    expect(week?.knownAt, "ICI's release, the Wednesday after the week").toBe('2026-01-14');
    expect(week?.note, 'the 2025-12-17 outflow (-60,568) was larger').toMatch(
      /largest outflow since 2025-12-17/,
    );
    // z-score against the 52 weeks before, computed here from the fixture column.
    const xs = weeklyTotalEquity(MF);
    const prior = xs.slice(-53, -1);
    const mean = prior.reduce((s, x) => s + x, 0) / 52;
    const sd = Math.sqrt(prior.reduce((s, x) => s + (x - mean) ** 2, 0) / 51);
    expect(fact(fs, 'flows.ici-total-equity.z52')?.value).toBeCloseTo((xs.at(-1)! - mean) / sd, 9);
    expect(fact(fs, 'flows.ici-domestic-equity-small-cap.week')?.value).toBe(Math.round(-26_429 * 0.1) * M);
    const etf = fact(fs, 'flows.ici-etf-total-equity.week');
    expect(etf?.value, 'ICI, 2024-02-27: equity ETFs 4,476').toBe(4_476 * M);
    expect(etf?.label).toMatch(/net issuance, week ending 2024-02-21/);
    // The week ended 2026-01-07 is public from its release on 2026-01-14, not before.
    expect(fact(await flows(db, '2026-01-13'), 'flows.ici-total-equity.week')?.asOf).toBe('2025-12-30');
    // The "Monthly" block is stored too, as the monthly series (ICI's month, known 31 days after it ends).
    const store = await Store.open(db);
    try {
      const months = await store.loadObservations('flows:ici:total-equity:net_flow_monthly');
      expect(months.map((m) => [m.period, m.value, m.knownAt])).toEqual([
        ['2025-10-31', -4_427 * M, '2025-12-01'],
        ['2025-11-30', -5_492 * M, '2025-12-31'],
      ]);
      expect(
        await store.loadObservations('flows:ici:total-equity:net_flow_monthly', { asOf: '2025-12-01' }),
      ).toEqual([expect.objectContaining({ period: '2025-10-31' })]);
      expect(
        (await store.seriesIds('flows:ici:etf:')).filter((x) => x.endsWith('_monthly')),
        'the ETF fixture has an empty "Monthly" block',
      ).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('changes nothing on a second sync, and keeps a revised week as a new vintage public from its file', async () => {
    const db = join(dir, 'r.duckdb');
    await sync(db, ['ici:mf'], { ROTATION_ICI_URL: server.origin });
    const again = await sync(db, ['ici:mf'], { ROTATION_ICI_URL: server.origin });
    expect(again.map((o) => [o.status, o.counts.added, o.counts.updated])).toEqual([['unchanged', 0, 0]]);
    // ICI revises the week ended 2025-12-30 in a later file (invented: -9,074 → -9,500).
    mfRows = MF.map((r) => (r[0] === 46021 ? r.map((c, i) => (i === 3 ? -9_500 : c)) : r));
    const revised = await sync(db, ['ici:mf'], { ROTATION_ICI_URL: server.origin });
    expect(revised[0]?.counts.added).toBe(1);
    const at = async (d: string) =>
      (await runCli(['flows', '--db', db, '--as-of', d, '--group', 'ici:total-equity', '--format', 'json']))
        .out;
    const before = JSON.parse(await at('2026-01-13')) as { facts: Fact[] };
    expect(fact(before.facts, 'flows.ici-total-equity.week')?.value, 'as first published').toBe(-9_074 * M);
    // From the revised file's release (its last week 2026-01-07 + 7 days) the 4-week sum uses the revision.
    const sum4 = async (d: string) =>
      fact((JSON.parse(await at(d)) as { facts: Fact[] }).facts, 'flows.ici-total-equity.sum4w')?.value;
    const weeks = [-60_568, -30_057, -37_571];
    expect(await sum4('2026-01-14')).toBe((weeks.reduce((s, x) => s + x, 0) - 9_500) * M);
    mfRows = MF;
    expect(await sum4('2026-01-14'), 'the store, not the served file, decides').toBe(
      (weeks.reduce((s, x) => s + x, 0) - 9_500) * M,
    );
  });

  it('gives the same figures from an imported workbook as from the sync', async () => {
    const file = join(dir, 'flows_data_2025.xls');
    writeFileSync(file, xls(MF, MF_SHEET));
    const db = join(dir, 'f.duckdb');
    const imp = await runCli(['import', file, '--db', db, '--as-of', '2026-01-20']);
    expect(imp.code, imp.err).toBe(0);
    const synced = join(dir, 's2.duckdb');
    await sync(synced, ['ici:mf'], { ROTATION_ICI_URL: server.origin });
    const a = (await flows(db, '2026-01-14')).map((f) => [f.id, f.value, f.asOf]);
    expect(a.length).toBeGreaterThan(20);
    expect(a).toEqual((await flows(synced, '2026-01-14')).map((f) => [f.id, f.value, f.asOf]));
  });

  it('refuses an unknown workbook name as bad usage, naming the ones it knows', async () => {
    const r = await runCli(['sync', 'ici:weekly', '--db', join(dir, 'u.duckdb')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/"ici:weekly" is not an ICI workbook/);
    expect(r.err).toMatch(/ici:etf/);
  });

  it('says in one line that ici.org cannot be reached, and writes nothing', async () => {
    const port = await unusedPort();
    await expect(
      sync(join(dir, 'x.duckdb'), ['ici'], { ROTATION_ICI_URL: `http://127.0.0.1:${port}` }),
    ).rejects.toThrow(/cannot reach 127\.0\.0\.1:\d+ .*nothing was written.*ROTATION_ICI_URL/);
  });
});
