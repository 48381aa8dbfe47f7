import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import MailComposer from 'nodemailer/lib/mail-composer';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
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

/** What the outbox learns while a mail is on the wire (docs/publish.md, "The window"). */
export type SendHooks = {
  /**
   * Runs synchronously once the whole message is on its way and before the end-of-data terminator (`CRLF.CRLF`)
   * is written: from here on the server may accept it. Throwing stops the send before the terminator (the server
   * discards the unfinished message).
   */
  onInDoubt?: () => void;
  /**
   * Runs synchronously inside the socket's data event that carries the server's 250, before the promise settles
   * (nothing else runs in between); it must not throw.
   */
  onAccepted?: (response: string) => void;
};

export interface Mailer {
  send(mail: OutgoingMail, hooks?: SendHooks): Promise<SendOutcome>;
  /** Says QUIT (bounded: the socket is destroyed when the server does not answer); resolves once it is closed. */
  close(): Promise<void>;
}

export type SmtpSettings = {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  pass?: string;
  /** How long `close()` waits for the server's reply to QUIT before it destroys the socket (default 2 s). */
  quitTimeoutMs?: number;
  /**
   * How long a connection may stay silent (the reply to the end of data above all) before the mailer gives up on it
   * (default 10 min, RFC 5321 4.5.3.2.6). Shorter bounds a run against a server that hangs, at the price of a
   * possible duplicate: a message the server accepts after the sender gave up is sent again (docs/publish.md).
   */
  replyTimeoutMs?: number;
};

/** RFC 5321 4.5.3.2.6: the reply to the end of data may take 10 minutes. */
const REPLY_TIMEOUT_MS = 10 * 60_000;

/** The default bound on QUIT: the mail is already accepted, the reply only says goodbye. */
const QUIT_TIMEOUT_MS = 2_000;

/**
 * SMTP settings from the environment: ROTATION_SMTP_HOST (required), ROTATION_SMTP_PORT (default 587, or 465 with
 * TLS), ROTATION_SMTP_SECURE (`true` for TLS from the first byte), ROTATION_SMTP_USER and ROTATION_SMTP_PASS, and
 * ROTATION_SMTP_REPLY_TIMEOUT (seconds of silence before a connection is given up, 1 to 600; default 600).
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
  const replyText = env['ROTATION_SMTP_REPLY_TIMEOUT'];
  let replyTimeoutMs: number | undefined;
  if (replyText !== undefined) {
    const seconds = Number(replyText);
    if (!/^\d+$/.test(replyText) || seconds < 1 || seconds > 600)
      throw new UsageError(
        `ROTATION_SMTP_REPLY_TIMEOUT "${replyText}" is not a whole number of seconds from 1 to 600`,
        "leave it unset for RFC 5321's 10 minutes; a shorter wait can send a slow server's message twice",
      );
    replyTimeoutMs = seconds * 1000;
  }
  return {
    host,
    port,
    secure,
    ...(user ? { user } : {}),
    ...(pass ? { pass } : {}),
    ...(replyTimeoutMs !== undefined ? { replyTimeoutMs } : {}),
  };
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

function outcomeOfError(e: unknown): SendOutcome {
  const code = responseCode(e);
  const reason = (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? 'SMTP error';
  return { ok: false, permanent: code !== null && code >= 500 && code < 600, reason: reason.slice(0, 300) };
}

/**
 * The message body as a stream that calls `beforeEnd` when the body is consumed and before it ends: SMTPConnection
 * writes the end-of-data terminator only when this stream has ended, so `beforeEnd` runs before the server can
 * accept the message. A throwing `beforeEnd` destroys the stream instead: no terminator is sent.
 */
function bodyStream(raw: Buffer, beforeEnd: () => void): { stream: Readable; started: () => boolean } {
  let pushed = false;
  const stream = new Readable({
    read() {
      if (!pushed) {
        pushed = true;
        this.push(raw);
        return;
      }
      try {
        beforeEnd();
      } catch (e) {
        this.destroy(e instanceof Error ? e : new Error(String(e)));
        return;
      }
      this.push(null);
    },
  });
  return { stream, started: () => pushed };
}

/**
 * SMTP through nodemailer's own SMTPConnection (its protocol: greeting, EHLO, STARTTLS, AUTH, dot-stuffing, replies)
 * with the message built by its MailComposer, on one connection kept open between mails and opened again after an
 * error or a close. Not the pooled transport: the outbox must know the moment before the terminator (the transport
 * builds and streams the message itself), and the 250 reaches `onAccepted` from the socket's data event with
 * nothing in between (SMTPConnection calls back synchronously from it). Errors name the server's reply, never the
 * credentials.
 */
