import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sessionsBetween } from '../core/calendar/calendar.js';
import type { PublishState } from '../data/store/publish-state.js';
import { Store } from '../data/store/store.js';
import { publishRoutes } from '../server/publish-routes.js';
import { runCli } from '../../test/support/run-cli.js';
import { startSmtp, type TestSmtp } from '../../test/support/smtp.js';
import { tempDir } from '../../test/support/tmp.js';
import { parsePublishConfig } from './config.js';
import { messageIdOf, smtpMailer, type Mailer } from './mailer.js';
import { csrfToken, signToken } from './tokens.js';
import { postWebhook } from './webhooks.js';

/**
 * Security review of the publish edges against issue 14's list, one test each: forms protected against cross-site
 * requests, subscribe throttled per address and per client, addresses validated, no open redirects, secrets only
 * from the environment and never logged. (Constant-time comparison: constant-time.test.ts.)
 */
const SECRET = 'security-test-secret-0123456789';
const BASE = 'https://desk.example.org';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
/** The bindings @hono/node-server gives a request: the client's address, as getConnInfo reads it. */
const from = (ip: string) => ({ incoming: { socket: { remoteAddress: ip, remotePort: 40_000 } } });

describe('the subscribe, confirm and unsubscribe pages', () => {
  let smtp: TestSmtp;
  let mailer: Mailer;
  let store: Store;
  let state: PublishState;
  let now: number;
  let app: ReturnType<typeof publishRoutes>;
  beforeAll(async () => {
    smtp = await startSmtp();
    mailer = smtpMailer({ host: '127.0.0.1', port: smtp.port, secure: false });
  });
  afterAll(async () => {
    await mailer.close();
    await smtp.close();
  });
  beforeEach(async () => {
    store = await Store.open(':memory:');
    state = store.publishState();
    now = Date.UTC(2026, 0, 12, 23);
    app = publishRoutes({
      withState: (fn) => fn(state),
      secret: SECRET,
      baseUrl: BASE,
      archiveDir: tempDir('security-'),
      now: () => now,
      throttle: { perAddress: 3, perClient: 5, windowMs: 3600_000 },
      sendMail: async (to, m) => {
        const r = await mailer.send({
          from: 'Desk <desk@rotation-desk.invalid>',
          to,
          ...m,
          messageId: messageIdOf(`confirm:${to}:${now}`),
          headers: {},
          attachments: [],
        });
        if (!r.ok) throw new Error(r.reason);
      },
    });
  });
  afterEach(() => store.close());

  const subscribe = (
    fields: Record<string, string>,
    headers: Record<string, string> = {},
    ip = '192.0.2.1',
  ) =>
    app.request(
      '/subscribe',
      { method: 'POST', headers: { ...FORM, ...headers }, body: form(fields) },
      from(ip),
    );

  it('refuses a form posted from another site (Origin, Referer, Sec-Fetch-Site) or without a valid CSRF token', async () => {
    const csrf = csrfToken(SECRET, now);
    const fields = { email: 'reader@example.com', csrf };
    const refused = [
      await subscribe(fields, { origin: 'https://evil.example' }),
      await subscribe(fields, { referer: 'https://evil.example/page' }),
      await subscribe(fields, { origin: BASE, 'sec-fetch-site': 'cross-site' }),
      await subscribe({ email: 'reader@example.com' }, { origin: BASE }),
      await subscribe({ ...fields, csrf: csrfToken('another-secret-0123456789', now) }, { origin: BASE }),
      await subscribe({ ...fields, csrf: csrfToken(SECRET, now - 2 * 3600_000) }, { origin: BASE }),
    ];
    expect(refused.map((r) => r.status)).toEqual([403, 403, 403, 403, 403, 403]);
    expect(await state.subscribers(), 'nothing stored').toEqual([]);
    // The confirm form too: a valid token posted from another site confirms nothing.
    await subscribe(fields, { origin: BASE });
    const token = signToken(SECRET, 'confirm', 'reader@example.com', now);
    const confirm = await app.request('/confirm', {
      method: 'POST',
      headers: { ...FORM, origin: 'https://evil.example' },
      body: form({ token, csrf }),
    });
    expect(confirm.status).toBe(403);
    expect((await state.subscriber('reader@example.com'))?.status).toBe('pending');
    const ok = await app.request('/confirm', {
      method: 'POST',
      headers: { ...FORM, origin: BASE },
      body: form({ token, csrf }),
    });
    expect(ok.status).toBe(200);
    expect((await state.subscriber('reader@example.com'))?.status).toBe('active');
  });

  it('throttles per address (3 an hour, from any client) and per client (5 an hour, any address)', async () => {
    const csrf = csrfToken(SECRET, now);
    const codes: number[] = [];
    for (let i = 0; i < 5; i++)
      codes.push(
        (await subscribe({ email: 'flood@example.com', csrf }, { origin: BASE }, `198.51.100.${i}`)).status,
      );
    expect(codes, 'one address from five clients').toEqual([200, 200, 200, 429, 429]);
    const perClient: number[] = [];
    for (let i = 0; i < 7; i++)
      perClient.push(
        (await subscribe({ email: `r${i}@example.com`, csrf }, { origin: BASE }, '203.0.113.9')).status,
      );
    expect(perClient, 'seven addresses from one client').toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect(
      (await subscribe({ email: 'other@example.com', csrf }, { origin: BASE }, '203.0.113.10')).status,
      'another client is not held back',
    ).toBe(200);
    now += 3600_000;
    const fresh = csrfToken(SECRET, now);
    expect(
      (await subscribe({ email: 'flood@example.com', csrf: fresh }, { origin: BASE })).status,
      'an hour later',
    ).toBe(200);
  });

  it('validates addresses: header injection, spaces, quotes and missing domains are refused and nothing is sent', async () => {
    const csrf = csrfToken(SECRET, now);
    const before = smtp.accepted();
    for (const bad of [
      'reader@example.com\r\nBcc: victim@example.net',
      'reader@example.com,victim@example.net',
      '"quoted"@example.com',
      'reader @example.com',
      'reader@localhost',
      '<reader@example.com>',
      `${'a'.repeat(250)}@example.com`,
    ])
      expect((await subscribe({ email: bad, csrf }, { origin: BASE })).status, JSON.stringify(bad)).toBe(400);
    expect(await state.subscribers()).toEqual([]);
    expect(smtp.accepted(), 'no confirmation mail').toBe(before);
  });

  it('never redirects: no answer is a 3xx or carries a Location, whatever the query asks', async () => {
    const token = signToken(SECRET, 'unsubscribe', 'reader@example.com', now);
    const evil = encodeURIComponent('https://evil.example/');
    const answers = [
      await app.request(`/subscribe?next=${evil}&redirect=${evil}`),
      await app.request(`/confirm?token=${encodeURIComponent(token)}&next=${evil}`),
      await app.request(`/unsubscribe?token=${encodeURIComponent(token)}&return_to=${evil}`),
      await app.request(`/unsubscribe?token=${encodeURIComponent(token)}&next=${evil}`, {
        method: 'POST',
        headers: FORM,
        body: 'List-Unsubscribe=One-Click',
      }),
      await subscribe(
        { email: 'reader@example.com', csrf: csrfToken(SECRET, now), next: 'https://evil.example/' },
        { origin: BASE },
      ),
      await app.request(`/briefs/2026-01-12?next=${evil}`),
      await app.request(`//evil.example/`),
    ];
    for (const r of answers) {
      expect(r.status < 300 || r.status >= 400, `status ${r.status}`).toBe(true);
      expect(r.headers.get('location')).toBeNull();
    }
  });
});

