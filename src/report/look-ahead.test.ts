import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { importWhyFile } from '../data/why/import.js';
// DuckDbStore: these tests inspect the file's tables with SQL (DuckDbStore.query), beyond the Store interface.
import { DuckDbStore as Store } from '../data/store/store.js';
import type { TradingDate } from '../shared/brand.js';
import { addDays } from '../shared/dates.js';
import { NotFoundError } from '../shared/errors.js';
import { openBriefStore } from '../../test/support/brief-store.js';
import { runCli } from '../../test/support/run-cli.js';
import { describeWithSharedData } from '../../test/support/shared-data.js';
import { buildBrief } from './build.js';
import { seeded } from '../../test/support/seeded.js';

const TFF = new URL('../../test/fixtures/why/cftc-tff-rty-nq.fake.csv', import.meta.url).pathname;

/** 50 as-of dates between 1990-01-01 and 2026-08-21 (the last stored day), plus the issue's two reproductions. */
function asOfDates(): TradingDate[] {
  const next = seeded(20260112);
  const span = 13_381; // days from 1990-01-01 to 2026-08-21
  const out = new Set<string>(['2026-01-12', '2026-07-31']);
  while (out.size < 52) out.add(addDays('1990-01-01', Math.floor(next() * span)));
  return [...out].sort() as TradingDate[];
}

type AnyFact = { id: string; inputs: readonly string[]; asOf: string; window?: string; knownAt?: string };

const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s);

describeWithSharedData('no look-ahead: every observation an output uses was known on its as-of date', () => {
  let store: Store | null = null;
  let dir = '';
  let db = '';
  const dates = asOfDates();

  beforeAll(async () => {
    const opened = await openBriefStore();
    dir = opened.dir;
    db = join(dir, 'brief.duckdb');
    await importWhyFile(opened.store, TFF, { today: '2026-11-24' });
    opened.store.close();
  }, 180_000);
  afterAll(() => {
    store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The facts of `fs` that stand on an observation nobody could have read on `asOf`. */
  async function violations(s: Store, fs: readonly AnyFact[], asOf: string): Promise<string[]> {
    const bad: string[] = [];
    for (const f of fs) {
      if (f.knownAt && f.knownAt > asOf) bad.push(`${f.id}: known at ${f.knownAt}`);
      if (isDate(f.asOf) && f.asOf > asOf) bad.push(`${f.id}: as of ${f.asOf}`);
      const periods = [f.asOf, ...(f.window ? f.window.split('..') : [])];
      for (const input of f.inputs) {
        const series = input.split('@')[0] as string;
        const rows = await s.query<{ period: string; k: string }>(
          `SELECT period, min(known_at)::VARCHAR AS k FROM observations
           WHERE series = ? AND list_contains(?::VARCHAR[], period) GROUP BY period`,
          [series, `[${periods.map((p) => `"${p}"`).join(',')}]`],
        );
        for (const r of rows)
          if (r.k > asOf) bad.push(`${f.id}: ${series} ${r.period} became public on ${r.k}`);
      }
    }
    return bad;
  }

  it('macro, earnings, flows and positioning (CLI JSON) on 52 as-of dates 1990–2026', async () => {
    const outputs: { verb: string; asOf: string; facts: AnyFact[] }[] = [];
    for (const asOf of dates)
      for (const verb of ['macro', 'earnings', 'flows', 'positioning']) {
        const r = await runCli([verb, '--db', db, '--as-of', asOf, '--format', 'json']);
        // Exit 1 with "error: no …" is the expected failure of a date before the data begin: no output, no figure.
        if (r.code === 1 && /^error: no /.test(r.err)) continue;
        expect(r.code, `${verb} --as-of ${asOf}: ${r.err}`).toBe(0);
        outputs.push({ verb, asOf, facts: (JSON.parse(r.out) as { facts: AnyFact[] }).facts });
      }
    store = await Store.open(db);
    const bad: string[] = [];
    for (const o of outputs)
      for (const v of await violations(store, o.facts, o.asOf)) bad.push(`${o.verb} ${o.asOf}: ${v}`);
    expect(bad).toEqual([]);
    expect(
      outputs.filter((o) => o.verb === 'macro' && o.facts.length > 0).length,
      'macro says something',
    ).toBe(dates.length);
    // On 2026-01-12 the CPI read is November 2025 (released 2025-12-18), never December or January.
    const jan = outputs.find((o) => o.verb === 'macro' && o.asOf === '2026-01-12');
    expect(jan?.facts.find((f) => f.id === 'macro.cpi-yoy.headline')?.window).toBe('2025-11');
    // On 2026-07-31 the headline is June 2026 (from the mirror file merged with datasets/cpi-us, which stops in May),
    // not the September 2025 month the SA file ends on.
    const jul = outputs.find((o) => o.verb === 'macro' && o.asOf === '2026-07-31');
    expect(jul?.facts.find((f) => f.id === 'macro.cpi-yoy.headline')?.window).toBe('2026-06');
    // The ICI weeks stop in 2020: on 2026-01-12 they are stale, with their date, never "latest".
    const flows = outputs.find((o) => o.verb === 'flows' && o.asOf === '2026-01-12');
    const ici = (flows?.facts ?? []).filter((f) => f.id.startsWith('flows.ici-') && f.id.endsWith('.week'));
    expect(ici.length, 'ICI weeks are stored').toBeGreaterThan(0);
    for (const f of ici) {
      expect((f as AnyFact & { stale?: boolean }).stale, f.id).toBe(true);
      expect((f as AnyFact & { note?: string }).note, f.id).toMatch(/^stale: last reading 2020-12-29/);
      expect((f as AnyFact & { method?: string }).method, f.id).not.toMatch(/latest/);
    }
    // The sector flows of the week of 2026-01-12 are fresh.
    expect(flows?.facts.find((f) => f.id === 'flows.tech-vs-rest.week')).toBeDefined();
    store.close();
    store = null;
  }, 300_000);

  // A brief takes about 2.5 s here, so it runs on every fourth date (13 of them, the two reproductions included)
  // to keep the suite's run time bounded; the verbs above run on all 52.
  it('the brief on every fourth date and the two reproductions', async () => {
    store = await Store.open(db);
    const bad: string[] = [];
    let built = 0;
    const some = dates.filter((d, i) => i % 4 === 0 || d === '2026-01-12' || d === '2026-07-31');
    for (const asOf of some) {
      try {
        const brief = await buildBrief(store, { asOf });
        built++;
        for (const v of await violations(store, brief.facts as unknown as AnyFact[], asOf))
          bad.push(`brief ${asOf}: ${v}`);
        for (const u of brief.series) {
          const [row] = await store.query<{ k: string | null }>(
            'SELECT min(known_at)::VARCHAR AS k FROM observations WHERE series = ? AND period = ?',
            [u.symbol, u.last],
          );
          if (row?.k && row.k > asOf)
            bad.push(`brief ${asOf}: series read ${u.symbol} to ${u.last} (${row.k})`);
        }
      } catch (e) {
        // Before the race's legs exist (IWM starts in 2000) there is no brief to write: that is not look-ahead.
        if (!(e instanceof NotFoundError)) throw e;
      }
    }
    expect(bad).toEqual([]);
    expect(built, 'briefs written').toBeGreaterThan(some.length / 2);
  }, 300_000);
});
