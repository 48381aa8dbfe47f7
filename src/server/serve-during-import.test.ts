import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../data/config.js';
import { importPaths } from '../data/ingest/import.js';
import { snapshotDir, SnapshotReader, writeServed } from '../data/snapshot.js';
import { Store } from '../data/store/store.js';
import type { TradingDate } from '../shared/brand.js';
import { weekdays, wigglyPath } from '../../test/support/synthetic-series.js';
import { tempDir } from '../../test/support/tmp.js';
import { createApp } from './app.js';
import { listen } from './listen.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The CLI from source in a child process: jiti (installed with eslint and knip) runs the TypeScript as is. */
const JITI = join(ROOT, 'node_modules/.bin/jiti');

function writeCloses(dir: string, symbols: readonly string[], n: number): void {
  mkdirSync(dir, { recursive: true });
  const dates = weekdays(n, '2010-01-04');
  symbols.forEach((s, k) => {
    const path = wigglyPath(n, k + 1);
    writeFileSync(
      join(dir, `${s}.csv`),
      ['Date,Close', ...dates.map((d, i) => `${d},${(path[i] as number).toFixed(4)}`)].join('\n') + '\n',
    );
  });
}

async function liveStore(dir: string): Promise<string> {
  const db = join(dir, 'live.duckdb');
  writeCloses(join(dir, 'first'), ['IWM', 'QQQ'], 1500);
  const store = await Store.open(db);
  try {
    const out = await importPaths(store, [join(dir, 'first')], { today: '2026-11-24' });
    if (out.some((o) => !o.ok)) throw new Error(JSON.stringify(out));
  } finally {
    store.close();
  }
  return db;
}

