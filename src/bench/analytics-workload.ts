/**
 * The analytics benchmark's workload on a dense close matrix, computed with the project's core functions:
 *
 * - `peerWorkload`: the pandas peer's steps (shared/bench/peer_pandas.py: returns, year_start, breadth, drawdown,
 *   rrg) and the same six checksums, so both implementations can be shown to compute the same numbers;
 * - `productWorkload`: what Rotation Desk itself computes — race history, precedents, forward odds, the RRG of the
 *   11 sectors (weekly and daily) and 50/200-session breadth over the whole universe.
 *
 * Each step is timed on its own (`performance.now()`); the caller does the loading.
 */
import { participation } from '../core/breadth.js';
import { forwardOdds, DEFAULT_HORIZONS } from '../core/odds.js';
import { beatsPrecedents, extremePrecedents } from '../core/precedents.js';
import { raceByYear } from '../core/race.js';
import { rrg } from '../core/rrg.js';
import { alignSeries } from '../core/series/align.js';
import { drawdowns } from '../core/series/drawdown.js';
import { periodReturn, simpleReturns } from '../core/series/returns.js';
import type { CloseSeries, Maybe } from '../core/series/types.js';
import { resolveWindow, windowInYear, type ResolvedWindow, type Window } from '../core/window.js';
import { peerRrgChecksum } from './peer-rrg-checksum.js';
import type { TradingDate } from '../shared/brand.js';

/** The matrix the workload runs on: `columns[k][t]` = close of `symbols[k]` on `dates[t]`, NaN = no bar. */
export type WorkloadMatrix = {
  dates: readonly TradingDate[];
  symbols: readonly string[];
  columns: readonly (readonly number[])[];
};

/** The peer's checksums (peer_pandas.py `checksums`), same names and meaning. */
export type PeerChecksums = {
  mean_daily_return: number | null;
  last_breadth_200: number | null;
  mean_spread_first7: number | null;
  mean_drawdown: number | null;
  rrg_ratio_mean: number | null;
  rrg_momentum_mean: number | null;
};

/** Compensated (Neumaier) sum of the finite values, and how many there were: a mean stable over 15M terms. */
class FiniteMean {
  private sum = 0;
  private c = 0;
  n = 0;
  add(x: number | null | undefined): void {
    if (x === null || x === undefined || !Number.isFinite(x)) return;
    const t = this.sum + x;
    this.c += Math.abs(this.sum) >= Math.abs(x) ? this.sum - t + x : x - t + this.sum;
    this.sum = t;
    this.n++;
  }
  value(): number | null {
    return this.n === 0 ? null : (this.sum + this.c) / this.n;
  }
}

function timed<T>(timings: Record<string, number>, name: string, f: () => T): T {
  const t0 = performance.now();
  const r = f();
  timings[name] = Math.round((performance.now() - t0) * 10) / 10;
  return r;
}

const FIRST7: Window = { kind: 'first', sessions: 7 };
const JAN: Window = { kind: 'month', month: 1 };

/** The calendar years spanned by the dates, oldest first. */
function yearsOf(dates: readonly string[]): number[] {
  const first = dates[0];
  const last = dates[dates.length - 1];
  const out: number[] = [];
  if (first && last) for (let y = Number(first.slice(0, 4)); y <= Number(last.slice(0, 4)); y++) out.push(y);
  return out;
}

/** The index of the last date of each calendar year, in order (dates ascending). */
export function yearEndIndexes(dates: readonly string[]): number[] {
  const out: number[] = [];
  for (let t = 0; t < dates.length; t++)
    if (t + 1 === dates.length || (dates[t + 1] as string).slice(0, 4) !== (dates[t] as string).slice(0, 4))
      out.push(t);
  return out;
}

/**
 * The peer's year-start base: `groupby(year).last()` is the last close the symbol HAS in the year, not its close
 * on the year's last session. On the union dates, a symbol that missed the last session of a year gets that last
 * close carried onto it, so `race` (which measures from the last session before the window) sees the same base.
 * Nothing else is filled: a gap at the 7th session still gives no return, as in the peer. `yearEnds` =
 * yearEndIndexes(dates), passed in so a universe computes it once.
 */
export function carryYearEndClose(
  dates: readonly string[],
  column: readonly number[],
  yearEnds: readonly number[] = yearEndIndexes(dates),
): number[] {
  const out = column.slice();
  let start = 0;
  for (const t of yearEnds) {
    if (!Number.isFinite(out[t] as number))
      for (let s = t - 1; s >= start; s--)
        if (Number.isFinite(column[s] as number)) {
          out[t] = column[s] as number;
          break;
        }
    start = t + 1;
  }
  return out;
}

/** The series a store would load for one column: only the dates with a bar. */
export function presentSeries(dates: readonly TradingDate[], column: readonly number[]): CloseSeries {
  const d: TradingDate[] = [];
  const v: number[] = [];
  for (let t = 0; t < column.length; t++) {
    const x = column[t] as number;
    if (Number.isFinite(x)) {
      d.push(dates[t] as TradingDate);
      v.push(x);
    }
  }
  return { dates: d, values: v };
}

