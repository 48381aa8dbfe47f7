/**
 * "Will it last, honestly": the conditional hit rate beside the unconditional base rate for the same horizon, the
 * brief's honest odds and `rotation odds --beats A B --window first:N --base-rate`.
 */
import { symbolId, type Fact } from '../../core/fact.js';
import type { Condition } from '../../core/precedents.js';
import { formatWindow, type Window } from '../../core/window.js';
import { UsageError } from '../../shared/errors.js';
import { restOfYearBaseRate, spreadMove } from '../../core/race-history.js';
import { wilsonInterval } from '../../core/stats.js';
import type { TradingDate } from '../../shared/brand.js';
import { loadRaceHistory, type RaceHistoryRun } from '../race-history.js';
import type { Store } from '../store/store.js';
import type { RunOptions } from './common.js';
import type { OddsRun } from './precedents.js';

/** z of the Wilson intervals: two-sided 95%. */
export const INTERVAL_CONFIDENCE = 0.95;

export type HonestOdds = {
  lead: string;
  lag: string;
  baseRate: Fact;
  baseN: Fact;
  difference: Fact;
  /** 95% Wilson intervals (null when the sample is empty). */
  conditional: { low: Fact; high: Fact } | null;
  base: { low: Fact; high: Fact } | null;
  /** Whether the base rate lies outside the conditional interval. */
  edge: boolean;
  /** The move since the condition was met this year, and that close; null before the window closed. */
  since: { move: Fact; metOn: Fact } | null;
  /** In the brief's order. */
  facts: Fact[];
};

/**
 * The base rate (every earlier year, from the close of the year-start window to the year's last close), the
 * difference from the conditional rate, 95% Wilson intervals for both and what happened since the condition was
 * met this year. `oid` is the odds' fact id (`odds.iwm-qqq.first7.rest-of-year`); `hits` of `n` the conditional
 * outcome (runOdds). null when no earlier year has a finished rest of year.
 */
export function honestOddsOf(
  h: RaceHistoryRun,
  o: { oid: string; leader: 'a' | 'b'; hits: number; n: number; rate: number; first: number },
): HonestOdds | null {
  const [lead, lag] = o.leader === 'a' ? [h.a, h.b] : [h.b, h.a];
  const base = restOfYearBaseRate(h.history, o.first, o.leader);
  if (base.n === 0) return null;
  const f = (id: string, value: number, unit: 'fraction' | 'count', label: string, method: string): Fact => ({
    id: `${o.oid}.${id}`,
    value,
    unit,
    label,
    inputs: [lead, lag],
    asOf: h.asOf,
    method,
    window: 'rest-of-year',
  });
  const baseRate = f(
    'base-rate',
    base.hits / base.n,
    'fraction',
    `share of all earlier years ${lead} beat ${lag} over the rest of the year`,
    'every earlier year, no condition: forward spread from the close of the year-start window to the last close of the year > 0',
  );
  const baseN = f(
    'base-n',
    base.n,
    'count',
    'earlier years in the base rate',
    'years with a finished rest of year',
  );
  const difference = f(
    'difference',
    o.rate - base.hits / base.n,
    'fraction',
    'conditional hit rate minus the base rate',
    'hit rate after the condition − unconditional base rate, same horizon',
  );
  const interval = (w: { low: number; high: number } | null, key: string) =>
    w
      ? {
          low: f(
            `${key}.wilson-low`,
            w.low,
            'fraction',
            '95% Wilson interval, low',
            'core/stats wilsonInterval, z = 1.96',
          ),
          high: f(
            `${key}.wilson-high`,
            w.high,
            'fraction',
            '95% Wilson interval, high',
            'core/stats wilsonInterval, z = 1.96',
          ),
        }
      : null;
  const wc = wilsonInterval(o.hits, o.n);
  const conditional = interval(wc, 'conditional');
  const baseInterval = interval(wilsonInterval(base.hits, base.n), 'base');
  const edge = wc !== null && (base.hits / base.n < wc.low || base.hits / base.n > wc.high);
  const i = h.current.spread.length - 1;
  let since: HonestOdds['since'] = null;
  if (i > o.first - 1) {
    const s = spreadMove(h.current, i, i - (o.first - 1)) as number;
    const met = h.current.dates[o.first - 1] as TradingDate;
    since = {
      move: {
        id: `${o.oid}.since-condition`,
        value: o.leader === 'a' ? s : -s,
        unit: 'fraction',
        label: `${lead} minus ${lag} since the year-start window ended`,
        inputs: [lead, lag],
        asOf: h.asOf,
        method: 'spread of returns from the close of the year-start window to the as-of close',
        window: `range:${met}..${h.asOf}`,
      },
      metOn: {
        id: `${o.oid}.condition-met.date`,
        value: met,
        unit: 'date',
        label: 'close of the year-start window this year (the condition was met there)',
        inputs: [lead, lag],
        asOf: h.asOf,
        method: 'core/race-history: the last session of the first N sessions of the year',
      },
    };
  }
  const facts = [
    baseRate,
    baseN,
    difference,
    ...(conditional ? [conditional.low, conditional.high] : []),
    ...(baseInterval ? [baseInterval.low, baseInterval.high] : []),
    ...(since ? [since.move, since.metOn] : []),
  ];
  return { lead, lag, baseRate, baseN, difference, conditional, base: baseInterval, edge, since, facts };
}

/** The fact id of the rest-of-year odds after `lead` beat `lag` over a window: `odds.iwm-qqq.first7.rest-of-year`. */
export function restOfYearOddsId(lead: string, lag: string, win: Window): string {
  return `odds.${symbolId(lead)}-${symbolId(lag)}.${formatWindow(win).replace(':', '')}.rest-of-year`;
}

/**
 * The honest odds beside a `--beats A B --window first:N` odds run with a rest-of-year horizon: A's race history
 * against B through the as-of year (data/race-history) and `honestOddsOf` over it. null when no earlier year has a
 * finished rest of year (or the as-of year has no base close). A condition of another kind is a usage error.
 */
export async function loadHonestOdds(
  store: Store,
  run: OddsRun,
  c: Condition,
  opts: RunOptions,
): Promise<HonestOdds | null> {
  if (c.kind !== 'beats' || c.window.kind !== 'first')
    throw new UsageError(
      '--base-rate compares the rest of the year after a year-start window',
      'use it with --beats A B --window first:N',
    );
  const h = run.odds.find((x) => x.horizon === 'rest-of-year');
  if (!h)
    throw new UsageError('--base-rate needs the rest-of-year horizon', 'add rest-of-year to --horizons');
  if (h.summary.n === 0 || h.summary.hitRate === null) return null;
  const hist = await loadRaceHistory(store, c.a, c.b, c.window.sessions, opts);
  if (!hist) return null;
  return honestOddsOf(hist, {
    oid: restOfYearOddsId(c.a, c.b, c.window),
    leader: 'a',
    hits: Math.round(h.summary.hitRate * h.summary.n),
    n: h.summary.n,
    rate: h.summary.hitRate,
    first: c.window.sessions,
  });
}
