import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../data/store/store.js';
import type { TradingDate } from '../shared/brand.js';
import { UsageError } from '../shared/errors.js';
import { runCli } from '../../test/support/run-cli.js';
import { startSmtp, type TestSmtp } from '../../test/support/smtp.js';
import { tempDir } from '../../test/support/tmp.js';
import { parsePublishConfig } from './config.js';
import { renderAtom, renderRss } from './feeds.js';
import { smtpMailer, smtpSettingsFrom, type Mailer } from './mailer.js';
import { sendDue, type SendContext } from './outbox.js';
import { checkRunnableSession, isLastSessionOfWeek, nextScheduledRun } from './session.js';
import { csrfToken, parseAddress, signToken, verifyCsrf, verifyToken } from './tokens.js';
import { verifyWebhook } from './verify-webhook.js';
import { signDelivery } from './webhooks.js';

const SECRET = 'unit-test-secret-0123456789';
const ny = (date: string, hhmm: string, offset: number) => Date.parse(`${date}T${hhmm}:00-0${offset}:00`); // New York is UTC-5 in winter, UTC-4 in summer

describe('signed tokens', () => {
  const t0 = Date.UTC(2026, 0, 12);
  it('verifies its own token and refuses a tampered, expired or misused one', () => {
    const tok = signToken(SECRET, 'confirm', 'a@example.com', t0);
    expect(verifyToken(SECRET, tok, 'confirm', t0 + 1000)).toMatchObject({
      ok: true,
      address: 'a@example.com',
    });
    expect(verifyToken(SECRET, tok, 'unsubscribe', t0)).toEqual({ ok: false, reason: 'wrong-purpose' });
    expect(verifyToken(SECRET, tok, 'confirm', t0 + 3 * 86_400_000)).toEqual({
      ok: false,
      reason: 'expired',
    });
    expect(verifyToken('another-secret-0123456789', tok, 'confirm', t0)).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
    const [body, sig] = tok.split('.') as [string, string];
    const forged = Buffer.from(Buffer.from(body, 'base64url').toString().replace('a@', 'b@')).toString(
      'base64url',
    );
    expect(verifyToken(SECRET, `${forged}.${sig}`, 'confirm', t0)).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
    expect(verifyToken(SECRET, 'garbage', 'confirm', t0)).toEqual({ ok: false, reason: 'malformed' });
  });
  it('CSRF tokens last an hour', () => {
    const c = csrfToken(SECRET, t0);
    expect(verifyCsrf(SECRET, c, t0 + 60_000)).toBe(true);
    expect(verifyCsrf(SECRET, c, t0 + 3_601_000)).toBe(false);
    expect(verifyCsrf('another-secret-0123456789', c, t0)).toBe(false);
  });
  it('accepts plain addresses and refuses header injection, spaces and missing domains', () => {
    expect(parseAddress(' Reader@Example.COM ')).toBe('reader@example.com');
    for (const bad of [
      'a@b',
      'a b@example.com',
      'a@example.com\r\nBcc: x@y.z',
      '<a@example.com>',
      'a..b@example.com',
      '"a"@example.com',
    ])
      expect(parseAddress(bad), bad).toBeNull();
  });
});

describe('the example webhook verifier (docs/publish.md)', () => {
  const body = '{"id":"2026-01-12:highs:IWM"}';
  const id = '2026-01-12:highs:IWM';
  const ts = 1_768_258_800;
  const headers = (over: Record<string, string> = {}) => ({
    'x-rotation-timestamp': String(ts),
    'x-rotation-signature': signDelivery(SECRET, ts, id, body),
    'idempotency-key': id,
    ...over,
  });
  it('accepts a delivery once, and rejects its replay, a tampered body or key, and an old capture', () => {
    const seen = new Set<string>();
    expect(verifyWebhook({ secret: SECRET, body, headers: headers(), nowSec: ts + 2, seen })).toEqual({
      ok: true,
      eventId: id,
    });
    expect(
      verifyWebhook({ secret: SECRET, body, headers: headers(), nowSec: ts + 3, seen }).ok,
      'replayed',
    ).toBe(false);
    const fresh = new Set<string>();
    expect(
      verifyWebhook({
        secret: SECRET,
        body: body.replace('IWM', 'QQQ'),
        headers: headers(),
        nowSec: ts,
        seen: fresh,
      }),
    ).toMatchObject({ ok: false, reason: 'bad signature' });
    expect(
      verifyWebhook({
        secret: SECRET,
        body,
        headers: headers({ 'idempotency-key': 'other' }),
        nowSec: ts,
        seen: fresh,
      }),
    ).toMatchObject({ ok: false, reason: 'bad signature' });
    expect(
      verifyWebhook({ secret: SECRET, body, headers: headers(), nowSec: ts + 301, seen: fresh }).ok,
      'too old',
    ).toBe(false);
    expect(verifyWebhook({ secret: SECRET, body, headers: {}, nowSec: ts, seen: fresh }).ok).toBe(false);
  });
  it('is shipped in docs/publish.md verbatim', () => {
    const docs = readFileSync(new URL('../../docs/publish.md', import.meta.url), 'utf8');
    const code = readFileSync(new URL('./verify-webhook.ts', import.meta.url), 'utf8');
    expect(docs).toContain(code.trim());
  });
});