describe('the webhook sender', () => {
  let target: Server;
  let elsewhere: Server;
  let hits = 0;
  beforeAll(async () => {
    elsewhere = createServer((_req, res) => {
      hits++;
      res.end('ok');
    });
    await new Promise<void>((r) => elsewhere.listen(0, '127.0.0.1', r));
    const other = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}/`;
    target = createServer((_req, res) => res.writeHead(302, { location: other }).end());
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
  });
  afterAll(() => {
    target.close();
    elsewhere.close();
  });
  it('does not follow a redirect: the signed event goes to the configured URL only', async () => {
    const url = `http://127.0.0.1:${(target.address() as AddressInfo).port}/hook`;
    const r = await postWebhook({ id: 'x', url, secret: 'hook-secret-0123456789' }, 'e1', '{}', 1);
    expect(r).toEqual({ ok: false, permanent: false, reason: 'HTTP 302' });
    expect(hits, 'the redirect target got nothing').toBe(0);
  });
});

describe('secrets', () => {
  it('come only from the environment: a secret written in the publish config is an unknown key', () => {
    expect(() =>
      parsePublishConfig({
        webhooks: [{ id: 'ops', url: 'https://h.example/x', secretEnv: 'OPS_SECRET', secret: 'inline' }],
      }),
    ).toThrow(/unknown key secret/);
  });

  describe('never logged', () => {
    const PASS = 'smtp-password-do-not-print-4711';
    const SIGNING = 'rotation-signing-secret-do-not-print';
    const HOOK = 'webhook-secret-do-not-print-0815';
    let smtp: SMTPServer;
    let hook: Server;
    let port = 0;
    const passwordsSeen: string[] = [];
    const saved: Record<string, string | undefined> = {};
    const env = (k: string, v: string) => {
      saved[k] = process.env[k];
      process.env[k] = v;
    };
    beforeAll(async () => {
      // An SMTP server that refuses the credentials (535) and a webhook that fails (500): the run's errors must
      // quote the servers' replies and nothing of the secrets.
      smtp = new SMTPServer({
        authMethods: ['PLAIN', 'LOGIN'],
        allowInsecureAuth: true,
        disabledCommands: ['STARTTLS'],
        logger: false,
        onAuth(auth, _session, cb) {
          passwordsSeen.push(auth.password ?? '');
          cb(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
        },
      });
      await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
      port = (smtp.server.address() as AddressInfo).port;
      hook = createServer((_req, res) => res.writeHead(500).end('receiver down'));
      await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    });
    afterAll(async () => {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      hook.close();
      await new Promise<void>((r) => smtp.close(() => r()));
    });

    it('by a daily run whose SMTP login and webhook fail: not on stdout or stderr, not in the store', async () => {
      const dir = tempDir('secrets-');
      const db = join(dir, 's.duckdb');
      const store = await Store.open(db);
      const dates = sessionsBetween('2025-10-01', '2026-01-12');
      await store.upsertBars(
        'IWM',
        dates.map((date, i) => ({
          date,
          open: null,
          high: null,
          low: null,
          close: date === '2026-01-12' ? 300 : 200 + Math.sin(i),
          adjClose: null,
          volume: null,
        })),
        'test',
      );
      await store.publishState().putSubscriber({
        address: 'reader@example.com',
        status: 'active',
        cadence: 'daily',
        alerts: true,
        createdMs: 0,
        confirmedMs: 0,
        unsubscribedMs: null,
      });
      store.close();
      const publishFile = join(dir, 'rotation.publish.json');
      writeFileSync(
        publishFile,
        JSON.stringify({
          archiveDir: join(dir, 'briefs'),
          send: { ratePerSecond: 100, maxAttempts: 2, backoffMs: 0, maxWaitMs: 0 },
          webhooks: [
            {
              id: 'ops',
              url: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/`,
              secretEnv: 'OPS_HOOK_SECRET',
            },
          ],
          alerts: [{ id: 'hi', kind: 'extreme', symbols: ['IWM'], lookback: 20 }],
        }),
      );
      env('ROTATION_SECRET', SIGNING);
      env('ROTATION_SMTP_HOST', '127.0.0.1');
      env('ROTATION_SMTP_PORT', String(port));
      env('ROTATION_SMTP_USER', 'desk');
      env('ROTATION_SMTP_PASS', PASS);
      env('OPS_HOOK_SECRET', HOOK);
      const args = [
        '--db',
        db,
        'run',
        '--daily',
        '--date',
        '2026-01-12',
        '--no-sync',
        '--publish-config',
        publishFile,
      ];
      const first = await runCli(args);
      const second = await runCli(args);
      expect(first.err, 'both deliveries failed for good').toMatch(
        /alerts: done: 1 alerts: 0 alert deliveries sent, 2 failed/,
      );
      expect(passwordsSeen, 'the password was really sent to the server').toContain(PASS);
      const check = await Store.open(db);
      const state = check.publishState();
      const rows = await state.outbox('2026-01-12');
      const logs = await Promise.all(rows.map((r) => state.deliveryLog(r.id)));
      const steps = await state.steps('2026-01-12');
      check.close();
      expect(
        rows.some((r) => r.lastError?.includes('535')),
        JSON.stringify(rows),
      ).toBe(true);
      expect(rows.some((r) => r.lastError === 'HTTP 500')).toBe(true);
      const everything = [
        first.out,
        first.err,
        second.out,
        second.err,
        JSON.stringify(rows),
        JSON.stringify(logs),
        JSON.stringify(steps),
      ].join('\n');
      for (const secret of [PASS, SIGNING, HOOK]) expect(everything.includes(secret), secret).toBe(false);
    }, 120_000);
  });
});
