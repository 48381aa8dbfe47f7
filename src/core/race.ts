import type { TradingDate } from '../shared/brand.js';
import { UsageError } from '../shared/errors.js';
import { symbolId, type Fact } from './fact.js';
import { periodReturn } from './series/returns.js';
import type { Basis } from './series/types.js';
import {
  formatWindow,
  parseWindow,
  resolveWindow,
  windowId,
  windowInYear,
  type ResolvedWindow,
  type Window,
} from './window.js';

/** A vs B over one window: returns, spread and the ratio line A/B rebased to 1 at the base close. */
export type Race = ResolvedWindow & {
  year: number;
  window: string;
  /** Return of A (fraction) from the base close to the end close. */
  retA: number;
  retB: number;
  /** retA - retB (fraction; "percentage points" when shown). */
  spread: number;
  /** 'a' when A returned more, 'b' when B did, 'tie' when equal. */
  winner: 'a' | 'b' | 'tie';
  /** The ratio line (A/B)/(A0/B0) from the base close to the end close; its last value is (1+retA)/(1+retB). */
  ratio: { dates: TradingDate[]; values: number[] };
};

/**
 * The race of A against B over a window, on aligned series (same dates). null when the window cannot be
 * measured on these dates (see resolveWindow).
 */
export function race(
  dates: readonly TradingDate[],
  a: readonly number[],
  b: readonly number[],
  w: Window,
  year?: number,
): Race | null {
  const r = resolveWindow(w, dates, year);
  if (!r) return null;
  const retA = periodReturn(a, r.baseIndex, r.endIndex) as number;
  const retB = periodReturn(b, r.baseIndex, r.endIndex) as number;
  const base = (a[r.baseIndex] as number) / (b[r.baseIndex] as number);
  const ratioDates: TradingDate[] = [];
  const ratioValues: number[] = [];
  for (let i = r.baseIndex; i <= r.endIndex; i++) {
    ratioDates.push(dates[i] as TradingDate);
    ratioValues.push((a[i] as number) / (b[i] as number) / base);
  }
  const spread = retA - retB;
  return {
    ...r,
    year: year ?? Number(r.endDate.slice(0, 4)),
    window: formatWindow(w),
    retA,
    retB,
    spread,
    winner: spread > 0 ? 'a' : spread < 0 ? 'b' : 'tie',
    ratio: { dates: ratioDates, values: ratioValues },
  };
}

/** One year of a year-by-year race: the race, or why there is none. */
export type RaceYear = { year: number; race: Race | null; reason: string | null };

/**
 * The same window in each of `years`, aligned by session of year (first:N is the N-th session of each year).
 * `ytd` becomes `first:K` with K the sessions so far in the last year of the data, so every year is compared over
 * the same number of sessions. `rolling` has no year and is refused.
 */
export function raceByYear(
  dates: readonly TradingDate[],
  a: readonly number[],
  b: readonly number[],
  w: Window,
  years: readonly number[],
): { window: Window; rows: RaceYear[] } {
  if (w.kind === 'rolling')
    throw new UsageError(
      'rolling windows have no year to repeat',
      'use first:N, a month, a quarter or ytd',
      'rolling-window-by-year',
    );
  let win = w;
  if (w.kind === 'ytd') {
    const now = resolveWindow(w, dates);
    if (now) win = { kind: 'first', sessions: now.sessions };
  }
  const first = dates[0];
  const last = dates[dates.length - 1];
  const rows = years.map((year): RaceYear => {
    const r = race(dates, a, b, windowInYear(win, year), year);
    if (r) return { year, race: r, reason: null };
    const reason =
      !first || !last
        ? 'no data'
        : `${year}` > last.slice(0, 4)
          ? `no data: data end ${last}`
          : `no data: common data start ${first}`;
    return { year, race: null, reason };
  });
  return { window: win, rows };
}

/**
 * The facts of a race (DESIGN.md Fact): `race.<a>-<b>.<window>.{retA,retB,spread,ratio}`, e.g.
 * `race.iwm-qqq.first7.spread`. With `year` differing from the as-of year, ids end in `.y<year>`.
 */
export function raceFacts(
  r: Race,
  meta: { a: string; b: string; basis: Basis; asOf: TradingDate; suffix?: string },
): Fact[] {
  const base = `race.${symbolId(meta.a)}-${symbolId(meta.b)}.${windowId(parseWindow(r.window))}${meta.suffix ?? ''}`;
  const common = {
    inputs: [meta.a, meta.b],
    window: r.window,
    basis: meta.basis,
    asOf: meta.asOf,
  };
  const span = `${r.baseDate} close -> ${r.endDate} close (${r.sessions} sessions${r.complete ? '' : ', window still running'})`;
  return [
    {
      id: `${base}.retA`,
      value: r.retA,
      unit: 'fraction',
      label: `${meta.a} return, ${r.window} ${r.year}`,
      ...common,
      method: `${meta.basis} return ${span}`,
    },
    {
      id: `${base}.retB`,
      value: r.retB,
      unit: 'fraction',
      label: `${meta.b} return, ${r.window} ${r.year}`,
      ...common,
      method: `${meta.basis} return ${span}`,
    },
    {
      id: `${base}.spread`,
      value: r.spread,
      unit: 'fraction',
      label: `${meta.a} minus ${meta.b}, ${r.window} ${r.year}`,
      ...common,
      method: `retA - retB, ${span}`,
    },
    {
      id: `${base}.from`,
      value: r.baseDate,
      unit: 'date',
      label: `base close of ${r.window} ${r.year} (returns are measured from it)`,
      ...common,
      method: `core/window: the close before the window's first session, ${span}`,
    },
    {
      id: `${base}.to`,
      value: r.endDate,
      unit: 'date',
      label: `last close of ${r.window} ${r.year} read`,
      ...common,
      method: `core/window: the window's last session on or before the as-of date, ${span}`,
    },
    {
      id: `${base}.ratio`,
      value: r.ratio.values[r.ratio.values.length - 1] ?? null,
      unit: 'ratio',
      label: `${meta.a}/${meta.b} rebased to 1`,
      ...common,
      method: `(A/B) / (A0/B0), ${span}`,
    },
  ];
}
