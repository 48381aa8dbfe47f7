import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { runSync, type SyncDeps } from '../../../cli/commands/sync.js';
import type { TradingDate } from '../../../shared/brand.js';
import { startServer, unusedPort, type TestServer } from '../../../../test/support/http-server.js';
import { runCli } from '../../../../test/support/run-cli.js';
import { tempDir } from '../../../../test/support/tmp.js';
import { parseTffResponse, tffUrl } from './client.js';
import type { TffSocrataRow } from './schema.js';

/**
 * A replay of the CFTC public reporting service (Socrata, dataset gpe5-46if, Traders in Financial Futures futures
 * only) on 127.0.0.1: the fixtures hold rows in the service's field names and string values, with invented numbers
 * (`.fake.json`), one file per contract. The handler answers `$where=cftc_contract_market_code='…'` and the
 * `report_date_as_yyyy_mm_dd >= '…'` filter, as the service does.
 */
const FIXTURES = new URL('../../../../test/fixtures/http/cftc/', import.meta.url).pathname;
const CODES = ['239742', '209742', '13874A'];
const rowsOf = (code: string): TffSocrataRow[] =>
  JSON.parse(
    readFileSync(join(FIXTURES, `tff-gpe5-46if-${code}-2025-01-07-to-2026-01-13.fake.json`), 'utf8'),
  ) as TffSocrataRow[];

const FAST: SyncDeps['http'] = { backoffBaseMs: 1, backoffMaxMs: 5, random: () => 0.5 };
const TODAY = '2026-01-20' as TradingDate;

let server: TestServer;
let failFirst = true;
beforeAll(async () => {
  server = await startServer((url) => {
    if (url.pathname !== '/resource/gpe5-46if.json')
      return { status: 404, body: '{"code":"not_found","error":true,"message":"Not found"}' };
    const where = url.searchParams.get('$where') ?? '';
    const code = /cftc_contract_market_code='([0-9A-Z]+)'/.exec(where)?.[1] ?? '';
    // The first answer of a run is a 503, as a busy Socrata answers: the client must retry.
    if (failFirst) {
      failFirst = false;
      return { status: 503, body: '{"message":"busy"}' };
    }
    const since = /report_date_as_yyyy_mm_dd >= '([^']+)'/.exec(where)?.[1] ?? '';
    const rows = CODES.includes(code) ? rowsOf(code).filter((r) => r.report_date_as_yyyy_mm_dd >= since) : [];
    return { headers: { 'content-type': 'application/json' }, body: JSON.stringify(rows) };
  });
});
afterAll(() => server.close());

let dir: string;
let config: string;
beforeEach(() => {
  dir = tempDir('cftc-');
  config = join(dir, 'rotation.config.json');
  writeFileSync(
    config,
    JSON.stringify({ providers: { timeoutMs: 3000, retries: 3, requestsPerSecond: { cftc: 1000 } } }),
  );
  failFirst = true;
});
afterEach(() => vi.restoreAllMocks());

const sync = (db: string, args: string[], env: Record<string, string>, today: TradingDate = TODAY) => {
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  return runSync({ args, db, config, format: 'json', overlap: 10, cache: false }, { env, today, http: FAST });
};

type Fact = { id: string; value: number; note?: string; knownAt?: string; asOf: string };
async function positioning(db: string, asOf: string): Promise<Fact[]> {
  const r = await runCli(['positioning', '--db', db, '--as-of', asOf, '--format', 'json']);
  expect(r.code, r.err).toBe(0);
  return (JSON.parse(r.out) as { facts: Fact[] }).facts;
}

describe('parseTffResponse', () => {
  it('maps the service fields and refuses a row with a missing field or another contract', () => {
    const ok = rowsOf('239742').slice(0, 1);
    const res = (body: unknown, status = 200) => ({
      status,
      contentType: '',
      body: JSON.stringify(body),
      url: 'x',
    });
    expect(parseTffResponse(res(ok), '239742')[0]).toMatchObject({
      code: '239742',
      reportDate: '2025-01-07',
      levMoneyLong: Number(ok[0]?.lev_money_positions_long),
    });
    const { lev_money_positions_short: _drop, ...missing } = ok[0] as TffSocrataRow;
    expect(() => parseTffResponse(res([missing]), '239742')).toThrow(
      /row 1, field lev_money_positions_short/,
    );
    expect(() => parseTffResponse(res(ok), '209742')).toThrow(/row 1 is for contract 239742/);
    expect(() => parseTffResponse(res({ message: 'Invalid query' }, 400), '239742')).toThrow(/Invalid query/);
  });
  it('asks for one contract from a date on, oldest first', () => {
    const u = new URL(tffUrl('http://h', '13874A', '2025-12-16'));
    expect(u.pathname).toBe('/resource/gpe5-46if.json');
    expect(u.searchParams.get('$where')).toBe(
      "cftc_contract_market_code='13874A' AND report_date_as_yyyy_mm_dd >= '2025-12-16T00:00:00.000'",
    );
    expect(u.searchParams.get('$order')).toBe('report_date_as_yyyy_mm_dd ASC');
  });
});

