import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { Hono } from 'hono';

export type Listening = { url: string; close: () => Promise<void> };

/** Serves `app` on host:port (port 0: any free port) and resolves once it listens, with its URL. */
export function listen(app: Hono, host: string, port: number): Promise<Listening> {
  return new Promise((resolve, reject) => {
    let server: ServerType | undefined = undefined;
    const onError = (e: Error) => reject(e);
    server = serve({ fetch: app.fetch, hostname: host, port }, (info: AddressInfo) => {
      server?.off('error', onError);
      const h = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      const s = server as ServerType;
      resolve({
        url: `http://${h}:${info.port}`,
        close: () =>
          new Promise<void>((done) => {
            s.close(() => done());
            if ('closeAllConnections' in s) s.closeAllConnections();
          }),
      });
    });
    server.once('error', onError);
    // Slow clients: the whole request (headers and body) within 10 s, headers within 5 s.
    if ('requestTimeout' in server) {
      server.requestTimeout = 10_000;
      server.headersTimeout = 5_000;
    }
  });
}
