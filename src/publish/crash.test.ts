import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionsBetween } from '../core/calendar/calendar.js';
import { Store } from '../data/store/store.js';
import { seeded } from '../../test/support/seeded.js';
import { startSmtp, type TestSmtp } from '../../test/support/smtp.js';
import { tempDir } from '../../test/support/tmp.js';
import { AckJournal } from './ack-journal.js';
import { messageIdOf } from './mailer.js';
import { verifyWebhook } from './verify-webhook.js';

/**
 * The crash test of the daily run (docs/publish.md): RUNS trials, each on a fresh copy of one store holding 200
 * subscribers (50 with alerts) and 3 webhooks. In each trial the built CLI (dist/cli/bin.js) runs `rotation run
 * --daily` and is killed with SIGKILL at a seeded random point of an uninterrupted run's duration (measured first, on
 * its own copy); then one resumed run completes; then the trial checks that every recipient got each of its messages
 * exactly once by Message-ID / Idempotency-Key, and a second copy on the wire only of the one send the kill left in
 * doubt (docs/publish.md, "The window"). A trial whose run ended before its kill point is drawn again, so every one
 * of the RUNS runs is killed. ROTATION_CRASH_RUNS sets the count: 5 in the suite, 50 for the acceptance run
 * (`ROTATION_CRASH_RUNS=50 npx vitest run src/publish/crash.test.ts`, docs/publish.md).
 */
const RUNS = Number(process.env['ROTATION_CRASH_RUNS'] ?? 5);
// A trial is a killed run and a whole resumed run: 17 s on average at load 5 to 15, about 45 s at load 16.
const SEED = 14_2026;
const SESSION = '2026-01-12';
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'dist/cli/bin.js');
const SECRETS = ['hook-one-secret-0123456789', 'hook-two-secret-0123456789', 'hook-three-secret-012345'];
const EVENT = `${SESSION}:iwm-high:IWM`;

/** A webhook receiver on 127.0.0.1 that verifies each delivery; `reset` starts a trial (a new receiver's memory). */
type Receiver = {
  server: Server;
  url: string;
  deliveries: string[];
  verified: string[];
  rejected: number;
  reset: () => void;
};

async function startReceiver(secret: string): Promise<Receiver> {
  let seen = new Set<string>();
  const r: Receiver = {
    server: createServer(),
    url: '',
    deliveries: [],
    verified: [],
    rejected: 0,
    reset: () => {
      seen = new Set<string>();
      r.deliveries = [];
      r.verified = [];
      r.rejected = 0;
    },
  };
  r.server.on('request', (req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (c: string) => (body += c));
    req.on('end', () => {
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]),
      );
      const id = headers['idempotency-key'] ?? '';
      r.deliveries.push(id);
      const check = verifyWebhook({ secret, body, headers, nowSec: Math.floor(Date.now() / 1000), seen });
      if (check.ok) r.verified.push(check.eventId);
      else if (!seen.has(id)) r.rejected++;
      // A replay of an event already processed is acknowledged (the sender may stop) but not processed again.
      res.writeHead(check.ok || seen.has(id) ? 200 : 401).end();
    });
  });
  await new Promise<void>((resolve) => r.server.listen(0, '127.0.0.1', resolve));
  r.url = `http://127.0.0.1:${(r.server.address() as AddressInfo).port}/hook`;
  return r;
}

/** What one trial saw: the kill, the journal after it, and every copy that arrived until the resumed run ended. */
type Trial = {
  killAtMs: number;
  /** Outbox rows whose acceptance the journal held after the kill: the resumed run must not send them again. */
  journaled: Set<string>;
  /** Sends the kill left in doubt: an in-doubt line without the acceptance of the same attempt. */
  inDoubt: Set<string>;
  mails: { to: string; id: string }[];
  hookDeliveries: number[];
};

