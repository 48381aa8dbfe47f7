import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionsBetween } from '../core/calendar/calendar.js';
import { DEFAULT_CONFIG } from '../data/config.js';
import type { PublishState, Subscriber } from '../data/store/publish-state.js';
import { Store } from '../data/store/store.js';
import { publishRoutes } from '../server/publish-routes.js';
import type { TradingDate } from '../shared/brand.js';
import { startSmtp, type TestSmtp } from '../../test/support/smtp.js';
import { tempDir } from '../../test/support/tmp.js';
import { parsePublishConfig } from './config.js';
import { runDaily, STEPS } from './daily.js';
import { messageIdOf, smtpMailer, type Mailer } from './mailer.js';
import type { SendContext } from './outbox.js';

/**
 * Alert mails to the subscribers who opted in, over a real SMTP server on 127.0.0.1: parsed and checked (headers,
 * parts, links), each sent exactly once across a run stopped in the middle of sending and resumed, and nothing after
 * a one-click unsubscribe. The run starts at its alerts step (the steps before it recorded as done by an earlier run):
 * the brief itself is the newsletter test's subject.
 */
const SECRET = 'alert-mail-secret-0123456789';
const BASE = 'http://127.0.0.1:8080';
const DATES = sessionsBetween('2025-10-01', '2026-01-13');

