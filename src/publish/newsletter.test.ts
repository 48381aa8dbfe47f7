import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../data/config.js';
import type { PublishState } from '../data/store/publish-state.js';
import type { Store } from '../data/store/store.js';
import { publishRoutes } from '../server/publish-routes.js';
import type { TradingDate } from '../shared/brand.js';
import { openBriefStore } from '../../test/support/brief-store.js';
import { describeWithSharedData } from '../../test/support/shared-data.js';
import { startSmtp, type TestSmtp } from '../../test/support/smtp.js';
import { tempDir } from '../../test/support/tmp.js';
import { parsePublishConfig } from './config.js';
import { runDaily } from './daily.js';
import { messageIdOf, smtpMailer, type Mailer } from './mailer.js';
import { MAX_HTML_BYTES } from './newsletter.js';
import type { SendContext } from './outbox.js';

const SECRET = 'test-secret-0123456789abcdef';
const BASE = 'http://127.0.0.1:8080';

describeWithSharedData('the newsletter end to end, over a real SMTP server on 127.0.0.1', () => {
  let smtp: TestSmtp;
  let store: Store;
  let state: PublishState;
  let mailer: Mailer;
  let archiveDir: string;
  let now = Date.UTC(2026, 0, 12, 23, 0);
  let app: ReturnType<typeof publishRoutes>;

  beforeAll(async () => {
    smtp = await startSmtp();
    store = (await openBriefStore()).store;
    state = store.publishState();
    mailer = smtpMailer({ host: '127.0.0.1', port: smtp.port, secure: false });
    archiveDir = join(tempDir('publish-'), 'briefs');
    app = publishRoutes({
      withState: (fn) => fn(state),
      secret: SECRET,
      baseUrl: BASE,
      archiveDir,
      now: () => now,
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
  }, 180_000);
  afterAll(async () => {
    await mailer?.close();
    store?.close();
    await smtp?.close();
  });

  const daily = (session: string) => {
    const publish = parsePublishConfig({
      baseUrl: BASE,
      archiveDir,
      send: { ratePerSecond: 200, maxAttempts: 3, backoffMs: 10, maxWaitMs: 1000 },
    });
    const sender = (): SendContext => ({
      state,
      mailer,
      webhooks: [],
      policy: publish.send,
      from: publish.from,
      baseUrl: BASE,
      secret: SECRET,
      now: () => now,
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    });
    return runDaily({
      store,
      state,
      config: DEFAULT_CONFIG,
      publish,
      session: session as TradingDate,
      sync: null,
      sender,
      now: () => now,
      log: () => {},
    });
  };

  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const waitFor = async (n: number) => {
    for (let i = 0; i < 100 && smtp.messages.length < n; i++) await new Promise((r) => setTimeout(r, 20));
  };
  const htmlOf = (m: ParsedMail) => (typeof m.html === 'string' ? m.html : '');

  it('subscribe → confirmation mail → confirm → one brief mail with charts and a working unsubscribe; then nothing', async () => {
    // Tests run shuffled: the other one may have sent confirmations first, still being parsed (the server parses
    // after its 250); wait for them so that `base` counts them.
    await waitFor(smtp.accepted());
    const base = smtp.messages.length;
    const sent = () => smtp.messages.length - base;
    const page = await (await app.request('/subscribe')).text();
    const post = await app.request('/subscribe', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: BASE },
      body: form({ email: 'Reader@Example.com', cadence: 'daily', csrf: csrfOf(page) }),
    });
    expect(post.status, await post.clone().text()).toBe(200);
    await waitFor(base + 1);
    expect(sent()).toBe(1);
    const confirmMail = smtp.messages[base] as ParsedMail;
    expect(confirmMail.subject).toMatch(/confirm/i);
    const link = /http:\/\/127\.0\.0\.1:8080\/confirm\?token=[A-Za-z0-9_%.-]+/.exec(
      confirmMail.text ?? '',
    )?.[0];
    expect(link, 'the confirmation mail carries the link').toBeDefined();
    expect((await state.subscriber('reader@example.com'))?.status).toBe('pending');

    const url = new URL(link as string);
    const confirmPage = await (await app.request(`${url.pathname}${url.search}`)).text();
    const confirmed = await app.request('/confirm', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: BASE },
      body: form({ token: url.searchParams.get('token') ?? '', csrf: csrfOf(confirmPage) }),
    });
    expect(confirmed.status).toBe(200);
    expect((await state.subscriber('reader@example.com'))?.status).toBe('active');

    const run = await daily('2026-01-12');
    expect(run.ok, JSON.stringify(run.steps)).toBe(true);
    await waitFor(base + 2);
    expect(sent()).toBe(2);
    const brief = smtp.messages[base + 1] as ParsedMail;
    expect(brief.to && 'text' in brief.to ? brief.to.text : '').toBe('reader@example.com');
    expect(brief.messageId).toBe(messageIdOf('2026-01-12:brief-daily:reader@example.com'));
    const html = htmlOf(brief);
    expect(Buffer.byteLength(html), 'HTML under 100 KB').toBeLessThan(MAX_HTML_BYTES);
    expect(html).not.toMatch(/<style|<script|<link /i);
    const cids = [...html.matchAll(/src="cid:([^"]+)"/g)].map((m) => m[1]);
    expect(cids.length, 'charts are inline images').toBeGreaterThan(0);
    for (const cid of cids) {
      const a = brief.attachments.find((x) => x.cid === cid);
      expect(a?.contentType, `attachment ${cid}`).toBe('image/png');
      expect(a?.content.subarray(1, 4).toString()).toBe('PNG');
    }
    expect(brief.text ?? '', 'a text part').toContain('Rotation Desk brief, as of 2026-01-12');
    const header = (name: string) =>
      brief.headerLines.find((h) => h.key === name)?.line.replace(/^[^:]+:\s*/, '') ?? '';
    const listUnsub = header('list-unsubscribe');
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    const unsub = /<(http:\/\/127\.0\.0\.1:8080\/unsubscribe\?token=[^>]+)>/.exec(listUnsub)?.[1];
    expect(unsub, listUnsub).toBeDefined();
    expect(html).toContain('/unsubscribe?token=');

    // The archive, the feeds and the archived page.
    const rss = await app.request('/feed.rss');
    expect(rss.status).toBe(200);
    expect(await rss.text()).toContain('<link>http://127.0.0.1:8080/briefs/2026-01-12</link>');
    expect((await app.request('/feed.atom')).headers.get('content-type')).toContain('application/atom+xml');
    expect(readFileSync(join(archiveDir, 'feed.atom'), 'utf8')).toContain(
      'urn:rotation-desk:brief:2026-01-12',
    );
    expect((await app.request('/briefs/2026-01-12')).status).toBe(200);

    // Run again: nothing more is sent.
    const again = await daily('2026-01-12');
    expect(again.ok).toBe(true);
    expect(again.steps.every((s) => s.message.endsWith('(earlier run)'))).toBe(true);
    await new Promise((r) => setTimeout(r, 100));
    expect(sent(), 'a second run sends nothing').toBe(2);

    // One-click unsubscribe (RFC 8058), as a mail client sends it: no Origin, no CSRF token.
    const u = new URL(unsub as string);
    const out = await app.request(`${u.pathname}${u.search}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(out.status).toBe(200);
    expect((await state.subscriber('reader@example.com'))?.status).toBe('unsubscribed');
    now = Date.UTC(2026, 0, 13, 23, 0);
    const next = await daily('2026-01-13');
    expect(next.ok, JSON.stringify(next.steps)).toBe(true);
    await new Promise((r) => setTimeout(r, 100));
    expect(sent(), 'an unsubscribed reader gets nothing').toBe(2);
  }, 240_000);

  it('refuses a form posted from another site, a bad address, a forged token, and throttles an address', async () => {
    const csrf = csrfOf(await (await app.request('/subscribe')).text());
    const post = (fields: Record<string, string>, origin = BASE) =>
      app.request('/subscribe', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
        body: form(fields),
      });
    expect((await post({ email: 'a@example.com', csrf }, 'https://evil.example')).status).toBe(403);
    expect((await post({ email: 'a@example.com', csrf: 'x' })).status).toBe(403);
    expect((await post({ email: 'not an address', csrf })).status).toBe(400);
    expect((await post({ email: 'a@example.com\r\nBcc: x@evil.example', csrf })).status).toBe(400);
    const forged = await app.request('/confirm?token=cmVhZGVy.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(forged.status).toBe(400);
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push((await post({ email: 'flood@example.com', csrf })).status);
    expect(codes, 'three per address per hour').toEqual([200, 200, 200, 429, 429]);
  });
});
