import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono, type Context } from 'hono';
import { parseIsoDate } from '../shared/dates.js';
import type { PublishState, Cadence } from '../data/store/publish-state.js';
import { confirmationMail } from '../publish/newsletter.js';
import { briefCsp } from './brief-csp.js';
import { CSP_OVERRIDE } from './params.js';
import { clientAddress, proxyMatcher, type TrustProxy } from '../publish/client-address.js';
import { csrfToken, parseAddress, signToken, verifyCsrf, verifyToken } from '../publish/tokens.js';

/** What the subscribe, confirm and unsubscribe pages need: a writable state, the secret, a mailer, the clock. */
export type PublishRouteDeps = {
  /** Runs `fn` on the publish state of a store opened for writing. */
  withState: <T>(fn: (state: PublishState) => Promise<T>) => Promise<T>;
  /** ROTATION_SECRET: signs the links and the forms' CSRF tokens. */
  secret: string;
  /** The public origin (`https://desk.example.org`): the links in mails, and the only origin a form may post from. */
  baseUrl: string;
  /** Sends one confirmation mail (subject, html, text) to `address`. */
  sendMail: (address: string, mail: { subject: string; html: string; text: string }) => Promise<void>;
  /** The daily run's archive folder (feeds and briefs are served from it). */
  archiveDir: string;
  now: () => number;
  /**
   * The reverse proxies in front (the publish config's `trustProxy`): a request from one of them counts against the
   * client its forwarding header names. Absent: the connection's address is the client.
   */
  trustProxy?: TrustProxy;
  /** Subscribe requests allowed per address and per client within `windowMs` (default 3, 20, one hour). */
  throttle?: { perAddress: number; perClient: number; windowMs: number };
};

