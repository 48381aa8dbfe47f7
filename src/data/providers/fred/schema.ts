import { z } from 'zod';

/**
 * FRED in its own field names.
 * - fredgraph.csv (keyless): header `DATE,<SERIES>` (older) or `observation_date,<SERIES>` (current); a missing
 *   value is `.`.
 * - /fred/series/observations?file_type=json: `{ realtime_start, realtime_end, …, observations: [{ realtime_start,
 *   realtime_end, date, value }] }` with `value` a string (`"."` when missing); errors are
 *   `{ error_code, error_message }`.
 */
export const FRED_DATE_HEADERS = ['DATE', 'observation_date'] as const;

export const FredCsvRow = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  value: z.union([z.literal('.'), z.string().regex(/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/)]),
});
export type FredCsvRow = z.infer<typeof FredCsvRow>;

export const FredObservation = z.looseObject({
  realtime_start: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  realtime_end: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  value: z.string(),
});
export type FredObservation = z.infer<typeof FredObservation>;

export const FredObservations = z.looseObject({
  realtime_start: z.string().optional(),
  realtime_end: z.string().optional(),
  count: z.number().optional(),
  observations: z.array(FredObservation),
});

export const FredApiError = z.looseObject({ error_code: z.number(), error_message: z.string() });
