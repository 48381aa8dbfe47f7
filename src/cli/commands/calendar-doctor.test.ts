import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DuckDbStore, Store } from '../../data/store/store.js';
import { runCli } from '../../../test/support/run-cli.js';
import { tempDir } from '../../../test/support/tmp.js';
import { closeBar } from '../../../test/support/bars.js';

const run = runCli;

describe('rotation calendar', () => {
  it('lists sessions, early closes and holidays as JSON', async () => {
    const r = await run(['calendar', '--from', '2026-11-25', '--to', '2026-11-30', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({
      from: '2026-11-25',
      to: '2026-11-30',
      sessions: [
        { date: '2026-11-25', close: '16:00' },
        { date: '2026-11-27', close: '13:00' },
        { date: '2026-11-30', close: '16:00' },
      ],
      holidays: [{ date: '2026-11-26', name: 'Thanksgiving Day' }],
      earlyCloses: [{ date: '2026-11-27', name: 'Day after Thanksgiving', close: '13:00' }],
    });
  });

  it('writes one CSV row per weekday with a status', async () => {
    const r = await run(['calendar', '--from', '2012-10-26', '--to', '2012-10-31', '--format', 'csv']);
    expect(r.out).toBe(
      [
        'date,weekday,status,close,name',
        '2012-10-26,Fri,session,16:00,',
        '2012-10-29,Mon,holiday,,Hurricane Sandy',
        '2012-10-30,Tue,holiday,,Hurricane Sandy',
        '2012-10-31,Wed,session,16:00,',
        '',
      ].join('\n'),
    );
  });

  it('refuses a range outside 1980–2030 with exit code 2', async () => {
    const r = await run(['calendar', '--from', '1975-01-01', '--to', '1975-12-31']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^error: --from 1975-01-01 is outside the calendar/);
  });
});

describe('rotation doctor', () => {
  it('reports per symbol, exits 0 with findings and 1 for an unknown symbol', async () => {
    const dir = tempDir('doctor-cli-');
    const db = join(dir, 'store.duckdb');
    const store = await Store.open(db);
    const bar = closeBar;
    // A bar on MLK Day 2026 (a holiday) and a missing 2026-01-13.
    const closes: [string, number][] = [
      ['2026-01-09', 10],
      ['2026-01-12', 10.1],
      ['2026-01-14', 10.2],
      ['2026-01-15', 10.3],
      ['2026-01-16', 10.2],
      ['2026-01-19', 10.2],
    ];
    await store.upsertBars(
      'ABC',
      closes.map(([date, close]) => bar(date, close)),
      'test',
    );
    store.close();

    const table = await run(['doctor', '--db', db, '--as-of', '2026-01-20']);
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/ABC\s+warn\s+bars\s+6 .*missing-sessions 1, non-session-bars 1/);
    expect(table.out).toContain('bar on 2026-01-19, not an NYSE session (Martin Luther King Jr. Day)');

    const json = await run(['doctor', 'abc', '--db', db, '--as-of', '2026-01-20', '--format', 'json']);
    const report = JSON.parse(json.out) as { findings: { check: string; date?: string }[] };
    expect(report.findings.map((f) => [f.check, f.date])).toEqual([
      ['missing-sessions', '2026-01-13'],
      ['non-session-bars', '2026-01-19'],
    ]);

    const unknown = await run(['doctor', 'NOPE', '--db', db]);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/^error: unknown symbol "NOPE"/);

    const bad = await run(['doctor', '--db', db, '--jump', '25%']);
    expect(bad.code).toBe(2);

    // A (symbol, date) written twice around the store's writers: the store-wide check names it as an error.
    const raw = await DuckDbStore.open(db);
    await raw.exec(
      `INSERT INTO bars SELECT symbol, date, open, high, low, close, adj_close, volume, stamp
       FROM bars WHERE symbol = 'ABC' AND date = DATE '2026-01-12'`,
    );
    raw.close();
    const doubled = await run(['doctor', '--db', db, '--as-of', '2026-01-20']);
    expect(doubled.code).toBe(0);
    expect(doubled.out).toContain(
      'Duplicate bars in the store (error): 1 (symbol, date) stored more than once\n  - the store holds 2 bars of ABC on 2026-01-12 (source test)',
    );
  });
});