describe('snapshots: the server reads a copy while a writer holds the live file', () => {
  it('publishes only for a served store, numbers snapshots and keeps the newest three', async () => {
    const dir = tempDir('snapshot-');
    const db = await liveStore(dir);
    const touch = () => writeServed(db, () => Promise.resolve());
    await touch();
    expect(existsSync(snapshotDir(db))).toBe(false);
    const reader = await SnapshotReader.start(db, { checkEveryMs: 0 });
    expect(reader.version()).toBe('000001');
    for (const id of ['000002', '000003', '000004']) {
      await touch();
      expect(reader.version()).toBe(id);
    }
    expect(readFileSync(join(snapshotDir(db), 'current'), 'utf8')).toBe('000004\n');
    expect(existsSync(join(snapshotDir(db), '000001.duckdb'))).toBe(false);
    expect(existsSync(join(snapshotDir(db), '000002.duckdb'))).toBe(true);
    const n = await reader.withStore(async (s) => (await s.listSymbols()).length);
    expect(n).toBe(2);
    reader.close();
  }, 60_000);

  // The server's start and a writer take the same snapshot lock: whichever comes second waits for the first, so
  // the outcome does not depend on who wins the race (each order is forced here in one process).
  const symbolsOf = (reader: SnapshotReader) => reader.withStore(async (s) => (await s.listSymbols()).length);
  const holdWriter = (db: string, more: string) => {
    let release = () => {};
    const gate = new Promise<void>((r) => (release = r));
    let entered = () => {};
    const inside = new Promise<void>((r) => (entered = r));
    const done = writeServed(db, async (store) => {
      entered();
      await gate;
      const out = await importPaths(store, [more], { today: '2026-11-24' });
      if (out.some((o) => !o.ok)) throw new Error(JSON.stringify(out));
    });
    return { inside, release, done };
  };

  it('a server starting while a writer holds the store (no snapshot yet) waits for its snapshot', async () => {
    const dir = tempDir('snapshot-race-');
    const db = await liveStore(dir);
    writeCloses(join(dir, 'more'), ['SYN1', 'SYN2'], 300);
    const w = holdWriter(db, join(dir, 'more'));
    await w.inside;
    const events: string[] = [];
    const starting = SnapshotReader.start(db, {
      checkEveryMs: 0,
      onWait: () => events.push('waiting'),
    }).then((r) => {
      events.push('started');
      return r;
    });
    // Give the start every chance to read the live file mid-write (it must not), then let the writer finish.
    await new Promise((r) => setTimeout(r, 300));
    events.push('writer released');
    w.release();
    await w.done;
    const reader = await starting;
    expect(events).toEqual(['waiting', 'writer released', 'started']);
    expect(reader.version()).toBe('000001');
    expect(await symbolsOf(reader)).toBe(4);
    reader.close();
  }, 60_000);

  it('a server starting while a writer holds the store (older snapshot there) starts on it, then moves', async () => {
    const dir = tempDir('snapshot-race-');
    const db = await liveStore(dir);
    writeCloses(join(dir, 'more'), ['SYN1', 'SYN2'], 300);
    (await SnapshotReader.start(db)).close();
    // The live file newer than the snapshot: the start would copy it, but the writer holds the lock.
    const later = new Date(Date.now() + 60_000);
    utimesSync(db, later, later);
    const w = holdWriter(db, join(dir, 'more'));
    await w.inside;
    const reader = await SnapshotReader.start(db, { checkEveryMs: 0 });
    expect(reader.version()).toBe('000001');
    expect(await symbolsOf(reader)).toBe(2);
    // Bars read once per snapshot are kept for the next request: equal, each caller its own array.
    const bars = () => reader.withStore((s) => s.loadBars('SYN1'));
    expect(await bars()).toEqual([]);
    const iwm = await reader.withStore((s) => s.loadBars('IWM'));
    expect(iwm).toHaveLength(1500);
    const again = await reader.withStore((s) => s.loadBars('IWM'));
    expect(again).toEqual(iwm);
    expect(again).not.toBe(iwm);
    w.release();
    await w.done;
    expect(reader.version()).toBe('000002');
    expect(await symbolsOf(reader)).toBe(4);
    // The new snapshot's bars, not the old one's.
    expect(await bars()).toHaveLength(300);
    reader.close();
  }, 60_000);

  it('a writer arriving while the server copies the live file waits for the copy, and is published after it', async () => {
    const dir = tempDir('snapshot-race-');
    const db = await liveStore(dir);
    writeCloses(join(dir, 'more'), ['SYN1', 'SYN2'], 300);
    // start() takes the lock before its first await; the writer, called next, finds it taken and waits.
    const starting = SnapshotReader.start(db, { checkEveryMs: 0 });
    const writing = writeServed(db, async (store) => {
      const out = await importPaths(store, [join(dir, 'more')], { today: '2026-11-24' });
      if (out.some((o) => !o.ok)) throw new Error(JSON.stringify(out));
    });
    const reader = await starting;
    await writing;
    const first = await Store.open(join(snapshotDir(db), '000001.duckdb'), { readOnly: true });
    try {
      expect((await first.listSymbols()).length).toBe(2);
    } finally {
      first.close();
    }
    expect(reader.version()).toBe('000002');
    expect(await symbolsOf(reader)).toBe(4);
    reader.close();
  }, 60_000);

  it.skipIf(!existsSync(JITI))(
    'a server started while `rotation import` writes (another process, no snapshot yet) waits, then serves its data',
    async () => {
      const dir = tempDir('serve-start-import-');
      const db = await liveStore(dir);
      writeCloses(
        join(dir, 'more'),
        Array.from({ length: 30 }, (_, i) => `SYN${i}`),
        4000,
      );
      const child = spawn(JITI, ['src/cli/bin.ts', 'import', '--db', db, join(dir, 'more')], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      let code: number | null = null;
      const exited = new Promise<number>((resolve) => child.on('exit', (c) => resolve((code = c ?? -1))));
      // The writer holds the snapshot lock from before it opens the live file: start once it has it (or is done).
      while (!existsSync(`${db}.snapshot.lock`) && code === null) await new Promise((r) => setTimeout(r, 5));
      const reader = await SnapshotReader.start(db, { checkEveryMs: 0 });
      try {
        expect(await exited, out).toBe(0);
        expect(out).toMatch(/30 file\(s\) imported/);
        // Whichever order the race took, the server answers from a complete copy with the import's data in it.
        expect(await symbolsOf(reader)).toBe(32);
      } finally {
        reader.close();
      }
    },
    180_000,
  );

  it.skipIf(!existsSync(JITI))(
    'keeps answering while `rotation import` runs in another process, then switches to its snapshot',
    async () => {
      const dir = tempDir('serve-import-');
      const db = await liveStore(dir);
      const more = Array.from({ length: 30 }, (_, i) => `SYN${i}`);
      writeCloses(join(dir, 'more'), more, 4000);
      const reader = await SnapshotReader.start(db, { checkEveryMs: 20 });
      const app = createApp({
        withStore: (fn) => reader.withStore(fn),
        version: () => reader.version(),
        config: DEFAULT_CONFIG,
        today: () => '2026-11-24' as TradingDate,
        log: (e) => {
          throw e;
        },
      });
      const server = await listen(app, '127.0.0.1', 0);
      try {
        const child = spawn(JITI, ['src/cli/bin.ts', 'import', '--db', db, join(dir, 'more')], {
          cwd: ROOT,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (out += d.toString()));
        const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
        let done = false;
        void exited.then(() => (done = true));
        const statuses: number[] = [];
        while (!done) {
          const r = await fetch(`${server.url}/api/v1/race?a=IWM&b=QQQ&window=first:7&year=2015`);
          statuses.push(r.status);
          await r.text();
          await new Promise((r) => setTimeout(r, 10));
        }
        expect(await exited, out).toBe(0);
        expect(out).toMatch(/30 file\(s\) imported/);
        expect(statuses.length).toBeGreaterThan(20);
        expect(statuses.every((s) => s === 200)).toBe(true);
        // The import published a snapshot: the server moves to it.
        await new Promise((r) => setTimeout(r, 50));
        expect(reader.version()).toBe('000002');
        const symbols = (await (await fetch(`${server.url}/api/v1/symbols`)).json()) as unknown[];
        expect(symbols).toHaveLength(32);
      } finally {
        await server.close();
        reader.close();
      }
    },
    180_000,
  );
});
