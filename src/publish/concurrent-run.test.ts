import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionsBetween } from '../core/calendar/calendar.js';
import { Store } from '../data/store/store.js';
import { startSmtp, type TestSmtp } from '../../test/support/smtp.js';
import { tempDir } from '../../test/support/tmp.js';

/**
 * Two `rotation run --daily` for the same session started at once (two processes of the built CLI, dist/cli/bin.js;
 * `npm run build` first), a real SMTP server (smtp-server) and one webhook receiver on 127.0.0.1, 20 subscribers:
 * the store's run lock lets one run send while the other waits, and the second finds every step done.
 */
const SESSION = '2026-01-12';
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'dist/cli/bin.js');
const SUBSCRIBERS = 20;
const WITH_ALERTS = 5;

describe('two daily runs for the same session at once', () => {
  let smtp: TestSmtp;
  let hook: Server;
  const deliveries: string[] = [];
  let env: Record<string, string>;
  let args: string[];

  beforeAll(async () => {
    if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run npm run build first`);
    const dir = tempDir('concurrent-run-');
    smtp = await startSmtp();
    hook = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        deliveries.push(String(req.headers['idempotency-key'] ?? ''));
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    const db = join(dir, 'c.duckdb');
    const store = await Store.open(db);
    const dates = sessionsBetween('2025-01-02', SESSION);
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
    // IWM climbs to a new high on the session (the alert); QQQ wiggles.
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
    for (let i = 0; i < SUBSCRIBERS; i++)
      await state.putSubscriber({
        address: `reader${i}@example.com`,
        status: 'active',
        cadence: 'daily',
        alerts: i < WITH_ALERTS,
        createdMs: 0,
        confirmedMs: 0,
        unsubscribedMs: null,
      });
    store.close();
    const publishFile = join(dir, 'rotation.publish.json');
    writeFileSync(
      publishFile,
      JSON.stringify({
        baseUrl: 'http://127.0.0.1:8080',
        archiveDir: join(dir, 'briefs'),
        send: { ratePerSecond: 40, maxAttempts: 3, backoffMs: 0, maxWaitMs: 0 },
        webhooks: [
          {
            id: 'hook-0',
            url: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`,
            secretEnv: 'HOOK_SECRET',
          },
        ],
        alerts: [{ id: 'iwm-high', kind: 'extreme', symbols: ['IWM'], lookback: 20 }],
      }),
    );
    env = {
      PATH: process.env['PATH'] ?? '',
      TZ: process.env['TZ'] ?? 'UTC',
      ROTATION_SECRET: 'concurrent-test-secret-0123456789',
      ROTATION_SMTP_HOST: '127.0.0.1',
      ROTATION_SMTP_PORT: String(smtp.port),
      HOOK_SECRET: 'concurrent-hook-secret-01234',
    };
    args = [
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
  }, 120_000);
  afterAll(async () => {
    await smtp?.close();
    hook?.close();
  });

  const run = () =>
    new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
      child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
      child.once('exit', (code) => resolve({ code, out, err }));
    });

  it('sends each recipient the brief once and the webhook the alert once; the other run finds the work done', async () => {
    const [a, b] = await Promise.all([run(), run()]);
    expect(a.code, a.err).toBe(0);
    expect(b.code, b.err).toBe(0);
    await new Promise((r) => setTimeout(r, 200));
    const copies = new Map<string, number>();
    for (const m of smtp.messages) {
      const key = `${m.to && 'text' in m.to ? m.to.text : ''} ${m.subject ?? ''} ${m.messageId ?? ''}`;
      copies.set(key, (copies.get(key) ?? 0) + 1);
    }
    expect(
      [...copies.values()].filter((n) => n > 1),
      'no message twice',
    ).toEqual([]);
    expect(smtp.messages.length, 'the brief to each subscriber, the alert to those who asked').toBe(
      SUBSCRIBERS + WITH_ALERTS,
    );
    const recipients = new Set(smtp.messages.map((m) => (m.to && 'text' in m.to ? m.to.text : '')));
    expect(recipients.size).toBe(SUBSCRIBERS);
    expect(deliveries).toEqual([`${SESSION}:iwm-high:IWM`]);
    // One of the two ran the steps; the other waited for the lock and found each step done by it.
    const second = [a, b].filter((r) => `${r.out}${r.err}`.includes('(earlier run)'));
    expect(second.length, `${a.out}${a.err}\n---\n${b.out}${b.err}`).toBe(1);
  }, 300_000);
});