export function smtpMailer(s: SmtpSettings): Mailer {
  let open: Promise<SMTPConnection> | null = null;
  let used = 0;
  const connect = (): Promise<SMTPConnection> => {
    if (open) return open;
    const c = new SMTPConnection({
      host: s.host,
      port: s.port,
      secure: s.secure,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      // RFC 1047 / RFC 5321 4.5.3.2.6: a sender that gives up on the reply to the end of data while the server is
      // still working re-sends a message the server may have accepted; wait as long as the RFC says (10 minutes)
      // unless the operator chose a shorter bound (ROTATION_SMTP_REPLY_TIMEOUT).
      socketTimeout: s.replyTimeoutMs ?? REPLY_TIMEOUT_MS,
      // Every close comes after the 221, after an error or after the QUIT bound: nothing is left to say, so the
      // socket is destroyed rather than ended (end() waits up to 5 s more for a server that does not close).
      socketCloseTimeout: 0,
      // A loopback or private server without a certificate is the operator's choice; TLS is verified elsewhere.
      tls: { rejectUnauthorized: !['127.0.0.1', 'localhost', '::1'].includes(s.host) },
      logger: false,
    });
    const p = new Promise<SMTPConnection>((resolve, reject) => {
      // An error or a close (the server ending an idle session) drops the connection: the next mail opens one.
      c.on('error', (e) => {
        if (open === p) open = null;
        reject(e instanceof Error ? e : new Error(String(e)));
      });
      c.on('end', () => {
        if (open === p) open = null;
        reject(new Error('the SMTP server closed the connection'));
      });
      c.connect((e) => {
        if (e) return reject(e);
        if (!s.user) return resolve(c);
        c.login({ user: s.user, pass: s.pass ?? '' }, (le) => (le ? reject(le) : resolve(c)));
      });
    });
    open = p;
    used = 0;
    p.catch(() => {
      if (open === p) open = null;
      c.close();
    });
    return p;
  };
  /** Forgets the connection: closed at once after an error, with a QUIT when the mailer is done. */
  const drop = (quit = false): Promise<void> => {
    const p = open;
    open = null;
    if (!p) return Promise.resolve();
    return p
      .then(
        (c) =>
          new Promise<void>((resolve) => {
            // SMTPConnection emits 'end' once its socket is gone, after a close or after the server's reply to QUIT.
            c.once('end', () => resolve());
            if (!quit) return c.close();
            // A server that never answers QUIT would hold the socket (and the process) until the socket timeout (10 minutes).
            const timer = setTimeout(() => c.close(), s.quitTimeoutMs ?? QUIT_TIMEOUT_MS);
            c.once('end', () => clearTimeout(timer));
            c.quit();
          }),
      )
      .catch(() => undefined);
  };

  /** One try; `retry` when a kept connection turned out dead before a byte of the mail was read. */
  const attempt = async (
    m: OutgoingMail,
    raw: Buffer,
    hooks: SendHooks,
  ): Promise<{ outcome: SendOutcome; retry: boolean }> => {
    let c: SMTPConnection;
    try {
      c = await connect();
    } catch (e) {
      return { outcome: outcomeOfError(e), retry: false };
    }
    const reused = used++ > 0;
    const body = bodyStream(raw, () => hooks.onInDoubt?.());
    return new Promise((resolve) => {
      c.send({ from: envelopeFrom(m.from), to: [m.to] }, body.stream, (e, info) => {
        if (e) {
          void drop();
          // A kept connection the server had dropped before a byte of this mail was read: once more on a new one.
          resolve({ outcome: outcomeOfError(e), retry: reused && !body.started() });
          return;
        }
        const response = String(info.response);
        if (info.rejected.length > 0) {
          void drop();
          const reason = `recipient refused: ${response}`.slice(0, 300);
          resolve({ outcome: { ok: false, permanent: true, reason }, retry: false });
          return;
        }
        // The 250 is in: journal it before anything else runs (no await, no turn of the event loop).
        hooks.onAccepted?.(response);
        resolve({ outcome: { ok: true, response }, retry: false });
      });
    });
  };

  const sendOne = async (m: OutgoingMail, hooks: SendHooks): Promise<SendOutcome> => {
    const raw = await new MailComposer({
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
    })
      .compile()
      .build();
    const first = await attempt(m, raw, hooks);
    return first.retry ? (await attempt(m, raw, hooks)).outcome : first.outcome;
  };

  // One mail at a time on the one connection (the server's confirmation mails may be asked for at once).
  let queue: Promise<unknown> = Promise.resolve();
  return {
    send(m, hooks = {}) {
      const run = queue.then(() => sendOne(m, hooks));
      queue = run.catch(() => undefined);
      return run;
    },
    close() {
      return drop(true);
    },
  };
}

/** The envelope sender: the address of a `Name <address>` From. */
function envelopeFrom(from: string): string {
  return /<([^<>]+)>\s*$/.exec(from)?.[1] ?? from.trim();
}
