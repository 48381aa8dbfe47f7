import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smtpMailer, smtpSettingsFrom } from './mailer.js';

/**
 * A loopback SMTP server that accepts a mail and then never answers QUIT (nor closes on it): the mailer's close must
 * end the session after its QUIT bound, not after the socket timeout (10 minutes). With `silentData` it never answers
 * the end of data either (a server that hangs while it holds the message).
 */
function mute(
  silentData = false,
): Promise<{ server: Server; port: number; quits: () => number; closed: Promise<void> }> {
  let quits = 0;
  let onClosed: () => void = () => undefined;
  const closed = new Promise<void>((r) => (onClosed = r));
  const server = createServer({ allowHalfOpen: true }, (socket: Socket) => {
    let inData = false;
    let buffer = '';
    socket.on('end', () => {
      onClosed(); // the client's side is closed (this server never closes its own on QUIT)
      socket.destroy();
    });
    socket.on('error', () => undefined);
    socket.write('220 mute.test ESMTP\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          buffer = buffer.slice(end + 5);
          inData = false;
          if (!silentData) socket.write('250 2.0.0 queued\r\n');
          continue;
        }
        const nl = buffer.indexOf('\r\n');
        if (nl < 0) return;
        const line = buffer.slice(0, nl).toUpperCase();
        buffer = buffer.slice(nl + 2);
        if (line.startsWith('EHLO') || line.startsWith('HELO')) socket.write('250 mute.test\r\n');
        else if (line.startsWith('MAIL') || line.startsWith('RCPT')) socket.write('250 2.1.0 ok\r\n');
        else if (line === 'DATA') {
          inData = true;
          socket.write('354 go ahead\r\n');
        } else if (line === 'QUIT')
          quits++; // no reply, no close
        else socket.write('502 5.5.2 not here\r\n');
      }
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({ server, port, quits: () => quits, closed });
    }),
  );
}

/** A small mail to one reader, with its Message-ID. */
const hello = (messageId: string) => ({
  from: 'Rotation Desk <desk@example.test>',
  to: 'reader@example.test',
  subject: 'hello',
  html: '<p>hello</p>',
  text: 'hello',
  messageId,
  headers: {},
  attachments: [],
});

describe('QUIT against a server that never answers it', () => {
  let srv: Awaited<ReturnType<typeof mute>>;
  beforeAll(async () => {
    srv = await mute();
  });
  afterAll(() => {
    srv.server.close();
  });

  it('says QUIT, then destroys the socket after the bound instead of waiting for the socket timeout', async () => {
    const mailer = smtpMailer({ host: '127.0.0.1', port: srv.port, secure: false, quitTimeoutMs: 200 });
    const sent = await mailer.send(hello('<quit-test@example.test>'));
    expect(sent.ok).toBe(true);
    await mailer.close();
    // The server sees the client close its side (the test times out at 10 s otherwise,
    // far below the 10-minute socket timeout an unbounded QUIT waits for).
    await srv.closed;
    expect(srv.quits()).toBe(1);
  }, 10_000);
});

describe('the reply to the end of data from a server that never sends it', () => {
  let srv: Awaited<ReturnType<typeof mute>>;
  beforeAll(async () => {
    srv = await mute(true);
  });
  afterAll(() => {
    srv.server.close();
  });

  it('gives the connection up after ROTATION_SMTP_REPLY_TIMEOUT, a temporary failure (sent again later)', async () => {
    const settings = smtpSettingsFrom({
      ROTATION_SMTP_HOST: '127.0.0.1',
      ROTATION_SMTP_PORT: String(srv.port),
      ROTATION_SMTP_REPLY_TIMEOUT: '1',
    });
    expect(settings.replyTimeoutMs).toBe(1000);
    const mailer = smtpMailer({ ...settings, quitTimeoutMs: 200 });
    const started = performance.now();
    const sent = await mailer.send(hello('<reply-timeout-test@example.test>'));
    // Not a refusal: the server may hold the message, so the outbox keeps the row pending (at-least-once).
    expect(sent).toMatchObject({ ok: false, permanent: false });
    // Given up on after the bound, not after RFC 5321's 10 minutes (the test times out at 10 s otherwise).
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
    await mailer.close();
  }, 10_000);

  it('refuses a reply timeout that is not 1 to 600 whole seconds, naming the variable', () => {
    for (const bad of ['0', '601', '1.5', 'soon', '-3', ''])
      expect(() => smtpSettingsFrom({ ROTATION_SMTP_HOST: 'm', ROTATION_SMTP_REPLY_TIMEOUT: bad })).toThrow(
        /ROTATION_SMTP_REPLY_TIMEOUT/,
      );
    expect(smtpSettingsFrom({ ROTATION_SMTP_HOST: 'm' }).replyTimeoutMs).toBeUndefined();
  });
});
