import { num, numOrNull, str, strOrNull, type Row } from './publish-state-sql.js';
import { SubscriberState } from './publish-state-subscribers.js';

export type Edition = {
  id: string;
  session: string;
  kind: string;
  subject: string;
  html: string;
  text: string;
  /** JSON text of the mail's inline attachments (cid, file name, base64 PNG). */
  attachments: string;
  /** The JSON body a webhook receives ('' for a mail-only edition). */
  body: string;
  createdMs: number;
};

export type OutboxStatus = 'pending' | 'sent' | 'failed';
export type OutboxRow = {
  id: string;
  session: string;
  kind: string;
  channel: 'email' | 'webhook';
  recipient: string;
  edition: string;
  status: OutboxStatus;
  attempts: number;
  nextAttemptMs: number;
  lastError: string | null;
  createdMs: number;
  sentMs: number | null;
};

function outboxOf(r: Row): OutboxRow {
  return {
    id: str(r['id']),
    session: str(r['session']),
    kind: str(r['kind']),
    channel: str(r['channel']) as 'email' | 'webhook',
    recipient: str(r['recipient']),
    edition: str(r['edition']),
    status: str(r['status']) as OutboxStatus,
    attempts: num(r['attempts']),
    nextAttemptMs: num(r['next_attempt_ms']),
    lastError: strOrNull(r['last_error']),
    createdMs: num(r['created_ms']),
    sentMs: numOrNull(r['sent_ms']),
  };
}

/** What an attempt left in doubt by a killed run records (docs/publish.md, "The window"). */
const IN_DOUBT =
  'in doubt: the run stopped after the message was on the wire and before the answer was read; sent again with the same id';

/** What is sent: editions (one body per kind and session), the outbox with per-recipient state, the delivery log. */
export class OutboxState extends SubscriberState {
  // --- editions and the outbox ---

  async edition(id: string): Promise<Edition | null> {
    const [r] = await this.db.query('SELECT * FROM editions WHERE id = $1', [id]);
    if (!r) return null;
    return {
      id: str(r['id']),
      session: str(r['session']),
      kind: str(r['kind']),
      subject: str(r['subject']),
      html: str(r['html']),
      text: str(r['text']),
      attachments: str(r['attachments']),
      body: str(r['body']),
      createdMs: num(r['created_ms']),
    };
  }

  /** Stores an edition unless one with its id exists (an edition, once written, is what every recipient gets). */
  async putEditionOnce(e: Edition): Promise<void> {
    const [r] = await this.db.query<{ n: number }>('SELECT count(*) AS n FROM editions WHERE id = $1', [
      e.id,
    ]);
    if (Number(r?.n ?? 0) > 0) return;
    await this.db.exec('INSERT INTO editions VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)', [
      e.id,
      e.session,
      e.kind,
      e.subject,
      e.html,
      e.text,
      e.attachments,
      e.body,
      e.createdMs,
    ]);
  }

  /**
   * Enqueues messages in one transaction; a row whose id (the idempotency key) is already queued is left as it is.
   * Returns how many were added.
   */
  async enqueue(
    rows: readonly Omit<OutboxRow, 'status' | 'attempts' | 'lastError' | 'sentMs'>[],
  ): Promise<number> {
    if (rows.length === 0) return 0;
    return this.transaction(async () => {
      const existing = new Set(
        (
          await this.db.query<{ id: string }>('SELECT id FROM outbox WHERE session = $1', [
            rows[0]?.session ?? '',
          ])
        ).map((r) => r.id),
      );
      let added = 0;
      for (const m of rows) {
        if (existing.has(m.id)) continue;
        existing.add(m.id);
        await this.db.exec(
          "INSERT INTO outbox VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7, NULL, $8, NULL)",
          [m.id, m.session, m.kind, m.channel, m.recipient, m.edition, m.nextAttemptMs, m.createdMs],
        );
        added++;
      }
      return added;
    });
  }

  /** Pending rows due at `nowMs` (oldest first), optionally of one session. */
  async due(nowMs: number, session?: string): Promise<OutboxRow[]> {
    const rows = session
      ? await this.db.query(
          "SELECT * FROM outbox WHERE status = 'pending' AND next_attempt_ms <= $1 AND session = $2 ORDER BY created_ms, id",
          [nowMs, session],
        )
      : await this.db.query(
          "SELECT * FROM outbox WHERE status = 'pending' AND next_attempt_ms <= $1 ORDER BY created_ms, id",
          [nowMs],
        );
    return rows.map(outboxOf);
  }

