import { PublishStateBase, num, str, strOrNull } from './publish-state-sql.js';

export type StepStatus = 'done' | 'failed' | 'skipped';
export type RunStep = {
  session: string;
  step: string;
  status: StepStatus;
  message: string | null;
  finishedMs: number;
};

export type ArchiveEntry = {
  session: string;
  asOf: string;
  headline: string;
  summary: string;
  htmlPath: string;
  createdMs: number;
};

export type AlertEvent = {
  id: string;
  rule: string;
  session: string;
  title: string;
  payload: string;
  createdMs: number;
};

/** The daily run's own record: its steps per session, the brief archive, the alert rules' state and events. */
export class RunState extends PublishStateBase {
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
