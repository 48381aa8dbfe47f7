import { z } from 'zod';

/**
 * Yahoo Finance chart API (`/v8/finance/chart/{symbol}`), in Yahoo's own field names. Only the fields we use
 * are checked; others pass through. Arrays hold nulls where Yahoo has no value for a timestamp.
 */
const NumArray = z.array(z.number().nullable());

export const YahooMeta = z.looseObject({
  symbol: z.string(),
  currency: z.string().nullable().optional(),
  exchangeName: z.string().optional(),
  fullExchangeName: z.string().optional(),
  instrumentType: z.string().optional(),
  longName: z.string().optional(),
  shortName: z.string().optional(),
  /** The exchange's IANA zone, e.g. America/New_York. */
  exchangeTimezoneName: z.string().optional(),
  /** The bar interval of the response (`1d`). */
  dataGranularity: z.string().optional(),
  /** Seconds east of UTC at the time of the request (−14400 in EDT). */
  gmtoffset: z.number().optional(),
});

export const YahooQuote = z.looseObject({
  open: NumArray.optional(),
  high: NumArray.optional(),
  low: NumArray.optional(),
  close: NumArray.optional(),
  volume: NumArray.optional(),
});

export const YahooDividend = z.looseObject({ amount: z.number(), date: z.number() });
export const YahooSplit = z.looseObject({
  date: z.number(),
  numerator: z.number(),
  denominator: z.number(),
  splitRatio: z.string().optional(),
});

export const YahooResult = z.looseObject({
  meta: YahooMeta,
  /** Seconds since the epoch: the session's opening instant for daily bars. Absent when the range is empty. */
  timestamp: z.array(z.number()).optional(),
  indicators: z.looseObject({
    quote: z.array(YahooQuote),
    adjclose: z.array(z.looseObject({ adjclose: NumArray.optional() })).optional(),
  }),
  events: z
    .looseObject({
      dividends: z.record(z.string(), YahooDividend).optional(),
      splits: z.record(z.string(), YahooSplit).optional(),
    })
    .optional(),
});

export const YahooError = z.looseObject({ code: z.string(), description: z.string().nullable().optional() });

export const YahooChart = z.looseObject({
  chart: z.looseObject({
    result: z.array(YahooResult).nullable(),
    error: YahooError.nullable(),
  }),
});
export type YahooChart = z.infer<typeof YahooChart>;
export type YahooResult = z.infer<typeof YahooResult>;
export type YahooMeta = z.infer<typeof YahooMeta>;
