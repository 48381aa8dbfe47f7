/**
 * The analytics benchmark, alone in its process so that its peak memory is its own:
 *
 *   node dist/bench/analytics-worker.js FILE [BENCH]
 *
 * Reads FILE (long format date,symbol,close,...; CSV, or Parquet by extension — the same file the pandas peer
 * reads) into a dense close matrix through DuckDB (`loadCloseMatrix`), runs the peer's steps and then the
 * product's own analytics with the core functions, and prints one JSON line on stdout: wall time per step, peak
 * RSS and the peer's checksums.
 */
import type { TradingDate } from '../shared/brand.js';
import { loadCloseMatrix } from '../data/matrix.js';
import {
  peerWorkload,
  productWorkload,
  type PeerChecksums,
  type WorkloadMatrix,
} from './analytics-workload.js';

export type AnalyticsWorkerResult = {
  symbols: number;
  sessions: number;
  bars: number;
  /** The peer's steps, same names as peer_pandas.py `timings` (ms). `load_ms` = read + dense matrix. */
  steps: Record<string, number>;
  /** Sum of the peer's steps: what is compared with the peer's `total_ms`. */
  peer_workload_ms: number;
  /** The product's analytics (ms per step). */
  product_steps: Record<string, number>;
  product_ms: number;
  /** Everything, load included. */
  total_ms: number;
  peak_rss_mb: number;
  checksums: PeerChecksums;
  counts: Record<string, number>;
  product: Record<string, unknown>;
};

const round1 = (x: number) => Math.round(x * 10) / 10;

function toArray(c: Float64Array): number[] {
  const out = new Array<number>(c.length);
  for (let i = 0; i < c.length; i++) out[i] = c[i] as number;
  return out;
}

async function main(): Promise<void> {
  const [file, bench = 'S0000'] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: node dist/bench/analytics-worker.js FILE [BENCH]\n');
    process.exitCode = 2;
    return;
  }
  const t0 = performance.now();
  const loaded = await loadCloseMatrix(file);
  const tRead = performance.now();
  // The core functions take plain number arrays; the Float64Arrays are released after the copy (an indexed loop
  // into a preallocated array: about a third of Array.from's time on the 19M closes).
  const columns = loaded.closes.map(toArray);
  loaded.closes.length = 0;
  const tLoad = performance.now();
  let bars = 0;
  for (const c of columns) for (const x of c) if (Number.isFinite(x)) bars++;
  const m: WorkloadMatrix = { dates: loaded.dates as TradingDate[], symbols: loaded.symbols, columns };
  const bi = m.symbols.indexOf(bench);
  const sectors = m.symbols.filter((s) => s !== bench).slice(0, 11);
  process.stderr.write(
    `analytics: ${m.symbols.length} symbols x ${m.dates.length} sessions loaded in ${((tLoad - t0) / 1000).toFixed(1)} s\n`,
  );
  if (bi < 0) throw new Error(`benchmark ${bench} is not in ${file}`);
  const peer = peerWorkload(m, bench, sectors);
  const steps = {
    load_ms: round1(tLoad - t0),
    load_read_ms: round1(tRead - t0),
    load_to_arrays_ms: round1(tLoad - tRead),
    ...peer.timings,
  };
  const peerMs = round1(
    ['load_ms', 'returns_ms', 'year_start_ms', 'breadth_ms', 'drawdown_ms', 'rrg_ms'].reduce(
      (a, k) => a + ((steps as Record<string, number>)[k] ?? 0),
      0,
    ),
  );
  const product = productWorkload(m, bench, sectors);
  const productMs = round1(Object.values(product.timings).reduce((a, b) => a + b, 0));
  const result: AnalyticsWorkerResult = {
    symbols: m.symbols.length,
    sessions: m.dates.length,
    bars,
    steps,
    peer_workload_ms: peerMs,
    product_steps: product.timings,
    product_ms: productMs,
    total_ms: round1(performance.now() - t0),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    checksums: peer.checksums,
    counts: peer.counts,
    product: product.summary,
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
