import type { TradingDate } from '../shared/brand.js';
import { UsageError } from '../shared/errors.js';
import { MIN_SAMPLE, type Occurrence } from './precedents.js';
import { summarize, type Summary } from './stats.js';

/** A forward horizon: the rest of the calendar year, or a number of sessions (1m = 21, 3m = 63, 6m = 126, 12m = 252). */
export type Horizon = { label: string; sessions: number | 'rest-of-year' };

export const DEFAULT_HORIZONS: readonly Horizon[] = [
  { label: 'rest-of-year', sessions: 'rest-of-year' },
  { label: '1m', sessions: 21 },
  { label: '3m', sessions: 63 },
  { label: '6m', sessions: 126 },
  { label: '12m', sessions: 252 },
];

/** Parses `rest-of-year,1m,3m,10d,...` (m = 21 sessions, w = 5, d = 1). */
export function parseHorizons(text: string): Horizon[] {
  return text.split(',').map((raw) => {
    const t = raw.trim().toLowerCase();
    if (t === 'rest-of-year' || t === 'roy') return { label: 'rest-of-year', sessions: 'rest-of-year' };
    const m = /^(\d+)([dwm])$/.exec(t);
    if (!m || Number(m[1]) < 1)
      throw new UsageError(
        `horizon "${raw}" is not valid`,
        'horizons: rest-of-year, Nd (sessions), Nw (5 sessions), Nm (21 sessions), e.g. rest-of-year,1m,3m,6m,12m',
      );
    const per = m[2] === 'd' ? 1 : m[2] === 'w' ? 5 : 21;
    return { label: t, sessions: Number(m[1]) * per };
  });
}

/** What followed one occurrence over one horizon. */
export type ForwardOutcome = {
  date: TradingDate;
  endDate: TradingDate;
  /** beats: forward spread retA - retB; extreme: forward return of the symbol. */
  value: number;
};

export type HorizonOdds = {
  horizon: string;
  summary: Summary;
  outcomes: ForwardOutcome[];
  /** Occurrences too recent to have this horizon yet (not counted). */
  pending: number;
  sampleOk: boolean;
};

/** The index of the last session of `dates[i]`'s year, when a later session proves the year is over; else null. */
function yearEnd(dates: readonly TradingDate[], i: number): number | null {
  const y = (dates[i] as string).slice(0, 4);
  let j = i;
  while (j + 1 < dates.length && (dates[j + 1] as string).slice(0, 4) === y) j++;
  return j + 1 < dates.length ? j : null;
}

/**
 * Forward odds after each occurrence: for each horizon, the outcome from the occurrence's close to the close
 * `sessions` later (or to the year's last close), using `legs` — one leg: its return; two legs: retA - retB
 * ("did the lead hold?"). Occurrences without enough later data count as pending, never as outcomes. Outcomes
 * after overlapping occurrences overlap; the sample size says how many there are, not how independent.
 */
export function forwardOdds(
  dates: readonly TradingDate[],
  legs: readonly (readonly number[])[],
  occurrences: readonly Occurrence[],
  horizons: readonly Horizon[] = DEFAULT_HORIZONS,
): HorizonOdds[] {
  const ret = (leg: readonly number[], i: number, j: number) => (leg[j] as number) / (leg[i] as number) - 1;
  return horizons.map((h) => {
    const outcomes: ForwardOutcome[] = [];
    let pending = 0;
    for (const o of occurrences) {
      const end = h.sessions === 'rest-of-year' ? yearEnd(dates, o.index) : o.index + h.sessions;
      if (end === null || end >= dates.length) {
        pending++;
        continue;
      }
      if (end === o.index) continue; // occurrence on the last session of its year: no rest of year
      const a = legs[0] as readonly number[];
      const value =
        legs.length > 1
          ? ret(a, o.index, end) - ret(legs[1] as readonly number[], o.index, end)
          : ret(a, o.index, end);
      outcomes.push({ date: o.date, endDate: dates[end] as TradingDate, value });
    }
    const summary = summarize(outcomes.map((x) => x.value));
    return { horizon: h.label, summary, outcomes, pending, sampleOk: summary.n >= MIN_SAMPLE };
  });
}
