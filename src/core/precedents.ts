import type { TradingDate } from '../shared/brand.js';
import { raceByYear } from './race.js';
import { formatWindow, type Window } from './window.js';

/**
 * A condition tested through history (precedents, odds, alerts).
 * - `beats`: A returned more than B (by more than `minSpread`, a fraction, default 0) over `window`, year by year.
 * - `extreme`: `symbol` closed at a new `lookback`-session high (or low): above every close of the previous
 *   `lookback` sessions.
 */
export type Condition =
  | { kind: 'beats'; a: string; b: string; window: Window; minSpread?: number }
  | { kind: 'extreme'; symbol: string; side: 'high' | 'low'; lookback: number };

/**
 * Below this many occurrences a precedent is reported as "too few to say": with fewer than 8 cases a hit rate moves
 * by more than 12 points per case, and quartiles are two or three points apart.
 */
export const MIN_SAMPLE = 8;

/**
 * Sessions after an `extreme` hit during which further hits belong to the same episode: a run of new highs over a
 * month is one event, not twenty. 21 sessions ~ one month.
 */
export const EPISODE_GAP_SESSIONS = 21;

export function describeCondition(c: Condition): string {
  switch (c.kind) {
    case 'beats':
      return `${c.a} beats ${c.b} over ${formatWindow(c.window)}${c.minSpread ? ` by more than ${(c.minSpread * 100).toFixed(2)} pp` : ''}`;
    case 'extreme':
      return `${c.symbol} at a ${c.lookback}-session ${c.side}`;
  }
}

/** One occurrence: the session the condition was met (for `beats`, the window's last session). */
export type Occurrence = {
  date: TradingDate;
  /** Index in the dates given. */
  index: number;
  year: number;
  /** beats: the spread retA - retB; extreme: the close. */
  value: number;
};

/** A year of a `beats` history (including years in which it did not happen). */
export type PeriodRow = {
  year: number;
  baseDate: TradingDate;
  endDate: TradingDate;
  retA: number;
  retB: number;
  spread: number;
  hit: boolean;
  /** False for a window still running at the as-of date. */
  complete: boolean;
};

export type Precedents = {
  condition: string;
  /** What one trial is: a year (beats) or a session (extreme). */
  unit: 'year' | 'session';
  /** Complete trials tested (years with data, or sessions after the look-back). */
  tested: number;
  /** Occurrences in complete trials (extreme: the first session of each episode), oldest first. */
  occurrences: Occurrence[];
  count: number;
  /** The as-of trial: the last year's window, or the last session. `hit` is provisional when not complete. */
  latest: { date: TradingDate; year: number; hit: boolean; value: number; complete: boolean } | null;
  /** The last occurrence before the latest one (or before the as-of date when it did not happen): "first since". */
  lastBefore: Occurrence | null;
  /** Consecutive trials met, ending at the latest one; and the longest run. */
  streak: { current: number; longest: number };
  minSample: number;
  /** False when `count` < minSample: the caller must say "too few cases", not state a precedent. */
  sampleOk: boolean;
  /** Per-year rows (beats only). */
  periods: PeriodRow[];
};

/** Every year in which A beat B over the window (aligned series). See Condition. */
export function beatsPrecedents(
  dates: readonly TradingDate[],
  a: readonly number[],
  b: readonly number[],
  c: Extract<Condition, { kind: 'beats' }>,
): Precedents {
  const minSpread = c.minSpread ?? 0;
  const first = dates[0];
  const last = dates[dates.length - 1];
  const years: number[] = [];
  if (first && last)
    for (let y = Number(first.slice(0, 4)); y <= Number(last.slice(0, 4)); y++) years.push(y);
  const { rows } = raceByYear(dates, a, b, c.window, years);
  const periods: PeriodRow[] = [];
  const occurrences: Occurrence[] = [];
  for (const { year, race } of rows) {
    if (!race) continue;
    const hit = race.spread > minSpread;
    periods.push({
      year,
      baseDate: race.baseDate,
      endDate: race.endDate,
      retA: race.retA,
      retB: race.retB,
      spread: race.spread,
      hit,
      complete: race.complete,
    });
    if (hit && race.complete)
      occurrences.push({ date: race.endDate, index: race.endIndex, year, value: race.spread });
  }
  const lastRow = periods[periods.length - 1];
  const latest = lastRow
    ? {
        date: lastRow.endDate,
        year: lastRow.year,
        hit: lastRow.hit,
        value: lastRow.spread,
        complete: lastRow.complete,
      }
    : null;
  const before = occurrences.filter((o) => !latest || o.year < latest.year);
  let current = 0;
  for (let i = periods.length - 1; i >= 0 && (periods[i] as PeriodRow).hit; i--) {
    if (i < periods.length - 1 && (periods[i] as PeriodRow).year !== (periods[i + 1] as PeriodRow).year - 1)
      break;
    current++;
  }
  let longest = 0;
  let run = 0;
  let prevYear = -Infinity;
  for (const p of periods) {
    run = p.hit && p.complete ? (p.year === prevYear + 1 ? run + 1 : 1) : 0;
    if (p.hit && p.complete) prevYear = p.year;
    longest = Math.max(longest, run);
  }
  const tested = periods.filter((p) => p.complete).length;
  return {
    condition: describeCondition(c),
    unit: 'year',
    tested,
    occurrences,
    count: occurrences.length,
    latest,
    lastBefore: before[before.length - 1] ?? null,
    streak: { current, longest: Math.max(longest, current) },
    minSample: MIN_SAMPLE,
    sampleOk: occurrences.length >= MIN_SAMPLE,
    periods,
  };
}

