import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadavg, cpus } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/tmp.js';
import { AckJournal } from './ack-journal.js';
import { smtpMailer, type Mailer, type OutgoingMail } from './mailer.js';

/**
 * Where the SMTP window is (docs/publish.md, "The window"), against a real SMTP server (smtp-server) in ANOTHER
 * process, as in production and in the crash test: the server reads the outbox journal when the end-of-data
 * terminator arrives (the in-doubt line must already be there), stamps the moment it hands its 250 to the socket
 * and reports both; the mailer stamps the moment the acceptance line is written. Both stamps are CLOCK_MONOTONIC
 * (process.hrtime), which every process on the machine shares. Asserts the order, prints the measured window
 * (no timing is asserted: the figures depend on the machine's load).
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAILS = 60;

// The server: accepts everything; at each end of data reads the journal, answers 250, then reports (one JSON line).
const SERVER = `
import { readFileSync, existsSync } from 'node:fs';
import { SMTPServer } from 'smtp-server';
const journal = process.argv[1];
const server = new SMTPServer({
  authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false,
  onData(stream, _session, cb) {
    stream.resume();
    stream.on('end', () => {
      const end = process.hrtime.bigint();
      const text = existsSync(journal) ? readFileSync(journal, 'utf8') : '';
      const lines = text.split('\\n').filter((l) => l !== '').map((l) => JSON.parse(l));
      cb();
      const t = process.hrtime.bigint();
      process.stdout.write(JSON.stringify({ end: String(end), t: String(t), last: lines.at(-1) ?? null }) + '\\n');
    });
  },
});
server.on('error', () => {});
server.listen(0, '127.0.0.1', () => process.stdout.write(JSON.stringify({ port: server.server.address().port }) + '\\n'));
`;

type Report = { end: string; t: string; last: { id: string; state: string } | null };

describe('the SMTP window, measured against a server in another process', () => {
  let child: ChildProcess;
  let port = 0;
  const reports: Report[] = [];
  let mailer: Mailer;
  let journalPath = '';

  beforeAll(async () => {
    journalPath = join(tempDir('smtp-window-'), 'store.outbox-acks');
    child = spawn(process.execPath, ['--input-type=module', '-e', SERVER, journalPath], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    port = await new Promise<number>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`the SMTP server exited (${code})`)));
      lines.on('line', (l) => {
        const v = JSON.parse(l) as { port?: number } & Report;
        if (v.port) resolve(v.port);
        else reports.push(v);
      });
    });
    mailer = smtpMailer({ host: '127.0.0.1', port, secure: false });
  });
  afterAll(async () => {
    await mailer?.close();
    child?.kill();
  });

  const mail = (i: number): OutgoingMail => ({
    from: 'Rotation Desk <d@rotation-desk.invalid>',
    to: `r${i}@example.com`,
    subject: `window ${i}`,
    html: `<p>${'x'.repeat(20_000)}</p>`,
    text: 'x',
    messageId: `<w${i}@rotation-desk.invalid>`,
    headers: {},
    attachments: [],
  });

  it('writes in-doubt before the terminator and the acceptance in the 250s data event; prints the window', async () => {
    const journal = new AckJournal(journalPath);
    const before = reports.length;
    const acceptedAt: bigint[] = [];
    const inDoubtAt: bigint[] = [];
    const order: string[] = [];
    for (let i = 0; i < MAILS; i++) {
      const id = `m${i}`;
      const r = await mailer.send(mail(i), {
        onInDoubt: () => {
          journal.append({ id, attempt: 1, detail: 'd', atMs: 0, state: 'in-doubt' });
          inDoubtAt.push(process.hrtime.bigint());
        },
        onAccepted: (response) => {
          journal.append({ id, attempt: 1, detail: response, atMs: 0, state: 'accepted' });
          acceptedAt.push(process.hrtime.bigint());
          order.push(`accepted ${id}`);
        },
      });
      order.push(`settled ${id}`);
      expect(r.ok, JSON.stringify(r)).toBe(true);
    }
    journal.close();
    while (reports.length < before + MAILS) await new Promise((r) => setTimeout(r, 10));
    const mine = reports.slice(before, before + MAILS);
    for (const [i, rep] of mine.entries())
      expect(
        rep.last,
        `mail ${i}: its in-doubt line was written before the server saw the end of data`,
      ).toEqual(expect.objectContaining({ id: `m${i}`, state: 'in-doubt' }));
    expect(order.slice(0, 4), 'the acceptance is journaled before the send settles').toEqual([
      'accepted m0',
      'settled m0',
      'accepted m1',
      'settled m1',
    ]);
    const quantiles = (us: number[]) => {
      const sorted = [...us].sort((a, b) => a - b);
      const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
      return `p50 ${q(0.5).toFixed(0)} us, p90 ${q(0.9).toFixed(0)} us, max ${q(1).toFixed(0)} us`;
    };
    const afterReply = mine.map((rep, i) => Number((acceptedAt[i] ?? 0n) - BigInt(rep.t)) / 1000);
    const inDoubt = acceptedAt.map((a, i) => Number(a - (inDoubtAt[i] ?? 0n)) / 1000);
    const toServer = mine.map((rep, i) => Number(BigInt(rep.end) - (inDoubtAt[i] ?? 0n)) / 1000);
    const inServer = mine.map((rep) => Number(BigInt(rep.t) - BigInt(rep.end)) / 1000);
    process.stderr.write(
      `SMTP window, ${MAILS} mails, ${cpus().length} cores, load ${loadavg()[0]?.toFixed(2)}: ` +
        `in doubt (in-doubt line -> acceptance line) ${quantiles(inDoubt)}; ` +
        `of which to the server (in-doubt line -> the server has the end of data) ${quantiles(toServer)}, ` +
        `in the server (end of data -> 250 handed to its socket, with this test's journal read) ${quantiles(inServer)}, ` +
        `after the reply (250 handed to the socket -> acceptance line) ${quantiles(afterReply)}\n`,
    );
  });

  it('a failing in-doubt write stops the mail before its terminator: the server accepts nothing, the next mail goes', async () => {
    const before = reports.length;
    const r = await mailer.send(mail(900), {
      onInDoubt: () => {
        throw new Error('disk full');
      },
    });
    expect(r.ok, 'not sent').toBe(false);
    const next = await mailer.send(mail(901));
    expect(next.ok, 'a new connection for the next mail').toBe(true);
    while (reports.length < before + 1) await new Promise((res) => setTimeout(res, 10));
    await new Promise((res) => setTimeout(res, 100));
    expect(reports.length - before, 'only the second mail reached the end of data').toBe(1);
  });
});
