import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { raceByYear } from '../core/race.js';
import { addDays } from '../shared/dates.js';
import { loadCloseMatrix } from '../data/matrix.js';
import type { TradingDate } from '../shared/brand.js';
import {
  carryYearEndClose,
  peerWorkload,
  presentSeries,
  productWorkload,
  resolvedYears,
  yearEndIndexes,
  yearSpreads,
  type WorkloadMatrix,
} from './analytics-workload.js';
import {
  CHECKSUM_TOLERANCE,
  compareWithPeer,
  findPeerScript,
  PANDAS2_NTH_SHIM,
  pythonWithPandas,
  relativeDifference,
} from './peer.js';
import type { AnalyticsWorkerResult } from './analytics-worker.js';
import { writeSyntheticCsv } from './synthetic-csv.js';
import { tempDir } from '../../test/support/tmp.js';

const d = (xs: string[]) => xs as TradingDate[];

describe('carryYearEndClose (the peer year-start base)', () => {
  const dates = d(['2024-12-27', '2024-12-30', '2024-12-31', '2025-01-02', '2025-01-03']);
  it('carries the last close of the year onto a missing year-end session, and fills nothing else', () => {
    expect(yearEndIndexes(dates)).toEqual([2, 4]);
    expect(carryYearEndClose(dates, [10, 11, NaN, NaN, 13])).toEqual([10, 11, 11, NaN, 13]);
    expect(carryYearEndClose(dates, [NaN, NaN, NaN, 12, NaN])).toEqual([NaN, NaN, NaN, 12, 12]);
  });
  it('never reaches into the previous year', () => {
    expect(carryYearEndClose(dates, [10, 11, 12, NaN, NaN])).toEqual([10, 11, 12, NaN, NaN]);
  });
});

describe('yearSpreads (the year-start fast path)', () => {
  it('gives exactly the spreads of the complete races raceByYear reports', () => {
    // weekdays over 3 years; random closes with some gaps (NaN)
    const dates: TradingDate[] = [];
    for (let i = 0; dates.length < 780; i++) {
      const day = addDays('2023-01-02', i);
      const dow = i % 7; // 2023-01-02 is a Monday
      if (dow < 5) dates.push(day);
    }
    const closes = fc.array(fc.oneof(fc.double({ min: 1, max: 500, noNaN: true }), fc.constant(NaN)), {
      minLength: dates.length,
      maxLength: dates.length,
    });
    fc.assert(
      fc.property(closes, closes, (a, b) => {
        for (const w of [
          { kind: 'first', sessions: 7 },
          { kind: 'month', month: 1 },
        ] as const) {
          const viaRace = raceByYear(dates, a, b, w, [2023, 2024, 2025]).rows.flatMap((r) =>
            r.race?.complete ? [r.race.spread] : [],
          );
          const fast = yearSpreads(a, b, resolvedYears(dates, w, [2023, 2024, 2025]));
          expect(fast).toEqual(viaRace);
        }
      }),
      { numRuns: 25 },
    );
  });
});

describe('peerWorkload on a hand-made matrix', () => {
  // 2 years x 8 sessions; BENCH grows 1% a session, A has a gap at 2025's 3rd session and misses 2024's last.
  const dates: string[] = [];
  for (let i = 0; i < 8; i++) dates.push(`2024-12-${String(10 + i).padStart(2, '0')}`);
  for (let i = 0; i < 8; i++) dates.push(`2025-01-${String(2 + i).padStart(2, '0')}`);
  const bench = dates.map((_, t) => 100 * 1.01 ** t);
  const a = dates.map((_, t) => 50 + t);
  a[7] = NaN; // 2024-12-17, A's last 2024 session missing: the base is 2024-12-16's close (56)
  a[10] = NaN;
  const m: WorkloadMatrix = { dates: d(dates), symbols: ['A', 'BENCH'], columns: [a, bench] };
  const r = peerWorkload(m, 'BENCH', ['A']);

  it('averages every defined daily return of the matrix', () => {
    // hand count: BENCH has 15 returns of 0.01 each; A has 15 - 4 = 11 (gaps at 7 and 10 void 4 returns)
    // A's returns: t and t-1 both present, i.e. t = 1..6, 9, 12..15
    const aRets = [1, 2, 3, 4, 5, 6, 9, 12, 13, 14, 15].map((t) => (50 + t) / (49 + t) - 1);
    const expected = (aRets.reduce((x, y) => x + y, 0) + 15 * (1.01 - 1)) / (aRets.length + 15);
    expect(r.counts.returns).toBe(26);
    expect(r.checksums.mean_daily_return).toBeCloseTo(expected, 12);
  });

  it('measures first:7 from the last close the symbol has in the previous year (as the peer)', () => {
    // 7th session of 2025 = index 14 (close 64); base = 56 (2024-12-16); bench: 1.01^7 - 1
    expect(r.counts.year_start_spreads).toBe(1);
    expect(r.checksums.mean_spread_first7).toBeCloseTo(64 / 56 - 1 - (1.01 ** 7 - 1), 12);
  });

  it('takes the drawdown on the last row, at a new high 0', () => {
    expect(r.checksums.mean_drawdown).toBe(0);
  });

  it('has no 200-session breadth or 52-week RRG on 16 sessions', () => {
    expect(r.checksums.last_breadth_200).toBeNull();
    expect(r.checksums.rrg_ratio_mean).toBeNull();
  });

  it('loads only the dates a column has (what a store holds)', () => {
    expect(presentSeries(m.dates, a).dates).toHaveLength(14);
  });
});

