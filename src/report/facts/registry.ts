import type { Fact, FactUnit } from '../../core/fact.js';
import type { WhyFact } from '../../core/why/fact.js';
import type { TradingDate } from '../../shared/brand.js';

/** A fact as published in facts-DATE.json: the core Fact plus an optional note. */
export type BriefFact = Fact & { note?: string };

const UNITS: readonly string[] = [
  'fraction',
  'usd',
  'index',
  'percent-points',
  'points',
  'count',
  'ratio',
  'year',
  'date',
];

/** "Why" units with a Fact unit of the same meaning: a yield in percent is a level in percentage points. */
const ALIASES: Readonly<Record<string, FactUnit>> = {
  percent: 'percent-points',
  'fraction-points': 'fraction',
};

/**
 * A "why" figure (earnings, flows, positioning, macro) as a Fact; aliased units map to their Fact unit and
 * other unknown units (contracts, z-score, index-0-100) become `index` with a note naming the unit.
 */
export function fromWhyFact(w: WhyFact): BriefFact {
  const alias = ALIASES[w.unit];
  const known = alias !== undefined || UNITS.includes(w.unit);
  return {
    id: w.id,
    value: w.value,
    unit: alias ?? ((known ? w.unit : 'index') as FactUnit),
    label: w.label,
    inputs: w.inputs,
    ...(w.window !== undefined ? { window: w.window } : {}),
    asOf: w.asOf as TradingDate,
    method: w.method,
    ...(w.kind === 'reported'
      ? {
          kind: 'reported' as const,
          ...(w.source !== undefined ? { source: w.source } : {}),
          date: w.reportedOn ?? w.asOf,
        }
      : {}),
    ...(w.note !== undefined || !known
      ? { note: [w.note, known ? undefined : `unit ${w.unit}`].filter(Boolean).join('; ') }
      : {}),
  };
}

/**
 * The facts a brief prints, by id. Adding a fact whose id exists with a different value is a bug (one id, one
 * number), so it throws; adding the same fact twice is harmless.
 */
export class FactRegistry {
  readonly #facts = new Map<string, BriefFact>();

  /** Adds a fact; one without a kind is `computed` (the facts file states the kind of every fact). */
  add(fact: BriefFact): BriefFact {
    const prev = this.#facts.get(fact.id);
    if (prev && prev.value !== fact.value)
      throw new Error(
        `fact ${fact.id} registered twice with different values (${prev.value} vs ${fact.value})`,
      );
    if (prev) return prev;
    const f: BriefFact = fact.kind ? fact : { ...fact, kind: 'computed' };
    this.#facts.set(f.id, f);
    return f;
  }

  addAll(facts: readonly BriefFact[]): void {
    for (const f of facts) this.add(f);
  }

  /** The fact with this id; throws when absent (a template asked for a fact nobody computed). */
  get(id: string): BriefFact {
    const f = this.#facts.get(id);
    if (!f) throw new Error(`no fact ${id}`);
    return f;
  }

  find(id: string): BriefFact | undefined {
    return this.#facts.get(id);
  }

  has(id: string): boolean {
    return this.#facts.has(id);
  }

  /** Every fact, sorted by id (stable output for facts-DATE.json). */
  list(): BriefFact[] {
    return [...this.#facts.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}