/** Sessions at which `values` made a new `lookback`-session high (or low), strictly beyond all previous ones. */
export function extremeHits(values: readonly number[], side: 'high' | 'low', lookback: number): boolean[] {
  const out: boolean[] = values.map(() => false);
  for (let i = lookback; i < values.length; i++) {
    let ext = side === 'high' ? -Infinity : Infinity;
    for (let j = i - lookback; j < i; j++)
      ext = side === 'high' ? Math.max(ext, values[j] as number) : Math.min(ext, values[j] as number);
    const v = values[i] as number;
    out[i] = side === 'high' ? v > ext : v < ext;
  }
  return out;
}

/**
 * Every episode in which `values` made a new `lookback`-session extreme. A hit within EPISODE_GAP_SESSIONS of the
 * previous hit continues its episode. `lastBefore` is the last hit before the current episode began: "the first
 * 252-day high since …".
 */
export function extremePrecedents(
  dates: readonly TradingDate[],
  values: readonly number[],
  c: Extract<Condition, { kind: 'extreme' }>,
): Precedents {
  const hits = extremeHits(values, c.side, c.lookback);
  const occurrences: Occurrence[] = [];
  const episodeOf: number[] = hits.map(() => -1);
  let lastHit = -Infinity;
  for (let i = 0; i < hits.length; i++) {
    if (!hits[i]) continue;
    if (i - lastHit > EPISODE_GAP_SESSIONS)
      occurrences.push({
        date: dates[i] as TradingDate,
        index: i,
        year: Number((dates[i] as string).slice(0, 4)),
        value: values[i] as number,
      });
    episodeOf[i] = occurrences.length - 1;
    lastHit = i;
  }
  const n = values.length;
  const li = n - 1;
  const latest =
    n > 0
      ? {
          date: dates[li] as TradingDate,
          year: Number((dates[li] as string).slice(0, 4)),
          hit: hits[li] === true,
          value: values[li] as number,
          complete: true,
        }
      : null;
  // the start of the episode the latest session belongs to (if it is inside one), else the latest session
  let episodeStart = li;
  if (latest) {
    let k = -1;
    for (let i = li; i >= 0 && li - i <= EPISODE_GAP_SESSIONS; i--) if (hits[i]) k = i;
    if (k >= 0) {
      const ep = occurrences[episodeOf[k] as number];
      episodeStart = ep ? ep.index : k;
    }
  }
  let lastBefore: Occurrence | null = null;
  for (let i = episodeStart - 1; i >= 0; i--)
    if (hits[i]) {
      lastBefore = {
        date: dates[i] as TradingDate,
        index: i,
        year: Number((dates[i] as string).slice(0, 4)),
        value: values[i] as number,
      };
      break;
    }
  let current = 0;
  for (let i = li; i >= 0 && hits[i]; i--) current++;
  let longest = 0;
  let run = 0;
  for (const h of hits) {
    run = h ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return {
    condition: describeCondition(c),
    unit: 'session',
    tested: Math.max(0, n - c.lookback),
    occurrences,
    count: occurrences.length,
    latest,
    lastBefore,
    streak: { current, longest },
    minSample: MIN_SAMPLE,
    sampleOk: occurrences.length >= MIN_SAMPLE,
    periods: [],
  };
}
