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
  return {
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
        ['k2', 'pending', 0],
        ['k3', 'pending', 0],
      ]);
      expect(r.alertState).toEqual([]);
      expect(r.subscribers.map((s) => s.address)).toEqual(['a@example.org']);
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
