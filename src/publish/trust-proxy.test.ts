import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PublishState } from '../data/store/publish-state.js';
import { Store } from '../data/store/store.js';
import { InputError } from '../shared/errors.js';
import { publishRoutes } from '../server/publish-routes.js';
import { startSmtp, type TestSmtp } from '../../test/support/smtp.js';
import { tempDir } from '../../test/support/tmp.js';
import { clientAddress, proxyMatcher, type TrustProxy } from './client-address.js';
import { parsePublishConfig } from './config.js';
import { messageIdOf, smtpMailer, type Mailer } from './mailer.js';
import { csrfToken } from './tokens.js';

/**
 * The per-client subscribe throttle behind a reverse proxy (docs/publish.md, "The newsletter"): the forwarding
 * header counts only when the publish config's `trustProxy` names the connection's address, and then only the
 * part the trusted proxies wrote. Over real HTTP on 127.0.0.1 (the "proxy" is this test, connecting from there).
 */
const SECRET = 'trust-proxy-test-secret-0123456789';
const BASE = 'https://desk.example.org';

describe('the client of a request', () => {
  const trust = (proxies: string[], header: TrustProxy['header'] = 'x-forwarded-for'): TrustProxy => ({
    header,
    proxies,
  });
  const client = (remote: string, headers: Record<string, string>, t?: TrustProxy) =>
    clientAddress(remote, (n) => headers[n], t, proxyMatcher(t?.proxies ?? []));

  it('is the connection without a trusted proxy, whatever the headers say', () => {
    expect(client('198.51.100.7', { 'x-forwarded-for': '203.0.113.1' })).toBe('198.51.100.7');
    expect(
      client('198.51.100.7', { 'x-forwarded-for': '203.0.113.1' }, trust(['10.0.0.0/8'])),
      'a connection that is not a trusted proxy',
    ).toBe('198.51.100.7');
    expect(client('::ffff:127.0.0.1', {}), 'a dual-stack socket address in its IPv4 form').toBe('127.0.0.1');
  });

  it('reads X-Forwarded-For from the right, past every trusted proxy, never what the client wrote itself', () => {
    const t = trust(['127.0.0.1', '10.0.0.0/8']);
    expect(client('127.0.0.1', { 'x-forwarded-for': '203.0.113.7' }, t)).toBe('203.0.113.7');
    expect(
      client('127.0.0.1', { 'x-forwarded-for': '1.1.1.1, 2.2.2.2, 203.0.113.7, 10.1.2.3' }, t),
      'two proxies; the client wrote 1.1.1.1 and 2.2.2.2',
    ).toBe('203.0.113.7');
    expect(client('127.0.0.1', {}, t), 'no header: the proxy').toBe('127.0.0.1');
    expect(
      client('127.0.0.1', { 'x-forwarded-for': 'not-an-address, 203.0.113.7' }, t),
      'a bad entry left of the client is never read',
    ).toBe('203.0.113.7');
    expect(
      client('127.0.0.1', { 'x-forwarded-for': '203.0.113.7, garbage' }, t),
      'a bad entry a proxy should have written: the proxy',
    ).toBe('127.0.0.1');
    expect(client('127.0.0.1', { 'x-forwarded-for': '10.9.9.9, 10.1.1.1' }, t), 'all hops trusted').toBe(
      '10.9.9.9',
    );
  });

  it('reads Forwarded (RFC 7239): quoted, bracketed IPv6 with a port, an IPv4 with a port, other parameters', () => {
    const t = trust(['::1', '127.0.0.1'], 'forwarded');
    expect(client('::1', { forwarded: 'for=192.0.2.60;proto=https;by=203.0.113.43' }, t)).toBe('192.0.2.60');
    expect(client('127.0.0.1', { forwarded: 'for=1.1.1.1, for="[2001:db8:cafe::17]:4711"' }, t)).toBe(
      '2001:db8:cafe::17',
    );
    expect(client('127.0.0.1', { forwarded: 'for="192.0.2.43:8080"' }, t)).toBe('192.0.2.43');
    expect(client('127.0.0.1', { forwarded: 'for=unknown' }, t), 'an obfuscated hop').toBe('127.0.0.1');
    expect(
      client('127.0.0.1', { 'x-forwarded-for': '203.0.113.7' }, t),
      'the header not configured is ignored',
    ).toBe('127.0.0.1');
  });

  it('is configured in the publish config; a bad entry names its field', () => {
    expect(
      parsePublishConfig({ trustProxy: { header: 'forwarded', proxies: ['10.0.0.0/8', '::1'] } }).trustProxy,
    ).toEqual({ header: 'forwarded', proxies: ['10.0.0.0/8', '::1'] });
    expect(parsePublishConfig({}).trustProxy, 'off by default').toBeUndefined();
    for (const [doc, field] of [
      [{ trustProxy: { header: 'x-forwarded-for', proxies: ['10.0.0.0/33'] } }, 'trustProxy.proxies.0'],
      [{ trustProxy: { header: 'x-forwarded-for', proxies: ['proxy.local'] } }, 'trustProxy.proxies.0'],
      [{ trustProxy: { header: 'x-real-ip', proxies: ['::1'] } }, 'trustProxy.header'],
      [{ trustProxy: { header: 'forwarded', proxies: [] } }, 'trustProxy.proxies'],
    ] as const) {
      let caught: unknown = null;
      try {
        parsePublishConfig(doc, 'rotation.publish.json');
      } catch (e) {
        caught = e;
      }
      expect(caught, JSON.stringify(doc)).toBeInstanceOf(InputError);
      expect((caught as InputError).describe(), JSON.stringify(doc)).toContain(`field ${field}`);
    }
  });
});

