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

export const QUERIES = {
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
    ...common,
  }),
} as const;

export type QueryName = keyof typeof QUERIES;
export type Query<K extends QueryName> = z.infer<(typeof QUERIES)[K]>;
