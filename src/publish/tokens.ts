import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a signed link allows: confirming a subscription, or unsubscribing. */
export type TokenPurpose = 'confirm' | 'unsubscribe';

/** A confirmation link expires after two days; an unsubscribe link stays valid for a year. */
export const TOKEN_TTL_MS: Record<TokenPurpose, number> = {
  confirm: 2 * 24 * 3600 * 1000,
  unsubscribe: 365 * 24 * 3600 * 1000,
};

/** Why a token was refused (the edge turns the code into words). */
export type TokenCheck =
  | { ok: true; address: string; purpose: TokenPurpose; expiresMs: number }
  | { ok: false; reason: 'malformed' | 'bad-signature' | 'expired' | 'wrong-purpose' };

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64url');

function mac(secret: string, body: string): Buffer {
  return createHmac('sha256', secret).update(body).digest();
}

/**
 * A signed, expiring token: `base64url(purpose|address|expiresMs).base64url(HMAC-SHA256)`. The secret comes from
 * ROTATION_SECRET at the edge; a token names no secret and cannot be forged or extended without it.
 */
export function signToken(secret: string, purpose: TokenPurpose, address: string, nowMs: number): string {
  const body = b64(`${purpose}|${address}|${nowMs + TOKEN_TTL_MS[purpose]}`);
  return `${body}.${mac(secret, body).toString('base64url')}`;
}

/** Checks a token's signature (in constant time), purpose and expiry. */
export function verifyToken(secret: string, token: string, purpose: TokenPurpose, nowMs: number): TokenCheck {
  const m = /^([A-Za-z0-9_-]{4,600})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return { ok: false, reason: 'malformed' };
  const [, body = '', sig = ''] = m;
  const given = Buffer.from(sig, 'base64url');
  const want = mac(secret, body);
  if (given.length !== want.length || !timingSafeEqual(given, want))
    return { ok: false, reason: 'bad-signature' };
  const parts = Buffer.from(body, 'base64url').toString('utf8').split('|');
  if (parts.length !== 3) return { ok: false, reason: 'malformed' };
  const [p, address = '', exp = ''] = parts;
  if (p !== purpose) return { ok: false, reason: 'wrong-purpose' };
  const expiresMs = Number(exp);
  if (!Number.isFinite(expiresMs)) return { ok: false, reason: 'malformed' };
  if (nowMs > expiresMs) return { ok: false, reason: 'expired' };
  return { ok: true, address, purpose, expiresMs };
}

/** Constant-time comparison of two strings (CSRF tokens, signatures): no early exit on the first difference. */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The secret from the environment, or null; never logged. At least 16 characters. */
export function secretFrom(env: Record<string, string | undefined>): string | null {
  const s = env['ROTATION_SECRET'];
  return s && s.length >= 16 ? s : null;
}

/**
 * A valid email address for the newsletter: one `@`, a dotted domain of letters, digits and hyphens, no spaces or
 * angle brackets or quotes (nothing that could inject a header), at most 254 characters. Lower-cased.
 */
export function parseAddress(text: string): string | null {
  const a = text.trim().toLowerCase();
  if (a.length > 254 || a.length < 6) return null;
  const m =
    /^([a-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64})@([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+)$/.exec(
      a,
    );
  if (!m) return null;
  const local = m[1] ?? '';
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) return null;
  return a;
}

/** A form's CSRF token: `issuedMs.HMAC(csrf|issuedMs)`, valid for an hour, checked without server state. */
export function csrfToken(secret: string, nowMs: number): string {
  return `${nowMs}.${mac(secret, `csrf|${nowMs}`).toString('base64url')}`;
}

export function verifyCsrf(secret: string, token: string, nowMs: number): boolean {
  const m = /^(\d{1,16})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return false;
  const issued = Number(m[1]);
  if (nowMs - issued > 3600_000 || issued - nowMs > 60_000) return false;
  return safeEqual(m[2] ?? '', mac(secret, `csrf|${m[1]}`).toString('base64url'));
}