describe('the subscribe throttle over HTTP behind a proxy on 127.0.0.1', () => {
  let smtp: TestSmtp;
  let mailer: Mailer;
  let store: Store;
  let state: PublishState;
  let server: ServerType | null = null;
  let url = '';
  const now = Date.UTC(2026, 0, 12, 23);

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
  });
  afterEach(async () => {
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    server = null;
    store.close();
  });

  async function listen(trustProxy?: TrustProxy): Promise<void> {
    const app = publishRoutes({
      withState: (fn) => fn(state),
      secret: SECRET,
      baseUrl: BASE,
      archiveDir: tempDir('trust-proxy-'),
      now: () => now,
      throttle: { perAddress: 2, perClient: 2, windowMs: 3600_000 },
      ...(trustProxy ? { trustProxy } : {}),
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
    await new Promise<void>((resolve) => {
      server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => {
        url = `http://127.0.0.1:${info.port}`;
        resolve();
      });
    });
  }

  const subscribe = async (email: string, headers: Record<string, string>) =>
    (
      await fetch(`${url}/subscribe`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: BASE, ...headers },
        body: new URLSearchParams({ email, csrf: csrfToken(SECRET, now) }).toString(),
      })
    ).status;

  it('without trustProxy every forwarded client shares the connection address budget', async () => {
    await listen();
    const codes = [];
    for (let i = 0; i < 4; i++)
      codes.push(await subscribe(`r${i}@example.com`, { 'x-forwarded-for': `203.0.113.${i}` }));
    expect(codes, 'the header is ignored: one client, 127.0.0.1').toEqual([200, 200, 429, 429]);
  });

  it('with trustProxy each client has its own budget, a spoofed entry gains nothing, the address throttle holds', async () => {
    await listen({ header: 'x-forwarded-for', proxies: ['127.0.0.1', '::1'] });
    const codes = [];
    for (let i = 0; i < 4; i++)
      codes.push(await subscribe(`r${i}@example.com`, { 'x-forwarded-for': `203.0.113.${i}` }));
    expect(codes, 'four clients, one request each').toEqual([200, 200, 200, 200]);
    const spoofing = [];
    for (let i = 0; i < 3; i++)
      spoofing.push(
        await subscribe(`s${i}@example.com`, { 'x-forwarded-for': `198.18.0.${i}, 198.51.100.9` }),
      );
    expect(spoofing, 'one client writing a new address of its own each time').toEqual([200, 200, 429]);
    const oneAddress = [];
    for (let i = 0; i < 3; i++)
      oneAddress.push(await subscribe('flood@example.com', { 'x-forwarded-for': `192.0.2.${i}` }));
    expect(oneAddress, 'one address from three clients: the per-address throttle').toEqual([200, 200, 429]);
  });

  it('with trustProxy naming other proxies, a request from 127.0.0.1 is its own client', async () => {
    await listen({ header: 'x-forwarded-for', proxies: ['10.0.0.0/8'] });
    const codes = [];
    for (let i = 0; i < 3; i++)
      codes.push(await subscribe(`r${i}@example.com`, { 'x-forwarded-for': `203.0.113.${i}` }));
    expect(codes).toEqual([200, 200, 429]);
  });
});
