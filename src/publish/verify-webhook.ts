// The example verifier shipped in docs/publish.md (a test checks the docs hold this file's text verbatim).
import { createHmac, timingSafeEqual } from 'node:crypto';

export type WebhookCheck = { ok: true; eventId: string } | { ok: false; reason: string };

/**
 * Verifies one Rotation Desk webhook delivery. `body` is the raw request body; `headers` the request headers
 * (lower-case names). Rejects a bad or missing signature, a timestamp more than `toleranceSec` from `nowSec`
 * (a replay of an old capture), and an event id already processed (`seen`, which the caller persists).
 */
export function verifyWebhook(input: {
  secret: string;
  body: string;
  headers: Record<string, string | undefined>;
  nowSec: number;
  seen: Set<string>;
  toleranceSec?: number;
}): WebhookCheck {
  const ts = input.headers['x-rotation-timestamp'] ?? '';
  const sig = input.headers['x-rotation-signature'] ?? '';
  const eventId = input.headers['idempotency-key'] ?? '';
  if (!/^\d{1,12}$/.test(ts) || !/^v1=[0-9a-f]{64}$/.test(sig) || eventId === '')
    return { ok: false, reason: 'missing or malformed signature headers' };
  const want = createHmac('sha256', input.secret).update(`${ts}.${eventId}.${input.body}`).digest();
  const given = Buffer.from(sig.slice(3), 'hex');
  if (given.length !== want.length || !timingSafeEqual(given, want))
    return { ok: false, reason: 'bad signature' };
  if (Math.abs(input.nowSec - Number(ts)) > (input.toleranceSec ?? 300))
    return { ok: false, reason: 'timestamp outside the tolerance (replayed?)' };
  if (input.seen.has(eventId)) return { ok: false, reason: 'event already processed (replayed)' };
  input.seen.add(eventId);
  return { ok: true, eventId };
}
