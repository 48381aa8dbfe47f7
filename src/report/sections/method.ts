import { RRG_DEFAULTS } from '../../core/rrg.js';
import type { TradingDate } from '../../shared/brand.js';
import type { Section, SeriesUse } from '../model.js';
import { num, t, type Text } from '../narrative/text.js';
import { idOf, type Ctx } from './context.js';

/** Section 8: every series with its source and as-of date, and the definitions used. */
export async function methodSection(
  ctx: Ctx,
  extra: readonly SeriesUse[],
  first: number,
): Promise<{ section: Section; used: SeriesUse[] }> {
  const membersOf = (s: { symbol: string; field: string }) =>
    s.field === 'basket' ? (ctx.config.baskets[s.symbol]?.members ?? []) : [s.symbol];
  // Only the series the brief read: a listing of the whole store would aggregate every stored bar.
  const wanted = [...ctx.series.values()].flatMap(membersOf);
  const summaries = new Map((await ctx.store.listSymbols(wanted)).map((s) => [s.symbol, s]));
  const used: SeriesUse[] = [...ctx.series.values()].map((s) => {
    const members = membersOf(s);
    return {
      symbol: s.symbol,
      sources: compactSources(
        members.flatMap((m) => summaries.get(m)?.sources ?? []),
        s.field === 'basket',
      ),
      first: s.dates[0] ?? '',
      last: s.dates[s.dates.length - 1] ?? '',
      field: s.field,
      note: s.note,
    };
  });
  const all = [...used, ...extra].sort((a, b) => (a.symbol < b.symbol ? -1 : 1));
  const rows: Text[][] = all.map((u) => [
    [u.symbol],
    [u.sources.join(', ') || 'unknown'],
    u.fieldText ?? [u.field],
    u.last
      ? [
          num(
            ctx.fact({
              id: `series.${idOf(u.symbol)}.last`,
              value: u.last,
              unit: 'date',
              label: `last date of ${u.symbol} read`,
              inputs: [u.symbol],
              asOf: u.last as TradingDate,
              method: 'the last observation on or before the as-of date (data/load, data/why)',
            }),
            'date',
          ),
        ]
      : ['none'],
  ]);
  const defs: Text[] = [
    t`Windows are measured from a base close: year to date and the first ${num(ctx.reg.find('brief.first-sessions') ?? ctx.count('brief.first-sessions', first, 'sessions in the year-start window', [], 'brief setting (--first)'))} sessions both start at the last close of the previous year.`,
    [
      'Returns use the stored closes (price basis); the ETF files from the shared data set hold adjusted closes, so for ETFs they include dividends.',
    ],
    [
      `MAG7 is ${ctx.config.baskets.MAG7?.description ?? 'the configured basket'}; it starts when every member is held.`,
    ],
    t`The sector RRG uses weekly closes: RS-Ratio is ${num(ctx.fact({ id: 'rrg.params.center', value: 100, unit: 'index', label: 'RRG centre line', inputs: [], asOf: ctx.asOf, method: 'core/rrg: 100 + z-score' }), 'count')} plus the z-score of the price ratio to the benchmark over ${num(ctx.count('rrg.params.window', RRG_DEFAULTS.weekly.window, 'RRG window (weeks)', [], 'core/rrg RRG_DEFAULTS.weekly'))} weeks; RS-Momentum is the same for its ${num(ctx.count('rrg.params.lag', RRG_DEFAULTS.weekly.lag, 'RRG momentum lag (weeks)', [], 'core/rrg RRG_DEFAULTS.weekly'))}-week change.`,
    [
      'A "first time since" statement is printed only when the claim check supports it under the stated definition, and the brief says how many other definitions agree.',
    ],
    [
      'Every number in this brief is a fact in the facts file, with its inputs, window, as-of date and method.',
    ],
  ];
  return {
    section: {
      id: 'method',
      title: 'Method and sources',
      blocks: [
        { kind: 'table', caption: 'Series read', head: ['Series', 'Source', 'Field', 'Data to'], rows },
        { kind: 'list', items: defs },
      ],
    },
    used: all,
  };
}

/** Sources of a series; for a basket, the folders its members' files come from. */
function compactSources(sources: readonly string[], basket: boolean): string[] {
  const unique = [...new Set(sources)];
  if (!basket) return unique;
  return [...new Set(unique.map((s) => s.replace(/\/[^/]+$/, '/')))].map((s) => `members' files in ${s}`);
}
