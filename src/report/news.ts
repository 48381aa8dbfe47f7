import { isSession, nextSession, sessionsBetween } from '../core/calendar/calendar.js';
import { addDays, dayOfWeek } from '../shared/dates.js';
import type { TradingDate } from '../shared/brand.js';
import type { RaceNews } from '../core/race-history.js';
import type { RaceHistoryRun } from '../data/race-history.js';
import type { BriefFact, FactRegistry } from './facts/registry.js';
import { join, num, t, type Text } from './narrative/text.js';

/**
 * A headline candidate from outside the race (a sector entering or leaving Leading, an extreme weekly flow), with
 * its score on the race news' scale (core/news-candidates): the brief leads with the highest score.
 */
export type HeadlineCandidate = { kind: string; score: number; headline: Text; unusual: Text };

/** How the brief names the two legs in headlines: "Small caps" (A) and "Big Tech" (B). */
export type LegNames = { a: string; b: string };

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

const low = (s: string) => (s === 'Big Tech' ? s : `${s[0]?.toLowerCase() ?? ''}${s.slice(1)}`);

/** "at the end of Q1" / "at the end of March" on the last session of a quarter or month, else "so far in 2026". */
export function periodPhrase(date: string): string {
  const next = nextSession(date);
  const year = date.slice(0, 4);
  const month = Number(date.slice(5, 7));
  if (isSession(date) && next.slice(5, 7) !== date.slice(5, 7)) {
    if (month === 12) return `in ${year}`;
    if (month % 3 === 0) return `at the end of Q${month / 3} ${year}`;
    return `at the end of ${MONTH_NAMES[month - 1]} ${year}`;
  }
  return `so far in ${year}`;
}

const newsId = (h: RaceHistoryRun, suffix: string) =>
  `news.${h.a.toLowerCase().replace(/[^a-z0-9]/g, '')}-${h.b.toLowerCase().replace(/[^a-z0-9]/g, '')}.${suffix}`;
const historyId = (h: RaceHistoryRun, suffix: string) =>
  `history.${h.a.toLowerCase().replace(/[^a-z0-9]/g, '')}-${h.b.toLowerCase().replace(/[^a-z0-9]/g, '')}.${h.year}.${suffix}`;

/**
 * The headline: the most unusual item of the race's news (core/race-history raceNews), with its number. `spread`
 * is the year-to-date spread fact the lede prints; `firstSpread` the year-start window's spread.
 */
export function headlineOf(
  reg: FactRegistry,
  h: RaceHistoryRun,
  names: LegNames,
  spread: BriefFact,
  firstSpread: BriefFact | null,
): { text: Text; news: RaceNews } {
  const n = h.news[0] as RaceNews;
  const [lead, lag] = (n.spread >= 0 ? [names.a, names.b] : [names.b, names.a]) as [string, string];
  const byPp = num(spread, 'pp-abs');
  switch (n.kind) {
    case 'year-start': {
      const fs = firstSpread ?? spread;
      const [w, l] = n.spread >= 0 ? [names.a, names.b] : [names.b, names.a];
      return {
        news: n,
        text: t`${w} beat ${low(l)} by ${num(fs, 'pp-abs')} in the first ${num(reg.get('brief.first-sessions'))} sessions of ${String(h.year)}`,
      };
    }
    case 'lead-change': {
      const verb = h.changes.length >= 2 ? 'retake' : 'take';
      const nChanges = reg.get(historyId(h, 'lead-changes'));
      return {
        news: n,
        text: t`${lead} ${lead === 'Big Tech' ? `${verb}s` : verb} the lead from ${low(lag)}, ${byPp} ahead after ${num(nChanges)} lead changes this year`,
      };
    }
    case 'new-extreme': {
      const at = num(reg.get(newsId(h, 'new-extreme')), 'pp-abs');
      const on = num(reg.get(newsId(h, 'new-extreme.date')), 'date');
      const widening = n.side > 0 === n.at.spread > 0;
      const [l2, g2] = n.at.spread > 0 ? [names.a, names.b] : [names.b, names.a];
      const head = widening
        ? t`${l2}${l2.endsWith('s') ? '’' : '’s'} lead over ${low(g2)} hit a ${String(h.year)} high of ${at} on ${on}`
        : t`${l2}${l2.endsWith('s') ? '’' : '’s'} lead over ${low(g2)} narrowed to its ${String(h.year)} low of ${at} on ${on}`;
      const moved = Math.abs(n.spread) < Math.abs(n.at.spread) ? 'narrowed' : 'widened';
      const since =
        n.at.index < h.current.spread.length - 1
          ? n.spread * n.at.spread > 0
            ? t`, then ${moved} to ${byPp}`
            : t`; now ${low(lead)} ${lead === 'Big Tech' ? 'leads' : 'lead'} by ${byPp}`
          : '';
      return { news: n, text: t`${head}${since}` };
    }
    case 'month-move': {
      const mv = num(reg.get(newsId(h, 'month-move')), 'pp-abs');
      const [gainer, loser] = n.move >= 0 ? [names.a, names.b] : [names.b, names.a];
      return {
        news: n,
        text: t`${gainer} ${gainer === 'Big Tech' ? 'gains' : 'gain'} ${mv} on ${low(loser)} in a month; ${low(lead)} ${lead === 'Big Tech' ? 'leads' : 'lead'} by ${byPp} ${periodPhrase(h.asOf)}`,
      };
    }
    case 'standing':
      return {
        news: n,
        text: t`${lead} ${lead === 'Big Tech' ? 'leads' : 'lead'} ${low(lag)} by ${byPp} ${periodPhrase(h.asOf)}`,
      };
  }
}

