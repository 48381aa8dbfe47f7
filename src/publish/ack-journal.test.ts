import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../data/store/store.js';
import type { PublishState } from '../data/store/publish-state.js';
import { InputError } from '../shared/errors.js';
import { pgMissing, usePostgres } from '../../test/support/pg.js';
import { startSmtp, type TestSmtp } from '../../test/support/smtp.js';
import { tempDir } from '../../test/support/tmp.js';
import { AckJournal, ackJournalPath, replayAcks } from './ack-journal.js';
import { smtpMailer, type Mailer } from './mailer.js';
import { sendDue, type SendContext } from './outbox.js';

/** The outbox's acknowledgement journal (docs/publish.md, "The window"): replay, a torn last line, idempotence. */
const pg = pgMissing ? null : usePostgres();
const SESSION = '2026-01-12';

async function queue(state: PublishState, ids: string[]): Promise<void> {
  await state.enqueue(
    ids.map((id) => ({
      id,
      session: SESSION,
      kind: 'brief-daily',
      channel: 'email' as const,
      recipient: `${id}@example.com`,
      edition: 'e1',
      nextAttemptMs: 0,
      createdMs: 1,
    })),
  );
}

const line = (id: string, attempt: number, state: 'accepted' | 'in-doubt' = 'accepted') =>
  `${JSON.stringify({ id, attempt, detail: state === 'accepted' ? '250 ok: queued' : 'before the end of data', atMs: 7, state })}\n`;

async function replayScenario(store: Store) {
  const state = store.publishState();
  await queue(state, ['k1', 'k2', 'k3']);
  const journal = new AckJournal(join(tempDir('acks-'), 'store.outbox-acks'));
  await queue(state, ['k4']);
  // k1 (a line of the journal's first format, without a state) and k2 were accepted; k4 was on the wire when the
  // process died (in doubt, no acceptance); it died in the middle of writing k3's line.
  const old = `${JSON.stringify({ id: 'k1', attempt: 1, detail: '250 ok: queued', atMs: 7 })}\n`;
  const lines = `${line('k1', 1, 'in-doubt')}${old}${line('k2', 1, 'in-doubt')}${line('k2', 1)}${line('k4', 1, 'in-doubt')}`;
  writeFileSync(journal.path, `${lines}{"id":"k3","atte`);
  const first = await replayAcks(journal, state);
  const emptied = readFileSync(journal.path, 'utf8');
  // Killed after the replay's commit and before the file was emptied: the same lines are replayed again.
  writeFileSync(journal.path, lines);
  const second = await replayAcks(journal, state);
  const rows = (await state.outbox(SESSION)).map((r) => [r.id, r.status, r.attempts, r.sentMs]);
  const log = await state.deliveryLog('k1');
  const doubt = await state.deliveryLog('k4');
  const due = (await state.due(8)).map((r) => r.id);
  return { first, emptied, second, rows, log, doubt, due };
}

function checkScenario(r: Awaited<ReturnType<typeof replayScenario>>) {
  expect(r.first, 'k1 and k2 marked, k4 in doubt; the torn line of k3 ignored').toEqual({
    marked: 2,
    inDoubt: ['k4'],
  });
  expect(r.emptied, 'emptied after the commit').toBe('');
  expect(r.second, 'a second replay changes nothing').toEqual({ marked: 0, inDoubt: [] });
  expect(r.rows).toEqual([
    ['k1', 'sent', 1, 7],
    ['k2', 'sent', 1, 7],
    ['k3', 'pending', 0, null],
    ['k4', 'pending', 1, null],
  ]);
  expect(r.log, 'an acceptance after its in-doubt line is a plain send').toEqual([
    { attempt: 1, outcome: 'sent', detail: '250 ok: queued' },
  ]);
  expect(r.doubt.map((l) => [l.attempt, l.outcome])).toEqual([[1, 'in-doubt']]);
  expect(r.due, 'the in-doubt row is due again at once, k3 never left').toEqual(['k3', 'k4']);
}

