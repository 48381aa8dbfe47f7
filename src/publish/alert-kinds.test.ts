import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sessionsBetween } from '../core/calendar/calendar.js';
import { DEFAULT_CONFIG } from '../data/config.js';
import type { PublishState } from '../data/store/publish-state.js';
import { Store } from '../data/store/store.js';
import { importPaths } from '../data/ingest/import.js';
import { importWhyFile } from '../data/why/import.js';
import type { TradingDate } from '../shared/brand.js';
import { describeWithSharedData, SHARED_DATA } from '../../test/support/shared-data.js';
import { tempDir } from '../../test/support/tmp.js';
import { evaluateAlerts, type Evaluation } from './alerts.js';
import { parsePublishConfig } from './config.js';

/** The alert kinds beyond the price rules: first-since (the claim check), flows and positioning extremes. */

const DATES = sessionsBetween('2022-01-03', '2026-01-12');

async function put(store: Store, symbol: string, f: (date: string, i: number) => number): Promise<void> {
  await store.upsertBars(
    symbol,
    DATES.map((date, i) => ({
      date,
      open: null,
      high: null,
      low: null,
      close: f(date, i),
      adjClose: null,
      volume: null,
    })),
    'test',
  );
}

async function commit(state: PublishState, ev: Evaluation, session: string) {
  for (const c of ev.state) await state.putAlertState(c.rule, c.subject, c.value, session);
}

const rulesOf = (alerts: unknown[]) => parsePublishConfig({ alerts }).alerts;

/** Weekly dates (Wednesdays) from 2024-12-04, `n` of them, as YYYY-MM-DD. */
function weeks(n: number): string[] {
  const out: string[] = [];
  for (let k = 0; k < n; k++) out.push(new Date(Date.UTC(2024, 11, 4 + 7 * k)).toISOString().slice(0, 10));
  return out;
}
const plusDays = (d: string, n: number) =>
  new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

