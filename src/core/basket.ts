import type { TradingDate } from '../shared/brand.js';
import type { Series } from './series/types.js';

export type Weighting = 'equal' | 'cap';
export type Rebalance = 'daily' | 'monthly' | 'quarterly';

export type BasketSpec = {
  weighting: Weighting;
  /** For `cap`: a weight per member symbol (any positive scale; normalised over the members present). */
  weights?: Readonly<Record<string, number>>;
  rebalance: Rebalance;
};

export type BasketMember = Series & { readonly symbol: string };

export type BasketIndex = {
  dates: TradingDate[];
  /** The basket level, 100 on the first date. */
  values: number[];
  /** How many members were held on each date. */
  held: number[];
  /** The members held on the last date. */
  lastMembers: string[];
  /** Rebalance dates: the close at which new weights were set (the first date counts). */
  rebalances: TradingDate[];
};

function period(date: string, rebalance: Rebalance): string {
  switch (rebalance) {
    case 'daily':
      return date;
    case 'monthly':
      return date.slice(0, 7);
    case 'quarterly':
      return `${date.slice(0, 4)}Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
  }
}

/**
 * A basket index from its members' levels (closes or adjusted closes).
 *
 * Dates are the union of the members' dates from the first one on. Weights are set at the close of the last
 * session of each rebalance period (known at that close: rebalancing looks at the previous date, never the next)
 * and on the first date; between rebalances the units are held and weights drift. `equal` gives each member held
 * 1/n; `cap` uses `weights` normalised over the members held. A member joins at the first rebalance after its first
 * price (a listing mid-quarter waits for the quarter end). A member missing on a date (feed gap) keeps its last
 * price. Result starts at 100.
 */
export function basketIndex(members: readonly BasketMember[], spec: BasketSpec): BasketIndex {
  const all = new Set<string>();
  for (const m of members) for (const d of m.dates) all.add(d);
  const dates = [...all].sort() as TradingDate[];
  const maps = members.map((m) => {
    const map = new Map<string, number>();
    for (let i = 0; i < m.dates.length; i++) map.set(m.dates[i] as string, m.values[i] as number);
    return map;
  });
  const lastPrice: (number | null)[] = members.map(() => null);
  let units: number[] = members.map(() => 0);
  const values: number[] = [];
  const held: number[] = [];
  const rebalances: TradingDate[] = [];
  let level = 100;
  const setWeights = (at: TradingDate): void => {
    const active = members.map((_, j) => lastPrice[j] !== null);
    const raw = members.map((m, j) => {
      if (!active[j]) return 0;
      if (spec.weighting === 'equal') return 1;
      return spec.weights?.[m.symbol] ?? 0;
    });
    const sum = raw.reduce((a, b) => a + b, 0);
    if (sum <= 0) return;
    units = raw.map((w, j) => (w === 0 ? 0 : ((w / sum) * level) / (lastPrice[j] as number)));
    rebalances.push(at);
  };
  for (let i = 0; i < dates.length; i++) {
    const d = dates[i] as TradingDate;
    if (i > 0) {
      const prev = dates[i - 1] as TradingDate;
      if (period(prev, spec.rebalance) !== period(d, spec.rebalance) || rebalances.length === 0)
        setWeights(prev);
    }
    for (let j = 0; j < members.length; j++) {
      const p = (maps[j] as Map<string, number>).get(d);
      if (p !== undefined) lastPrice[j] = p;
    }
    if (rebalances.length === 0) {
      level = 100;
      if (i === 0) setWeights(d);
    } else {
      let v = 0;
      for (let j = 0; j < members.length; j++)
        if ((units[j] as number) > 0) v += (units[j] as number) * (lastPrice[j] as number);
      level = v;
    }
    values.push(level);
    held.push(units.filter((u) => u > 0).length);
  }
  return {
    dates,
    values,
    held,
    lastMembers: members.filter((_, j) => (units[j] as number) > 0).map((m) => m.symbol),
    rebalances,
  };
}