  async outbox(session?: string): Promise<OutboxRow[]> {
    const rows = session
      ? await this.db.query('SELECT * FROM outbox WHERE session = $1 ORDER BY created_ms, id', [session])
      : await this.db.query('SELECT * FROM outbox ORDER BY created_ms, id');
    return rows.map(outboxOf);
  }

  /** Marks a message sent (after the server accepted it) and logs the attempt, in one transaction. */
  async markSent(id: string, attempt: number, detail: string, nowMs: number): Promise<void> {
    await this.transaction(async () => {
      await this.db.exec(
        "UPDATE outbox SET status = 'sent', attempts = $2, sent_ms = $3, last_error = NULL WHERE id = $1",
        [id, attempt, nowMs],
      );
      await this.log(id, attempt, 'sent', detail, nowMs);
    });
  }

  /**
   * Applies the lines of the outbox's journal (src/publish/ack-journal.ts) in one transaction. An acceptance marks
   * its still pending row sent with the attempt logged. An `in-doubt` line without an acceptance of the same
   * attempt (the run was killed after the message was on the wire and before the server's answer was read) records
   * that attempt as `in-doubt` in the delivery log and leaves the row pending, due at once: the next pass sends it
   * again. A row already sent or closed, or an attempt already recorded, is left as it is, so replaying the same
   * journal twice changes nothing. Returns how many rows it marked sent and the ids it found in doubt.
   */
  async applyJournal(
    entries: readonly {
      id: string;
      attempt: number;
      detail: string;
      atMs: number;
      state: 'accepted' | 'in-doubt';
    }[],
  ): Promise<{ marked: number; inDoubt: string[] }> {
    const accepted = new Set(
      entries.filter((e) => e.state === 'accepted').map((e) => `${e.id}#${e.attempt}`),
    );
    return this.transaction(async () => {
      let marked = 0;
      const inDoubt: string[] = [];
      for (const a of entries) {
        const [r] = await this.db.query('SELECT status, attempts FROM outbox WHERE id = $1', [a.id]);
        if (!r || str(r['status']) !== 'pending') continue;
        if (a.state === 'accepted') {
          await this.markSent(a.id, a.attempt, a.detail, a.atMs);
          marked++;
        } else if (!accepted.has(`${a.id}#${a.attempt}`) && num(r['attempts']) < a.attempt) {
          await this.db.exec('UPDATE outbox SET attempts = $2, last_error = $3 WHERE id = $1', [
            a.id,
            a.attempt,
            IN_DOUBT,
          ]);
          await this.log(a.id, a.attempt, 'in-doubt', IN_DOUBT, a.atMs);
          inDoubt.push(a.id);
        }
      }
      return { marked, inDoubt };
    });
  }

  /** Records a failed attempt: retried at `nextAttemptMs`, or given up (`failed`) when `final`. */
  async markAttemptFailed(
    id: string,
    attempt: number,
    error: string,
    nextAttemptMs: number,
    final: boolean,
    nowMs: number,
  ): Promise<void> {
    await this.transaction(async () => {
      await this.db.exec(
        'UPDATE outbox SET status = $2, attempts = $3, next_attempt_ms = $4, last_error = $5 WHERE id = $1',
        [id, final ? 'failed' : 'pending', attempt, nextAttemptMs, error],
      );
      await this.log(id, attempt, final ? 'failed' : 'retry', error, nowMs);
    });
  }

  private async log(
    outboxId: string,
    attempt: number,
    outcome: string,
    detail: string,
    nowMs: number,
  ): Promise<void> {
    await this.db.exec('INSERT INTO delivery_log VALUES ($1, $2, $3, $4, $5, $6)', [
      `${outboxId}#${attempt}`,
      outboxId,
      attempt,
      outcome,
      detail,
      nowMs,
    ]);
  }

  /** The outbox rows with an attempt recorded `in-doubt` (a killed run left it on the wire unanswered). */
  async inDoubtIds(): Promise<Set<string>> {
    const rows = await this.db.query(
      "SELECT DISTINCT outbox_id FROM delivery_log WHERE outcome = 'in-doubt'",
    );
    return new Set(rows.map((r) => str(r['outbox_id'])));
  }

  async deliveryLog(
    outboxId: string,
  ): Promise<{ attempt: number; outcome: string; detail: string | null }[]> {
    const rows = await this.db.query(
      'SELECT attempt, outcome, detail FROM delivery_log WHERE outbox_id = $1 ORDER BY attempt',
      [outboxId],
    );
    return rows.map((r) => ({
      attempt: num(r['attempt']),
      outcome: str(r['outcome']),
      detail: strOrNull(r['detail']),
    }));
  }
}