/** One sentence on how unusual the headline's news is against history, or null for the plain standing. */
export function unusualSentence(reg: FactRegistry, h: RaceHistoryRun, n: RaceNews): Text | null {
  if (n.kind === 'standing') return null;
  const score = num(reg.get(newsId(h, `${n.kind}.score`)), 'rate');
  const histN = num(reg.get(newsId(h, `${n.kind}.history-n`)));
  const from = h.history[0]?.year;
  const since = from !== undefined ? ` since ${from}` : '';
  switch (n.kind) {
    case 'year-start':
      return t`That margin is wider than in ${score} of the ${histN} earlier years${since} (either leg ahead).`;
    case 'lead-change':
      return t`That is rare: ${score} of the ${histN} sessions of earlier years${since} (from the end of each year-start window) had no lead change in the month before them.`;
    case 'new-extreme':
      return t`${score} of the ${histN} sessions of earlier years${since} had no new high or low of the year in the week before them.`;
    case 'month-move':
      return t`The move is wider than ${score} of the ${histN} one-month spreads of earlier years${since}.`;
  }
}

/** "The lead changed hands 6 times in 2026: to QQQ on 2026-05-08, to IWM on 2026-06-09, …". */
export function leadChangesText(reg: FactRegistry, h: RaceHistoryRun): Text {
  const n = reg.get(historyId(h, 'lead-changes'));
  if (h.changes.length === 0)
    return t`The lead has not changed hands in ${String(h.year)}: ${h.current.spread.at(-1)! >= 0 ? h.a : h.b} has been ahead since the first session.`;
  const items = h.changes.map(
    (c, k) =>
      t`to ${c.leader === 'a' ? h.a : h.b} on ${num(reg.get(historyId(h, `lead-change.${k + 1}.date`)), 'date')}`,
  );
  return t`The lead changed hands ${num(n)} ${h.changes.length === 1 ? 'time' : 'times'} in ${String(h.year)}: ${join(items, ', ', ' and ')}.`;
}

/** "IWM's widest lead was 9.26 pp (2026-02-19); its widest deficit 4.23 pp (2026-06-03)." */
export function extremesText(reg: FactRegistry, h: RaceHistoryRun): Text {
  const lead = h.lead ? reg.get(historyId(h, 'largest-lead')) : null;
  const def = h.deficit ? reg.get(historyId(h, 'largest-deficit')) : null;
  const parts: Text[] = [];
  if (lead && h.lead)
    parts.push(
      t`${h.a}’s widest lead this year was ${num(lead, 'pp-abs')} (${num(reg.get(historyId(h, 'largest-lead.date')), 'date')})`,
    );
  if (def && h.deficit)
    parts.push(
      t`its widest deficit ${num(def, 'pp-abs')} (${num(reg.get(historyId(h, 'largest-deficit.date')), 'date')})`,
    );
  if (parts.length === 0) return [`${h.a} and ${h.b} have been level all year.`];
  return t`${join(parts, '; ')}.`;
}

/**
 * "week ending 2026-07-31" when the as-of session ends its Monday–Friday week; otherwise the week is flagged as
 * partial with its session count ("the week so far, 1 of 5 sessions to 2026-01-12"), so a one-session week is
 * never presented as a week.
 */
export function weekPhrase(reg: FactRegistry, asOf: TradingDate, weekEnd: TradingDate): Text {
  const monday = addDays(weekEnd, -((dayOfWeek(weekEnd) + 6) % 7));
  const friday = addDays(monday, 4);
  const all = sessionsBetween(monday, friday);
  const done = sessionsBetween(monday, weekEnd);
  if (done.length >= all.length || weekEnd < asOf) return [`week ending ${weekEnd}`];
  const n = reg.add({
    id: `calendar.week.${weekEnd}.sessions-done`,
    value: done.length,
    unit: 'count',
    label: 'sessions of the latest week so far',
    inputs: [],
    asOf,
    method: 'NYSE sessions from Monday to the as-of date (core/calendar)',
  });
  const m = reg.add({
    id: `calendar.week.${weekEnd}.sessions`,
    value: all.length,
    unit: 'count',
    label: 'sessions in the latest week',
    inputs: [],
    asOf,
    method: 'NYSE sessions from Monday to Friday (core/calendar)',
  });
  return t`the week so far (partial: ${num(n)} of ${num(m)} sessions, to ${weekEnd})`;
}
