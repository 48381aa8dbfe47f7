/**
 * All SQL of the publish layer (docs/publish.md): run steps, the brief archive, subscribers, editions, the outbox
 * and its delivery log, alert state and events. Written portable (it runs on PostgreSQL too): `$n` parameters,
 * TEXT/BIGINT/BOOLEAN columns, times as BIGINT milliseconds, ids made by the caller. It uses three methods of the
 * store and nothing else, so another engine only has to provide these.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { SqlParam } from './duckdb-session.js';

type Row = Record<string, unknown>;

/** Statements on one connection: the store's own, or a transaction's. */
export type SqlStatements = {
  query<T extends Row = Row>(sql: string, params?: readonly SqlParam[]): Promise<T[]>;
  exec(sql: string, params?: readonly SqlParam[]): Promise<void>;
};

/** What the store gives the publish layer (SqlStore.publishState): statements, and a transaction's statements. */
export type SqlRunner = SqlStatements & {
  transaction<T>(fn: (tx: SqlStatements) => Promise<T>): Promise<T>;
};

export type StepStatus = 'done' | 'failed' | 'skipped';
export type RunStep = {
  session: string;
  step: string;
  status: StepStatus;
  message: string | null;
  finishedMs: number;
};

export type SubscriberStatus = 'pending' | 'active' | 'unsubscribed';
export type Cadence = 'daily' | 'weekly';
export type Subscriber = {
  address: string;
  status: SubscriberStatus;
  cadence: Cadence;
  alerts: boolean;
  createdMs: number;
  confirmedMs: number | null;
  unsubscribedMs: number | null;
};

export type ArchiveEntry = {
  session: string;
  asOf: string;
  headline: string;
  summary: string;
  htmlPath: string;
  createdMs: number;
};

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

export type AlertEvent = {
  id: string;
  rule: string;
  session: string;
  title: string;
  payload: string;
  createdMs: number;
};

const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown): string => String(v);
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function subscriberOf(r: Row): Subscriber {
  return {
    address: str(r['address']),
    status: str(r['status']) as SubscriberStatus,
    cadence: str(r['cadence']) as Cadence,
    alerts: Boolean(r['alerts']),
    createdMs: num(r['created_ms']),
    confirmedMs: numOrNull(r['confirmed_ms']),
    unsubscribedMs: numOrNull(r['unsubscribed_ms']),
  };
}

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

/** The publish layer's view of the store. */
export class PublishState {
  private readonly runner: SqlRunner;
  /** The transaction this async call chain is inside, if any: its statements go to the transaction's connection. */
  private readonly inside = new AsyncLocalStorage<SqlStatements>();
  constructor(runner: SqlRunner) {
    this.runner = runner;
  }

  /** The statements for this call: the enclosing transaction's, else the store's. */
  private get db(): SqlStatements {
    return this.inside.getStore() ?? this.runner;
  }