describe('relativeDifference / compareWithPeer', () => {
  it('treats equal values and two nulls as equal, one null as a mismatch', () => {
    expect(relativeDifference(1, 1)).toBe(0);
    expect(relativeDifference(null, null)).toBe(0);
    expect(relativeDifference(1, null)).toBe(Infinity);
    expect(relativeDifference(100, 100.0000001)).toBeCloseTo(1e-9, 15);
  });
  it('reports a mismatch with its difference', () => {
    const ours = {
      steps: { load_ms: 100, returns_ms: 10 },
      peer_workload_ms: 110,
      peak_rss_mb: 100,
      checksums: { mean_daily_return: 0.001, last_breadth_200: 0.5 },
    } as unknown as AnalyticsWorkerResult;
    const peer = {
      timings: { load_ms: 200, returns_ms: 5, total_ms: 220 },
      peak_rss_mb: 300,
      checksums: { mean_daily_return: 0.001, last_breadth_200: 0.6 },
    };
    const c = compareWithPeer(ours, peer);
    expect(c['speedup_total']).toBe(2);
    expect(c['speedup_per_step']).toMatchObject({ load: 2, returns: 0.5 });
    expect(c['checksums_match']).toBe(false);
    expect(c['checksum_differences']).toMatchObject({ mean_daily_return: { relative: 0 } });
  });
});

const py = pythonWithPandas();
const peerScript = findPeerScript(null);

describe('the pandas-2 nth shim', () => {
  it('is its own Python file beside the bench modules (npm run build copies it to dist/bench)', () => {
    expect(existsSync(PANDAS2_NTH_SHIM), PANDAS2_NTH_SHIM).toBe(true);
    expect(PANDAS2_NTH_SHIM.endsWith('peer-nth-shim.py')).toBe(true);
  });
  it.skipIf(spawnSync('python3', ['--version']).status !== 0)('parses as Python (writing nothing)', () => {
    const parse = 'import ast, sys; ast.parse(open(sys.argv[1]).read(), sys.argv[1])';
    const r = spawnSync('python3', ['-c', parse, PANDAS2_NTH_SHIM], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  });
});

describe.skipIf(!py || !peerScript)('the same numbers as the pandas peer on the same file', () => {
  let dir: string;
  let csv: string;
  beforeAll(async () => {
    dir = tempDir('rotation-peer-test-');
    csv = join(dir, 'universe.csv');
    await writeSyntheticCsv({ symbols: 30, from: '2022-01-01', to: '2025-12-31', seed: 5, out: csv });
  });

  it('matches all six checksums within 1e-9 (relative)', async () => {
    const r = spawnSync(py as string, [PANDAS2_NTH_SHIM, peerScript as string, csv, '--bench', 'S0000'], {
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    const peer = JSON.parse(r.stdout) as { checksums: Record<string, number | null>; bars: number };
    const loaded = await loadCloseMatrix(csv);
    const m: WorkloadMatrix = {
      dates: loaded.dates as TradingDate[],
      symbols: loaded.symbols,
      columns: loaded.closes.map((c) => Array.from(c)),
    };
    const ours = peerWorkload(m, 'S0000');
    for (const [k, v] of Object.entries(ours.checksums)) {
      expect(v, `${k} is computed`).not.toBeNull();
      expect(relativeDifference(v, peer.checksums[k] ?? null), k).toBeLessThanOrEqual(CHECKSUM_TOLERANCE);
    }
    // and the product's analytics run on the same matrix
    const product = productWorkload(m, 'S0000', m.symbols.slice(1, 12));
    expect(product.summary['race_history']).toMatchObject({ windows: ['first:7', 'jan'], years: 4 });
  }, 60_000);
});
