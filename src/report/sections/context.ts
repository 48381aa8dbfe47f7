import type { Window } from '../../core/window.js';
import { runRace, type RaceRun } from '../../data/analytics.js';
import { loadSeries, type LoadedSeries } from '../../data/load.js';
import type { Config } from '../../data/config.js';
import type { Store } from '../../data/store/store.js';
import type { TradingDate } from '../../shared/brand.js';
import { NotFoundError } from '../../shared/errors.js';
import { FactRegistry, type BriefFact } from '../facts/registry.js';
import type { Block } from '../model.js';

/** Holds what the sections share: the registry, the series read, the as-of date. */
export class Ctx {
  readonly reg = new FactRegistry();
  readonly series = new Map<string, LoadedSeries>();
  readonly store: Store;
  readonly asOf: TradingDate;
  readonly config: Config;
  readonly claims: readonly string[];
  constructor(store: Store, asOf: TradingDate, config: Config, claims: readonly string[]) {
    this.store = store;
    this.asOf = asOf;
    this.config = config;
    this.claims = claims;
  }

  fact(f: BriefFact): BriefFact {
    return this.reg.add(f);
  }

  /** A count or setting the text prints, as a fact. */
  count(
    id: string,
    value: number,
    label: string,
    inputs: string[],
    method: string,
    window?: string,
  ): BriefFact {
    return this.fact({
      id,
      value,
      unit: 'count',
      label,
      inputs,
      asOf: this.asOf,
      method,
      ...(window ? { window } : {}),
    });
  }

  year(id: string, value: number, label: string, inputs: string[], method: string): BriefFact {
    return this.fact({ id, value, unit: 'year', label, inputs, asOf: this.asOf, method });
  }

  async load(symbol: string): Promise<LoadedSeries | null> {
    const hit = this.series.get(symbol);
    if (hit) return hit;
    try {
      const s = await loadSeries(this.store, symbol, { asOf: this.asOf, config: this.config });
      this.series.set(symbol, s);
      return s;
    } catch (e) {
      if (e instanceof NotFoundError) return null;
      throw e;
    }
  }
}

/** A symbol as a fact-id segment: `^RUT` → `rut`. */
export const idOf = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '');
/** A block saying what is missing and how to add it. */
export const missing = (words: string): Block => ({ kind: 'missing', text: [words] });

/** The source line of a chart drawn from stored closes. */
export function sourceLine(ctx: Ctx, symbols: string[]): string {
  return `Source: stored closes of ${symbols.join(', ')} (rotation store), as of ${ctx.asOf}`;
}

/** A race run through the loading layer (`rotation race`), its facts registered; null when a leg is missing. */
export async function tryRace(ctx: Ctx, a: string, b: string, w: Window): Promise<RaceRun | null> {
  try {
    const r = await runRace(ctx.store, a, b, w, { asOf: ctx.asOf, config: ctx.config });
    if (!r.race) return null;
    ctx.reg.addAll(r.facts);
    return r;
  } catch (e) {
    if (e instanceof NotFoundError) return null;
    throw e;
  }
}

/** The id of a race fact by field (`spread`, `retA`, `retB`). */
export const factId = (r: RaceRun, field: string) =>
  r.facts.find((f) => f.id.endsWith(`.${field}`))?.id as string;