describe(`the daily run killed with SIGKILL at a random point, then resumed, ${RUNS} times`, () => {
  let dir: string;
  let smtp: TestSmtp;
  let hooks: Receiver[];
  let env: Record<string, string>;
  let pristine: string;
  let trialNo = 0;

  beforeAll(async () => {
    // dist/ is built by the suite's global set-up (test/support/global-build.ts) when it is missing or stale.
    if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run npm run build first`);
    dir = tempDir('crash-');
    smtp = await startSmtp();
    hooks = await Promise.all(SECRETS.map(startReceiver));
    pristine = join(dir, 'pristine.duckdb');
    const store = await Store.open(pristine);
    const dates = sessionsBetween('2025-01-02', SESSION);
    // IWM climbs to a new high on the session (the alert); QQQ wiggles.
    const bars = (f: (i: number) => number) =>
      dates.map((date, i) => ({
        date,
        open: null,
        high: null,
        low: null,
        close: f(i),
        adjClose: null,
        volume: null,
      }));
    await store.upsertBars(
      'IWM',
      bars((i) => 200 + i * 0.3 + Math.sin(i / 5)),
      'test',
    );
    await store.upsertBars(
      'QQQ',
      bars((i) => 400 + 20 * Math.sin(i / 9)),
      'test',
    );
    const state = store.publishState();
    for (let i = 0; i < 200; i++)
      await state.putSubscriber({
        address: `reader${i}@example.com`,
        status: 'active',
        cadence: 'daily',
        alerts: i < 50,
        createdMs: 0,
        confirmedMs: 0,
        unsubscribedMs: null,
      });
    store.close();
    if (existsSync(`${pristine}.wal`))
      throw new Error('the pristine store kept a WAL file: its copies would differ');
    env = {
      PATH: process.env['PATH'] ?? '',
      TZ: process.env['TZ'] ?? 'UTC',
      ROTATION_SECRET: 'crash-test-secret-0123456789',
      ROTATION_SMTP_HOST: '127.0.0.1',
      ROTATION_SMTP_PORT: String(smtp.port),
      ...Object.fromEntries(SECRETS.map((s, i) => [`HOOK_${i}_SECRET`, s])),
    };
  }, 400_000);
  afterAll(async () => {
    await smtp?.close();
    for (const h of hooks ?? []) h.server.close();
  });

  /** A fresh copy of the store, its own publish settings and archive: one trial's world. */
  function freshTrial(): { args: string[]; db: string } {
    const t = join(dir, `t${trialNo++}`);
    mkdirSync(t);
    const db = join(t, 'crash.duckdb');
    copyFileSync(pristine, db);
    const publishFile = join(t, 'rotation.publish.json');
    writeFileSync(
      publishFile,
      JSON.stringify({
        baseUrl: 'http://127.0.0.1:8080',
        archiveDir: join(t, 'briefs'),
        send: { ratePerSecond: 100, maxAttempts: 5, backoffMs: 0, maxWaitMs: 0 },
        webhooks: hooks.map((h, i) => ({ id: `hook-${i}`, url: h.url, secretEnv: `HOOK_${i}_SECRET` })),
        alerts: [{ id: 'iwm-high', kind: 'extreme', symbols: ['IWM'], lookback: 20 }],
      }),
    );
    const args = [
      BIN,
      '--db',
      db,
      'run',
      '--daily',
      '--date',
      SESSION,
      '--no-sync',
      '--publish-config',
      publishFile,
    ];
    return { args, db };
  }

  function spawnRun(args: string[]): {
    child: ChildProcess;
    done: Promise<number | null>;
    stderr: () => string;
  } {
    const child = spawn(process.execPath, args, { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d));
    const done = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return { child, done, stderr: () => err };
  }

  /** Waits until every mail the server accepted is parsed (the parse runs after the 250), at most 10 s. */
  async function mailsSettled(): Promise<void> {
    for (let i = 0; i < 1000 && smtp.messages.length < smtp.accepted() - acceptedBefore; i++)
      await new Promise((r) => setTimeout(r, 10));
  }

  let acceptedBefore = 0;
  function resetReceivers(): void {
    smtp.messages.length = 0;
    acceptedBefore = smtp.accepted();
    for (const h of hooks) h.reset();
  }

  it(
    'every run is killed; after its resumed run every recipient has each message once, a copy more only of the send left in doubt',
    async () => {
      const next = seeded(SEED);
      const started = performance.now();

      // The uninterrupted run's duration, on its own copy: the span the kill points are drawn from. It is also the
      // plain run's check: every message once, nothing left in doubt.
      const plain = freshTrial();
      resetReceivers();
      const t0 = performance.now();
      const run0 = spawnRun(plain.args);
      expect(await run0.done, run0.stderr()).toBe(0);
      const fullMs = performance.now() - t0;
      await mailsSettled();
      expect(smtp.messages.length, 'an uninterrupted run sends 250 mails').toBe(250);
      expect(
        hooks.map((h) => h.deliveries.length),
        'and one delivery per webhook',
      ).toEqual([1, 1, 1]);

      const trials: Trial[] = [];
      let redrawn = 0;
      while (trials.length < RUNS) {
        const { args, db } = freshTrial();
        await mailsSettled();
        resetReceivers();
        const killAtMs = next() * fullMs;
        const run = spawnRun(args);
        const ended = await Promise.race([
          run.done.then(() => true),
          new Promise<boolean>((r) => setTimeout(() => r(false), killAtMs)),
        ]);
        if (ended) {
          // The run finished before its kill point (a faster run than the measured one): draw this trial again.
          redrawn++;
          continue;
        }
        run.child.kill('SIGKILL');
        await run.done;
        const lines = new AckJournal(`${db}.outbox-acks`).read();
        const accepted = new Set(
          lines.filter((a) => a.state === 'accepted').map((a) => `${a.id}#${a.attempt}`),
        );
        const journaled = new Set(lines.filter((a) => a.state === 'accepted').map((a) => a.id));
        const inDoubt = new Set(
          lines
            .filter((a) => a.state === 'in-doubt' && !accepted.has(`${a.id}#${a.attempt}`))
            .map((a) => a.id),
        );
        const resumed = spawnRun(args);
        expect(
          await resumed.done,
          `trial ${trials.length}: the resumed run completes\n${resumed.stderr()}`,
        ).toBe(0);
        await mailsSettled();
        trials.push({
          killAtMs,
          journaled,
          inDoubt,
          mails: smtp.messages.map((m) => ({
            to: m.to && 'text' in m.to ? m.to.text : '',
            id: m.messageId ?? '',
          })),
          hookDeliveries: hooks.map((h) => h.deliveries.length),
        });
        // Webhooks: each receiver processed the one alert exactly once (the verifier drops a re-delivery as a replay).
        for (const h of hooks) {
          expect(h.verified, `trial ${trials.length - 1}: processed exactly once`).toEqual([EVENT]);
          expect(h.rejected, 'no delivery failed verification').toBe(0);
        }
      }
      const seconds = (performance.now() - started) / 1000;

      let copiesMore = 0;
      let leftInDoubt = 0;
      for (const [n, t] of trials.entries()) {
        const where = `trial ${n} (killed at ${Math.round(t.killAtMs)} ms of ${Math.round(fullMs)})`;
        expect(t.inDoubt.size, `${where}: at most one send in doubt per kill`).toBeLessThanOrEqual(1);
        leftInDoubt += t.inDoubt.size;
        const byRecipient = new Map<string, Map<string, number>>();
        for (const m of t.mails) {
          const copies = byRecipient.get(m.to) ?? new Map<string, number>();
          copies.set(m.id, (copies.get(m.id) ?? 0) + 1);
          byRecipient.set(m.to, copies);
        }
        for (let i = 0; i < 200; i++)
          expect(
            byRecipient.get(`reader${i}@example.com`)?.size,
            `${where}: reader${i} has the brief${i < 50 ? ' and the alert' : ''} (distinct Message-IDs: none lost)`,
          ).toBe(i < 50 ? 2 : 1);
        const doubtIds = new Set([...t.inDoubt].map((id) => messageIdOf(id)));
        const journaledIds = new Set([...t.journaled].map((id) => messageIdOf(id)));
        for (const [to, copies] of byRecipient)
          for (const [id, k] of copies) {
            if (k === 1) continue;
            copiesMore += k - 1;
            expect(
              journaledIds.has(id),
              `${where}: ${to} ${id} was re-sent although its acceptance was journaled`,
            ).toBe(false);
            expect(
              doubtIds.has(id) && k === 2,
              `${where}: ${to} ${id} x${k}: a copy more of a send not in doubt`,
            ).toBe(true);
          }
        for (const [i, d] of t.hookDeliveries.entries()) {
          const rowId = `${EVENT}:webhook:hook-${i}`;
          copiesMore += d - 1;
          expect(
            d === 1 || (d === 2 && t.inDoubt.has(rowId)),
            `${where}: hook-${i} got ${d} deliveries`,
          ).toBe(true);
        }
      }
      process.stderr.write(
        `crash test: ${RUNS} runs killed at random points of a ${Math.round(fullMs)} ms run (${redrawn} drawn again: ` +
          `finished first), each resumed to its end; ${leftInDoubt} sends left in doubt by a kill, ${copiesMore} copies ` +
          `more on the wire (each of a send in doubt), none lost, each webhook event processed once per trial, ` +
          `${seconds.toFixed(1)} s\n`,
      );
    },
    600_000 + RUNS * 180_000,
  );
});
