import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadClientResult } from './load-client-worker.js';

/** The built worker (test/support/global-build.ts builds dist before the tests). */
const WORKER = join(dirname(fileURLToPath(import.meta.url)), '../../dist/bench/load-client-worker.js');

function runClient(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [WORKER, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

describe("the serve bench's load client", () => {
  const body = Buffer.alloc(20_000, 'x');
  let server: Server;
  let base = '';
  const seen: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(`${req.url} ${req.headers['accept-encoding'] ?? ''}`);
      if (req.url === '/chunked') {
        res.write('no length');
        res.end();
        return;
      }
      res.writeHead(req.url === '/missing' ? 404 : 200, { 'content-length': body.length });
      res.end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('counts answers by content-length on keep-alive connections, with the headers asked', async () => {
    const r = await runClient([`${base}/ok?x=1`, '1', '3', '-', 'accept-encoding:gzip, br']);
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out) as LoadClientResult;
    expect(out.requests).toBeGreaterThan(100);
    expect(out).toMatchObject({ errors: 0, non_2xx: 0 });
    expect(out.req_per_s).toBeGreaterThan(100);
    expect(out.latency_ms.p50).toBeLessThanOrEqual(out.latency_ms.max);
    expect(seen).toContain('/ok?x=1 gzip, br');
  });

  it('reads an answer whose head and body come in several reads, bigger than its read buffer', async () => {
    // A raw server: each answer's head cut in two writes a moment apart, then a body over the client's read buffer.
    const big = Buffer.alloc(600_000, 'y');
    const raw = createNetServer((socket) => {
      socket.setNoDelay(true);
      socket.on('data', () => {
        socket.write('HTTP/1.1 200 OK\r\ncontent-le');
        setTimeout(() => socket.write(Buffer.concat([Buffer.from(`ngth: ${big.length}\r\n\r\n`), big])), 5);
      });
    });
    await new Promise<void>((ok) => raw.listen(0, '127.0.0.1', ok));
    const port = (raw.address() as AddressInfo).port;
    const r = await runClient([`http://127.0.0.1:${port}/split`, '0.5', '2']);
    // The client has closed its connections once it reported: the server closes at once.
    await new Promise<void>((ok) => raw.close(() => ok()));
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out) as LoadClientResult;
    expect(out.requests).toBeGreaterThan(2);
    expect(out).toMatchObject({ errors: 0, non_2xx: 0 });
  });

  it('counts non-2xx answers and calls an answer without content-length an error', async () => {
    const missing = JSON.parse((await runClient([`${base}/missing`, '0.5', '2'])).out) as LoadClientResult;
    expect(missing.non_2xx).toBe(missing.requests);
    expect(missing.requests).toBeGreaterThan(0);
    const chunked = JSON.parse((await runClient([`${base}/chunked`, '0.5', '2'])).out) as LoadClientResult;
    expect(chunked).toMatchObject({ requests: 0, errors: 2 });
  });

  it('sends at a fixed rate (open loop), every request answered, latency from its due time', async () => {
    const r = await runClient([`${base}/ok`, '1', '4', '300']);
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out) as LoadClientResult;
    expect(out).toMatchObject({ requests: 300, errors: 0, non_2xx: 0 });
    expect(out.latency_from_send_ms?.p50).toBeLessThanOrEqual(out.latency_ms.max);
    expect(out.client_max_late_ms).toBeGreaterThanOrEqual(0);
    // every connection failing ends the run: the requests not answered are errors, not a hang
    const bad = JSON.parse((await runClient([`${base}/chunked`, '1', '2', '100'])).out) as LoadClientResult;
    expect(bad).toMatchObject({ requests: 0, errors: 100 });
  });

  it('says so when the connections do not open', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const r = await runClient([`http://127.0.0.1:${port}/`, '1', '2']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/the connections to 127\.0\.0\.1:\d+ did not open/);
  }, 15_000);

  it('refuses an address other than 127.0.0.1', async () => {
    const r = await runClient(['http://example.com/', '1', '1']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/usage: load-client-worker\.js http:\/\/127\.0\.0\.1/);
  });
});
