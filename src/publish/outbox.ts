import type { Edition, OutboxRow, PublishState } from '../data/store/publish-state.js';
import { replayAcks, type AckJournal } from './ack-journal.js';
import type { Mailer, OutgoingMail } from './mailer.js';
import { messageIdOf } from './mailer.js';
import { fillLinks, type InlinePng } from './links.js';
import { signToken } from './tokens.js';
import { postWebhook, type WebhookTarget } from './webhooks.js';

/** How the outbox sends: pacing, retries and the links it writes into each mail. */
export type SendPolicy = {
  /** Messages per second at most (the send rate limit). */
  ratePerSecond: number;
  /** Attempts per message before it is given up as failed. */
  maxAttempts: number;
  /** First retry delay; each further retry waits 4 times longer. */
  backoffMs: number;
  /** How long one run waits for a retry that is due soon; later retries are left to the next run. */
  maxWaitMs: number;
};

export type SendContext = {
  state: PublishState;
  mailer: Mailer | null;
  webhooks: readonly WebhookTarget[];
  policy: SendPolicy;
  from: string;
  baseUrl: string;
  secret: string | null;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /**
   * The journal (ack-journal.ts): an in-doubt line before each message can be accepted, an acceptance line right
   * after; replayed at the start of each send pass. Without one (an in-memory store) a kill between acceptance and
   * the mark re-sends.
   */
  acks?: AckJournal | null;
  /** Called after each attempt (the CLI prints progress; the crash test kills in between). */
  onAttempt?: (row: OutboxRow, outcome: 'sent' | 'retry' | 'failed') => void;
};

/**
 * A send pass: sent, given up, left waiting for a later run, and found in doubt after a killed run (sent again in
 * this pass with the same Message-ID or Idempotency-Key: counted in `sent` too once accepted).
 */
export type SendSummary = { sent: number; failed: number; waiting: number; inDoubt: number };

/** The delay before attempt `attempt + 1`: backoffMs × 4^(attempt − 1). */
export function backoffDelay(policy: SendPolicy, attempt: number): number {
  return policy.backoffMs * 4 ** Math.max(0, attempt - 1);
}

/** The one-click unsubscribe link of an address (signed; the server checks it in constant time). */
export function unsubscribeUrl(baseUrl: string, secret: string, address: string, nowMs: number): string {
  return `${baseUrl.replace(/\/$/, '')}/unsubscribe?token=${encodeURIComponent(signToken(secret, 'unsubscribe', address, nowMs))}`;
}

/**
 * How a delivery reads in the views (`rotation alerts history`): its outbox status, except that a row with an
 * attempt recorded in doubt is `in-doubt` while pending and `re-sent` once accepted (the same Message-ID or
 * Idempotency-Key, so a receiver that dedupes sees it once; the wire may have carried it twice).
 */
export type DeliveryState = 'pending' | 'sent' | 'failed' | 'in-doubt' | 're-sent';

export function deliveryStateOf(row: OutboxRow, inDoubt: ReadonlySet<string>): DeliveryState {
  if (!inDoubt.has(row.id)) return row.status;
  return row.status === 'sent' ? 're-sent' : row.status === 'pending' ? 'in-doubt' : 'failed';
}

/** The key a receiver dedupes a delivery by: the mail's Message-ID, or the webhook's Idempotency-Key. */
export function dedupeKeyOf(row: OutboxRow): string {
  return row.channel === 'email' ? messageIdOf(row.id) : eventIdOf(row);
}

/** A webhook delivery's idempotency key: the alert's own id (`session:rule:subject`), the same for every target. */
function eventIdOf(row: OutboxRow): string {
  return row.edition.replace(/^alert:/, '');
}

function mailOf(row: OutboxRow, edition: Edition, ctx: SendContext): OutgoingMail {
  if (!ctx.secret) throw new Error('ROTATION_SECRET is not set: mails need signed unsubscribe links');
  const nowMs = ctx.now();
  const unsubscribe = unsubscribeUrl(ctx.baseUrl, ctx.secret, row.recipient, nowMs);
  const archive = `${ctx.baseUrl.replace(/\/$/, '')}/briefs/${edition.session}`;
  const links = { unsubscribe, archive };
  const inline = JSON.parse(edition.attachments) as InlinePng[];
  const confirm = row.kind === 'confirm';
  return {
    from: ctx.from,
    to: row.recipient,
    subject: edition.subject,
    html: fillLinks(edition.html, links, true),
    text: fillLinks(edition.text, links, false),
    messageId: messageIdOf(row.id),
    headers: confirm
      ? { 'X-Rotation-Key': row.id }
      : {
          'List-Unsubscribe': `<${unsubscribe}>`,
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          'List-Id': 'Rotation Desk brief <brief.rotation-desk.invalid>',
          'X-Rotation-Key': row.id,
        },
    attachments: inline.map((a) => ({
      cid: a.cid,
      filename: a.filename,
      content: Buffer.from(a.base64, 'base64'),
      contentType: 'image/png',
    })),
  };
}

