import { z } from 'zod';

/**
 * The query parameters of each endpoint: snake_case mirrors of the CLI flags. zod checks their shape (strings,
 * lengths, known names); the meaning (a window, a year list, a condition) is parsed by the same functions the CLI
 * calls (core/window, core/series/types, data/options). The OpenAPI document is generated from these schemas.
 */
const text = (max: number, description: string) => z.string().min(1).max(max).describe(description);
const symbol = (description: string) =>
  z
    .string()
    .regex(/^[A-Za-z0-9^._=-]{1,24}$/, 'a symbol or basket id: letters, digits and ^ . _ = -')
    .describe(description);
const date = (description: string) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
    .describe(description);

const format = z.enum(['json', 'csv']).describe('json (default) or csv; csv also by Accept: text/csv');
const common = {
  as_of: date('use no data after this date; default: the latest stored').optional(),
  basis: z.enum(['price', 'total']).describe('price (closes) or total (adjusted closes)').optional(),
  format: format.optional(),
};
const condition = {
  beats: text(60, 'condition: A,B — A returned more than B over window').optional(),
  window: text(40, 'the window: ytd | first:N | jan..dec | q1..q4 | year | range:A..B').optional(),
  min_spread: text(20, 'with beats: A must lead by more than this fraction').optional(),
  extreme: symbol('condition: SYMBOL closed at a new lookback-session high or low').optional(),
  side: z.enum(['high', 'low']).describe('with extreme: high | low').optional(),
  lookback: text(10, 'with extreme: look-back in sessions (default 252)').optional(),
};