/** Pages of their own: a strict policy with no inline styles or scripts, forms posting only here. */
const PAGE_CSP = "default-src 'none'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function page(c: Context, status: number, title: string, body: string): Response {
  c.header('content-security-policy', PAGE_CSP);
  c.header('cache-control', 'no-store');
  return c.html(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)} — Rotation Desk</title></head><body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`,
    status as 200,
  );
}

/** A fixed-window counter per key, in memory (one server process). */
function limiter(max: number, windowMs: number, now: () => number) {
  const hits = new Map<string, { start: number; n: number }>();
  return (key: string): boolean => {
    const t = now();
    const h = hits.get(key);
    if (!h || t - h.start >= windowMs) {
      if (hits.size > 10_000) hits.clear();
      hits.set(key, { start: t, n: 1 });
      return true;
    }
    h.n++;
    return h.n <= max;
  };
}

function remoteOf(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined;
  }
}

/**
 * The newsletter's pages and endpoints, and the feeds: GET/POST /subscribe, /confirm, /unsubscribe (one-click POST,
 * RFC 8058), /feed.rss, /feed.atom and /briefs/DATE. Forms carry a signed CSRF token and must come from `baseUrl`'s
 * origin; tokens are compared in constant time; nothing redirects (no open redirects).
 */
export function publishRoutes(deps: PublishRouteDeps): Hono {
  const app = new Hono();
  const origin = new URL(deps.baseUrl).origin;
  const t = deps.throttle ?? { perAddress: 3, perClient: 20, windowMs: 3600_000 };
  const perAddress = limiter(t.perAddress, t.windowMs, deps.now);
  const perClient = limiter(t.perClient, t.windowMs, deps.now);
  const isProxy = proxyMatcher(deps.trustProxy?.proxies ?? []);
  const clientOf = (c: Context) =>
    clientAddress(remoteOf(c), (name) => c.req.header(name), deps.trustProxy, isProxy);
  const link = (path: string, token: string) => `${origin}${path}?token=${encodeURIComponent(token)}`;

  /** Refuses a form posted from another site: the Origin (or Referer) must be ours, and the CSRF token valid. */
  const crossSite = (c: Context, form: Record<string, unknown>): string | null => {
    const from =
      c.req.header('origin') ??
      (c.req.header('referer') ? new URL(c.req.header('referer') ?? '').origin : null);
    if (from !== null && from !== origin) return 'this form was posted from another site';
    if (c.req.header('sec-fetch-site') === 'cross-site') return 'this form was posted from another site';
    const token = typeof form['csrf'] === 'string' ? form['csrf'] : '';
    if (!verifyCsrf(deps.secret, token, deps.now()))
      return 'the form has expired: reload the page and try again';
    return null;
  };
  const hidden = () =>
    `<input type="hidden" name="csrf" value="${escapeHtml(csrfToken(deps.secret, deps.now()))}">`;

  app.get('/subscribe', (c) =>
    page(
      c,
      200,
      'Subscribe to the brief',
      `<form method="post" action="/subscribe">${hidden()}<p><label>Email <input type="email" name="email" required maxlength="254" autocomplete="email"></label></p><p><label><input type="radio" name="cadence" value="daily" checked> Every session</label> <label><input type="radio" name="cadence" value="weekly"> Weekly digest</label></p><p><label><input type="checkbox" name="alerts" value="1"> Also the alerts</label></p><p><button type="submit">Subscribe</button></p></form><p>We send a confirmation link first; nothing else is sent until you click it.</p>`,
    ),
  );

  app.post('/subscribe', async (c) => {
    const form = await c.req.parseBody();
    const refused = crossSite(c, form);
    if (refused) return page(c, 403, 'Not subscribed', `<p>${escapeHtml(refused)}.</p>`);
    const address = parseAddress(typeof form['email'] === 'string' ? form['email'] : '');
    if (!address)
      return page(c, 400, 'Not subscribed', '<p>That is not an email address we can send to.</p>');
    const cadence: Cadence = form['cadence'] === 'weekly' ? 'weekly' : 'daily';
    if (!perClient(clientOf(c)) || !perAddress(address))
      return page(c, 429, 'Too many requests', '<p>Please wait an hour before trying again.</p>');
    const now = deps.now();
    const existing = await deps.withState((s) => s.subscriber(address));
    if (existing?.status !== 'active') {
      await deps.withState((s) =>
        s.putSubscriber({
          address,
          status: 'pending',
          cadence,
          alerts: form['alerts'] === '1',
          createdMs: existing?.createdMs ?? now,
          confirmedMs: null,
          unsubscribedMs: existing?.unsubscribedMs ?? null,
        }),
      );
      await deps.sendMail(
        address,
        confirmationMail(link('/confirm', signToken(deps.secret, 'confirm', address, now))),
      );
    }
    // The same answer whether or not the address was subscribed: the page reveals nobody's subscription.
    return page(
      c,
      200,
      'Check your inbox',
      '<p>If the address can receive mail, a confirmation link is on its way. It expires in two days.</p>',
    );
  });

  const tokenPage = (purpose: 'confirm' | 'unsubscribe', title: string, button: string) => (c: Context) => {
    const token = c.req.query('token') ?? '';
    const check = verifyToken(deps.secret, token, purpose, deps.now());
    if (!check.ok)
      return page(
        c,
        400,
        'This link does not work',
        `<p>The link is ${check.reason === 'expired' ? 'expired' : 'not valid'}.</p>`,
      );
    return page(
      c,
      200,
      title,
      `<form method="post" action="/${purpose}">${hidden()}<input type="hidden" name="token" value="${escapeHtml(token)}"><p>${escapeHtml(check.address)}</p><p><button type="submit">${escapeHtml(button)}</button></p></form>`,
    );
  };
  app.get('/confirm', tokenPage('confirm', 'Confirm your subscription', 'Confirm'));
  app.get('/unsubscribe', tokenPage('unsubscribe', 'Unsubscribe', 'Unsubscribe'));

  app.post('/confirm', async (c) => {
    const form = await c.req.parseBody();
    const refused = crossSite(c, form);
    if (refused) return page(c, 403, 'Not confirmed', `<p>${escapeHtml(refused)}.</p>`);
    const check = verifyToken(
      deps.secret,
      typeof form['token'] === 'string' ? form['token'] : '',
      'confirm',
      deps.now(),
    );
    if (!check.ok)
      return page(
        c,
        400,
        'This link does not work',
        '<p>The link is expired or not valid: subscribe again.</p>',
      );
    const done = await deps.withState(async (s) => {
      const sub = await s.subscriber(check.address);
      if (!sub) return false;
      if (sub.status !== 'active')
        await s.putSubscriber({ ...sub, status: 'active', confirmedMs: deps.now(), unsubscribedMs: null });
      return true;
    });
    if (!done) return page(c, 404, 'Not found', '<p>This subscription was removed: subscribe again.</p>');
    return page(c, 200, 'Subscribed', '<p>You will receive the brief from the next session on.</p>');
  });

  // One-click unsubscribe (RFC 8058): mail clients POST `List-Unsubscribe=One-Click` to the link with no cookie or
  // Origin; the signed token is the authorisation, so no CSRF token is needed here.
  app.post('/unsubscribe', async (c) => {
    const form = await c.req.parseBody();
    const token = c.req.query('token') ?? (typeof form['token'] === 'string' ? form['token'] : '');
    const check = verifyToken(deps.secret, token, 'unsubscribe', deps.now());
    if (!check.ok) return page(c, 400, 'This link does not work', '<p>The link is expired or not valid.</p>');
    await deps.withState(async (s) => {
      const sub = await s.subscriber(check.address);
      if (sub && sub.status !== 'unsubscribed')
        await s.putSubscriber({ ...sub, status: 'unsubscribed', unsubscribedMs: deps.now() });
    });
    return page(c, 200, 'Unsubscribed', '<p>You will receive nothing more.</p>');
  });

  const file = (name: string) => {
    const path = join(resolve(deps.archiveDir), name);
    return existsSync(path) ? readFileSync(path, 'utf8') : null;
  };
  app.get('/feed.rss', (c) => {
    const body = file('feed.rss');
    if (body === null) return c.text('no feed yet: the daily run writes it', 404);
    return c.body(body, 200, {
      'content-type': 'application/rss+xml; charset=utf-8',
      'cache-control': 'public, max-age=300',
    });
  });
  app.get('/feed.atom', (c) => {
    const body = file('feed.atom');
    if (body === null) return c.text('no feed yet: the daily run writes it', 404);
    return c.body(body, 200, {
      'content-type': 'application/atom+xml; charset=utf-8',
      'cache-control': 'public, max-age=300',
    });
  });
  app.get('/briefs/:session', async (c) => {
    const session = parseIsoDate(c.req.param('session'));
    const entry = session
      ? await deps.withState(async (s) => (await s.archive(5000)).find((e) => e.session === session))
      : undefined;
    if (!entry || !existsSync(entry.htmlPath)) return c.text('no archived brief for that session', 404);
    // The archived brief is self-contained: its own inline CSS (allowed by hash) and SVG, nothing else. In the
    // app, the security headers are set after this handler and would replace this header: CSP_OVERRIDE sets it last.
    const html = readFileSync(entry.htmlPath, 'utf8');
    const csp = briefCsp(html, "'none'");
    c.header('content-security-policy', csp);
    CSP_OVERRIDE.set(c.req.raw, csp);
    return c.html(html);
  });
  return app;
}
