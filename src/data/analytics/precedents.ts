/** `rotation precedents` and `rotation odds`: the years a condition held, and what followed. */
import type { TradingDate } from '../../shared/brand.js';
import { UsageError } from '../../shared/errors.js';
import { forwardOdds, DEFAULT_HORIZONS, type Horizon, type HorizonOdds } from '../../core/odds.js';
import {
  beatsPrecedents,
  extremePrecedents,
  type Condition,
  type Precedents,
} from '../../core/precedents.js';
import type { Basis } from '../../core/series/types.js';
import { loadSeries } from '../load.js';
import type { Store } from '../store/store.js';
import {
  type AnalyticsWarning,
  type Provenance,
  type RunOptions,
  aligned,
  provenance,
  staleWarnings,
} from './common.js';

export type PrecedentsRun = {
  asOf: TradingDate;
  basis: Basis;
  precedents: Precedents;
  provenance: Provenance;
  /** Legs whose data end more than their cadence allows before the as-of (or due) date. */
  stale: AnalyticsWarning[];
};

export async function conditionData(store: Store, c: Condition, opts: RunOptions) {
  switch (c.kind) {
    case 'beats': {
      const data = await aligned(store, [c.a, c.b], opts);
      const [sa, sb] = data.symbols as [string, string];
      const cond = { ...c, a: sa, b: sb };
      const p = beatsPrecedents(data.dates, data.values[0] as number[], data.values[1] as number[], cond);
      return { data, precedents: p, legs: [data.values[0] as number[], data.values[1] as number[]] };
    }
    case 'extreme': {
      if (!Number.isInteger(c.lookback) || c.lookback < 2)
        throw new UsageError(`--lookback ${c.lookback} is not a whole number of sessions >= 2`);
      const s = await loadSeries(store, c.symbol, {
        asOf: opts.asOf,
        basis: opts.basis ?? 'price',
        config: opts.config,
      });
      const last = s.dates[s.dates.length - 1] as TradingDate;
      const data = { symbols: [s.symbol], dates: s.dates, values: [s.values], series: [s], last };
      const p = extremePrecedents(s.dates, s.values, { ...c, symbol: s.symbol });
      return { data, precedents: p, legs: [s.values] };
    }
  }
}

/** Every occurrence of a condition up to the as-of date. */
export async function runPrecedents(store: Store, c: Condition, opts: RunOptions): Promise<PrecedentsRun> {
  const { data, precedents } = await conditionData(store, c, opts);
  return {
    asOf: data.last,
    basis: opts.basis ?? 'price',
    precedents,
    provenance: provenance(data.series),
    stale: staleWarnings(data.series, opts.asOf ?? opts.due),
  };
}

/** The JSON of `rotation precedents --format json` and `GET /api/v1/precedents`. */
export function precedentsJson(run: PrecedentsRun, condition: Condition) {
  const p = run.precedents;
  return {
    ...p,
    description: p.condition,
    condition,
    asOf: run.asOf,
    basis: run.basis,
    provenance: run.provenance,
    stale: run.stale,
  };
}

export type OddsRun = PrecedentsRun & { odds: HorizonOdds[] };

/** The JSON of `rotation odds --format json` and `GET /api/v1/odds`. */
export function oddsJson(run: OddsRun, condition: Condition) {
  return {
    condition,
    asOf: run.asOf,
    basis: run.basis,
    precedents: run.precedents,
    odds: run.odds,
    provenance: run.provenance,
    stale: run.stale,
  };
}

/** What followed each occurrence of a condition, per horizon. */
export async function runOdds(
  store: Store,
  c: Condition,
  opts: RunOptions & { horizons?: readonly Horizon[] | undefined },
): Promise<OddsRun> {
  const { data, precedents, legs } = await conditionData(store, c, opts);
  const odds = forwardOdds(data.dates, legs, precedents.occurrences, opts.horizons ?? DEFAULT_HORIZONS);
  return {
    asOf: data.last,
    basis: opts.basis ?? 'price',
    precedents,
    odds,
    provenance: provenance(data.series),
    stale: staleWarnings(data.series, opts.asOf ?? opts.due),
  };
}
