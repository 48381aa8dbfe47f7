import type { TradingDate } from '../shared/brand.js';

/**
 * The race of A against B over one calendar year, session by session: `spread[i]` is retA − retB (fractions) from
 * the last close of the previous year to the close of `dates[i]`. Index 0 is the first session of the year.
 */
export type YearPath = {
  year: number;
  dates: TradingDate[];
  /** Year-to-date returns of A and B (fractions) on each session. */
  retA: number[];
  retB: number[];
  spread: number[];
};

/**
 * Splits aligned closes into one year-to-date spread path per calendar year. A year is included only when the
 * previous year's last close is in the data (its base). `a` and `b` are the closes on `dates` (aligned, > 0).
 */
export function yearPaths(
  dates: readonly TradingDate[],
  a: readonly number[],
  b: readonly number[],
): YearPath[] {
  const out: YearPath[] = [];
  let base = -1;
  let cur: YearPath | null = null;
  for (let i = 1; i < dates.length; i++) {
    const y = Number((dates[i] as string).slice(0, 4));
    if (Number((dates[i - 1] as string).slice(0, 4)) !== y) {
      base = i - 1;
      cur = { year: y, dates: [], retA: [], retB: [], spread: [] };
      out.push(cur);
    }
    if (!cur) continue;
    const ra = (a[i] as number) / (a[base] as number) - 1;
    const rb = (b[i] as number) / (b[base] as number) - 1;
    cur.dates.push(dates[i] as TradingDate);
    cur.retA.push(ra);
    cur.retB.push(rb);
    cur.spread.push(ra - rb);
  }
  return out;
}

/** A change of leader: from `date`'s close on, `leader` ('a' or 'b') is ahead over the year so far. */
export type LeadChange = { date: TradingDate; index: number; leader: 'a' | 'b' };

/**
 * The sessions on which the year-to-date leader changed: the sign of the spread flips against the last non-zero
 * sign (a session exactly level changes nothing). The first session of the year sets the first leader and is not a
 * change.
 */
export function leadChanges(path: YearPath): LeadChange[] {
  const out: LeadChange[] = [];
  let sign = 0;
  path.spread.forEach((s, i) => {
    const now = Math.sign(s);
    if (now === 0) return;
    if (sign !== 0 && now !== sign)
      out.push({ date: path.dates[i] as TradingDate, index: i, leader: now > 0 ? 'a' : 'b' });
    sign = now;
  });
  return out;
}

export type Extreme = { date: TradingDate; index: number; spread: number };

/** The widest lead of A (largest positive spread) and widest deficit (most negative) so far; null when never. */
export function extremes(path: YearPath): { lead: Extreme | null; deficit: Extreme | null } {
  let lead: Extreme | null = null;
  let deficit: Extreme | null = null;
  path.spread.forEach((s, i) => {
    const date = path.dates[i] as TradingDate;
    if (s > 0 && (lead === null || s > lead.spread)) lead = { date, index: i, spread: s };
    if (s < 0 && (deficit === null || s < deficit.spread)) deficit = { date, index: i, spread: s };
  });
  return { lead, deficit };
}

/**
 * Whether session `i` of a path sets a new high (+1) or low (−1) of the spread for the year so far (strictly
 * beyond every earlier session), else 0.
 */
export function newExtremeAt(path: YearPath, i: number): -1 | 0 | 1 {
  const s = path.spread[i] as number;
  const before = path.spread.slice(0, i);
  if (before.length === 0) return 0;
  if (s > Math.max(...before)) return 1;
  if (s < Math.min(...before)) return -1;
  return 0;
}

/**
 * The spread of returns over the `sessions` sessions ending at session `i` (A's return minus B's, close to close),
 * as `rotation race --window rolling:N` measures it; null when the year is not that long yet.
 */
export function spreadMove(path: YearPath, i: number, sessions: number): number | null {
  if (i - sessions < 0) return null;
  const r = (ret: readonly number[]) => (1 + (ret[i] as number)) / (1 + (ret[i - sessions] as number)) - 1;
  return r(path.retA) - r(path.retB);
}

/**
 * How often something happened in history: the share of eligible sessions of the given paths on which `event`
 * is true, with the count. Used to rank how unusual today's news is (unusualness = 1 − rate). null when no
 * session is eligible.
 */
export function historicalRate(
  paths: readonly YearPath[],
  fromIndex: number,
  event: (p: YearPath, i: number) => boolean,
): { rate: number; n: number } | null {
  let n = 0;
  let hits = 0;
  for (const p of paths)
    for (let i = fromIndex; i < p.spread.length; i++) {
      n++;
      if (event(p, i)) hits++;
    }
  return n === 0 ? null : { rate: hits / n, n };
}

/** Share of `values` whose magnitude is below |x|: the percentile of a move against history (null when empty). */
export function magnitudeRank(values: readonly number[], x: number): number | null {
  if (values.length === 0) return null;
  return values.filter((v) => Math.abs(v) < Math.abs(x)).length / values.length;
}

/**
 * Whether a lead change happened within the `sessions` sessions up to and including session `i`.
 */
export function leadChangedWithin(changes: readonly LeadChange[], i: number, sessions: number): boolean {
  return changes.some((c) => c.index <= i && c.index > i - sessions);
}

/** Sessions in the "past week" of the news ranking. */
export const NEWS_WEEK_SESSIONS = 5;

