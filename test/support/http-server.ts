import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Reply = { status?: number; headers?: Record<string, string>; body: string | Uint8Array };
export type Handler = (url: URL, req: IncomingMessage) => Reply | Promise<Reply>;

export type TestServer = { origin: string; requests: URL[]; close: () => Promise<void> };

/** A real HTTP server on 127.0.0.1 and a random port, answering with `handler`; records every request URL. */
export async function startServer(handler: Handler): Promise<TestServer> {
  const requests: URL[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url);
    Promise.resolve(handler(url, req))
      .then((r) => {
        res.writeHead(r.status ?? 200, r.headers ?? {});
        res.end(r.body);
      })
      .catch((e: unknown) => {
        res.writeHead(500);
        res.end(String(e));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
export async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The UTC instant (seconds) of 09:30 in New York on `date`: what Yahoo sends as a daily bar's timestamp. */
export function nyOpenSeconds(date: string): number {
  const fmt = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'America/New_York',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  for (const utcHour of [13, 14]) {
    const t = Date.UTC(y, m - 1, d, utcHour, 30);
    if (fmt.format(new Date(t)) === '09:30') return t / 1000;
  }
  throw new Error(`no 09:30 New York instant on ${date}`);
}
