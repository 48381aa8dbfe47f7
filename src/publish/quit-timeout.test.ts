import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smtpMailer } from './mailer.js';

/**
 * A loopback SMTP server that accepts a mail and then never answers QUIT (nor closes on it): the mailer's close must
 * end the session after its QUIT bound, not after the socket timeout (10 minutes).
 */
function mute(): Promise<{ server: Server; port: number; quits: () => number; closed: Promise<void> }> {
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
          socket.write('250 2.0.0 queued\r\n');
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
    const sent = await mailer.send({
      from: 'Rotation Desk <desk@example.test>',
      to: 'reader@example.test',
      subject: 'hello',
      html: '<p>hello</p>',
      text: 'hello',
      messageId: '<quit-test@example.test>',
      headers: {},
      attachments: [],
    });
    expect(sent.ok).toBe(true);
    await mailer.close();
    // The server sees the client close its side (the test times out at 10 s otherwise,
    // far below the 10-minute socket timeout an unbounded QUIT waits for).
    await srv.closed;
    expect(srv.quits()).toBe(1);
  }, 10_000);
});
