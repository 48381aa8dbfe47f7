/** `rotation rrg` and `rotation regime`: relative rotation of the sectors, and each series' regime. */
import type { TradingDate } from '../../shared/brand.js';
import { UsageError } from '../../shared/errors.js';
import { regime, type Regime } from '../../core/regime.js';
import { RRG_DEFAULTS, rrg, type RrgPeriod, type RrgResult } from '../../core/rrg.js';
import { symbolId, type Fact } from '../../core/fact.js';
import type { Basis } from '../../core/series/types.js';
import { DEFAULT_CONFIG, type Config } from '../config.js';
import { loadSeries } from '../load.js';
import { sectorNews } from './sector-news.js';
import type { Store } from '../store/store.js';
import {
  type AnalyticsWarning,
  basisMix,
  basisWarnings,
  closesLabel,
  spanBasisNote,
  loadMembers,
  staleWarnings,
} from './common.js';

export type RrgOptions = {
  symbols: readonly string[];
  benchmark?: string | undefined;
  period: RrgPeriod;
  tail: number;
  window?: number | undefined;
  lag?: number | undefined;
  /** Default `price`: the one default basis of every price concept, the brief's too. */
  basis?: Basis | undefined;
  asOf?: TradingDate | undefined;
  /** Default members (`benchmarks.sectors`), benchmark (`benchmarks.market`) and baskets. */
  config?: Config | undefined;
  /** The session figures are due for when no `asOf` is given (the CLI's last completed session): for stale labels. */
  due?: TradingDate | undefined;
  /** Also the week's sector-leading news (weekly only): the brief's `news.sectors.*` facts. */
  news?: boolean | undefined;
};

/**
 * The RRG facts, one RS-Ratio and one RS-Momentum per placed member: `rrg.<benchmark>.<period>.<symbol>.ratio`.
 * The brief's sector table prints these ids; `rotation rrg --format json` carries them in `facts`.
 */
export function rrgFacts(result: RrgResult): Fact[] {
  const bench = result.benchmark;
  const rid = `rrg.${symbolId(bench)}.${result.period}`;
  const unitName = result.period === 'weekly' ? 'weeks' : 'sessions';
  const lagName = result.period === 'weekly' ? 'week' : 'session';
  return result.members.flatMap((m) => {
    const latest = m.latest;
    if (!latest || latest.ratio === null || latest.momentum === null) return [];
    const base = {
      unit: 'index' as const,
      inputs: [m.symbol, bench],
      asOf: latest.date,
      window: result.period,
    };
    return [
      {
        ...base,
        id: `${rid}.${symbolId(m.symbol)}.ratio`,
        value: latest.ratio,
        label: `${m.symbol} RS-Ratio vs ${bench}`,
        method: `100 + z-score of close/benchmark over ${result.params.window} ${unitName}`,
      },
      {
        ...base,
        id: `${rid}.${symbolId(m.symbol)}.momentum`,
        value: latest.momentum,
        label: `${m.symbol} RS-Momentum vs ${bench}`,
        method: `100 + z-score of the ${result.params.lag}-${lagName} change of RS-Ratio`,
      },
      // when it entered its current quadrant (none when it has been there since its first point)
      ...(m.quadrantSince && !m.quadrantSinceStart
        ? [
            {
              ...base,
              id: `${rid}.${symbolId(m.symbol)}.quadrant-since`,
              value: m.quadrantSince,
              unit: 'date' as const,
              label: `${lagName} ${m.symbol} entered its current RRG quadrant (${m.quadrant ?? 'none'})`,
              method: `core/rrg: the first ${lagName} of the current run in one quadrant`,
            },
          ]
        : []),
    ];
  });
}

/** The members an RRG places by default: the configured sectors; none configured is an error naming the key. */
export function defaultSectors(config: Config, verb: string): readonly string[] {
  const sectors = config.benchmarks.sectors;
  if (sectors.length === 0)
    throw new UsageError(
      `no sectors configured: ${verb} needs symbols or benchmarks.sectors in the config`,
      'name the symbols, or list benchmarks.sectors in rotation.config.json',
    );
  return sectors;
}

