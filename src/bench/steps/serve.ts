/**
 * The serve benchmark, on 127.0.0.1: the shared data imported into a temp store, `rotation serve`'s app on its
 * snapshot, hono's own hello-world and a bare hono route sending the cached race's bytes from memory, each server
 * in its own child process (serve-worker.js, forked with this process's node flags) and the load's client here, so
 * that on 2 cores client and server each have a core: requests/s of a cached race JSON (identity, gzip, br) vs
 * hello-world and vs the same bytes (the ratios, from alternated runs of a client that does not decode the
 * answers, `clientLoad`; autocannon's beside), each server's CPU per request (its
 * process.cpuUsage over the load), p50/p99 at a fixed rate, uncached race/check/rrg latency (distinct URLs, so no
 * answer is cached), and a fixed-rate load of `--serve-seconds` (default 60) while `rotation import` writes the
 * live file in another process; errors must be 0.
 */
import { execFileSync, fork, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { SHARED_DATA_TODAY, type BenchOptions } from '../args.js';
import type { ServeWorkerMessage } from '../serve-worker.js';
import type { LoadClientResult } from '../load-client-worker.js';
import { BENCH_DIR, freshStore, importStep, log, runImport, runWorker, type Step } from '../workers.js';
import { findSharedData } from './brief.js';

const RACE = '/api/v1/race?a=IWM&b=QQQ&window=first:7&years=1995-2026';

/**
 * On 2 cores or more the servers run on core 1 and the load client on core 0 (taskset, Linux): left to the
 * scheduler, client and server sometimes shared one core for part of a round, and that round's rate came out
 * bimodal (session 10's scratch runs). Every server is pinned alike, so the ratios compare like with like. Where
 * taskset is missing (or one core), nothing is pinned and the report says so.
 */
type Pinning = { client: readonly string[]; server: (pid: number) => void; said: string };

function pinning(): Pinning {
  const none = (why: string): Pinning => ({ client: [], server: () => {}, said: `not pinned: ${why}` });
  if (process.platform !== 'linux') return none('not Linux');
  if (cpus().length < 2) return none('one core');
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
  } catch {
    return none('taskset (util-linux) not found');
  }
  return {
    client: ['taskset', '-c', '0'],
    // -a: every thread the server has (DuckDB's, libuv's); threads started later inherit the main thread's core.
    server: (pid) => execFileSync('taskset', ['-a', '-p', '-c', '1', String(pid)], { stdio: 'ignore' }),
    said: 'servers on core 1 (taskset -a -p -c 1), the load client (load-client-worker.js) on core 0; autocannon and the bench unpinned',
  };
}
/** Set when the serve bench starts (pinning()); the helpers below read it. */
let PIN: Pinning = { client: [], server: () => {}, said: 'not pinned' };

/** A server of the bench in its child process (serve-worker.js). */
type ServerChild = {
  url: string;
  /** The child's CPU time so far (user + system), microseconds. */
  cpu: () => Promise<number>;
  version: () => Promise<string | null>;
  stop: () => Promise<void>;
};

function startServer(args: readonly string[]): Promise<ServerChild> {
  const child = fork(join(BENCH_DIR, 'serve-worker.js'), [...args], {
    execArgv: process.execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  // One question at a time: the bench asks and awaits, so replies come back in order.
  const waiting: ((m: ServeWorkerMessage) => void)[] = [];
  const ask = (q: string) =>
    new Promise<ServeWorkerMessage>((resolve) => {
      waiting.push(resolve);
      child.send(q);
    });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`serve-worker ${args[0]} exited with ${code}`)));
    child.on('message', (m: ServeWorkerMessage) => {
      if ('url' in m) {
        PIN.server(child.pid as number);
        resolve({
          url: m.url,
          cpu: async () => {
            const r = await ask('cpu');
            return 'cpu' in r ? r.cpu.user + r.cpu.system : NaN;
          },
          version: async () => {
            const r = await ask('version');
            return 'version' in r ? r.version : null;
          },
          stop: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null) return done();
              child.once('exit', () => done());
              child.send('stop');
            }),
        });
      } else if ('error' in m) reject(new Error(m.error));
      else waiting.shift()?.(m);
    });
  });
}

