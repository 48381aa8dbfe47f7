import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export type TestSmtp = {
  port: number;
  /** Every message the server accepted, parsed, in arrival order. */
  messages: ParsedMail[];
  /** Raw accepted count (a message is counted as soon as the server replies 250). */
  accepted: () => number;
  /** Makes the server refuse mail to an address with a permanent (550) or temporary (451) reply. */
  refuse: (address: string, code: 550 | 451) => void;
  close: () => Promise<void>;
};

/** A real SMTP server (smtp-server) on 127.0.0.1 and a random port, keeping every message it accepts. */
export async function startSmtp(): Promise<TestSmtp> {
  const messages: ParsedMail[] = [];
  const refused = new Map<string, number>();
  let accepted = 0;
  let parsing: Promise<void> = Promise.resolve();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, cb) {
      const code = refused.get(address.address.toLowerCase());
      if (code) {
        const e = Object.assign(new Error(code === 550 ? 'mailbox unavailable' : 'try again later'), {
          responseCode: code,
        });
        cb(e);
        return;
      }
      cb();
    },
    onData(stream, _session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        // Accepted: kept, then answered 250 at once, as a real server answers once the message is queued. The
        // parsing is the test's inspection, after the answer: done before it, it would widen the window in which a
        // client killed after the server kept its message has not yet heard the 250 (docs/publish.md, the crash test).
        accepted++;
        const raw = Buffer.concat(chunks);
        cb();
        // One parse at a time: `messages` keeps the arrival order.
        parsing = parsing
          .then(() => simpleParser(raw, { keepCidLinks: true }))
          .then((m) => void messages.push(m))
          .catch(() => undefined);
      });
    },
  });
  // A client killed mid-session (the crash test) resets its connection: that is the test's point, not a failure.
  server.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'ECONNRESET' && e.code !== 'EPIPE') throw e;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    messages,
    accepted: () => accepted,
    refuse: (address, code) => refused.set(address.toLowerCase(), code),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
