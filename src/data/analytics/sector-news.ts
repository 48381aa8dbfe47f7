/** Sector news of the week: members entering or leaving Leading on the weekly RRG (the brief, `rotation rrg --news`). */
import { symbolId, type Fact } from '../../core/fact.js';
import { sectorLeadingNews, type LeadingMove } from '../../core/news-candidates.js';
import { rrg, type RrgMember } from '../../core/rrg.js';
import type { TradingDate } from '../../shared/brand.js';
import { epochDay } from '../../shared/dates.js';
import type { LoadedSeries } from '../load.js';

export type SectorNewsItem = {
  entered: boolean;
  moves: LeadingMove[];
  score: Fact;
  historyN: Fact;
  firstWeek: Fact;
};

/**
 * A sector entering or leaving Leading in the week ending `week`, clearing the hysteresis band, scored against every
 * earlier week of the full weekly history (an RRG with the whole history as its tail). None when that week ended
 * more than six days before `asOf` (not this week's news).
 */
export function sectorNews(o: {
  bench: LoadedSeries;
  members: readonly { symbol: string; series: LoadedSeries }[];
  week: TradingDate;
  asOf: TradingDate;
}): { items: SectorNewsItem[]; facts: Fact[] } {
  if (epochDay(o.asOf) - epochDay(o.week) > 6) return { items: [], facts: [] };
  const full = rrg({
    benchmark: { symbol: o.bench.symbol, series: o.bench },
    members: [...o.members],
    period: 'weekly',
    tail: Number.MAX_SAFE_INTEGER,
    asOf: o.asOf,
  });
  return sectorNewsOf(
    full.members,
    o.members.map((m) => m.symbol),
    o.bench.symbol,
    o.week,
    o.asOf,
  );
}

function sectorNewsOf(
  members: readonly RrgMember[],
  inputs: string[],
  benchSym: string,
  week: TradingDate,
  asOf: TradingDate,
): { items: SectorNewsItem[]; facts: Fact[] } {
  const items = sectorLeadingNews(members, week).map((x): SectorNewsItem => {
    const dir = x.entered ? 'entered' : 'left';
    const sid = `news.sectors.${symbolId(benchSym)}.${x.entered ? 'enter' : 'leave'}-leading`;
    return {
      entered: x.entered,
      moves: x.moves,
      score: {
        id: `${sid}.score`,
        value: x.score,
        unit: 'fraction',
        label: `share of earlier weeks in which no sector ${dir} Leading`,
        inputs,
        asOf: week,
        method:
          'core/news-candidates sectorLeadingNews: weeks with a move clearing the hysteresis band, full history',
      },
      historyN: {
        id: `${sid}.history-n`,
        value: x.historyN,
        unit: 'count',
        label: 'earlier weeks with an RRG point',
        inputs: [],
        asOf,
        method: 'weekly RRG history',
      },
      firstWeek: {
        id: `${sid}.first-week`,
        value: x.firstWeek,
        unit: 'date',
        label: 'first week of the RRG history the move is ranked against',
        inputs,
        asOf: week,
        method: 'core/news-candidates sectorLeadingNews: the first week with an RRG point',
      },
    };
  });
  return { items, facts: items.flatMap((i) => [i.score, i.historyN, i.firstWeek]) };
}