const VERBS = {
  symbols: z.strictObject({
    kind: z.enum(['index', 'etf', 'stock', 'basket', 'series']).describe('only this kind').optional(),
    format: format.optional(),
  }),
  show: z.strictObject({
    from: date('first date').optional(),
    to: date('last date').optional(),
    as_of: date('as known at this date').optional(),
    last: text(10, 'only the last N rows').optional(),
    format: format.optional(),
  }),
  doctor: z.strictObject({
    symbols: text(400, 'comma-separated symbols; default: everything stored').optional(),
    as_of: date('the date data should be current to (default: today in New York)').optional(),
    format: format.optional(),
  }),
  race: z.strictObject({
    a: symbol('first leg: symbol or basket'),
    b: symbol('second leg'),
    window: text(
      40,
      'ytd | first:N | jan..dec | month:M | q1..q4 | range:A..B | rolling:N | year',
    ).optional(),
    year: text(4, 'the year of the window (default: the as-of year)').optional(),
    years: text(200, 'the same window year by year, e.g. 1988-2026').optional(),
    ...common,
  }),
  precedents: z.strictObject({ ...condition, ...common }),
  odds: z.strictObject({
    ...condition,
    horizons: text(100, 'forward horizons, e.g. 1m,3m,6m,12m').optional(),
    base_rate: z
      .enum(['true', 'false'])
      .describe(
        'with beats and window first:N: the base rate of every year, Wilson intervals and the move since (rotation odds --base-rate)',
      )
      .optional(),
    ...common,
  }),
  outlook: z.strictObject({
    a: symbol('first leg: symbol or basket'),
    b: symbol('second leg'),
    ...common,
  }),
  calendar: z.strictObject({
    from: date('first date (default: January 1 of the current year)').optional(),
    to: date('last date (default: December 31 of the current year)').optional(),
    format: format.optional(),
  }),
  check: z.strictObject({
    claim: text(1000, 'the claim as a sentence').optional(),
    a: symbol('structured form: the leg said to win').optional(),
    b: symbol('structured form: the other leg').optional(),
    window: text(40, 'structured form: first:N, jan, … (default first:7)').optional(),
    year: text(4, 'the year claimed (default: the as-of year)').optional(),
    first_since: text(4, 'the claim says "for the first time since YEAR"').optional(),
    date: date("the sentence's date (anchors 'this year')").optional(),
    as_of: common.as_of,
    format: format.optional(),
  }),
  check_article: z.strictObject({
    date: date("the article's date (anchors 'this year', 'last week'); default: its dateline").optional(),
    as_of: common.as_of,
    input: z
      .enum(['text', 'markdown', 'html'])
      .describe('the article format (default: from Content-Type, else sniffed)')
      .optional(),
  }),
  rrg: z.strictObject({
    symbols: text(400, 'comma-separated symbols (default: the 11 sector SPDRs)').optional(),
    benchmark: symbol('the benchmark (default SPY)').optional(),
    period: z.enum(['weekly', 'daily']).describe('weekly (default) or daily').optional(),
    tail: text(4, 'points in each tail (default 8)').optional(),
    window: text(4, 'z-score window in periods (default 52 weekly, 63 daily)').optional(),
    lag: text(4, 'RS-Momentum change in periods (default 10)').optional(),
    news: z
      .enum(['true', 'false'])
      .describe("also the week's sector-leading news (rotation rrg --news; weekly only)")
      .optional(),
    as_of: common.as_of,
    basis: z.enum(['price', 'total']).describe('price (default, as the brief) or total').optional(),
    format: format.optional(),
  }),
  breadth: z.strictObject({
    universe: z.enum(['sp500', 'ndx']).describe('the index list (default sp500)').optional(),
    equal: symbol('the equal-weight fund (default RSP)').optional(),
    cap: symbol('the cap-weight fund (default SPY)').optional(),
    as_of: common.as_of,
    basis: z.enum(['price', 'total']).describe('price (default, as the brief) or total').optional(),
    format: format.optional(),
  }),
  regime: z.strictObject({
    symbols: text(400, 'comma-separated symbols (default: SPY QQQ IWM and the 11 sectors)').optional(),
    ...common,
  }),
  earnings: z.strictObject({
    as_of: date('use only estimates known at this date (default: today in New York)').optional(),
    period: text(10, 'only this period (2025Q4, 2026)').optional(),
    tech: text(60, 'group id of tech (default sp500:tech)').optional(),
    non_tech: text(60, 'group id of everything but tech (default sp500:ex-tech)').optional(),
    growth: text(60, 'group id of growth (default style:growth)').optional(),
    value: text(60, 'group id of value (default style:value)').optional(),
    format: format.optional(),
  }),
  flows: z.strictObject({
    as_of: date('use only flows known at this date (default: today in New York)').optional(),
    group: text(60, 'only groups starting with this (sector:, ici:)').optional(),
    format: format.optional(),
  }),
  positioning: z.strictObject({
    as_of: date('use only reports released by this date (default: today in New York)').optional(),
    lookback: text(4, 'readings in the trailing range (default 52)').optional(),
    group: text(60, 'only series whose group starts with this (cftc-tff:rty)').optional(),
    format: format.optional(),
  }),
  macro: z.strictObject({
    as_of: date('use only data known at this date (default: today in New York)').optional(),
    cpi: text(200, 'CPI series (comma list: first stored wins)').optional(),
    fed_funds: text(200, 'policy rate series (default DFEDTARU,FEDFUNDS)').optional(),
    ten_year: text(200, '10-year yield series (default DGS10)').optional(),
    two_year: text(200, '2-year yield series (default DGS2)').optional(),
    format: format.optional(),
  }),
  briefs: z.strictObject({ format: format.optional() }),
  brief: z.strictObject({
    format: z.enum(['html', 'md', 'txt']).describe('html (default), md or txt').optional(),
  }),
  brief_facts: z.strictObject({ format: format.optional() }),
  fact: z.strictObject({
    as_of: date(
      'compute the fact as the brief as of this date would (default: the last session stored)',
    ).optional(),
    brief: date(
      'the fact as printed in the archived brief of this date (rotation serve --briefs)',
    ).optional(),
  }),
} as const;

/** The chart endpoints (the brief's Vega-Lite specs) take the parameters of the verb they draw. */
export const QUERIES = { ...VERBS, chart_race: VERBS.race, chart_rrg: VERBS.rrg } as const;

export type QueryName = keyof typeof QUERIES;
export type Query<K extends QueryName> = z.infer<(typeof QUERIES)[K]>;