describe('alert mails over a real SMTP server', () => {
  let smtp: TestSmtp;
  let store: Store;
  let state: PublishState;
  let mailer: Mailer;
  let archiveDir: string;
  const now = Date.UTC(2026, 0, 14, 1, 0);

  beforeAll(async () => {
    smtp = await startSmtp();
    store = await Store.open(':memory:');
    state = store.publishState();
    mailer = smtpMailer({ host: '127.0.0.1', port: smtp.port, secure: false });
    archiveDir = tempDir('alert-mail-');
    // IWM: flat, then a new 20-session high on 2026-01-12 and another on 2026-01-13.
    await store.upsertBars(
      'IWM',
      DATES.map((date) => ({
        date,
        open: null,
        high: null,
        low: null,
        close: date === '2026-01-13' ? 140 : date === '2026-01-12' ? 130 : 100,
        adjClose: null,
        volume: null,
      })),
      'test',
    );
    const sub = (address: string, over: Partial<Subscriber>): Subscriber => ({
      address,
      status: 'active',
      cadence: 'daily',
      alerts: true,
      createdMs: 0,
      confirmedMs: 0,
      unsubscribedMs: null,
      ...over,
    });
    for (const s of [
      sub('alerts@example.com', {}),
      sub('weekly@example.com', { cadence: 'weekly' }),
      sub('brief-only@example.com', { alerts: false }),
      sub('pending@example.com', { status: 'pending', confirmedMs: null }),
    ])
      await state.putSubscriber(s);
  });
  afterAll(async () => {
    await mailer?.close();
    store?.close();
    await smtp?.close();
  });

  const publish = () =>
    parsePublishConfig({
      baseUrl: BASE,
      archiveDir,
      send: { ratePerSecond: 500, maxAttempts: 3, backoffMs: 10, maxWaitMs: 1000 },
      alerts: [{ id: 'hi', kind: 'extreme', symbols: ['IWM'], lookback: 20 }],
    });

  /** The alerts step of one session, after the earlier steps (recorded as done); `stopAfter` sends then throws. */
  async function alertsRun(session: string, stopAfter?: number) {
    for (const step of STEPS.filter((s) => s !== 'alerts'))
      if (!(await state.steps(session)).some((s) => s.step === step))
        await state.recordStep({
          session,
          step,
          status: 'done',
          message: 'done by an earlier run (this test starts at the alerts step)',
          finishedMs: now,
        });
    let sent = 0;
    const p = publish();
    const sender = (): SendContext => ({
      state,
      mailer,
      webhooks: [],
      policy: p.send,
      from: p.from,
      baseUrl: BASE,
      secret: SECRET,
      now: () => now,
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      onAttempt: (_row, outcome) => {
        if (outcome === 'sent' && ++sent === stopAfter) throw new Error('stopped after a send');
      },
    });
    return runDaily({
      store,
      state,
      config: DEFAULT_CONFIG,
      publish: p,
      session: session as TradingDate,
      sync: null,
      sender,
      now: () => now,
      log: () => {},
    });
  }

  const waitFor = async (n: number) => {
    for (let i = 0; i < 100 && smtp.messages.length < n; i++) await new Promise((r) => setTimeout(r, 20));
  };
  const to = (m: ParsedMail) => (m.to && 'text' in m.to ? m.to.text : '');
  const header = (m: ParsedMail, name: string) =>
    m.headerLines.find((h) => h.key === name)?.line.replace(/^[^:]+:\s*/, '') ?? '';

  it('mails each opted-in subscriber once across a stopped and resumed run, with working links; unsubscribed gets nothing', async () => {
    const stopped = await alertsRun('2026-01-12', 1);
    expect(stopped.ok, 'the stopped run reports its alerts step failed').toBe(false);
    expect(stopped.steps.find((s) => s.step === 'alerts')).toMatchObject({
      status: 'failed',
      message: 'stopped after a send',
    });
    await waitFor(1);
    expect(smtp.messages).toHaveLength(1);
    const resumed = await alertsRun('2026-01-12');
    expect(resumed.ok, JSON.stringify(resumed.steps)).toBe(true);
    await waitFor(2);
    const again = await alertsRun('2026-01-12');
    expect(again.ok).toBe(true);
    await new Promise((r) => setTimeout(r, 100));
    const first = smtp.messages.slice();
    expect(first.map(to).sort(), 'each opted-in active subscriber once; not brief-only, not pending').toEqual(
      ['alerts@example.com', 'weekly@example.com'],
    );
    expect(new Set(first.map((m) => m.messageId)).size).toBe(2);

    const m = first.find((x) => to(x) === 'alerts@example.com') as ParsedMail;
    expect(m.messageId).toBe(messageIdOf('2026-01-12:hi:IWM:email:alerts@example.com'));
    expect(m.subject).toBe('Alert: IWM closed at a new 20-session high on 2026-01-12');
    expect(header(m, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    const unsub = /<(http:\/\/127\.0\.0\.1:8080\/unsubscribe\?token=[^>]+)>/.exec(
      header(m, 'list-unsubscribe'),
    )?.[1];
    expect(unsub, header(m, 'list-unsubscribe')).toBeDefined();
    const html = typeof m.html === 'string' ? m.html : '';
    expect(html).not.toMatch(/<style|<script|<link |src="http/i);
    expect(html).toContain('<h1 style=');
    expect(html).toContain('href="http://127.0.0.1:8080/briefs/2026-01-12"');
    expect(html).toContain(`href="${(unsub as string).replace(/&/g, '&amp;')}"`);
    expect(html).toMatch(/<th[^>]*>close<\/th><td[^>]*>130<\/td>/);
    expect(m.text ?? '').toContain('IWM closed at a new 20-session high on 2026-01-12');
    expect(m.text ?? '').toContain('The brief of 2026-01-12: http://127.0.0.1:8080/briefs/2026-01-12');
    expect(m.text ?? '').toContain(`Unsubscribe: ${unsub}`);
    expect(m.attachments, 'no attachments in an alert').toEqual([]);

    // One-click unsubscribe from the alert mail (RFC 8058), then the next session's alert skips that reader.
    const app = publishRoutes({
      withState: (fn) => fn(state),
      secret: SECRET,
      baseUrl: BASE,
      archiveDir,
      now: () => now,
      sendMail: () => Promise.reject(new Error('no confirmation mail in this test')),
    });
    const u = new URL(unsub as string);
    const res = await app.request(`${u.pathname}${u.search}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(res.status).toBe(200);
    expect((await state.subscriber('alerts@example.com'))?.status).toBe('unsubscribed');
    const next = await alertsRun('2026-01-13');
    expect(next.ok, JSON.stringify(next.steps)).toBe(true);
    await waitFor(3);
    await new Promise((r) => setTimeout(r, 100));
    expect(smtp.messages.slice(first.length).map(to)).toEqual(['weekly@example.com']);
    expect(smtp.messages.at(-1)?.subject).toBe('Alert: IWM closed at a new 20-session high on 2026-01-13');
  }, 60_000);
});