  /**
   * Runs `fn` in one transaction; publish-state calls made by `fn` (and only by it: the transaction is bound to
   * this async call chain) run inside it. A nested call joins the enclosing transaction of the same chain.
   */
  transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.inside.getStore()) return fn();
    return this.runner.transaction((tx) => this.inside.run(tx, fn));
  }

  // --- run steps ---

  async steps(session: string): Promise<RunStep[]> {
    const rows = await this.db.query(
      'SELECT session, step, status, message, finished_ms FROM run_steps WHERE session = $1 ORDER BY finished_ms, step',
      [session],
    );
    return rows.map((r) => ({
      session: str(r['session']),
      step: str(r['step']),
      status: str(r['status']) as StepStatus,
      message: strOrNull(r['message']),
      finishedMs: num(r['finished_ms']),
    }));
  }

  async recordStep(s: RunStep): Promise<void> {
    await this.transaction(async () => {
      await this.db.exec('DELETE FROM run_steps WHERE session = $1 AND step = $2', [s.session, s.step]);
      await this.db.exec('INSERT INTO run_steps VALUES ($1, $2, $3, $4, $5)', [
        s.session,
        s.step,
        s.status,
        s.message,
        s.finishedMs,
      ]);
    });
  }

  // --- brief archive ---

  async putArchive(e: ArchiveEntry): Promise<void> {
    await this.transaction(async () => {
      await this.db.exec('DELETE FROM brief_archive WHERE session = $1', [e.session]);
      await this.db.exec('INSERT INTO brief_archive VALUES ($1, $2, $3, $4, $5, $6)', [
        e.session,
        e.asOf,
        e.headline,
        e.summary,
        e.htmlPath,
        e.createdMs,
      ]);
    });
  }

  /** The newest `limit` archived briefs, newest first. */
  async archive(limit: number): Promise<ArchiveEntry[]> {
    const rows = await this.db.query(
      'SELECT session, as_of, headline, summary, html_path, created_ms FROM brief_archive ORDER BY session DESC LIMIT $1',
      [limit],
    );
    return rows.map((r) => ({
      session: str(r['session']),
      asOf: str(r['as_of']),
      headline: str(r['headline']),
      summary: str(r['summary']),
      htmlPath: str(r['html_path']),
      createdMs: num(r['created_ms']),
    }));
  }

  // --- subscribers ---

  async subscriber(address: string): Promise<Subscriber | null> {
    const [r] = await this.db.query('SELECT * FROM subscribers WHERE address = $1', [address]);
    return r ? subscriberOf(r) : null;
  }

  async subscribers(status?: SubscriberStatus): Promise<Subscriber[]> {
    const rows = status
      ? await this.db.query('SELECT * FROM subscribers WHERE status = $1 ORDER BY address', [status])
      : await this.db.query('SELECT * FROM subscribers ORDER BY address');
    return rows.map(subscriberOf);
  }

  async putSubscriber(s: Subscriber): Promise<void> {
    await this.transaction(async () => {
      await this.db.exec('DELETE FROM subscribers WHERE address = $1', [s.address]);
      await this.db.exec('INSERT INTO subscribers VALUES ($1, $2, $3, $4, $5, $6, $7)', [
        s.address,
        s.status,
        s.cadence,
        s.alerts,
        s.createdMs,
        s.confirmedMs,
        s.unsubscribedMs,
      ]);
    });
  }

  async removeSubscriber(address: string): Promise<boolean> {
    const [r] = await this.db.query<{ n: number }>(
      'SELECT count(*) AS n FROM subscribers WHERE address = $1',
      [address],
    );
    await this.db.exec('DELETE FROM subscribers WHERE address = $1', [address]);
    return Number(r?.n ?? 0) > 0;
  }

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

  // --- alerts ---

  async alertState(rule: string): Promise<Map<string, { value: string; session: string }>> {
    const rows = await this.db.query('SELECT subject, value, session FROM alert_state WHERE rule = $1', [
      rule,
    ]);
    return new Map(
      rows.map((r) => [str(r['subject']), { value: str(r['value']), session: str(r['session']) }]),
    );
  }

  async putAlertState(rule: string, subject: string, value: string, session: string): Promise<void> {
    await this.db.exec('DELETE FROM alert_state WHERE rule = $1 AND subject = $2', [rule, subject]);
    await this.db.exec('INSERT INTO alert_state VALUES ($1, $2, $3, $4)', [rule, subject, value, session]);
  }

  /** Adds an event unless its id exists; true when added. */
  async addAlertEvent(e: AlertEvent): Promise<boolean> {
    const [r] = await this.db.query<{ n: number }>('SELECT count(*) AS n FROM alert_events WHERE id = $1', [
      e.id,
    ]);
    if (Number(r?.n ?? 0) > 0) return false;
    await this.db.exec('INSERT INTO alert_events VALUES ($1, $2, $3, $4, $5, $6)', [
      e.id,
      e.rule,
      e.session,
      e.title,
      e.payload,
      e.createdMs,
    ]);
    return true;
  }

  async alertEvents(opts: { session?: string; limit: number }): Promise<AlertEvent[]> {
    const rows = opts.session
      ? await this.db.query(
          'SELECT * FROM alert_events WHERE session = $1 ORDER BY created_ms, id LIMIT $2',
          [opts.session, opts.limit],
        )
      : await this.db.query('SELECT * FROM alert_events ORDER BY session DESC, id LIMIT $1', [opts.limit]);
    return rows.map((r) => ({
      id: str(r['id']),
      rule: str(r['rule']),
      session: str(r['session']),
      title: str(r['title']),
      payload: str(r['payload']),
      createdMs: num(r['created_ms']),
    }));
  }
}