/** The RRG of `rotation rrg --format json` and `GET /api/v1/rrg` (default members: the configured sectors). */
export async function runRrg(store: Store, o: RrgOptions) {
  const config = o.config ?? DEFAULT_CONFIG;
  const defaults = RRG_DEFAULTS[o.period];
  const params = { window: o.window ?? defaults.window, lag: o.lag ?? defaults.lag };
  if (params.window < 2) throw new UsageError('--window must be at least 2');
  if (o.news && o.period !== 'weekly')
    throw new UsageError('--news reads the weekly RRG', 'drop --period daily, or drop --news');
  const explicit = o.symbols.length > 0;
  const wanted = explicit ? o.symbols : defaultSectors(config, 'rotation rrg');
  const asOf = o.asOf;
  const basis = o.basis ?? 'price';
  const bench = await loadSeries(store, o.benchmark ?? config.benchmarks.market, { asOf, basis, config });
  const { series, warnings } = await loadMembers(store, wanted, { asOf, basis, required: explicit, config });
  const result = rrg({
    benchmark: { symbol: bench.symbol, series: bench },
    members: series.map((s) => ({ symbol: s.symbol, series: s })),
    period: o.period,
    params,
    tail: o.tail,
    ...(asOf ? { asOf } : {}),
  });
  const mixed = series.flatMap((s): AnalyticsWarning[] => {
    const mix = basisMix([s, bench]);
    return mix
      ? [{ symbol: s.symbol, code: 'basis-mix', message: `${s.symbol} vs ${bench.symbol}: ${mix}` }]
      : [];
  });
  // A member whose closes (or the benchmark's) change basis over the sessions its tail reads (the tail and the
  // window and lag before its first point) says so: its RS-Ratio then mixes dividend-adjusted and price moves.
  const perPeriod = o.period === 'weekly' ? 5 : 1;
  const spans = series.flatMap((s): AnalyticsWarning[] => {
    const first = result.members.find((m) => m.symbol === s.symbol)?.tail[0]?.date;
    const last = s.dates.at(-1);
    if (!first || !last) return [];
    const i = Math.max(0, s.dates.findIndex((d) => d >= first) - (params.window + params.lag) * perPeriod);
    const note = spanBasisNote([s, bench], s.dates[i] ?? first, last);
    return note
      ? [{ symbol: s.symbol, code: 'basis-span', message: `${s.symbol} vs ${bench.symbol}: ${note}` }]
      : [];
  });
  const allWarnings = [
    ...basisWarnings([bench, ...series]),
    ...mixed,
    ...spans,
    ...staleWarnings([bench, ...series], asOf ?? o.due),
    ...warnings,
    ...result.warnings,
  ];
  const closes = closesLabel([bench, ...series]);
  const lastDay = asOf ?? bench.dates.at(-1);
  const news =
    o.news && result.asOf && lastDay
      ? sectorNews({
          bench,
          members: series.map((s) => ({ symbol: s.symbol, series: s })),
          week: result.asOf,
          asOf: lastDay,
        })
      : null;
  return {
    params,
    json: {
      ...result,
      basis,
      closes,
      warnings: allWarnings,
      ...(news ? { news: news.items } : {}),
      facts: [...rrgFacts(result), ...(news?.facts ?? [])],
    },
  };
}

/** The regimes of `rotation regime --format json` and `GET /api/v1/regime` (default: SPY QQQ IWM and the sectors). */
export async function runRegime(
  store: Store,
  symbols: readonly string[],
  o: {
    basis?: Basis | undefined;
    asOf?: TradingDate | undefined;
    config?: Config | undefined;
    due?: TradingDate | undefined;
  },
) {
  const config = o.config ?? DEFAULT_CONFIG;
  const basis = o.basis ?? 'price';
  const explicit = symbols.length > 0;
  const b = config.benchmarks;
  const wanted = explicit ? symbols : [...new Set([b.market, b.bigTech, b.smallCaps, ...b.sectors])];
  const loaded = await loadMembers(store, wanted, { asOf: o.asOf, basis, required: explicit, config });
  const warnings = [
    ...basisWarnings(loaded.series),
    ...staleWarnings(loaded.series, o.asOf ?? o.due),
    ...loaded.warnings,
  ];
  const regimes = loaded.series
    .map((s) => regime(s.symbol, s, o.asOf))
    .filter((r): r is Regime => r !== null);
  return { asOf: o.asOf ?? null, basis, regimes, warnings };
}
