/**
 * The serve bench's load client, alone in its process (a fresh heap and a core of its own, as each server has):
 *
 *   node dist/bench/load-client-worker.js URL SECONDS CONNECTIONS [RATE] [NAME:VALUE ...]
 *
 * Opens CONNECTIONS keep-alive HTTP/1.1 connections to URL (127.0.0.1 only) and sends GETs for SECONDS:
 *
 * - without RATE (`-`), closed loop: each connection sends its next request as soon as the last byte of its answer
 *   is in; the requests/s is the server's;
 * - with RATE, open loop: request k is due at k/RATE s from the start, evenly spaced (a slow answer does not hold
 *   the next one back), sent on a free connection (a due request waits for one, and that wait counts in its
 *   latency). Latency is from the request's due time to its last byte (so a client that fell behind counts
 *   against the server, never for it), and from its send. autocannon's own rate is not this: each connection sends
 *   its share of a second back to back at the start of the second.
 *
 * Answers are read by their content-length and counted, never decoded, into one reused buffer: a 61 kB answer
 * costs the client its copy out of the kernel and a callback per read, 26-32 us on the bench's machine, under the
 * server's (autocannon decodes every body to a string, which costs its core more than the server spends), and in
 * its own process no pause of the bench's own heap lands in the latencies.
 * Prints one JSON line (LoadClientResult). An answer without content-length, or a closed connection, is an error.
 */
import { connect, type Socket } from 'node:net';

type Quantiles = { p50: number; p90: number; p99: number; max: number };

export type LoadClientResult = {
  requests: number;
  req_per_s: number;
  client_cpu_us_per_request: number;
  /** Closed loop: from send to last byte; open loop: from the due time to the last byte. */
  latency_ms: Quantiles;
  /** Open loop only: from send to last byte. */
  latency_from_send_ms?: Quantiles;
  /** Open loop only: how late the client sent its latest request. */
  client_max_late_ms?: number;
  errors: number;
  non_2xx: number;
};

type Conn = { get: (onDone: (status: number | null) => void) => void; close: () => void };

function quantiles(xs: number[]): Quantiles {
  const s = xs.sort((a, b) => a - b);
  const q = (f: number) => Math.round((s[Math.min(s.length - 1, Math.floor(f * s.length))] ?? 0) * 100) / 100;
  return { p50: q(0.5), p90: q(0.9), p99: q(0.99), max: q(1) };
}

/**
 * Every connection reads into this one buffer (net's `onread`): each read is handled at once, before the next, so
 * they can share it, and a read allocates nothing (a `data` event is a new Buffer each time, whose allocation and
 * collection cost the client more per 61 kB answer than counting it).
 */
const READ_BUFFER = Buffer.allocUnsafe(256 * 1024);

/** A connection that sends `request` and calls back with the answer's status (null: an error, then closed). */
function connection(url: URL, request: Buffer, onOpen: () => void, onRefused: () => void): Conn {
  /** The answer's head so far, when a read ended inside it (copied out of the shared buffer). */
  let head: Buffer | null = null;
  let left = -1;
  let status = 0;
  let waiter: ((status: number | null) => void) | null = null;
  const finish = (s: number | null) => {
    const w = waiter;
    waiter = null;
    head = null;
    left = -1;
    if (s === null) socket.destroy();
    w?.(s);
  };
  const onRead = (n: number): void => {
    const buf = READ_BUFFER;
    if (left >= 0) left -= n;
    else {
      const bytes = head ? Buffer.concat([head, buf.subarray(0, n)]) : buf.subarray(0, n);
      const at = bytes.indexOf('\r\n\r\n');
      if (at < 0) {
        head = Buffer.from(bytes);
        return;
      }
      head = null;
      const text = bytes.toString('latin1', 0, at);
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(text);
      if (!length) return finish(null);
      status = Number(text.slice(9, 12));
      left = Number(length[1]) - (bytes.length - at - 4);
    }
    if (left === 0) finish(status);
    else if (left < 0) finish(null);
  };
  const socket: Socket = connect({
    port: Number(url.port),
    host: url.hostname,
    // true: keep reading (false would pause the socket).
    onread: {
      buffer: READ_BUFFER,
      callback: (n) => {
        onRead(n);
        return true;
      },
    },
  });
  socket.setNoDelay(true);
  let connected = false;
  socket.on('connect', () => {
    connected = true;
    onOpen();
  });
  socket.on('error', () => (connected ? finish(null) : onRefused()));
  socket.on('close', () => finish(null));
  return {
    get: (onDone) => {
      if (socket.destroyed) return onDone(null);
      waiter = onDone;
      socket.write(request);
    },
    close: () => socket.destroy(),
  };
}