describe('rotation sync from a loopback replay of the CFTC service', () => {
  it('stores the three contracts (after a 503), and positioning shows the 52-week index and "highest since"', async () => {
    const db = join(dir, 's.duckdb');
    const out = await sync(db, ['cftc:rty', 'cftc:nq', 'cftc:es'], { ROTATION_CFTC_URL: server.origin });
    expect(out.map((o) => [o.symbol, o.status, o.lastDate])).toEqual([
      ['cftc:239742', 'updated', '2026-01-13'],
      ['cftc:209742', 'updated', '2026-01-13'],
      ['cftc:13874A', 'updated', '2026-01-13'],
    ]);
    const fs = await positioning(db, '2026-01-20');
    const lev = (g: string, what: string) =>
      fs.find((f) => f.id === `positioning.cftc-tff-${g}.lev-money-net.${what}`);
    for (const g of ['rty', 'nq', 'es']) {
      expect(lev(g, 'cot-index')?.value, `${g}: the latest net is the top of its year`).toBe(100);
      expect(lev(g, 'value')?.note).toMatch(/highest since 2025-01-07/);
      expect(
        lev(g, 'value')?.knownAt,
        "the 2026-01-13 report came out on 2026-01-20, the CFTC's last catch-up date after the 2025 lapse",
      ).toBe('2026-01-20');
    }
    const rows = rowsOf('239742');
    const net = (r: TffSocrataRow | undefined) =>
      Number(r?.lev_money_positions_long) - Number(r?.lev_money_positions_short);
    expect(lev('rty', 'value')?.value).toBe(net(rows.at(-1)));
    expect(lev('rty', 'change')?.value, 'week over week').toBe(net(rows.at(-1)) - net(rows.at(-2)));
    // On Friday 2026-01-16 the 2026-01-13 report was not out yet (catch-up schedule): the reading is the week before.
    expect(
      (await positioning(db, '2026-01-16')).find((f) => f.id.endsWith('rty.lev-money-net.value'))?.asOf,
    ).toBe('2026-01-06');
    // A second sync asks only for the last four weeks and changes nothing.
    const again = await sync(db, ['cftc:rty'], { ROTATION_CFTC_URL: server.origin });
    expect(again.map((o) => [o.status, o.counts.added, o.counts.updated])).toEqual([['unchanged', 0, 0]]);
    expect(server.requests.at(-1)?.searchParams.get('$where')).toMatch(/>= '2025-12-16T00:00:00.000'/);
  });

  it('gives the same figures from the CFTC published file as from the service', async () => {
    const db = join(dir, 'f.duckdb');
    const header =
      'Market_and_Exchange_Names,As_of_Date_In_Form_YYMMDD,Report_Date_as_YYYY-MM-DD,CFTC_Contract_Market_Code,Open_Interest_All,Dealer_Positions_Long_All,Dealer_Positions_Short_All,Asset_Mgr_Positions_Long_All,Asset_Mgr_Positions_Short_All,Lev_Money_Positions_Long_All,Lev_Money_Positions_Short_All';
    const lines = CODES.flatMap((c) =>
      rowsOf(c).map((r) => {
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
    const imp = await runCli(['import', file, '--db', db]);
    expect(imp.code, imp.err).toBe(0);
    const fromFile = await positioning(db, '2026-01-20');
    const synced = join(dir, 's2.duckdb');
    await sync(synced, ['cftc:rty', 'cftc:nq', 'cftc:es'], { ROTATION_CFTC_URL: server.origin });
    const fromService = await positioning(synced, '2026-01-20');
    expect(fromFile.map((f) => [f.id, f.value, f.knownAt])).toEqual(
      fromService.map((f) => [f.id, f.value, f.knownAt]),
    );
  });

  it('gives a report the same known-at whatever day it is synced: the release day, never the clock', async () => {
    // The 2026-01-13 report came out on 2026-01-20 (catch-up schedule). Synced the day before (a mirror that already
    // has it), its known-at is still 2026-01-20, not the sync day: a known-at is the CFTC's, not ours.
    const early = join(dir, 'early.duckdb');
    const late = join(dir, 'late.duckdb');
    await sync(early, ['cftc:rty'], { ROTATION_CFTC_URL: server.origin }, '2026-01-19' as TradingDate);
    failFirst = true;
    await sync(late, ['cftc:rty'], { ROTATION_CFTC_URL: server.origin }, '2026-03-02' as TradingDate);
    const a = await positioning(early, '2026-01-20');
    expect(a.find((f) => f.id === 'positioning.cftc-tff-rty.lev-money-net.value')?.knownAt).toBe(
      '2026-01-20',
    );
    expect(a.map((f) => [f.id, f.value, f.asOf, f.knownAt])).toEqual(
      (await positioning(late, '2026-01-20')).map((f) => [f.id, f.value, f.asOf, f.knownAt]),
    );
    // As of 2026-01-19 the report is not known yet, although it is stored.
    expect(
      (await positioning(early, '2026-01-19')).find(
        (f) => f.id === 'positioning.cftc-tff-rty.lev-money-net.value',
      )?.asOf,
    ).toBe('2026-01-06');
  });

  it('says in one line that the service cannot be reached, and writes nothing', async () => {
    const port = await unusedPort();
    await expect(
      sync(join(dir, 'x.duckdb'), ['cftc:rty'], { ROTATION_CFTC_URL: `http://127.0.0.1:${port}` }),
    ).rejects.toThrow(/cannot reach 127\.0\.0\.1:\d+ .*nothing was written.*ROTATION_CFTC_URL/);
  });
});
