import { z } from 'zod';

/**
 * Stooq daily CSV (`/q/d/l/?s={symbol}&i=d`): header `Date,Open,High,Low,Close,Volume` (indices may lack
 * Volume), dates `YYYY-MM-DD`, ascending. Unknown symbols answer the plain text `No data`.
 */
export const STOOQ_HEADER = ['Date', 'Open', 'High', 'Low', 'Close'] as const;

const Price = z.coerce.number().positive();
const Optional = z
  .string()
  .transform((s) => (s === '' ? null : Number(s)))
  .pipe(z.number().nonnegative().nullable());

export const StooqRow = z.object({
  Date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  Open: Optional,
  High: Optional,
  Low: Optional,
  Close: Price,
  Volume: Optional.optional(),
});
export type StooqRow = z.infer<typeof StooqRow>;