describe('alert kinds on data built in the test', () => {
  let store: Store;
  let state: PublishState;
  beforeEach(async () => {
    store = await Store.open(':memory:');
    state = store.publishState();
  });
  afterEach(() => store.close());

  it('first-since: A beat B over the first 7 sessions in 2023 and again in 2026, not between', async () => {
    // B is flat; A rises through the first 7 sessions of 2023 and 2026 and falls through them in 2024-2025,
    // back at 100 on every other session (so each year's base, the last close before it, is 100). 2022 has no
    // base (the data start on its first session): the first year measured is 2023.
    const first7 = new Map<string, number>();
    for (const y of [2022, 2023, 2024, 2025, 2026])
      DATES.filter((d) => d.startsWith(`${y}-`))
        .slice(0, 7)
        .forEach((d, k) => first7.set(d, (y === 2023 || y === 2026 ? 1 : -1) * (k + 1)));
    await put(store, 'AAA', (d) => 100 + (first7.get(d) ?? 0));
    await put(store, 'BBB', () => 100);
    const rules = rulesOf([{ id: 'fs', kind: 'first-since', a: 'AAA', b: 'BBB', window: 'first:7' }]);
    const last = DATES.at(-1) as TradingDate;
    expect(last, 'the 7th session of 2026').toBe('2026-01-12');
    const before = await evaluateAlerts(store, state, DEFAULT_CONFIG, rules, '2026-01-09' as TradingDate);
    expect(before.signals, 'the window is still running on the 6th session').toEqual([]);
    const ev = await evaluateAlerts(store, state, DEFAULT_CONFIG, rules, last);
    expect(ev.signals.map((s) => [s.id, s.title])).toEqual([
      [
        '2026-01-12:fs:AAA-BBB-first:7',
        'AAA beat BBB over the first 7 sessions of 2026 for the first time since 2023',
      ],
    ]);
    expect(ev.signals[0]?.detail).toMatchObject({ firstSince: 2023, year: 2026 });
    expect(ev.signals[0]?.detail['spread']).toBeCloseTo(0.07, 12);
    const check = ev.signals[0]?.detail['check'] as { holds: number; fails: number; verdict: string };
    expect(check.fails, `the claim check agrees: ${check.verdict}`).toBe(0);
    expect(check.holds).toBeGreaterThan(0);
    await commit(state, ev, last);
    const again = await evaluateAlerts(store, state, DEFAULT_CONFIG, rules, last);
    expect(again.signals, 'once per rule and year').toEqual([]);
    const strict = rulesOf([{ id: 'fs5', kind: 'first-since', a: 'AAA', b: 'BBB', minYears: 5 }]);
    expect(
      (await evaluateAlerts(store, state, DEFAULT_CONFIG, strict, last)).signals,
      'three years is not five',
    ).toEqual([]);
  });

  it('first-since: a year that repeats the previous one is no news', async () => {
    await put(store, 'AAA', (_d, i) => 100 * 1.001 ** i);
    await put(store, 'BBB', () => 100);
    const rules = rulesOf([{ id: 'fs', kind: 'first-since', a: 'AAA', b: 'BBB', window: 'first:7' }]);
    const ev = await evaluateAlerts(store, state, DEFAULT_CONFIG, rules, '2026-01-12' as TradingDate);
    expect(ev.signals).toEqual([]);
  });

  it('extreme: a new 52-week low is an alert with the 252-session look-back', async () => {
    const n = DATES.length;
    await put(store, 'IWM', (_d, i) => (i === n - 1 ? 70 : 100 + Math.sin(i)));
    const rules = rulesOf([{ id: 'lows', kind: 'extreme', symbols: ['IWM'] }]);
    const ev = await evaluateAlerts(store, state, DEFAULT_CONFIG, rules, DATES[n - 1] as TradingDate);
    expect(ev.signals.map((s) => s.title)).toEqual([
      // sin(i) dipped to its trough in November 2024, the last close below the 252 before it.
      'IWM closed at a new 252-session (52-week) low on 2026-01-12 (the first since 2024-11-14)',
    ]);
    expect(ev.signals[0]?.detail).toMatchObject({ side: 'low', close: 70, lookback: 252 });
  });

  it('flows-extreme: a new week 2 standard deviations out is an alert once; an ordinary week is not', async () => {
    const w = weeks(60);
    // 58 ordinary weeks alternating ±1bn, then a -9bn week, then an ordinary one.
    const value = (k: number) => (k === 58 ? -9e9 : k % 2 ? 1e9 : -1e9);
    const csv = [
      'kind,group,period,metric,value,unit,as_of,source,note',
      ...w.map((d, k) => `flows,sector:tech,${d},net_flow,${value(k)},usd,${plusDays(d, 2)},test,`),
    ].join('\n');
    const file = join(tempDir('alert-flows-'), 'flows.csv');
    writeFileSync(file, `${csv}\n`);
    await importWhyFile(store, file, { today: '2026-12-31' });
    const rules = rulesOf([{ id: 'flows', kind: 'flows-extreme', minZ: 2 }]);
    const known = (k: number) => plusDays(w[k] as string, 2) as TradingDate;
    const first = await evaluateAlerts(store, state, DEFAULT_CONFIG, rules, known(57));
    expect(first.signals, 'the first evaluation records the week').toEqual([]);
    expect(first.state).toEqual([{ rule: 'flows', subject: 'flows:sector:tech:net_flow', value: w[57] }]);
    await commit(state, first, known(57));
    // The day before the extreme week is published, nothing is known of it.
    expect(
      (await evaluateAlerts(store, state, DEFAULT_CONFIG, rules, plusDays(w[58] as string, 1) as TradingDate))
        .signals,
    ).toEqual([]);
    const ev = await evaluateAlerts(store, state, DEFAULT_CONFIG, rules, known(58));
    expect(ev.signals.map((s) => s.id)).toEqual([`${known(58)}:flows:flows:sector:tech:net_flow`]);
    expect(ev.signals[0]?.title).toMatch(
      /^sector:tech: -\$9\.0bn outflow in the week ending 2026-01-14, -\d+\.\d standard deviations/,
    );
    expect(ev.signals[0]?.detail['z52'] as number).toBeLessThan(-2);
    await commit(state, ev, known(58));
    expect(
      (await evaluateAlerts(store, state, DEFAULT_CONFIG, rules, plusDays(w[58] as string, 5) as TradingDate))
        .signals,
      'the same week counts once',
    ).toEqual([]);
    expect(
      (await evaluateAlerts(store, state, DEFAULT_CONFIG, rules, known(59))).signals,
      'an ordinary week',
    ).toEqual([]);
  });

  it('positioning-extreme: a new reading at the top of its 52-week range; 3y asks for the three-year range', async () => {
    const w = weeks(60);
    // Nets around -50,000, a 3-year-high-sized reading on the last week would need 156 weeks: only 60 are stored.
    const value = (k: number) => (k === 59 ? -10_000 : -50_000 + (k % 5) * 1000);
    const csv = [
      'kind,group,period,metric,value,unit,as_of,source,note',
      ...w.map(
        (d, k) => `positioning,cftc-tff:rty,${d},lev_money_net,${value(k)},contracts,${plusDays(d, 3)},test,`,
      ),
    ].join('\n');
    const file = join(tempDir('alert-pos-'), 'pos.csv');
    writeFileSync(file, `${csv}\n`);
    await importWhyFile(store, file, { today: '2026-12-31' });
    const rules = rulesOf([
      { id: 'pos', kind: 'positioning-extreme' },
      { id: 'pos3', kind: 'positioning-extreme', span: '3y' },
    ]);
    const known = (k: number) => plusDays(w[k] as string, 3) as TradingDate;
    await commit(state, await evaluateAlerts(store, state, DEFAULT_CONFIG, rules, known(58)), known(58));
    const ev = await evaluateAlerts(store, state, DEFAULT_CONFIG, rules, known(59));
    expect(ev.signals.map((s) => [s.rule, s.title])).toEqual([
      ['pos', `cftc-tff:rty lev_money_net at a 52-week high on ${w[59]} (-10,000, highest on record)`],
    ]);
    expect(ev.signals[0]?.detail).toMatchObject({ cotIndex: 100, cotIndex3y: null, side: 'high' });
  });

  it('refuses a rule with a window the grammar does not know, naming the field', () => {
    expect(() => rulesOf([{ id: 'x', kind: 'first-since', a: 'A', b: 'B', window: 'first:zz' }])).toThrow(
      /not a window/,
    );
    try {
      rulesOf([{ id: 'x', kind: 'flows-extreme', minZ: 0.5 }]);
    } catch (e) {
      expect((e as { where?: unknown }).where).toMatchObject({ field: 'alerts.0.minZ' });
    }
  });
});

