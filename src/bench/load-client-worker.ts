/**
 * The serve bench's saturating client, alone in its process (a fresh heap and a core of its own, as each server
 * has):
 *
 *   node dist/bench/load-client-worker.js URL SECONDS CONNECTIONS [NAME:VALUE ...]
 *
 * Opens CONNECTIONS keep-alive HTTP/1.1 connections to URL (127.0.0.1 only) and, for SECONDS, sends each one's next
 * GET as soon as the last byte of its answer is in (closed loop). Answers are read by their content-length and
 * counted, never decoded: the client costs a few microseconds an answer whatever its size, so the rate is the
 * server's (autocannon decodes every body to a string, which for a 61 kB answer costs its core more than the
 * server spends). Prints one JSON line: requests, req_per_s, the client's CPU per request, latency quantiles,
 * errors and non-2xx answers. An answer without content-length, or a closed connection, is an error.
 */
import { connect, type Socket } from 'node:net';

export type LoadClientResult = {
  requests: number;
  req_per_s: number;
  client_cpu_us_per_request: number;
  latency_ms: { p50: number; p90: number; p99: number; max: number };
  errors: number;
  non_2xx: number;
};

function main(): void {
  const [target, secondsArg, connectionsArg, ...headerArgs] = process.argv.slice(2);
  const url = new URL(target ?? '');
  const seconds = Number(secondsArg);
  const connections = Number(connectionsArg);
  if (url.hostname !== '127.0.0.1' || !(seconds > 0) || !(connections > 0))
    throw new Error(
      'usage: load-client-worker.js http://127.0.0.1:PORT/PATH SECONDS CONNECTIONS [NAME:VALUE ...]',
    );
  const lines = [`host: ${url.host}`, ...headerArgs.map((h) => h.replace(':', ': '))];
  const request = Buffer.from(
    `GET ${url.pathname}${url.search} HTTP/1.1\r\n${lines.map((l) => `${l}\r\n`).join('')}\r\n`,
    'latin1',
  );
  const ms: number[] = [];
  let errors = 0;
  let non2xx = 0;
  let open = connections;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  const finished = () => {
    if (--open > 0) return;
    const wall = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const s = ms.sort((a, b) => a - b);
    const q = (f: number) =>
      Math.round((s[Math.min(s.length - 1, Math.floor(f * s.length))] ?? 0) * 100) / 100;
    const out: LoadClientResult = {
      requests: ms.length,
      req_per_s: Math.round(ms.length / wall),
      client_cpu_us_per_request: Math.round((cpu.user + cpu.system) / Math.max(1, ms.length)),
      latency_ms: { p50: q(0.5), p90: q(0.9), p99: q(0.99), max: q(1) },
      errors,
      non_2xx: non2xx,
    };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  };
  for (let i = 0; i < connections; i++) run(connect(Number(url.port), url.hostname));

  function run(socket: Socket): void {
    socket.setNoDelay(true);
    let head: Buffer | null = null;
    let left = -1;
    let status = 0;
    let sentAt = 0;
    let done = false;
    const stop = (error: boolean) => {
      if (done) return;
      done = true;
      if (error) errors++;
      socket.destroy();
      finished();
    };
    const send = () => {
      sentAt = performance.now();
      if (sentAt >= end) return stop(false);
      socket.write(request);
    };
    socket.on('connect', send);
    socket.on('data', (chunk: Buffer) => {
      if (left < 0) {
        head = head ? Buffer.concat([head, chunk]) : chunk;
        const at = head.indexOf('\r\n\r\n');
        if (at < 0) return;
        const text = head.toString('latin1', 0, at);
        const length = /\r\ncontent-length:\s*(\d+)/i.exec(text);
        if (!length) return stop(true);
        status = Number(text.slice(9, 12));
        left = Number(length[1]) - (head.length - at - 4);
      } else left -= chunk.length;
      if (left > 0) return;
      if (left < 0) return stop(true);
      ms.push(performance.now() - sentAt);
      if (status < 200 || status > 299) non2xx++;
      head = null;
      left = -1;
      send();
    });
    socket.on('error', () => stop(true));
    socket.on('close', () => stop(true));
  }
}

try {
  main();
} catch (e: unknown) {
  process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 2;
}