/**
 * The latest new high (+1) or low (−1) of the year's spread set within the `sessions` sessions up to session `i`;
 * null when none.
 */
export function extremeWithin(
  path: YearPath,
  i: number,
  sessions: number,
): { side: 1 | -1; at: Extreme } | null {
  for (let k = i; k > i - sessions && k > 0; k--) {
    const side = newExtremeAt(path, k);
    if (side !== 0) {
      return { side, at: { date: path.dates[k] as TradingDate, index: k, spread: path.spread[k] as number } };
    }
  }
  return null;
}

/** Sessions in the "past month" of the news ranking (21 sessions, as the odds' 1m horizon). */
export const NEWS_MONTH_SESSIONS = 21;

/**
 * Unusualness a piece of news must beat to lead the brief; below it the headline is the standing of the race.
 * 0.5: a move smaller than the median month in history, or an event that happens on half the sessions, is not
 * news.
 */
export const NEWS_THRESHOLD = 0.5;

/** A candidate for the headline, with how unusual it is against history (`score` in [0, 1], higher = rarer). */
export type RaceNews = { score: number; historyN: number } & (
  | { kind: 'year-start'; sessions: number; spread: number }
  | { kind: 'lead-change'; change: LeadChange; spread: number }
  | { kind: 'new-extreme'; side: 1 | -1; at: Extreme; spread: number }
  | { kind: 'month-move'; move: number; spread: number }
  | { kind: 'standing'; spread: number }
);

/**
 * The race's news on the last session of `current`, ranked by how unusual each item is against the earlier
 * years in `history` (same race, same rules), most unusual first; the standing of the race (score
 * NEWS_THRESHOLD) is always among them, so the first item is the headline.
 *
 * - year-start (January only, once the first `first` sessions are over): the share of earlier years whose
 *   first-`first`-session spread was smaller in magnitude.
 * - lead-change (the leader changed within the past month): 1 − the share of earlier sessions (from session
 *   `first` of their year on) that had a lead change within the month before them.
 * - new-extreme (the spread set a new high or low for the year within the past week, from session 21 of the year
 *   on): 1 − the share of earlier sessions with one set in the week before them.
 * - month-move: the share of earlier one-month spread moves smaller in magnitude than this one.
 */
export function raceNews(history: readonly YearPath[], current: YearPath, first: number): RaceNews[] {
  const M = NEWS_MONTH_SESSIONS;
  const i = current.spread.length - 1;
  const spread = current.spread[i] as number;
  const out: RaceNews[] = [{ kind: 'standing', spread, score: NEWS_THRESHOLD, historyN: 0 }];
  if (i < 0) return out;
  const month = (current.dates[i] as string).slice(5, 7);
  if (month === '01' && i >= first - 1) {
    const past = history.filter((p) => p.spread.length >= first).map((p) => p.spread[first - 1] as number);
    const rank = magnitudeRank(past, current.spread[first - 1] as number);
    if (rank !== null)
      out.push({
        kind: 'year-start',
        sessions: first,
        spread: current.spread[first - 1] as number,
        score: rank,
        historyN: past.length,
      });
  }
  const changes = leadChanges(current);
  const last = changes.at(-1);
  if (last && last.index > i - M) {
    const byYear = new Map(history.map((p) => [p.year, leadChanges(p)]));
    const r = historicalRate(history, first, (p, k) => leadChangedWithin(byYear.get(p.year) ?? [], k, M));
    if (r) out.push({ kind: 'lead-change', change: last, spread, score: 1 - r.rate, historyN: r.n });
  }
  if (i >= M) {
    const set = extremeWithin(current, i, NEWS_WEEK_SESSIONS);
    if (set) {
      const r = historicalRate(history, M, (p, k) => extremeWithin(p, k, NEWS_WEEK_SESSIONS) !== null);
      if (r) out.push({ kind: 'new-extreme', ...set, spread, score: 1 - r.rate, historyN: r.n });
    }
    const move = spreadMove(current, i, M) as number;
    const past: number[] = [];
    for (const p of history)
      for (let k = M; k < p.spread.length; k++) past.push(spreadMove(p, k, M) as number);
    const rank = magnitudeRank(past, move);
    if (rank !== null) out.push({ kind: 'month-move', move, spread, score: rank, historyN: past.length });
  }
  // stable order: by score, then by the order above (the standing first among equals is never preferred)
  return out
    .map((n, k) => ({ n, k }))
    .sort(
      (x, y) =>
        y.n.score - x.n.score || (x.n.kind === 'standing' ? 1 : y.n.kind === 'standing' ? -1 : x.k - y.k),
    )
    .map((x) => x.n);
}

/**
 * The unconditional base rate for the rest-of-year horizon: in every path with a session `first` (a finished
 * year-start window) and at least one session after it, whether `leader` beat the other leg from the close of
 * session `first` to the year's last close. Paths must be complete years (the caller passes earlier years only).
 */
export function restOfYearBaseRate(
  paths: readonly YearPath[],
  first: number,
  leader: 'a' | 'b',
): { hits: number; n: number } {
  let hits = 0;
  let n = 0;
  for (const p of paths) {
    const end = p.spread.length - 1;
    if (end <= first - 1) continue;
    const s = spreadMove(p, end, end - (first - 1)) as number;
    n++;
    if ((leader === 'a' ? s : -s) > 0) hits++;
  }
  return { hits, n };
}
