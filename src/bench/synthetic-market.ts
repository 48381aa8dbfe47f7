import { sessionsBetween } from '../core/calendar/calendar.js';
import type { TradingDate } from '../shared/brand.js';
import { Rng, seedOf } from './rng.js';

/**
 * A deterministic synthetic US stock market for benchmarks: real NYSE sessions, a market factor, 11 sector
 * factors and idiosyncratic noise, each with GARCH(1,1) volatility clustering and Student-t (fat-tailed)
 * innovations, plus earnings-like jumps, drift, splits (and 1:10 reverse splits below $1), quarterly dividends,
 * late listings, early delistings and occasional missing sessions.
 *
 * Symbols: `S0000` is the market index (the benchmark), `S0001`..`S0011` are the 11 sector indexes (so the
 * pandas peer's default RRG universe, "the next 11 symbols", is the sector set), `S0012` onwards are stocks.
 *
 * Determinism: everything derives from `seed`. The market and sector factors come from their own streams and a
 * symbol's path from a stream named by (seed, symbol index), so symbol i is the same whether the market has 20
 * or 3,000 symbols (for the same date range).
 */

export const SECTORS = [
  'Communication Services',
  'Consumer Discretionary',
  'Consumer Staples',
  'Energy',
  'Financials',
  'Health Care',
  'Industrials',
  'Information Technology',
  'Materials',
  'Real Estate',
  'Utilities',
] as const;

export type SyntheticMarketOptions = {
  /** How many symbols (>= 1). */
  symbols: number;
  /** First and last calendar dates (inclusive); bars fall on the NYSE sessions between them. */
  from: string;
  to: string;
  seed: number;
};

export type SymbolKind = 'index' | 'sector' | 'stock';

export type SymbolProfile = {
  symbol: string;
  kind: SymbolKind;
  sector: (typeof SECTORS)[number] | null;
  /** Target annualised volatility of daily returns (long-run, fraction). */
  annualVol: number;
  /** Loading on the market factor. */
  beta: number;
  /** Expected annual arithmetic return (fraction). */
  drift: number;
  /** Annual dividend yield (fraction), 0 for non-payers. */
  dividendYield: number;
};

export type SplitEvent = { date: TradingDate; ratio: number };
export type DividendEvent = { date: TradingDate; amount: number };

/** One symbol's bars as columns (only the sessions it has a row for), plus its corporate actions. */
export type SymbolSeries = {
  profile: SymbolProfile;
  dates: TradingDate[];
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  adjClose: Float64Array;
  volume: Float64Array;
  /** Split ratios as new shares per old share: 2 for 2:1, 0.1 for a 1:10 reverse split. */
  splits: SplitEvent[];
  /** Cash dividends per share, on their ex-date. */
  dividends: DividendEvent[];
};

export type SyntheticMarket = {
  options: SyntheticMarketOptions;
  sessions: TradingDate[];
  /** The symbol name of index i: `S0000`, `S0001`, … (wider when there are more than 10,000). */
  symbolName(i: number): string;
  /** Generates symbol i's series (cheap enough to call once per symbol while streaming). */
  series(i: number): SymbolSeries;
};

const TRADING_DAYS = 252;
const MARKET_VOL = 0.17;
const MARKET_DRIFT = 0.08;
const SECTOR_VOL = 0.12;
const FIRST_STOCK = 1 + SECTORS.length;

type Garch = { alpha: number; beta: number; df: number };
const MARKET_GARCH: Garch = { alpha: 0.09, beta: 0.89, df: 5 };
const SECTOR_GARCH: Garch = { alpha: 0.06, beta: 0.92, df: 6 };
const IDIO_GARCH: Garch = { alpha: 0.05, beta: 0.93, df: 5 };

/**
 * A GARCH(1,1) path of `n` daily shocks with long-run annual volatility `annualVol` and Student-t innovations.
 * Returns the shocks and their conditional standard deviations.
 */
function garchPath(
  rng: Rng,
  n: number,
  annualVol: number,
  g: Garch,
): { eps: Float64Array; sd: Float64Array } {
  const longRun = (annualVol * annualVol) / TRADING_DAYS;
  const omega = longRun * (1 - g.alpha - g.beta);
  const eps = new Float64Array(n);
  const sd = new Float64Array(n);
  let h = longRun;
  let prev = 0;
  for (let t = 0; t < n; t++) {
    if (t > 0) h = omega + g.alpha * prev * prev + g.beta * h;
    const s = Math.sqrt(h);
    prev = s * rng.studentT(g.df);
    eps[t] = prev;
    sd[t] = s;
  }
  return { eps, sd };
}