function main(): void {
  const [target, secondsArg, connectionsArg, rateArg, ...headerArgs] = process.argv.slice(2);
  const url = new URL(target ?? '');
  const seconds = Number(secondsArg);
  const connections = Number(connectionsArg);
  const rate = rateArg === undefined || rateArg === '-' ? null : Number(rateArg);
  if (url.hostname !== '127.0.0.1' || !(seconds > 0) || !(connections > 0) || (rate !== null && !(rate > 0)))
    throw new Error(
      'usage: load-client-worker.js http://127.0.0.1:PORT/PATH SECONDS CONNECTIONS [RATE|-] [NAME:VALUE ...]',
    );
  const lines = [`host: ${url.host}`, ...headerArgs.map((h) => h.replace(':', ': '))];
  const request = Buffer.from(
    `GET ${url.pathname}${url.search} HTTP/1.1\r\n${lines.map((l) => `${l}\r\n`).join('')}\r\n`,
    'latin1',
  );
  let opened = 0;
  const conns: Conn[] = [];
  const onOpen = () => {
    if (++opened === connections) (rate === null ? closedLoop : openLoop)(rate ?? 0);
  };
  const refused = () => {
    process.stderr.write(`error: the connections to ${url.host} did not open\n`);
    process.exit(1);
  };
  for (let i = 0; i < connections; i++) conns.push(connection(url, request, onOpen, refused));

  let errors = 0;
  let non2xx = 0;
  const count = (s: number | null) => {
    if (s === null) errors++;
    else if (s < 200 || s > 299) non2xx++;
  };
  const report = (extra: Partial<LoadClientResult>, ms: number[], wall: number, cpu: NodeJS.CpuUsage) => {
    for (const c of conns) c.close();
    const out: LoadClientResult = {
      requests: ms.length,
      req_per_s: Math.round(ms.length / wall),
      client_cpu_us_per_request: Math.round((cpu.user + cpu.system) / Math.max(1, ms.length)),
      latency_ms: quantiles(ms),
      ...extra,
      errors,
      non_2xx: non2xx,
    };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  };

  function closedLoop(): void {
    const ms: number[] = [];
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const end = t0 + seconds * 1000;
    let running = conns.length;
    const stopped = () => {
      if (--running === 0) report({}, ms, (performance.now() - t0) / 1000, process.cpuUsage(cpu0));
    };
    const loop = (c: Conn) => {
      const sent = performance.now();
      if (sent >= end) return stopped();
      c.get((s) => {
        count(s);
        if (s === null) return stopped();
        ms.push(performance.now() - sent);
        loop(c);
      });
    };
    for (const c of conns) loop(c);
  }

  function openLoop(r: number): void {
    const idle = [...conns];
    const queue: number[] = [];
    const fromDue: number[] = [];
    const fromSend: number[] = [];
    const total = Math.round(r * seconds);
    let sent = 0;
    let finished = 0;
    let maxLate = 0;
    let alive = conns.length;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const run = (c: Conn, due: number) => {
      const at = performance.now();
      c.get((s) => {
        const t = performance.now();
        count(s);
        if (s !== null) {
          fromDue.push(t - due);
          fromSend.push(t - at);
        } else if (--alive === 0) {
          // No connection is left to send the rest: each request not yet answered is an error.
          errors += total - finished - 1;
          finished = total - 1;
          sent = total;
        }
        if (++finished === total) {
          const cpu = process.cpuUsage(cpu0);
          report(
            {
              latency_from_send_ms: quantiles(fromSend),
              client_max_late_ms: Math.round(maxLate * 100) / 100,
            },
            fromDue,
            (t - t0) / 1000,
            cpu,
          );
          return;
        }
        const next = queue.shift();
        if (next !== undefined) run(c, next);
        else if (s !== null) idle.push(c);
      });
    };
    const tick = () => {
      const now = performance.now();
      while (sent < total) {
        const due = t0 + (sent * 1000) / r;
        if (due > now) break;
        maxLate = Math.max(maxLate, now - due);
        sent++;
        const c = idle.pop();
        if (c) run(c, due);
        else queue.push(due);
      }
      if (sent < total) setTimeout(tick, Math.max(0, t0 + (sent * 1000) / r - performance.now()));
    };
    tick();
  }
}

try {
  main();
} catch (e: unknown) {
  process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 2;
}
