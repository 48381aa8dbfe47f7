/** `rotation breadth`: equal vs cap weight, participation and concentration. */
import type { TradingDate } from '../../shared/brand.js';
import { NotFoundError } from '../../shared/errors.js';
import {
  concentration,
  participation,
  ratioTrend,
  relativeReturns,
  unionMatrix,
} from '../../core/breadth.js';
import { symbolId, type Fact } from '../../core/fact.js';
import type { Basis } from '../../core/series/types.js';
import { DEFAULT_CONFIG, type Config } from '../config.js';
import { constituentsDir, loadUniverse, type Universe } from '../constituents.js';
import { loadSeries, loadSeriesOrNull } from '../load.js';
import type { Store } from '../store/store.js';
import { type AnalyticsWarning, basisMix, basisWarnings, closesLabel, staleWarnings } from './common.js';

export type BreadthOptions = {
  universe: string;
  /** False when the universe is the default: a missing default list is a warning, not an error. */
  explicitUniverse: boolean;
  constituents?: string | undefined;
  equal: string;
  /** Default: the configured market benchmark (`benchmarks.market`). */
  cap?: string | undefined;
  /** Default `price`, as every price concept. */
  basis?: Basis | undefined;
  asOf?: TradingDate | undefined;
  config?: Config | undefined;
  /** The session figures are due for when no `asOf` is given (for stale labels). */
  due?: TradingDate | undefined;
};

/** Breadth of `rotation breadth --format json` and `GET /api/v1/breadth`. */
export async function runBreadth(store: Store, o: BreadthOptions) {
  const asOf = o.asOf;
  const basis = o.basis ?? 'price';
  const config = o.config ?? DEFAULT_CONFIG;
  const warnings: AnalyticsWarning[] = [];
  let universe: Universe | null = null;
  try {
    universe = loadUniverse(o.universe, { dir: constituentsDir(o.constituents), asOf });
  } catch (e) {
    if (o.explicitUniverse || !(e instanceof NotFoundError)) throw e;
    warnings.push({
      symbol: 'sp500',
      code: 'no-universe',
      message: `${e.message}; participation and concentration skipped (${e.hint ?? ''})`,
    });
  }
  if (universe?.snapshot && asOf && universe.snapshot > asOf)
    warnings.push({
      symbol: universe.name,
      code: 'later-snapshot',
      message: `membership snapshot ${universe.snapshot} is later than --as-of ${asOf}: today's members, not that date's (survivorship bias)`,
    });
  const equal = await loadSeries(store, o.equal, { asOf, basis, config });
  const cap = await loadSeries(store, o.cap ?? config.benchmarks.market, { asOf, basis, config });
  const rel = relativeReturns(equal, cap, asOf);
  const trend = ratioTrend(equal, cap, asOf);
  // Participation: members that are stored, each through the loading layer.
  const stored: Record<string, { dates: readonly string[]; values: readonly number[] }> = {};
  const missing: string[] = [];
  // One listing of just the members instead of a lookup per member (most of a 500-name list is usually not
  // stored) or a listing of the whole store (it would aggregate every stored bar).
  const storedBars = new Map(
    (await store.listSymbols(universe?.symbols ?? []))
      .filter((x) => x.table === 'bars')
      .map((x) => [x.symbol.toLowerCase(), x.symbol]),
  );
  for (const sym of universe?.symbols ?? []) {
    const resolved = storedBars.get(sym.toLowerCase());
    if (!resolved) {
      missing.push(sym);
      continue;
    }
    const s = await loadSeriesOrNull(store, resolved, { asOf, basis });
    if (s) stored[resolved] = s;
    else missing.push(sym);
  }
  const mix = basisMix([equal, cap]);
  warnings.unshift(
    ...basisWarnings([equal, cap]),
    ...(mix
      ? [
          {
            symbol: `${equal.symbol},${cap.symbol}`,
            code: 'basis-mix',
            message: `${equal.symbol} vs ${cap.symbol}: ${mix}`,
          },
        ]
      : []),
    ...staleWarnings([equal, cap], asOf ?? o.due),
  );
  const { dates, matrix } = unionMatrix(stored, asOf);
  const p50 = participation(dates, matrix, 50).at(-1) ?? null;
  const p200 = participation(dates, matrix, 200).at(-1) ?? null;
  const conc = universe?.weights ? concentration(universe.weights) : null;
  const listed = universe?.symbols.length ?? 0;
  const available = Object.keys(stored).length;
  if (universe && available < listed)
    warnings.push({
      symbol: universe.name,
      code: 'partial-coverage',
      message: `${universe.name}: prices stored for ${available} of ${listed} members; participation covers only those`,
    });
  // Equal vs cap weight as facts (`breadth.<equal>-<cap>.<window>.relative`): the brief prints these ids.
  const bid = `breadth.${symbolId(equal.symbol)}-${symbolId(cap.symbol)}`;
  const facts: Fact[] = rel.flatMap((w) =>
    w.relative === null || w.from === null || w.to === null
      ? []
      : [
          {
            id: `${bid}.${w.window}.relative`,
            value: w.relative,
            unit: 'fraction' as const,
            label: `${equal.symbol} relative to ${cap.symbol} (equal vs cap weight), ${w.window}`,
            inputs: [equal.symbol, cap.symbol],
            window: w.window,
            basis,
            asOf: w.to as TradingDate,
            method: `(1 + ${equal.symbol} return) / (1 + ${cap.symbol} return) − 1, ${basis} basis, ${w.from} close to ${w.to} close (rotation breadth)`,
          },
        ],
  );
  return {
    asOf: trend.date,
    basis,
    closes: closesLabel([equal, cap]),
    equalVsCap: { equal: equal.symbol, cap: cap.symbol, windows: rel, ratioTrend: trend },
    participation: universe
      ? {
          universe: universe.name,
          file: universe.file,
          snapshot: universe.snapshot,
          listed,
          available,
          missing,
          date: p200?.date ?? p50?.date ?? null,
          above50: p50,
          above200: p200,
        }
      : null,
    concentration: conc
      ? { universe: universe?.name ?? null, snapshot: universe?.snapshot ?? null, ...conc }
      : null,
    warnings,
    facts,
  };
}