async function load(
  server: ServerChild,
  path: string,
  o: { seconds: number; connections: number; rate?: number; headers?: Record<string, string> },
) {
  const server0 = await server.cpu();
  const cpu0 = process.cpuUsage();
  const r = await autocannon({
    url: server.url + path,
    connections: o.connections,
    duration: o.seconds,
    ...(o.rate ? { overallRate: o.rate } : {}),
    ...(o.headers ? { headers: o.headers } : {}),
  });
  const cpu = process.cpuUsage(cpu0);
  const serverCpu = (await server.cpu()) - server0;
  const n = Math.max(1, r.requests.total);
  return {
    // The server's CPU per request (its own process): less sensitive to other processes than req/s.
    cpu_us_per_request: Math.round(serverCpu / n),
    client_cpu_us_per_request: Math.round((cpu.user + cpu.system) / n),
    seconds: o.seconds,
    connections: o.connections,
    ...(o.rate ? { target_rate: o.rate } : {}),
    requests: r.requests.total,
    req_per_s: Math.round(r.requests.average),
    latency_ms: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max },
    errors: r.errors,
    timeouts: r.timeouts,
    non_2xx: r.non2xx,
  };
}

/**
 * A load from load-client-worker.js in its own process (see there): answers counted by content-length, never
 * decoded, so the rate is the server's whatever the answer's size (autocannon decodes every body to a string,
 * which for the 61 kB race costs its one core more than the server spends), and the bench's own heap never pauses
 * the client. Without `rate`, closed loop (as many requests as the server answers); with it, evenly spaced (open
 * loop), latency from each request's due time.
 */
async function clientLoad(
  server: ServerChild,
  path: string,
  o: { seconds: number; connections: number; rate?: number; headers?: Record<string, string> },
) {
  const server0 = await server.cpu();
  const r = await runWorker(
    'load-client-worker.js',
    [
      server.url + path,
      String(o.seconds),
      String(o.connections),
      o.rate === undefined ? '-' : String(o.rate),
      ...Object.entries(o.headers ?? {}).map(([k, v]) => `${k}:${v}`),
    ],
    PIN.client,
  );
  const serverCpu = (await server.cpu()) - server0;
  if ('error' in r) throw new Error(`the load client: ${String(r['error'])}`);
  const c = r as unknown as LoadClientResult;
  return {
    cpu_us_per_request: Math.round(serverCpu / Math.max(1, c.requests)),
    client_cpu_us_per_request: c.client_cpu_us_per_request,
    seconds: o.seconds,
    connections: o.connections,
    requests: c.requests,
    req_per_s: c.req_per_s,
    latency_ms: c.latency_ms,
    ...(c.latency_from_send_ms
      ? { latency_from_send_ms: c.latency_from_send_ms, client_max_late_ms: c.client_max_late_ms ?? null }
      : {}),
    errors: c.errors,
    timeouts: 0,
    non_2xx: c.non_2xx,
  };
}

/** Requests at a fixed rate, evenly spaced (clientLoad's open loop), with the latency from send beside. */
async function paced(
  server: ServerChild,
  path: string,
  o: { seconds: number; connections: number; rate: number; headers?: Record<string, string> },
) {
  return {
    client:
      'evenly spaced (open loop), keep-alive connections, bodies counted not decoded, in its own process',
    target_rate: o.rate,
    ...(await clientLoad(server, path, o)),
  };
}

/** Milliseconds of each request, one after another (each URL different: nothing comes from the cache). */
async function sequential(base: string, paths: readonly string[]) {
  const ms: number[] = [];
  for (const p of paths) {
    const t = performance.now();
    const r = await fetch(base + p);
    await r.text();
    if (r.status !== 200) throw new Error(`${p}: ${r.status}`);
    ms.push(performance.now() - t);
  }
  const s = [...ms].sort((a, b) => a - b);
  const q = (f: number) => Math.round((s[Math.min(s.length - 1, Math.floor(f * s.length))] ?? 0) * 10) / 10;
  return { requests: ms.length, p50_ms: q(0.5), p90_ms: q(0.9), max_ms: q(1) };
}