/** The complete windows of `w` in each year, resolved on `dates` (see resolveWindow); incomplete ones dropped. */
export function resolvedYears(
  dates: readonly TradingDate[],
  w: Window,
  years: readonly number[],
): ResolvedWindow[] {
  const out: ResolvedWindow[] = [];
  for (const y of years) {
    const r = resolveWindow(windowInYear(w, y), dates, y);
    if (r?.complete) out.push(r);
  }
  return out;
}

/**
 * The spread retA - retB over each resolved window: the same figure `race` reports (`periodReturn` of each leg
 * between the same indexes), for many symbols on one date list without building a race object (and its ratio
 * line) per symbol and year. NaN where a leg has no close at either end.
 */
export function yearSpreads(
  a: readonly number[],
  b: readonly number[],
  windows: readonly ResolvedWindow[],
): number[] {
  return windows.map(
    (r) =>
      (periodReturn(a, r.baseIndex, r.endIndex) as number) -
      (periodReturn(b, r.baseIndex, r.endIndex) as number),
  );
}

export type PeerResult = {
  timings: Record<string, number>;
  checksums: PeerChecksums;
  /** Extra figures that show the steps did their work. */
  counts: { returns: number; year_start_spreads: number; jan_spreads: number; breadth_dates: number };
};

/**
 * The peer's workload (see peer_pandas.py) with core functions. `bench` is the benchmark symbol; `sectors` the RRG
 * set (default: the 11 symbols after the benchmark, as the peer does).
 */
export function peerWorkload(m: WorkloadMatrix, bench: string, sectors?: readonly string[]): PeerResult {
  const timings: Record<string, number> = {};
  const bi = m.symbols.indexOf(bench);
  if (bi < 0) throw new RangeError(`benchmark ${bench} is not in the matrix`);
  const benchCol = m.columns[bi] as readonly number[];
  const rrgSet = sectors ?? m.symbols.filter((s) => s !== bench).slice(0, 11);

  const meanReturn = timed(timings, 'returns_ms', () => {
    // pct_change(fill_method=None): x[t] / x[t-1] - 1, NaN when either is missing; nanmean over the matrix
    const acc = new FiniteMean();
    for (const col of m.columns) for (const r of simpleReturns(col)) acc.add(r);
    return acc;
  });

  const yearStart = timed(timings, 'year_start_ms', () => {
    // Every column shares the union dates, so each year's window is resolved once (yearSpreads), not per symbol.
    const years = yearsOf(m.dates);
    const yearEnds = yearEndIndexes(m.dates);
    const benchBase = carryYearEndClose(m.dates, benchCol, yearEnds);
    const w7 = resolvedYears(m.dates, FIRST7, years);
    const wJan = resolvedYears(m.dates, JAN, years);
    const first7 = new FiniteMean();
    const jan = new FiniteMean();
    m.columns.forEach((col, k) => {
      if (k === bi) return;
      const a = carryYearEndClose(m.dates, col, yearEnds);
      for (const x of yearSpreads(a, benchBase, w7)) first7.add(x);
      for (const x of yearSpreads(a, benchBase, wJan)) jan.add(x);
    });
    return { first7, jan };
  });

  const breadth = timed(timings, 'breadth_ms', () => {
    const matrix: Record<string, readonly Maybe[]> = {};
    m.symbols.forEach((s, k) => (matrix[s] = m.columns[k] as readonly number[]));
    return participation(m.dates, matrix, 200);
  });

  const meanDrawdown = timed(timings, 'drawdown_ms', () => {
    // (px / px.cummax() - 1).iloc[-1], then the mean over symbols with a last close
    const acc = new FiniteMean();
    for (const col of m.columns) acc.add(drawdowns(col)[col.length - 1]);
    return acc;
  });

  const rrgSum = timed(timings, 'rrg_ms', () => {
    const set: Record<string, readonly Maybe[]> = {};
    for (const s of rrgSet) {
      const k = m.symbols.indexOf(s);
      if (k >= 0) set[s] = m.columns[k] as readonly number[];
    }
    return peerRrgChecksum(benchCol, set, 52, 10);
  });

  const lastBreadth = breadth[breadth.length - 1]?.share ?? null;
  return {
    timings,
    checksums: {
      mean_daily_return: meanReturn.value(),
      last_breadth_200: lastBreadth,
      mean_spread_first7: yearStart.first7.value(),
      mean_drawdown: meanDrawdown.value(),
      rrg_ratio_mean: rrgSum.ratioMean,
      rrg_momentum_mean: rrgSum.momentumMean,
    },
    counts: {
      returns: meanReturn.n,
      year_start_spreads: yearStart.first7.n,
      jan_spreads: yearStart.jan.n,
      breadth_dates: breadth.filter((p) => p.share !== null).length,
    },
  };
}

export type ProductResult = {
  timings: Record<string, number>;
  /** What was computed, with a few figures to show it. */
  summary: Record<string, unknown>;
};