async function attempt(
  row: OutboxRow,
  ctx: SendContext,
  editions: Map<string, Edition>,
): Promise<'sent' | 'retry' | 'failed'> {
  let edition = editions.get(row.edition);
  if (!edition) {
    const e = await ctx.state.edition(row.edition);
    if (!e) throw new Error(`outbox row ${row.id} names edition ${row.edition}, which is not stored`);
    editions.set(row.edition, e);
    edition = e;
  }
  const n = row.attempts + 1;
  // The journal (docs/publish.md, "The window"): `in-doubt` just before the message can be accepted (before the
  // SMTP terminator, before the webhook request), `accepted` the moment the answer is read (synchronously, in the
  // socket's data event), then the mark in the store. An in-doubt line that cannot be written stops the send
  // before the terminator; an acceptance that cannot be written is reported after the mark (the message is sent
  // and recorded).
  let journalError: unknown = null;
  const journal = (state: 'accepted' | 'in-doubt', detail: string) => {
    if (!ctx.acks) return;
    try {
      ctx.acks.append({ id: row.id, attempt: n, detail, atMs: ctx.now(), state });
    } catch (e) {
      journalError = e;
      if (state === 'in-doubt') throw e;
    }
  };
  let result: { ok: true; detail: string } | { ok: false; permanent: boolean; reason: string };
  if (row.channel === 'email' && row.kind !== 'confirm') {
    // An address unsubscribed after its mail was queued gets nothing more.
    const sub = await ctx.state.subscriber(row.recipient);
    if (sub?.status !== 'active') {
      await ctx.state.markAttemptFailed(row.id, n, 'unsubscribed before sending', ctx.now(), true, ctx.now());
      return 'failed';
    }
  }
  if (row.channel === 'email') {
    if (!ctx.mailer) throw new Error('no SMTP server configured (ROTATION_SMTP_HOST) for the queued mails');
    const r = await ctx.mailer.send(mailOf(row, edition, ctx), {
      onInDoubt: () => journal('in-doubt', 'before the end of data'),
      onAccepted: (response) => journal('accepted', response.slice(0, 200)),
    });
    result = r.ok ? { ok: true, detail: r.response.slice(0, 200) } : r;
  } else {
    const target = ctx.webhooks.find((w) => w.id === row.recipient);
    if (!target)
      result = { ok: false, permanent: true, reason: `webhook ${row.recipient} is no longer configured` };
    else {
      journal('in-doubt', 'before the request');
      const r = await postWebhook(
        target,
        eventIdOf(row),
        edition.body,
        Math.floor(ctx.now() / 1000),
        undefined,
        (status) => journal('accepted', `HTTP ${status}`),
      );
      result = r.ok ? { ok: true, detail: `HTTP ${r.status}` } : r;
    }
  }
  const journalFailure = () =>
    new Error(
      `${row.id}: the outbox journal ${ctx.acks?.path ?? ''} could not be written: ${
        journalError instanceof Error ? journalError.message : String(journalError)
      }`,
    );
  const nowMs = ctx.now();
  if (result.ok) {
    await ctx.state.markSent(row.id, n, result.detail, nowMs);
    if (journalError !== null) throw journalFailure();
    return 'sent';
  }
  const final = result.permanent || n >= ctx.policy.maxAttempts;
  await ctx.state.markAttemptFailed(
    row.id,
    n,
    result.reason,
    nowMs + backoffDelay(ctx.policy, n),
    final,
    nowMs,
  );
  if (journalError !== null) throw journalFailure();
  return final ? 'failed' : 'retry';
}

/**
 * Sends every due message of `session` (all sessions when omitted): paced to the rate limit, each marked sent only
 * after the server accepted it (at-least-once; docs/publish.md explains the window, the journal that shrinks it to
 * the message in flight and names it, and the stable Message-ID), a
 * failure retried with backoff while the wait is under `maxWaitMs`, a permanent refusal (5xx, a bounce) recorded
 * for that recipient. Returns what was sent, given up and left waiting for a later run.
 */
export async function sendDue(ctx: SendContext, session?: string): Promise<SendSummary> {
  const summary: SendSummary = { sent: 0, failed: 0, waiting: 0, inDoubt: 0 };
  // What a killed run had sent but not yet marked: marked now, so it is not sent again; what it left in doubt is
  // recorded as such and sent again below.
  if (ctx.acks) summary.inDoubt = (await replayAcks(ctx.acks, ctx.state)).inDoubt.length;
  const editions = new Map<string, Edition>();
  const gap = 1000 / ctx.policy.ratePerSecond;
  let last = -Infinity;
  for (;;) {
    const due = await ctx.state.due(ctx.now(), session);
    if (due.length === 0) {
      const pending = (await ctx.state.outbox(session)).filter((r) => r.status === 'pending');
      if (pending.length === 0) break;
      const next = Math.min(...pending.map((r) => r.nextAttemptMs));
      const wait = next - ctx.now();
      if (wait > ctx.policy.maxWaitMs) {
        summary.waiting = pending.length;
        break;
      }
      await ctx.sleep(Math.max(0, wait));
      continue;
    }
    for (const row of due) {
      const pause = last + gap - ctx.now();
      if (pause > 0) await ctx.sleep(pause);
      last = ctx.now();
      const outcome = await attempt(row, ctx, editions);
      if (outcome === 'sent') summary.sent++;
      if (outcome === 'failed') summary.failed++;
      ctx.onAttempt?.(row, outcome);
    }
  }
  return summary;
}
