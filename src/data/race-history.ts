import { symbolId, type Fact } from '../core/fact.js';
import {
  extremes,
  leadChanges,
  raceNews,
  yearPaths,
  type Extreme,
  type LeadChange,
  type RaceNews,
  type YearPath,
} from '../core/race-history.js';
import type { TradingDate } from '../shared/brand.js';
import type { RunOptions } from './analytics.js';
import { loadAligned } from './load.js';
import type { Store } from './store/store.js';

/** The race of A vs B through the as-of year: lead changes, extremes and the ranked news, with their facts. */
export type RaceHistoryRun = {
  a: string;
  b: string;
  asOf: TradingDate;
  year: number;
  current: YearPath;
  /** Earlier complete years of the same race (the history the news is ranked against). */
  history: YearPath[];
  changes: LeadChange[];
  lead: Extreme | null;
  deficit: Extreme | null;
  /** Most unusual first; the first is the headline. */
  news: RaceNews[];
  facts: Fact[];
};

/**
 * Loads A and B up to the as-of date and computes the year's race history (core/race-history). null when the
 * as-of year has no session with a base close (no last close of the previous year).
 */
export async function loadRaceHistory(
  store: Store,
  a: string,
  b: string,
  first: number,
  opts: RunOptions,
): Promise<RaceHistoryRun | null> {
  const data = await loadAligned(store, [a, b], {
    asOf: opts.asOf,
    basis: opts.basis ?? 'price',
    config: opts.config,
  });
  const [sa, sb] = data.symbols as [string, string];
  const paths = yearPaths(data.dates, data.values[0] as number[], data.values[1] as number[]);
  const current = paths.at(-1);
  const asOf = data.dates.at(-1);
  if (!current || !asOf || current.year !== Number((opts.asOf ?? asOf).slice(0, 4))) return null;
  const history = paths.slice(0, -1);
  const changes = leadChanges(current);
  const { lead, deficit } = extremes(current);
  const news = raceNews(history, current, first);
  const id = `history.${symbolId(sa)}-${symbolId(sb)}.${current.year}`;
  const base = { inputs: [sa, sb], asOf, window: 'ytd', basis: opts.basis ?? 'price' };
  const facts: Fact[] = [
    {
      ...base,
      id: `${id}.lead-changes`,
      value: changes.length,
      unit: 'count',
      label: `times the year-to-date lead changed hands in ${current.year}`,
      method: 'sign changes of the year-to-date spread (retA − retB), level sessions ignored',
    },
  ];
  // Every date the brief prints about the race is a fact too: each lead change, and the days of the extremes.
  changes.forEach((c, k) =>
    facts.push({
      ...base,
      id: `${id}.lead-change.${k + 1}.date`,
      value: c.date,
      unit: 'date',
      label: `session the year-to-date lead passed to ${c.leader === 'a' ? sa : sb} (change ${k + 1} of ${changes.length})`,
      method: 'the first session of a run with the year-to-date spread on the other side of zero',
    }),
  );
  const dateOf = (what: 'lead' | 'deficit', e: Extreme) =>
    facts.push({
      ...base,
      id: `${id}.largest-${what}.date`,
      value: e.date,
      unit: 'date',
      label: `session of the widest year-to-date ${what} of ${sa}`,
      method: `the session of the ${what === 'lead' ? 'maximum' : 'minimum'} of the year-to-date spread`,
    });
  if (lead) dateOf('lead', lead);
  if (deficit) dateOf('deficit', deficit);
  if (lead)
    facts.push({
      ...base,
      id: `${id}.largest-lead`,
      value: lead.spread,
      unit: 'fraction',
      label: `widest year-to-date lead of ${sa} (on ${lead.date})`,
      method: 'maximum of the year-to-date spread',
    });
  if (deficit)
    facts.push({
      ...base,
      id: `${id}.largest-deficit`,
      value: deficit.spread,
      unit: 'fraction',
      label: `widest year-to-date deficit of ${sa} (on ${deficit.date})`,
      method: 'minimum of the year-to-date spread',
    });
  for (const n of news) {
    if (n.kind === 'standing') continue;
    facts.push({
      ...base,
      id: `news.${symbolId(sa)}-${symbolId(sb)}.${n.kind}.score`,
      value: n.score,
      unit: 'fraction',
      label: `how unusual the ${n.kind} is: share of history less extreme`,
      method: 'core/race-history raceNews, against every earlier year of the same race',
    });
    facts.push({
      ...base,
      id: `news.${symbolId(sa)}-${symbolId(sb)}.${n.kind}.history-n`,
      value: n.historyN,
      unit: 'count',
      label: `observations the ${n.kind} is ranked against`,
      method: 'earlier years (or sessions of earlier years) with the same measure',
    });
    if (n.kind === 'month-move')
      facts.push({
        ...base,
        id: `news.${symbolId(sa)}-${symbolId(sb)}.month-move`,
        value: n.move,
        unit: 'fraction',
        label: 'spread of returns over the past 21 sessions',
        method: 'return of A minus return of B from the close 21 sessions earlier (rolling:21)',
      });
    if (n.kind === 'new-extreme')
      facts.push({
        ...base,
        id: `news.${symbolId(sa)}-${symbolId(sb)}.new-extreme.date`,
        value: n.at.date,
        unit: 'date',
        label: `session of the new ${n.side > 0 ? 'high' : 'low'} of the year-to-date spread`,
        method: 'the session the spread went beyond every earlier session of the year',
      });
    if (n.kind === 'new-extreme')
      facts.push({
        ...base,
        id: `news.${symbolId(sa)}-${symbolId(sb)}.new-extreme`,
        value: n.at.spread,
        unit: 'fraction',
        label: `new ${n.side > 0 ? 'high' : 'low'} of the year-to-date spread (on ${n.at.date})`,
        method: 'a spread beyond every earlier session of the year, set within the past 5 sessions',
      });
  }
  return { a: sa, b: sb, asOf, year: current.year, current, history, changes, lead, deficit, news, facts };
}
