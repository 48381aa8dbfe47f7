/**
 * One server of the serve bench, alone in its process, so that the load's client (autocannon, in the bench's
 * process) and the server each have a core:
 *
 *   node dist/bench/serve-worker.js hello            hono's hello-world, served as hono's docs show (serve())
 *   node dist/bench/serve-worker.js same FILE        a bare hono route sending FILE's bytes from memory
 *   node dist/bench/serve-worker.js api DB TODAY     `rotation serve`'s app (createApp + listen) on DB's snapshot
 *
 * Started with fork() (the bench's node flags): once it listens it sends `{ url }` over IPC; it answers
 * `'cpu'` with its process.cpuUsage() and `'version'` with the snapshot id (api only), and `'stop'` closes it.
 */
import { readFileSync } from 'node:fs';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { DEFAULT_CONFIG } from '../data/config.js';
import { SnapshotReader } from '../data/snapshot.js';
import { createApp } from '../server/app.js';
import { listen } from '../server/listen.js';
import type { TradingDate } from '../shared/brand.js';

export type ServeWorkerMessage =
  | { url: string }
  | { cpu: { user: number; system: number } }
  | { version: string | null }
  | { error: string };

const send = (m: ServeWorkerMessage) => process.send?.(m);

async function start(): Promise<{ url: string; close: () => Promise<void>; version: () => string | null }> {
  const [kind, arg, today] = process.argv.slice(2);
  if (kind === 'hello' || kind === 'same') {
    const app = new Hono();
    if (kind === 'hello') app.get('/', (c) => c.text('Hello Hono!'));
    else {
      const bytes = new Uint8Array(readFileSync(arg as string));
      app.get('/', () => new Response(bytes, { headers: { 'content-type': 'application/json' } }));
    }
    return new Promise((resolve) => {
      const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) =>
        resolve({
          url: `http://127.0.0.1:${info.port}`,
          close: () => new Promise<void>((done) => server.close(() => done())),
          version: () => null,
        }),
      );
    });
  }
  if (kind === 'api' && arg && today) {
    const snapshots = await SnapshotReader.start(arg);
    const app = createApp({
      withStore: (fn) => snapshots.withStore(fn),
      version: () => snapshots.version(),
      config: DEFAULT_CONFIG,
      today: () => today as TradingDate,
      maxConcurrent: 1,
      log: () => {},
    });
    const l = await listen(app, '127.0.0.1', 0);
    return {
      url: l.url,
      close: async () => {
        await l.close();
        snapshots.close();
      },
      version: () => snapshots.version(),
    };
  }
  throw new Error('usage: serve-worker.js hello | same FILE | api DB TODAY');
}

start().then(
  (s) => {
    process.on('message', (m) => {
      if (m === 'cpu') send({ cpu: process.cpuUsage() });
      else if (m === 'version') send({ version: s.version() });
      else if (m === 'stop') void s.close().finally(() => process.exit(0));
    });
    send({ url: s.url });
  },
  (e: unknown) => {
    send({ error: e instanceof Error ? e.message : String(e) });
    process.exit(1);
  },
);
