import * as crypto from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { csrfToken, signToken, verifyCsrf, verifyToken } from './tokens.js';
import { verifyWebhook } from './verify-webhook.js';
import { signDelivery } from './webhooks.js';

/**
 * Security review (issue 14): every token and signature check of the publish edges goes through
 * crypto.timingSafeEqual on buffers of the same length, so a wrong guess takes as long as a right one whatever
 * byte it gets wrong. No timing is measured (a unit test must not): the test watches the comparison used.
 */
vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof crypto>();
  return {
    ...real,
    timingSafeEqual: vi.fn((a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) =>
      real.timingSafeEqual(a, b),
    ),
  };
});

const SECRET = 'constant-time-secret-0123456789';
const t0 = Date.UTC(2026, 0, 12);
const spy = vi.mocked(crypto.timingSafeEqual);

/** Flips the last character of a base64url or hex signature: same length, one byte off at the end. */
const flipLast = (s: string) => s.slice(0, -1) + (s.endsWith('A') ? 'B' : 'A');

describe('constant-time comparison of tokens and signatures', () => {
  beforeEach(() => {
    spy.mockClear();
  });

  it('confirm and unsubscribe tokens: a signature wrong in its last byte is compared in full', () => {
    const tok = signToken(SECRET, 'unsubscribe', 'reader@example.com', t0);
    expect(verifyToken(SECRET, flipLast(tok), 'unsubscribe', t0)).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
    expect(spy).toHaveBeenCalledTimes(1);
    const [a, b] = spy.mock.calls[0] as [Buffer, Buffer];
    expect(a.length, 'equal lengths: nothing short-circuits before the comparison').toBe(b.length);
    expect(verifyToken(SECRET, tok, 'unsubscribe', t0).ok).toBe(true);
    expect(spy).toHaveBeenCalledTimes(2);
  });

  it('CSRF form tokens', () => {
    const c = csrfToken(SECRET, t0);
    expect(verifyCsrf(SECRET, flipLast(c), t0)).toBe(false);
    expect(verifyCsrf(SECRET, c, t0)).toBe(true);
    expect(spy).toHaveBeenCalledTimes(2);
  });

  it('webhook signatures in the example verifier shipped in docs/publish.md', () => {
    const body = '{"id":"e"}';
    const sig = signDelivery(SECRET, 1_768_258_800, 'e', body);
    const headers = { 'x-rotation-timestamp': '1768258800', 'idempotency-key': 'e' };
    const check = (s: string) =>
      verifyWebhook({
        secret: SECRET,
        body,
        headers: { ...headers, 'x-rotation-signature': s },
        nowSec: 1_768_258_801,
        seen: new Set(),
      });
    expect(check(`${sig.slice(0, -1)}${sig.endsWith('0') ? '1' : '0'}`)).toMatchObject({ ok: false });
    expect(check(sig)).toMatchObject({ ok: true });
    expect(spy).toHaveBeenCalledTimes(2);
  });
});