describeWithSharedData('alert kinds on the real data in ../shared/data', () => {
  let store: Store;
  let state: PublishState;
  beforeEach(async () => {
    store = await Store.open(':memory:');
    state = store.publishState();
  });
  afterEach(() => store.close());

  it('first-since: the Russell 2000 beat the Nasdaq-100 over the first 7 sessions of 2026 for the first time since 2023', async () => {
    const out = await importPaths(
      store,
      ['indices/RUT.csv', 'indices/NDX.csv'].map((f) => join(SHARED_DATA, f)),
      { today: '2026-11-24' },
    );
    expect(out.every((o) => o.ok)).toBe(true);
    const rules = rulesOf([
      { id: 'small-first7', kind: 'first-since', a: '^RUT', b: '^NDX', window: 'first:7' },
      { id: 'small-jan', kind: 'first-since', a: '^RUT', b: '^NDX', window: 'jan' },
    ]);
    const at = async (d: string) =>
      (await evaluateAlerts(store, state, DEFAULT_CONFIG, rules, d as TradingDate)).signals;
    // derived/year_start_russell2000_vs_nasdaq100.csv: the Russell won the first 7 days in 2014, 2019, 2021, 2022,
    // 2023 and 2026 (day 7 of 2026 is 2026-01-12, rut_minus_ndx_7d 0.040661); January in 2025 and 2026.
    const s2026 = await at('2026-01-12');
    expect(s2026.map((s) => s.title)).toEqual([
      '^RUT beat ^NDX over the first 7 sessions of 2026 for the first time since 2023',
    ]);
    expect(s2026[0]?.detail['spread'] as number).toBeCloseTo(0.040661, 6);
    const s2019 = await at('2019-01-10');
    expect(s2019.map((s) => s.title)).toEqual([
      '^RUT beat ^NDX over the first 7 sessions of 2019 for the first time since 2014',
    ]);
    expect(s2019[0]?.detail['spread'] as number).toBeCloseTo(0.025865, 6);
    expect(await at('2023-01-11'), '2022 won too: no news').toEqual([]);
    expect(await at('2025-01-13'), 'the Nasdaq-100 won the first 7 days of 2025').toEqual([]);
    expect(await at('2026-01-30'), 'January 2025 was the Russell too').toEqual([]);
  }, 60_000);

  it('flows-extreme: the ICI weekly flows count when published, once, with no z-score from 50 scattered weeks', async () => {
    // The file as fetched on 2025-07-01 (its vintage: the source repository's last change; a file holding rows to
    // 2024-12 cannot be imported as of an earlier day, its later rows would be in the future). The importer keeps its
    // 50 labelled weeks, the last 2020-12-29, and drops the mislabelled rows from 2022-07-06.
    const out = await importPaths(store, [join(SHARED_DATA, 'flows/ici_ltmf_flows_weekly.csv')], {
      today: '2025-07-01',
    });
    expect(
      out.every((o) => o.ok),
      JSON.stringify(out),
    ).toBe(true);
    const rules = rulesOf([{ id: 'ici', kind: 'flows-extreme', group: 'ici:', minZ: 2 }]);
    const before = await evaluateAlerts(store, state, DEFAULT_CONFIG, rules, '2025-06-30' as TradingDate);
    expect(before.notes, 'the file was not fetched yet on 2025-06-30').toEqual([
      'ici: no flow series known on 2025-06-30',
    ]);
    const ev = await evaluateAlerts(store, state, DEFAULT_CONFIG, rules, '2025-07-01' as TradingDate);
    expect(ev.signals, 'a first evaluation records, and 50 weeks give no 52-week z-score').toEqual([]);
    expect(ev.state.map((c) => [c.subject, c.value])).toContainEqual([
      'flows:ici:total-equity:net_flow',
      '2020-12-29',
    ]);
    expect(ev.state).toHaveLength(8);
  }, 60_000);
});
