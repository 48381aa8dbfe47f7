import { createHmac } from 'node:crypto';

/** A webhook target from the publish config; its secret is read from the environment variable it names. */
export type WebhookTarget = { id: string; url: string; secret: string };

export type PostOutcome = { ok: true; status: number } | { ok: false; permanent: boolean; reason: string };

/** The signature header of a delivery: HMAC-SHA256 over `timestamp.eventId.body`, hex, prefixed `v1=`. */
export function signDelivery(secret: string, timestampSec: number, eventId: string, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestampSec}.${eventId}.${body}`).digest('hex')}`;
}

/**
 * POSTs one event as JSON with its signature, timestamp and idempotency key. 2xx is delivered; 4xx other than
 * 408/429 is refused for good; anything else (5xx, timeouts, refused connections) is retried by the outbox.
 * `onAccepted` (which must not throw) runs as soon as a 2xx status is in, before the body is read.
 */
export async function postWebhook(
  target: WebhookTarget,
  eventId: string,
  body: string,
  nowSec: number,
  timeoutMs = 10_000,
  onAccepted?: (status: number) => void,
): Promise<PostOutcome> {
  try {
    const res = await fetch(target.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'rotation-desk-webhooks',
        'idempotency-key': eventId,
        'x-rotation-timestamp': String(nowSec),
        'x-rotation-signature': signDelivery(target.secret, nowSec, eventId, body),
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    // A 2xx is known with the headers: journal it before reading the body (docs/publish.md, "The window").
    const accepted = res.status >= 200 && res.status < 300;
    if (accepted) onAccepted?.(res.status);
    await res.arrayBuffer().catch(() => undefined);
    if (accepted) return { ok: true, status: res.status };
    const permanent = res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429;
    return { ok: false, permanent, reason: `HTTP ${res.status}` };
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code;
    return { ok: false, permanent: false, reason: cause ?? (e instanceof Error ? e.name : 'network error') };
  }
}
