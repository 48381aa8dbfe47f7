import { describe, expect, it } from 'vitest';
import { Store } from '../data/store/store.js';
import { runCli } from '../../test/support/run-cli.js';
import { tempDir } from '../../test/support/tmp.js';
import { messageIdOf } from './mailer.js';

/**
 * `rotation alerts history` shows a send a killed run left in doubt as `in-doubt` while it waits, and as `re-sent`
 * (not plain `sent`) once the next run's copy, with the same Message-ID or Idempotency-Key, was accepted.
 */
const SESSION = '2026-01-12';
const EVENT = `${SESSION}:hi:IWM`;

describe('in-doubt deliveries in the alert history', () => {
  it('tells in-doubt and re-sent apart from sent, with the key a receiver dedupes by', async () => {
    const db = `${tempDir('in-doubt-view-')}/a.duckdb`;
    const store = await Store.open(db);
    try {
      const state = store.publishState();
      await state.addAlertEvent({
        id: EVENT,
        rule: 'hi',
        session: SESSION,
        title: 'IWM at a 20-session high',
        payload: '{}',
        createdMs: 1,
      });
      const row = (id: string, channel: 'email' | 'webhook', recipient: string) => ({
        id,
        session: SESSION,
        kind: 'alert',
        channel,
        recipient,
        edition: `alert:${EVENT}`,
        nextAttemptMs: 0,
        createdMs: 1,
      });
      await state.enqueue([
        row('m-resent', 'email', 'a@example.com'),
        row('m-sent', 'email', 'b@example.com'),
        row('w-doubt', 'webhook', 'https://hooks.example.com/x'),
      ]);
      // A killed run: two sends were on the wire without an answer read; one other was accepted.
      const found = await state.applyJournal([
        { id: 'm-resent', attempt: 1, detail: 'before the end of data', atMs: 5, state: 'in-doubt' },
        { id: 'w-doubt', attempt: 1, detail: 'before the request', atMs: 5, state: 'in-doubt' },
        { id: 'm-sent', attempt: 1, detail: 'before the end of data', atMs: 5, state: 'in-doubt' },
        { id: 'm-sent', attempt: 1, detail: '250 ok', atMs: 6, state: 'accepted' },
      ]);
      expect(found.inDoubt.sort()).toEqual(['m-resent', 'w-doubt']);
      // The next run re-sent one of them (same Message-ID) and it was accepted.
      await state.markSent('m-resent', 2, '250 ok', 9);
    } finally {
      store.close();
    }

    const json = await runCli(['--db', db, 'alerts', 'history', '--format', 'json']);
    expect(json.code, json.err).toBe(0);
    const [event] = JSON.parse(json.out) as {
      sent: number;
      reSent: number;
      inDoubt: number;
      pending: number;
      deliveries: { recipient: string; state: string; key: string; attempts: number }[];
    }[];
    expect(event).toMatchObject({ sent: 1, reSent: 1, inDoubt: 1, pending: 0 });
    const by = new Map(event?.deliveries.map((d) => [d.recipient, d]));
    expect(by.get('a@example.com')).toMatchObject({
      state: 're-sent',
      attempts: 2,
      key: messageIdOf('m-resent'),
    });
    expect(by.get('b@example.com')).toMatchObject({ state: 'sent', attempts: 1, key: messageIdOf('m-sent') });
    expect(by.get('https://hooks.example.com/x')).toMatchObject({ state: 'in-doubt', key: EVENT });

    const table = await runCli(['--db', db, 'alerts', 'history']);
    expect(table.code, table.err).toBe(0);
    expect(table.out).toMatch(/sent\s+re-sent\s+in-doubt\s+pending\s+failed/);
  });
});