/**
 * The product's own analytics over the matrix, each series loaded as the store would (only dates with a bar) and
 * aligned with the benchmark on common sessions:
 * race history (first:7 and jan, every year, every symbol vs the benchmark), precedents (each sector beats the
 * benchmark over first:7; the benchmark at a 252-session high), forward odds after those (rest-of-year, 1/3/6/12m),
 * the RRG of the sectors (weekly and daily) and participation (50 and 200 sessions) over the whole universe.
 */
export function productWorkload(m: WorkloadMatrix, bench: string, sectors: readonly string[]): ProductResult {
  const timings: Record<string, number> = {};
  const bi = m.symbols.indexOf(bench);
  if (bi < 0) throw new RangeError(`benchmark ${bench} is not in the matrix`);
  const benchSeries = timed(timings, 'series_ms', () => m.columns.map((col) => presentSeries(m.dates, col)));
  const b = benchSeries[bi] as CloseSeries;
  const years = yearsOf(m.dates);
  const sectorIdx = sectors.map((s) => m.symbols.indexOf(s)).filter((k) => k >= 0);

  const races = timed(timings, 'race_history_ms', () => {
    let count = 0;
    let aWins = 0;
    m.symbols.forEach((_, k) => {
      if (k === bi) return;
      const j = pair(benchSeries[k] as CloseSeries, b);
      for (const w of [FIRST7, JAN])
        for (const { race } of raceByYear(j.dates, j.a, j.b, w, years).rows) {
          if (!race) continue;
          count++;
          if (race.winner === 'a') aWins++;
        }
    });
    return { races: count, symbol_won_share: count ? aWins / count : null };
  });

  const prec = timed(timings, 'precedents_ms', () => {
    const beats = sectorIdx.map((k) => {
      const j = pair(benchSeries[k] as CloseSeries, b);
      const p = beatsPrecedents(j.dates, j.a, j.b, {
        kind: 'beats',
        a: m.symbols[k] as string,
        b: bench,
        window: FIRST7,
      });
      return { symbol: m.symbols[k] as string, j, p };
    });
    const high = extremePrecedents(b.dates as TradingDate[], b.values, {
      kind: 'extreme',
      symbol: bench,
      side: 'high',
      lookback: 252,
    });
    return { beats, high };
  });

  const odds = timed(timings, 'odds_ms', () => {
    const perSector = prec.beats.map(({ j, p }) => forwardOdds(j.dates, [j.a, j.b], p.occurrences));
    const afterHigh = forwardOdds(
      b.dates as TradingDate[],
      [b.values],
      prec.high.occurrences,
      DEFAULT_HORIZONS,
    );
    return { perSector, afterHigh };
  });

  const rrgs = timed(timings, 'rrg_sectors_ms', () => {
    const members = sectorIdx.map((k) => ({
      symbol: m.symbols[k] as string,
      series: benchSeries[k] as CloseSeries,
    }));
    const benchmark = { symbol: bench, series: b };
    return {
      weekly: rrg({ benchmark, members, period: 'weekly' }),
      daily: rrg({ benchmark, members, period: 'daily' }),
    };
  });

  const breadth = timed(timings, 'breadth_50_200_ms', () => {
    const matrix: Record<string, readonly Maybe[]> = {};
    m.symbols.forEach((s, k) => (matrix[s] = m.columns[k] as readonly number[]));
    return { b50: participation(m.dates, matrix, 50), b200: participation(m.dates, matrix, 200) };
  });

  const s1 = prec.beats[0];
  return {
    timings,
    summary: {
      race_history: { windows: ['first:7', 'jan'], years: years.length, ...races },
      precedents: {
        conditions: prec.beats.length + 1,
        [`${s1?.symbol ?? '?'} beats ${bench} first:7`]: s1
          ? { tested: s1.p.tested, count: s1.p.count }
          : null,
        [`${bench} 252-session high episodes`]: prec.high.count,
      },
      odds: {
        horizons: DEFAULT_HORIZONS.map((h) => h.label),
        outcomes:
          odds.perSector.flat().reduce((a, h) => a + h.summary.n, 0) +
          odds.afterHigh.reduce((a, h) => a + h.summary.n, 0),
      },
      rrg: {
        members: sectorIdx.length,
        weekly_quadrants: Object.fromEntries(rrgs.weekly.members.map((x) => [x.symbol, x.quadrant])),
        daily_quadrants: Object.fromEntries(rrgs.daily.members.map((x) => [x.symbol, x.quadrant])),
      },
      breadth: {
        symbols: m.symbols.length,
        last_share_50: breadth.b50[breadth.b50.length - 1]?.share ?? null,
        last_share_200: breadth.b200[breadth.b200.length - 1]?.share ?? null,
      },
    },
  };
}

/** Two series on their common dates, as the race and precedent functions take them. */
function pair(a: CloseSeries, b: CloseSeries): { dates: TradingDate[]; a: number[]; b: number[] } {
  const j = alignSeries([a, b]);
  return { dates: j.dates as TradingDate[], a: j.values[0] as number[], b: j.values[1] as number[] };
}