describe('sessions and the schedule', () => {
  it('refuses a holiday, a weekend and a session before its close (early closes included)', () => {
    expect(() => checkRunnableSession('2026-12-25' as TradingDate, ny('2026-12-26', '12:00', 5))).toThrow(
      /not an NYSE session \(Christmas/,
    );
    expect(() => checkRunnableSession('2026-01-10' as TradingDate, ny('2026-01-12', '12:00', 5))).toThrow(
      /weekend/,
    );
    expect(() => checkRunnableSession('2026-01-12' as TradingDate, ny('2026-01-12', '15:59', 5))).toThrow(
      UsageError,
    );
    expect(() =>
      checkRunnableSession('2026-01-12' as TradingDate, ny('2026-01-12', '16:00', 5)),
    ).not.toThrow();
    // The day after Thanksgiving 2026 closes at 13:00.
    expect(() => checkRunnableSession('2026-11-27' as TradingDate, ny('2026-11-27', '12:59', 5))).toThrow(
      /13:00 New York time, an early close/,
    );
    expect(() =>
      checkRunnableSession('2026-11-27' as TradingDate, ny('2026-11-27', '13:01', 5)),
    ).not.toThrow();
  });
  it('schedules the next session at the New York time, across weekends, holidays and DST', () => {
    expect(nextScheduledRun(ny('2026-01-09', '18:00', 5), '17:30')).toEqual({
      session: '2026-01-12',
      atMs: ny('2026-01-12', '17:30', 5),
    });
    expect(nextScheduledRun(ny('2026-12-24', '18:00', 5), '17:30').session).toBe('2026-12-28');
    expect(nextScheduledRun(ny('2026-03-06', '18:00', 5), '17:30')).toEqual({
      session: '2026-03-09',
      atMs: ny('2026-03-09', '17:30', 4),
    });
    // A time before an early close runs at the close.
    expect(nextScheduledRun(ny('2026-11-27', '09:00', 5), '12:00').atMs).toBe(ny('2026-11-27', '13:00', 5));
  });
  it('knows the last session of a week (the weekly digest)', () => {
    expect(isLastSessionOfWeek('2026-01-09' as TradingDate)).toBe(true);
    expect(isLastSessionOfWeek('2026-01-08' as TradingDate)).toBe(false);
    expect(isLastSessionOfWeek('2026-04-02' as TradingDate), 'Good Friday 2026 is a holiday').toBe(true);
  });
});

describe('config, SMTP settings and feeds', () => {
  it('names an unknown key and a webhook without its secret variable', () => {
    expect(() => parsePublishConfig({ nope: 1 }, 'p.json')).toThrow(/unknown key nope/);
    expect(() =>
      parsePublishConfig({
        alerts: [
          { id: 'x', kind: 'extreme', symbols: ['IWM'] },
          { id: 'x', kind: 'extreme', symbols: ['QQQ'] },
        ],
      }),
    ).toThrow(/appears twice/);
  });
  it('reads SMTP settings from the environment only and refuses a bad port', () => {
    expect(smtpSettingsFrom({ ROTATION_SMTP_HOST: 'mail', ROTATION_SMTP_SECURE: 'true' })).toEqual({
      host: 'mail',
      port: 465,
      secure: true,
    });
    expect(() => smtpSettingsFrom({})).toThrow(/ROTATION_SMTP_HOST/);
    expect(() => smtpSettingsFrom({ ROTATION_SMTP_HOST: 'm', ROTATION_SMTP_PORT: '99999' })).toThrow(
      /not a TCP port/,
    );
  });
  it('writes RSS 2.0 and Atom with escaped text', () => {
    const e = {
      session: '2026-01-12',
      asOf: '2026-01-12',
      headline: 'Small caps <lead> & more',
      summary: 's',
      htmlPath: '/x',
      createdMs: Date.UTC(2026, 0, 12, 22),
    };
    const rss = renderRss([e], 'https://d.example');
    expect(rss).toContain('<title>Small caps &lt;lead&gt; &amp; more</title>');
    expect(rss).toContain('<pubDate>Mon, 12 Jan 2026 22:00:00 GMT</pubDate>');
    expect(renderAtom([e], 'https://d.example')).toContain('<updated>2026-01-12T22:00:00.000Z</updated>');
  });
});

describe('the outbox over a real SMTP server', () => {
  let smtp: TestSmtp;
  let store: Store;
  let mailer: Mailer;
  beforeAll(async () => {
    smtp = await startSmtp();
    store = await Store.open(':memory:');
    mailer = smtpMailer({ host: '127.0.0.1', port: smtp.port, secure: false });
  });
  afterAll(async () => {
    await mailer.close();
    store.close();
    await smtp.close();
  });

  it('records a bounce for good, retries a temporary refusal with backoff, and sends each row once', async () => {
    const state = store.publishState();
    const clock = { t: 1_000_000 };
    const addresses = ['ok@example.com', 'gone@example.com', 'later@example.com'];
    for (const a of addresses)
      await state.putSubscriber({
        address: a,
        status: 'active',
        cadence: 'daily',
        alerts: false,
        createdMs: 0,
        confirmedMs: 0,
        unsubscribedMs: null,
      });
    smtp.refuse('gone@example.com', 550);
    smtp.refuse('later@example.com', 451);
    await state.putEditionOnce({
      id: 'e1',
      session: '2026-01-12',
      kind: 'brief-daily',
      subject: 'S',
      html: '<p>%%UNSUBSCRIBE_URL%%</p>',
      text: 't',
      attachments: '[]',
      body: '',
      createdMs: 0,
    });
    const rows = addresses.map((a) => ({
      id: `2026-01-12:brief-daily:${a}`,
      session: '2026-01-12',
      kind: 'brief-daily',
      channel: 'email' as const,
      recipient: a,
      edition: 'e1',
      nextAttemptMs: 0,
      createdMs: 0,
    }));
    expect(await state.enqueue(rows)).toBe(3);
    expect(await state.enqueue(rows), 'the idempotency key enqueues once').toBe(0);
    const waits: number[] = [];
    const ctx: SendContext = {
      state,
      mailer,
      webhooks: [],
      policy: { ratePerSecond: 1000, maxAttempts: 3, backoffMs: 1000, maxWaitMs: 10_000 },
      from: 'd@rotation-desk.invalid',
      baseUrl: 'http://127.0.0.1:8080',
      secret: SECRET,
      now: () => clock.t,
      sleep: async (ms) => {
        waits.push(ms);
        clock.t += ms;
      },
    };
    const s = await sendDue(ctx);
    expect(s).toEqual({ sent: 1, failed: 2, waiting: 0, inDoubt: 0 });
    expect(
      waits.filter((w) => w >= 500).map((w) => Math.round(w / 1000)),
      'backoff 1 s then 4 s (less the pacing already waited)',
    ).toEqual([1, 4]);
    const byId = new Map((await state.outbox()).map((r) => [r.recipient, r]));
    expect(byId.get('ok@example.com')?.status).toBe('sent');
    expect(byId.get('gone@example.com')).toMatchObject({ status: 'failed', attempts: 1 });
    expect(byId.get('gone@example.com')?.lastError).toMatch(/550|unavailable/);
    expect(byId.get('later@example.com')).toMatchObject({ status: 'failed', attempts: 3 });
    expect(
      (await state.deliveryLog('2026-01-12:brief-daily:later@example.com')).map((l) => l.outcome),
    ).toEqual(['retry', 'retry', 'failed']);
    expect(await sendDue(ctx), 'nothing is sent twice').toEqual({
      sent: 0,
      failed: 0,
      waiting: 0,
      inDoubt: 0,
    });
    expect(smtp.accepted()).toBe(1);
  });
});

describe('rotation run, subscribers and alerts on the command line', () => {
  it('refuses a holiday and a date before its close, naming why', async () => {
    const db = `${tempDir('run-cli-')}/r.duckdb`;
    const holiday = await runCli(['--db', db, 'run', '--daily', '--date', '2026-01-19', '--no-sync']);
    expect(holiday.code).toBe(2);
    expect(holiday.err).toContain('2026-01-19 is not an NYSE session (Martin Luther King');
    const future = await runCli(['--db', db, 'run', '--daily', '--date', '2030-01-02', '--no-sync']);
    expect(future.code).toBe(2);
    expect(future.err).toMatch(/has not closed yet/);
    expect((await runCli(['--db', db, 'run'])).err).toMatch(/needs --daily/);
  });
  it('adds, lists, exports and removes subscribers', async () => {
    const db = `${tempDir('subs-cli-')}/s.duckdb`;
    expect(
      (await runCli(['--db', db, 'subscribers', 'add', 'Reader@Example.com', '--cadence', 'weekly'])).code,
    ).toBe(0);
    const list = await runCli(['--db', db, 'subscribers', 'list', '--format', 'json']);
    expect(JSON.parse(list.out)).toMatchObject([
      { address: 'reader@example.com', status: 'active', cadence: 'weekly' },
    ]);
    expect((await runCli(['--db', db, 'subscribers', 'export'])).out).toMatch(/^address,status,cadence/);
    expect((await runCli(['--db', db, 'subscribers', 'add', 'nope'])).code).toBe(2);
    expect((await runCli(['--db', db, 'subscribers', 'remove', 'reader@example.com'])).code).toBe(0);
    expect((await runCli(['--db', db, 'subscribers', 'remove', 'reader@example.com'])).code).toBe(2);
  });
});