/** The shared data's ETF, index and stock files, and a synthetic batch the load test imports meanwhile. */
export async function serveBench(
  opts: BenchOptions,
  dir: string,
  report: Record<string, unknown>,
): Promise<void> {
  const data = findSharedData(opts.data);
  if (!data) {
    report['serve'] = { skipped: 'shared/data not found beside the project; pass --data DIR' };
    return;
  }
  const db = await freshStore(join(dir, 'serve.duckdb'));
  const files = ['etf_daily', 'stocks_daily', 'indices/RUT.csv', 'indices/NDX.csv'].map((f) => join(data, f));
  log('serve: importing the shared ETF, stock and index files');
  const imported = importStep(await runImport(files, db, SHARED_DATA_TODAY), null);
  if ('error' in imported) {
    report['serve'] = { import: imported };
    return;
  }
  PIN = pinning();
  const step: Step = {
    import: imported,
    cores: cpus().length,
    load_avg_1m_before: round2(loadavg()[0]),
    pinned: PIN.said,
  };
  let api: ServerChild | null = null;
  let hello: ServerChild | null = null;
  let same: ServerChild | null = null;
  try {
    [api, hello] = await Promise.all([startServer(['api', db, SHARED_DATA_TODAY]), startServer(['hello'])]);
    const seconds = Math.min(5, opts.serveSeconds);
    // The cached race's own bytes, served by a bare hono route from memory: what sending 66 kB costs at best, so
    // the cached path's own overhead shows apart from the size of its answer.
    const bytes = new Uint8Array(await (await fetch(api.url + RACE)).arrayBuffer());
    const bytesFile = join(dir, 'serve-race.json');
    await writeFile(bytesFile, bytes);
    same = await startServer(['same', bytesFile]);
    // Alternated (each kind once per round) so a change in the machine's load falls on every kind; a first round
    // warms the JIT of servers and client alike and is not counted (its rates were a third of the later ones).
    // The ratios are measured with the closed-loop raw client (clientLoad: it reads answers without decoding them,
    // so the server bounds the rate); autocannon's figures for hello-world and the cached race are kept beside.
    // Without Accept-Encoding `cached` is the identity answer (cached_race_bytes); a browser (Chromium) sends
    // `gzip, deflate, br` and gets br, `cached_gzip` asks gzip only.
    log(
      'serve: hello-world (identity, br asked), the same bytes, cached race (identity, gzip, br), then autocannon; 1+2 rounds',
    );
    const [a, h, sb] = [api, hello, same];
    const browser = { 'accept-encoding': 'gzip, deflate, br' };
    const c10 = { seconds, connections: 10 };
    const kinds = {
      hello: () => clientLoad(h, '/', c10),
      hello_br: () => clientLoad(h, '/', { ...c10, headers: browser }),
      same_bytes: () => clientLoad(sb, '/', c10),
      cached: () => clientLoad(a, RACE, c10),
      cached_gzip: () => clientLoad(a, RACE, { ...c10, headers: { 'accept-encoding': 'gzip' } }),
      cached_br: () => clientLoad(a, RACE, { ...c10, headers: browser }),
      autocannon_hello: () => load(h, '/', c10),
      autocannon_cached: () => load(a, RACE, c10),
    };
    type Kind = keyof typeof kinds;
    type Run = Awaited<ReturnType<typeof clientLoad>> | Awaited<ReturnType<typeof load>>;
    const runs = Object.fromEntries(Object.keys(kinds).map((k) => [k, [] as Run[]])) as Record<Kind, Run[]>;
    for (let round = 0; round < 3; round++)
      for (const k of Object.keys(kinds) as Kind[]) {
        const r = await kinds[k]();
        if (round > 0) runs[k].push(r);
      }
    const total = (k: Kind) => runs[k].reduce((n, r) => n + r.requests, 0);
    const cpu = (k: Kind) => runs[k].reduce((n, r) => n + r.cpu_us_per_request * r.requests, 0) / total(k);
    const ratio = (a: Kind, b: Kind) => Math.round((total(a) / total(b)) * 100) / 100;
    const cpuRatio = (a: Kind, b: Kind) => Math.round((cpu(b) / cpu(a)) * 100) / 100;
    // Both sides of each ratio send the same request: `cached_vs_hello` neither asks for compression (the race is
    // its identity answer, cached_race_bytes), `cached_br_vs_hello_br` both send a browser's `gzip, deflate, br`
    // (the race answers br; hello's 11 bytes have no compression to offer).
    step['compared_as'] = {
      cached_vs_hello:
        'both without Accept-Encoding: identity answers (the race cached_race_bytes, hello 11 bytes)',
      cached_br_vs_hello_br:
        "both with Accept-Encoding: gzip, deflate, br (a browser's): the race br, hello identity",
      client:
        'closed loop, 10 keep-alive connections, answers counted by content-length and not decoded (clientLoad)',
    };
    step['hello_world'] = runs.hello;
    step['hello_world_br'] = runs.hello_br;
    step['same_bytes'] = runs.same_bytes;
    step['cached_race'] = runs.cached;
    step['cached_race_gzip'] = runs.cached_gzip;
    step['cached_race_br'] = runs.cached_br;
    step['cached_race_bytes'] = bytes.byteLength;
    step['cached_vs_hello'] = ratio('cached', 'hello');
    step['cached_gzip_vs_hello'] = ratio('cached_gzip', 'hello');
    step['cached_br_vs_hello'] = ratio('cached_br', 'hello');
    step['cached_br_vs_hello_br'] = ratio('cached_br', 'hello_br');
    step['same_bytes_vs_hello'] = ratio('same_bytes', 'hello');
    step['cached_vs_same_bytes'] = ratio('cached', 'same_bytes');
    // The same ratios from the server's CPU per request (hello's CPU / the kind's).
    step['cpu_ratio_vs_hello'] = {
      cached: cpuRatio('cached', 'hello'),
      cached_gzip: cpuRatio('cached_gzip', 'hello'),
      cached_br: cpuRatio('cached_br', 'hello'),
      cached_br_vs_hello_br: cpuRatio('cached_br', 'hello_br'),
      same_bytes: cpuRatio('same_bytes', 'hello'),
    };
    // autocannon 9 decompresses nothing but decodes every body to a string and appends it (its
    // PipelinedRequestsQueue.addBody): its CPU per request grows with the answer's bytes, and with one core for
    // the client it, not the server, bounds the cached race's rate (client_cpu_us_per_request beside the server's).
    step['autocannon'] = {
      client: 'autocannon 9, 10 connections: each body decoded to a string (its cost grows with the bytes)',
      hello_world: runs.autocannon_hello,
      cached_race: runs.autocannon_cached,
      cached_vs_hello: ratio('autocannon_cached', 'autocannon_hello'),
    };
    log('serve: cached race at a fixed 2,000 req/s (evenly spaced; then autocannon per-second bursts)');
    step['cached_race_2000_per_s'] = await paced(api, RACE, { seconds, connections: 20, rate: 2000 });
    step['cached_race_2000_per_s_autocannon_bursts'] = await load(api, RACE, {
      seconds,
      connections: 20,
      rate: 2000,
    });
    log('serve: uncached race, check, rrg');
    // From 2001: IWM's first sessions are in May 2000, so 2000 has no first-7-sessions race.
    const years = Array.from({ length: 20 }, (_, i) => 2001 + i);
    step['uncached'] = {
      race: await sequential(
        api.url,
        years.map((y) => `/api/v1/race?a=IWM&b=QQQ&window=first:7&year=${y}`),
      ),
      check: await sequential(
        api.url,
        years.map((y) => `/api/v1/check?a=IWM&b=QQQ&window=first:7&year=${y}`),
      ),
      rrg: await sequential(
        api.url,
        years.slice(0, 10).map((y) => `/api/v1/rrg?as_of=${y}-06-30`),
      ),
    };
    // The load with an import beside it: `rotation import` (dist/cli) writes the live file in its own process.
    const batch = join(dir, 'serve-more');
    await writeBatch(batch);
    log(`serve: ${opts.serveSeconds} s at 500 req/s while rotation import runs`);
    const before = await api.version();
    const t0 = performance.now();
    const child = spawn(process.execPath, [join(BENCH_DIR, '../cli/bin.js'), 'import', '--db', db, batch], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<{ code: number; ms: number }>((resolve) =>
      child.on('exit', (code) => resolve({ code: code ?? -1, ms: Math.round(performance.now() - t0) })),
    );
    const during = await load(api, RACE, { seconds: opts.serveSeconds, connections: 20, rate: 500 });
    const imp = await exited;
    step['load_during_import'] = {
      ...during,
      import_exit: imp.code,
      import_ms: imp.ms,
      import_output: out.trim().split('\n').slice(-2).join(' / '),
      snapshot_before: before,
      snapshot_after: await api.version(),
    };
  } finally {
    await Promise.all([api?.stop(), hello?.stop(), same?.stop()]);
  }
  step['load_avg_1m_after'] = round2(loadavg()[0]);
  report['serve'] = step;
}

const round2 = (x: number | undefined) => Math.round((x ?? 0) * 100) / 100;

/** 40 synthetic Date,Close files of 5,000 sessions each: an import of about 200k rows. */
async function writeBatch(dir: string): Promise<void> {
  const { mkdir } = await import('node:fs/promises');
  await mkdir(dir, { recursive: true });
  const dates: string[] = [];
  for (let d = Date.UTC(2000, 0, 3); dates.length < 5000; d += 86_400_000) {
    const day = new Date(d).getUTCDay();
    if (day !== 0 && day !== 6) dates.push(new Date(d).toISOString().slice(0, 10));
  }
  for (let k = 0; k < 40; k++) {
    let p = 100;
    const rows = dates.map(
      (date, i) => `${date},${(p *= 1 + 0.0002 + 0.01 * Math.sin(i * 0.3 + k)).toFixed(4)}`,
    );
    await writeFile(join(dir, `BENCH${k}.csv`), ['Date,Close', ...rows].join('\n') + '\n');
  }
}
