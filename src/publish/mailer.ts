import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';
import { UsageError } from '../shared/errors.js';

/** One mail as the outbox hands it to the mailer. */
export type OutgoingMail = {
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Derived from the outbox key: a re-send after a crash carries the same Message-ID (docs/publish.md). */
  messageId: string;
  headers: Record<string, string>;
  attachments: { cid: string; filename: string; content: Buffer; contentType: string }[];
};

/** What the SMTP server said: accepted, or refused with its reply code (5xx permanent, 4xx temporary). */
export type SendOutcome = { ok: true; response: string } | { ok: false; permanent: boolean; reason: string };

export interface Mailer {
  /**
   * Sends one mail. `onAccepted` runs synchronously inside the transport's callback for the server's 250, before the
   * promise settles (the outbox writes its acknowledgement journal there: docs/publish.md, "The window"); it must
   * not throw.
   */
  send(mail: OutgoingMail, onAccepted?: (response: string) => void): Promise<SendOutcome>;
  close(): void;
}

export type SmtpSettings = { host: string; port: number; secure: boolean; user?: string; pass?: string };

/**
 * SMTP settings from the environment: ROTATION_SMTP_HOST (required), ROTATION_SMTP_PORT (default 587, or 465 with
 * TLS), ROTATION_SMTP_SECURE (`true` for TLS from the first byte), ROTATION_SMTP_USER and ROTATION_SMTP_PASS.
 */
export function smtpSettingsFrom(env: Record<string, string | undefined>): SmtpSettings {
  const host = env['ROTATION_SMTP_HOST'];
  if (!host)
    throw new UsageError(
      'ROTATION_SMTP_HOST is not set: the newsletter needs an SMTP server',
      'set ROTATION_SMTP_HOST (and ROTATION_SMTP_PORT, ROTATION_SMTP_SECURE, ROTATION_SMTP_USER, ROTATION_SMTP_PASS)',
    );
  const secureText = (env['ROTATION_SMTP_SECURE'] ?? 'false').toLowerCase();
  if (!['true', 'false', '1', '0'].includes(secureText))
    throw new UsageError(`ROTATION_SMTP_SECURE "${secureText}" is not true or false`);
  const secure = secureText === 'true' || secureText === '1';
  const portText = env['ROTATION_SMTP_PORT'] ?? (secure ? '465' : '587');
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new UsageError(`ROTATION_SMTP_PORT "${portText}" is not a TCP port (1-65535)`);
  const user = env['ROTATION_SMTP_USER'];
  const pass = env['ROTATION_SMTP_PASS'];
  return { host, port, secure, ...(user ? { user } : {}), ...(pass ? { pass } : {}) };
}

/** The Message-ID of an outbox row: the same key always gives the same id. */
export function messageIdOf(outboxId: string, domain = 'rotation-desk.invalid'): string {
  return `<${createHash('sha256').update(outboxId).digest('hex').slice(0, 40)}@${domain}>`;
}

/** A reply code from nodemailer's error, if the server sent one. */
function responseCode(e: unknown): number | null {
  const code = (e as { responseCode?: unknown }).responseCode;
  return typeof code === 'number' ? code : null;
}

/** A nodemailer SMTP transport (one pooled connection). Errors name the server's reply, never the credentials. */
export function smtpMailer(s: SmtpSettings): Mailer {
  const transport = nodemailer.createTransport({
    host: s.host,
    port: s.port,
    secure: s.secure,
    pool: true,
    maxConnections: 1,
    ...(s.user ? { auth: { user: s.user, pass: s.pass ?? '' } } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    // A loopback or private server without a certificate is the operator's choice; TLS is still verified elsewhere.
    tls: { rejectUnauthorized: !['127.0.0.1', 'localhost', '::1'].includes(s.host) },
  });
  return {
    send(m, onAccepted) {
      return new Promise<SendOutcome>((resolve) => {
        transport.sendMail(
          {
            from: m.from,
            to: m.to,
            subject: m.subject,
            html: m.html,
            text: m.text,
            messageId: m.messageId,
            headers: m.headers,
            attachments: m.attachments.map((a) => ({
              cid: a.cid,
              filename: a.filename,
              content: a.content,
              contentType: a.contentType,
            })),
          },
          (e, info) => {
            if (e) {
              const code = responseCode(e);
              const reason = (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? 'SMTP error';
              resolve({
                ok: false,
                permanent: code !== null && code >= 500 && code < 600,
                reason: reason.slice(0, 300),
              });
              return;
            }
            const rejected = (info.rejected as unknown[]).length;
            if (rejected > 0) {
              resolve({ ok: false, permanent: true, reason: `recipient refused: ${String(info.response)}` });
              return;
            }
            const response = String(info.response);
            // The 250 is in: journal it before anything else runs (no await, no turn of the event loop).
            onAccepted?.(response);
            resolve({ ok: true, response });
          },
        );
      });
    },
    close() {
      transport.close();
    },
  };
}
