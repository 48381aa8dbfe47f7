import { describe, expect, it } from 'vitest';
import { pgMissing, usePostgres } from '../../../test/support/pg.js';
import { openStore, type Store } from './store.js';

/**
 * The publish layer's state on both engines: the same calls give the same rows, an enqueue is all or nothing,
 * and a transaction's statements stay on the transaction's connection (issue 15: subscribers, outbox and alert
 * state live in PostgreSQL when the store is PostgreSQL).
 */
const pg = pgMissing ? null : usePostgres();

async function exercise(store: Store) {
  const state = store.publishState();
  await state.putSubscriber({
    address: 'a@example.org',
    status: 'active',
    cadence: 'daily',
    alerts: true,
    createdMs: 1,
    confirmedMs: 2,
    unsubscribedMs: null,
  });
  await state.recordStep({
    session: '2026-01-12',
    step: 'brief',
    status: 'done',
    message: null,
    finishedMs: 3,
  });
  const row = (id: string, recipient: string) => ({
    id,
    session: '2026-01-12',
    kind: 'brief',
    channel: 'email' as const,
    recipient,
    edition: 'e1',
    nextAttemptMs: 0,
    createdMs: 4,
  });
  const added = await state.enqueue([row('k1', 'a@example.org'), row('k2', 'b@example.org')]);
  const again = await state.enqueue([row('k1', 'a@example.org'), row('k3', 'c@example.org')]);
  await state.markSent('k1', 1, '250 ok', 5);
  // A failing transaction leaves nothing: the subscriber written inside it is rolled back.
  await expect(
    state.transaction(async () => {
      await state.putAlertState('rrg', 'XLK', 'leading', '2026-01-12');
      throw new Error('boom');
    }),
  ).rejects.toThrow('boom');
  const alertStateBefore = [...(await state.alertState('rrg')).entries()];
  // Every concept of the split (runs, subscribers, outbox) through the same calls on both engines.
  await state.putArchive({
    session: '2026-01-12',
    asOf: '2026-01-12',
    headline: 'h',
    summary: 's',
    htmlPath: '/b.html',
    createdMs: 6,
  });
  const edition = {
    id: 'e1',
    session: '2026-01-12',
    kind: 'brief-daily',
    subject: 'first',
    html: '<p>x</p>',
    text: 'x',
    attachments: '[]',
    body: '',
    createdMs: 7,
  };
  await state.putEditionOnce(edition);
  await state.putEditionOnce({ ...edition, subject: 'second' });
  await state.markAttemptFailed('k2', 1, '451 later', 100, false, 8);
  await state.markAttemptFailed('k3', 1, '550 gone', 0, true, 8);
  await state.putAlertState('rrg', 'XLK', 'leading', '2026-01-12');
  const event = { id: 'ev1', rule: 'rrg', session: '2026-01-12', title: 't', payload: '{}', createdMs: 9 };
  const eventAdded = [await state.addAlertEvent(event), await state.addAlertEvent(event)];
  await state.putSubscriber({
    address: 'b@example.org',
    status: 'pending',
    cadence: 'weekly',
    alerts: false,
    createdMs: 1,
    confirmedMs: null,
    unsubscribedMs: null,
  });
  const removed = [
    await state.removeSubscriber('b@example.org'),
    await state.removeSubscriber('b@example.org'),
  ];
  return {
    alertStateBefore,
    archive: await state.archive(5),
    editionSubject: (await state.edition('e1'))?.subject,
    dueAt50: (await state.due(50, '2026-01-12')).map((r) => r.id),
    dueAt100: (await state.due(100)).map((r) => r.id),
    log: [await state.deliveryLog('k1'), await state.deliveryLog('k2'), await state.deliveryLog('k3')],
    alertStateAfter: [...(await state.alertState('rrg')).entries()],
    eventAdded,
    events: await state.alertEvents({ session: '2026-01-12', limit: 5 }),
    removed,
    everyone: (await state.subscribers()).map((s) => [s.address, s.status, s.alerts]),
    added,
    again,
    subscribers: await state.subscribers('active'),
    steps: await state.steps('2026-01-12'),
    outbox: (await state.outbox('2026-01-12')).map((r) => [r.id, r.status, r.attempts]),
    alertState: [...(await state.alertState('rrg')).entries()],
  };
}

describe('publish state on DuckDB', () => {
  it('stores subscribers, steps and the outbox; enqueue skips queued keys; a failed transaction writes nothing', async () => {
    const store = await openStore(':memory:');
    try {
      const r = await exercise(store);
      expect(r.added).toBe(2);
      expect(r.again).toBe(1);
      expect(r.outbox).toEqual([
        ['k1', 'sent', 1],
        ['k2', 'pending', 1],
        ['k3', 'failed', 1],
      ]);
      expect(r.alertStateBefore, 'the failed transaction left no state').toEqual([]);
      expect(r.subscribers.map((s) => s.address)).toEqual(['a@example.org']);
      expect(r.archive.map((e) => e.headline)).toEqual(['h']);
      expect(r.editionSubject, 'an edition, once written, stays').toBe('first');
      expect(r.dueAt50, 'k2 waits for its retry at 100').toEqual([]);
      expect(r.dueAt100).toEqual(['k2']);
      expect(r.log.map((l) => l.map((x) => x.outcome))).toEqual([['sent'], ['retry'], ['failed']]);
      expect(r.alertStateAfter).toEqual([['XLK', { value: 'leading', session: '2026-01-12' }]]);
      expect(r.eventAdded).toEqual([true, false]);
      expect(r.events.map((e) => e.id)).toEqual(['ev1']);
      expect(r.removed).toEqual([true, false]);
      expect(r.everyone).toEqual([['a@example.org', 'active', true]]);
    } finally {
      store.close();
    }
  });
});

if (!pg)
  describe('publish state on PostgreSQL', () => {
    it.skip(`skipped: ${pgMissing}`, () => {});
  });
else
  describe('publish state on PostgreSQL', () => {
    it('gives the same rows as DuckDB', async () => {
      const duck = await openStore(':memory:');
      const pgStore = await openStore(await pg.newDatabase());
      try {
        expect(await exercise(pgStore)).toEqual(await exercise(duck));
      } finally {
        duck.close();
        pgStore.close();
      }
    });
  });
