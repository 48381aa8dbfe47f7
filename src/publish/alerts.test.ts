import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sessionsBetween } from '../core/calendar/calendar.js';
import { DEFAULT_CONFIG } from '../data/config.js';
import type { PublishState } from '../data/store/publish-state.js';
import { Store } from '../data/store/store.js';
import type { TradingDate } from '../shared/brand.js';
import { runCli } from '../../test/support/run-cli.js';
import { tempDir } from '../../test/support/tmp.js';
import { evaluateAlerts } from './alerts.js';
import { parsePublishConfig } from './config.js';

const DATES = sessionsBetween('2022-01-03', '2026-01-12');

async function put(store: Store, symbol: string, f: (i: number) => number): Promise<void> {
  await store.upsertBars(
    symbol,
    DATES.map((date, i) => ({
      date,
      open: null,
      high: null,
      low: null,
      close: f(i),
      adjClose: null,
      volume: null,
    })),
    'test',
  );
}

/** Applies an evaluation's state, as the daily run does after storing its events. */
async function commit(state: PublishState, ev: Awaited<ReturnType<typeof evaluateAlerts>>, session: string) {
  for (const c of ev.state) await state.putAlertState(c.rule, c.subject, c.value, session);
}

describe('alert rules', () => {
  let store: Store;
  let state: PublishState;
  beforeEach(async () => {
    store = await Store.open(':memory:');
    state = store.publishState();
  });
  afterEach(() => store.close());

  it('race leader: the first evaluation records the leader, a change of leader is an alert', async () => {
    const n = DATES.length;
    // IWM trails QQQ in January 2026 until the last two sessions, then leads.
    await put(store, 'QQQ', () => 100);
    await put(store, 'IWM', (i) => (i >= n - 2 ? 103 : i >= n - 6 ? 99 : 100));
    const rules = parsePublishConfig({
      alerts: [{ id: 'lead', kind: 'race-leader', a: 'IWM', b: 'QQQ', window: 'ytd' }],
    }).alerts;
    const d3 = DATES[n - 3] as TradingDate;
    const first = await evaluateAlerts(store, state, DEFAULT_CONFIG, rules, d3);
    expect(first.signals, 'nothing to change from yet').toEqual([]);
    expect(first.state).toEqual([{ rule: 'lead', subject: 'IWM-QQQ-ytd', value: 'QQQ' }]);
    await commit(state, first, d3);
    const last = DATES[n - 1] as TradingDate;
    const ev = await evaluateAlerts(store, state, DEFAULT_CONFIG, rules, last);
    expect(ev.signals.map((s) => [s.id, s.title])).toEqual([
      [`${last}:lead:IWM-QQQ-ytd`, 'IWM took the lead from QQQ (IWM vs QQQ, ytd)'],
    ]);
    expect(ev.signals[0]?.detail['spread']).toBeCloseTo(0.03, 12);
  });

  it('extreme: a close above every close of the lookback is a new high; inside the range is nothing', async () => {
    const n = DATES.length;
    await put(store, 'IWM', (i) => (i === n - 1 ? 130 : 100 + Math.sin(i)));
    const rules = parsePublishConfig({
      alerts: [{ id: 'hi', kind: 'extreme', symbols: ['IWM'], lookback: 252 }],
    }).alerts;
    const ev = await evaluateAlerts(store, state, DEFAULT_CONFIG, rules, DATES[n - 1] as TradingDate);
    expect(ev.signals.map((s) => s.detail['side'])).toEqual(['high']);
    const before = await evaluateAlerts(store, state, DEFAULT_CONFIG, rules, DATES[n - 2] as TradingDate);
    expect(before.signals).toEqual([]);
  });

  it('rrg quadrant: a change counts only once it holds for confirmPeriods weekly points (hysteresis)', async () => {
    const n = DATES.length;
    await put(store, 'SPY', (i) => 100 * 1.0003 ** i);
    // XLK beats SPY for most of the history, then falls behind over the last weeks.
    await put(
      store,
      'XLK',
      (i) =>
        100 * 1.0003 ** i * (i < n - 40 ? 1 + i * 0.0008 : (1 + (n - 40) * 0.0008) * 0.992 ** (i - (n - 40))),
    );
    const rules = parsePublishConfig({
      alerts: [{ id: 'rot', kind: 'rrg-quadrant', symbols: ['XLK'], confirmPeriods: 2 }],
    }).alerts;
    const quadrants: string[] = [];
    const signals: string[] = [];
    for (const d of DATES.slice(n - 80).filter((_, k) => k % 5 === 0)) {
      const ev = await evaluateAlerts(store, state, DEFAULT_CONFIG, rules, d);
      await commit(state, ev, d);
      quadrants.push((await state.alertState('rot')).get('XLK')?.value ?? '-');
      signals.push(...ev.signals.map((s) => `${s.detail['from']}>${s.detail['to']}`));
    }
    expect(quadrants[0], 'leading while it outperforms').toBe('leading');
    expect(signals.length, `quadrants seen: ${quadrants.join(' ')}`).toBeGreaterThan(0);
    expect(signals[0]).toMatch(/^leading>/);
    // Every confirmed change is one signal: no flip-flop within fewer than confirmPeriods points.
    const changes = quadrants.filter((q, k) => k > 0 && q !== quadrants[k - 1]).length;
    expect(signals.length).toBe(changes);
  });

  it('rotation alerts list and test read the publish config and store nothing', async () => {
    const dir = tempDir('alerts-cli-');
    const db = `${dir}/a.duckdb`;
    const s = await Store.open(db);
    await put(s, 'IWM', (i) => (i === DATES.length - 1 ? 130 : 100));
    s.close();
    const cfg = `${dir}/p.json`;
    const { writeFileSync } = await import('node:fs');
    writeFileSync(
      cfg,
      JSON.stringify({ alerts: [{ id: 'hi', kind: 'extreme', symbols: ['IWM'], lookback: 20 }] }),
    );
    const list = await runCli(['--db', db, 'alerts', 'list', '--publish-config', cfg, '--format', 'json']);
    expect(JSON.parse(list.out)).toMatchObject([{ id: 'hi', kind: 'extreme' }]);
    const test = await runCli([
      '--db',
      db,
      'alerts',
      'test',
      '--date',
      '2026-01-12',
      '--publish-config',
      cfg,
    ]);
    expect(test.code, test.err).toBe(0);
    expect(test.out).toContain('IWM closed at a new 20-session high on 2026-01-12');
    const history = await runCli(['--db', db, 'alerts', 'history', '--format', 'json']);
    expect(JSON.parse(history.out), 'test stores nothing').toEqual([]);
  });
});