/** Builds the market (sessions and factor paths); symbols are generated on demand by `series(i)`. */
export function syntheticMarket(options: SyntheticMarketOptions): SyntheticMarket {
  if (!Number.isInteger(options.symbols) || options.symbols < 1) {
    throw new RangeError(`symbols must be a positive integer, got ${options.symbols}`);
  }
  const sessions = sessionsBetween(options.from, options.to);
  if (sessions.length < 2)
    throw new RangeError(`fewer than 2 sessions between ${options.from} and ${options.to}`);
  const n = sessions.length;
  const seed = options.seed;

  const marketRng = new Rng(seedOf(seed, -1));
  const market = garchPath(marketRng, n, MARKET_VOL, MARKET_GARCH);
  const marketDrift = MARKET_DRIFT / TRADING_DAYS;
  const sectorPaths = SECTORS.map((_, k) =>
    garchPath(new Rng(seedOf(seed, -2, k)), n, SECTOR_VOL, SECTOR_GARCH),
  );

  // Calendar parts of each session, for dividend ex-dates.
  const month = new Uint8Array(n);
  const day = new Uint8Array(n);
  sessions.forEach((d, t) => {
    month[t] = Number(d.slice(5, 7));
    day[t] = Number(d.slice(8, 10));
  });

  const width = Math.max(4, String(options.symbols - 1).length);
  const symbolName = (i: number): string => `S${String(i).padStart(width, '0')}`;

  function series(i: number): SymbolSeries {
    if (!Number.isInteger(i) || i < 0 || i >= options.symbols) throw new RangeError(`no symbol ${i}`);
    const rng = new Rng(seedOf(seed, i));
    const kind: SymbolKind = i === 0 ? 'index' : i < FIRST_STOCK ? 'sector' : 'stock';
    const sectorIndex = kind === 'index' ? -1 : kind === 'sector' ? i - 1 : rng.int(SECTORS.length);
    const sector = sectorIndex < 0 ? null : (SECTORS[sectorIndex] ?? null);

    // Loadings and targets.
    let beta = 1;
    let sectorLoading = 0;
    let annualVol = MARKET_VOL;
    let drift = MARKET_DRIFT;
    let idioVol = 0;
    let dividendYield = 0;
    let startPrice = 1000;
    let baseVolume = 1e9;
    let jumpProb = 0;
    if (kind === 'sector') {
      beta = rng.uniform(0.7, 1.3);
      sectorLoading = 1;
      annualVol = Math.sqrt(beta * beta * MARKET_VOL * MARKET_VOL + SECTOR_VOL * SECTOR_VOL);
      drift = beta * MARKET_DRIFT + rng.uniform(-0.02, 0.02);
      startPrice = rng.logUniform(50, 400);
      baseVolume = rng.logUniform(5e7, 3e8);
    } else if (kind === 'stock') {
      beta = rng.uniform(0.5, 1.6);
      sectorLoading = rng.uniform(0.5, 1.3);
      annualVol = rng.uniform(0.15, 0.6);
      const systematic =
        beta * beta * MARKET_VOL * MARKET_VOL + sectorLoading * sectorLoading * SECTOR_VOL * SECTOR_VOL;
      idioVol = Math.sqrt(Math.max(annualVol * annualVol - systematic, 0.05 * 0.05));
      annualVol = Math.sqrt(systematic + idioVol * idioVol);
      drift = beta * MARKET_DRIFT + rng.normal() * 0.05;
      dividendYield = rng.next() < 0.45 ? rng.uniform(0.005, 0.04) : 0;
      startPrice = rng.logUniform(5, 200);
      baseVolume = rng.logUniform(2e5, 2e7);
      jumpProb = 0.003;
    }
    const profile: SymbolProfile = {
      symbol: symbolName(i),
      kind,
      sector,
      annualVol,
      beta,
      drift,
      dividendYield,
    };

    // Listing window and gaps (stocks only).
    let first = 0;
    let last = n - 1;
    let missingProb = 0;
    if (kind === 'stock') {
      const minLen = Math.min(n, 60);
      if (rng.next() < 0.3) first = Math.floor(rng.uniform(0, 0.7) * (n - minLen));
      if (rng.next() < 0.2) last = first + minLen - 1 + Math.floor(rng.next() * (n - first - minLen));
      if (rng.next() < 0.1) missingProb = 0.003;
    }
    const splitThreshold = rng.uniform(150, 600);
    const dividendDay = 1 + rng.int(25);
    const jumpSize = (annualVol / Math.sqrt(TRADING_DAYS)) * 4;

    const idio = idioVol > 0 ? garchPath(rng, n, idioVol, IDIO_GARCH) : null;
    const sectorPath = sectorLoading > 0 ? sectorPaths[sectorIndex] : undefined;
    const alpha = (drift - beta * MARKET_DRIFT) / TRADING_DAYS;

    const len = last - first + 1;
    const o = new Float64Array(len);
    const h = new Float64Array(len);
    const l = new Float64Array(len);
    const c = new Float64Array(len);
    const ret = new Float64Array(len);
    const v = new Float64Array(len);
    const present = new Uint8Array(len);
    const splits: SplitEvent[] = [];
    const dividends: DividendEvent[] = [];

    let prevClose = startPrice;
    let shares = 1;
    for (let j = 0; j < len; j++) {
      const t = first + j;
      // Daily total return: drift + beta * market + loading * sector + idiosyncratic (+ rare jump).
      let r = alpha + beta * (marketDrift + (market.eps[t] as number));
      let variance = beta * beta * (market.sd[t] as number) ** 2;
      if (sectorPath) {
        r += sectorLoading * (sectorPath.eps[t] as number);
        variance += sectorLoading * sectorLoading * (sectorPath.sd[t] as number) ** 2;
      }
      if (idio) {
        r += idio.eps[t] as number;
        variance += (idio.sd[t] as number) ** 2;
      }
      if (jumpProb > 0 && rng.next() < jumpProb) r += jumpSize * rng.normal();
      if (r < -0.9) r = -0.9;
      const daySd = Math.sqrt(variance);

      // Corporate actions take effect at the open: base is the previous close in today's share terms.
      let base = prevClose;
      if (j > 0 && dividendYield > 0 && isExDate(t)) {
        const amount = Math.round(prevClose * (dividendYield / 4) * 100) / 100;
        if (amount > 0) {
          base -= amount;
          dividends.push({ date: sessions[t] as TradingDate, amount });
        }
      }
      if (j > 0 && kind === 'stock') {
        const ratio = prevClose > splitThreshold ? (rng.next() < 0.7 ? 2 : 3) : prevClose < 1 ? 0.1 : 0;
        if (ratio > 0) {
          base /= ratio;
          shares *= ratio;
          splits.push({ date: sessions[t] as TradingDate, ratio });
        }
      }
      const close = base * (1 + r);
      const logRet = Math.log1p(r);
      const open = base * Math.exp(0.3 * logRet + 0.15 * daySd * rng.normal());
      const high = Math.max(open, close) * Math.exp(0.6 * daySd * Math.abs(rng.normal()));
      const low = Math.min(open, close) * Math.exp(-0.6 * daySd * Math.abs(rng.normal()));
      const volume = Math.max(
        1,
        Math.round(
          baseVolume * shares * Math.exp(0.3 * rng.normal()) * (1 + (8 * Math.abs(r)) / (daySd * 16)),
        ),
      );
      o[j] = open;
      h[j] = high;
      l[j] = low;
      c[j] = close;
      ret[j] = r;
      v[j] = volume;
      // The first and last listed sessions are always present.
      present[j] = j === 0 || j === len - 1 || missingProb === 0 || rng.next() >= missingProb ? 1 : 0;
      prevClose = close;
    }

    // adj_close: the last close, carried back by the total returns (Yahoo-style split and dividend adjustment).
    const adj = new Float64Array(len);
    adj[len - 1] = c[len - 1] as number;
    for (let j = len - 1; j > 0; j--) adj[j - 1] = (adj[j] as number) / (1 + (ret[j] as number));

    let count = 0;
    for (let j = 0; j < len; j++) count += present[j] as number;
    const out: SymbolSeries = {
      profile,
      dates: new Array<TradingDate>(count),
      open: new Float64Array(count),
      high: new Float64Array(count),
      low: new Float64Array(count),
      close: new Float64Array(count),
      adjClose: new Float64Array(count),
      volume: new Float64Array(count),
      splits,
      dividends,
    };
    let k = 0;
    for (let j = 0; j < len; j++) {
      if (!present[j]) continue;
      out.dates[k] = sessions[first + j] as TradingDate;
      out.open[k] = o[j] as number;
      out.high[k] = h[j] as number;
      out.low[k] = l[j] as number;
      out.close[k] = c[j] as number;
      out.adjClose[k] = adj[j] as number;
      out.volume[k] = v[j] as number;
      k++;
    }
    return out;

    /** Quarterly ex-dates: the first session on or after `dividendDay` in Feb, May, Aug and Nov. */
    function isExDate(t: number): boolean {
      const m = month[t] as number;
      if (m % 3 !== 2 || (day[t] as number) < dividendDay) return false;
      return t === 0 || month[t - 1] !== m || (day[t - 1] as number) < dividendDay;
    }
  }

  return { options, sessions, symbolName, series };
}