describe('the acknowledgement journal', () => {
  it('reads its lines, ignores a half-written last line and names file:line of a bad one', () => {
    const journal = new AckJournal(join(tempDir('acks-'), 'j'));
    expect(journal.read(), 'no file: nothing to replay').toEqual([]);
    journal.append({ id: 'a', attempt: 2, detail: 'HTTP 200', atMs: 5, state: 'accepted' });
    journal.append({ id: 'b\nc', attempt: 1, detail: 'before', atMs: 6, state: 'in-doubt' });
    journal.close();
    appendFileSync(journal.path, '{"id":"half');
    expect(journal.read()).toEqual([
      { id: 'a', attempt: 2, detail: 'HTTP 200', atMs: 5, state: 'accepted' },
      { id: 'b\nc', attempt: 1, detail: 'before', atMs: 6, state: 'in-doubt' },
    ]);
    writeFileSync(journal.path, `${line('a', 1)}{"id":"b"}\n${line('c', 1)}`);
    let caught: unknown = null;
    try {
      journal.read();
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(InputError);
    expect((caught as InputError).describe()).toBe(
      `${journal.path}:2: is not an outbox journal line ({"id","attempt","detail","atMs","state"})`,
    );
  });

  it('lives beside a DuckDB file, in the state folder for PostgreSQL (one per database), nowhere in memory', () => {
    expect(ackJournalPath({ engine: 'duckdb', location: '/d/r.duckdb' }, '/briefs')).toBe(
      '/d/r.duckdb.outbox-acks',
    );
    expect(ackJournalPath({ engine: 'duckdb', location: ':memory:' }, '/briefs')).toBeNull();
    const a = ackJournalPath({ engine: 'postgres', location: 'postgres://h/a' }, '/briefs');
    const b = ackJournalPath({ engine: 'postgres', location: 'postgres://h/b' }, '/briefs');
    expect(a).toMatch(/^\/briefs\/outbox-acks-[0-9a-f]{12}$/);
    expect(a).not.toBe(b);
  });

  it('replays into DuckDB: marks the rows, empties the file after the commit, and a second replay changes nothing', async () => {
    const store = await openStore(':memory:');
    try {
      checkScenario(await replayScenario(store));
    } finally {
      store.close();
    }
  });

  if (!pg) it.skip(`replays into PostgreSQL: skipped: ${pgMissing}`, () => {});
  else
    it('replays into PostgreSQL the same way', async () => {
      const store = await openStore(await pg.newDatabase());
      try {
        checkScenario(await replayScenario(store));
      } finally {
        store.close();
      }
    });
});

describe('the outbox with its journal over a real SMTP server', () => {
  let smtp: TestSmtp;
  let mailer: Mailer;
  beforeAll(async () => {
    smtp = await startSmtp();
    mailer = smtpMailer({ host: '127.0.0.1', port: smtp.port, secure: false });
  });
  afterAll(async () => {
    await mailer.close();
    await smtp.close();
  });

  it('a run that dies after the 250 and before the mark does not send again: the next pass replays the journal', async () => {
    const dir = tempDir('acks-smtp-');
    const store = await openStore(join(dir, 'r.duckdb'));
    try {
      const state = store.publishState();
      await state.putSubscriber({
        address: 'k1@example.com',
        status: 'active',
        cadence: 'daily',
        alerts: false,
        createdMs: 0,
        confirmedMs: 0,
        unsubscribedMs: null,
      });
      await state.putEditionOnce({
        id: 'e1',
        session: SESSION,
        kind: 'brief-daily',
        subject: 'S',
        html: '<p>%%UNSUBSCRIBE_URL%%</p>',
        text: 't',
        attachments: '[]',
        body: '',
        createdMs: 0,
      });
      await queue(state, ['k1']);
      const path = ackJournalPath(store, dir) as string;
      const base = {
        mailer,
        webhooks: [],
        policy: { ratePerSecond: 1000, maxAttempts: 3, backoffMs: 0, maxWaitMs: 0 },
        from: 'd@rotation-desk.invalid',
        baseUrl: 'http://127.0.0.1:8080',
        secret: 'unit-test-secret-0123456789',
        now: () => 1_000,
        sleep: async () => {},
      };
      // The store's mark never commits (the process "dies" there); the journal line is already written.
      const dying = new Proxy(state, {
        get(target, key, receiver) {
          if (key === 'markSent') return () => Promise.reject(new Error('killed before the mark'));
          const v: unknown = Reflect.get(target, key, receiver);
          return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
        },
      });
      const first = new AckJournal(path);
      await expect(sendDue({ ...base, state: dying, acks: first } as SendContext)).rejects.toThrow(
        'killed before the mark',
      );
      first.close();
      expect(smtp.accepted()).toBe(1);
      expect((await state.outbox(SESSION))[0]?.status, 'not marked in the store').toBe('pending');
      expect(new AckJournal(path).read().map((a) => [a.id, a.attempt, a.state])).toEqual([
        ['k1', 1, 'in-doubt'],
        ['k1', 1, 'accepted'],
      ]);
      const second = new AckJournal(path);
      expect(await sendDue({ ...base, state, acks: second })).toEqual({
        sent: 0,
        failed: 0,
        waiting: 0,
        inDoubt: 0,
      });
      second.close();
      expect(smtp.accepted(), 'no second mail').toBe(1);
      const [row] = await state.outbox(SESSION);
      expect([row?.status, row?.attempts]).toEqual(['sent', 1]);
      expect((await state.deliveryLog('k1'))[0]?.detail).toMatch(/^250/);
      expect(readFileSync(path, 'utf8')).toBe('');
    } finally {
      store.close();
    }
  });
});
