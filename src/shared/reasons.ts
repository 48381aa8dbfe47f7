/**
 * Why an import or sync outcome is what it is, as a code: the data layer sets one on every outcome
 * (data/ingest/import.ts, data/sync.ts), and the words for people live in one module at the CLI edge
 * (cli/reasons.ts). Code that needs to tell outcomes apart reads the code, never the message text; the message
 * keeps the details (file, line, field, the provider's answer).
 */

/** The outcome of importing one file. */
export const IMPORT_REASONS = [
  /** Rows were written (or, with --dry-run, would be). */
  'imported',
  /** Every row was already stored as it is. */
  'unchanged',
  /** A row failed a check (a date, a number, the order, a duplicate, a name): the message names line and field. */
  'bad-row',
  /** The file as a whole is not usable: empty, binary, no header, no data rows, an unknown layout. */
  'bad-file',
  /** Met while walking a folder and not a time series (constituent lists, per-year tables): skipped. */
  'not-a-series',
  /** The file could not be read (missing, a permission, a corrupt Parquet page). */
  'unreadable',
] as const;
export type ImportReason = (typeof IMPORT_REASONS)[number];

/** The outcome of syncing one symbol, series or contract. */
export const SYNC_REASONS = [
  /** Rows or corporate actions were written. */
  'updated',
  /** The provider answered with what is stored already. */
  'unchanged',
  /** No provider is configured for this kind of item. */
  'no-provider',
  /** The provider's host could not be reached (a probe or an earlier symbol of the run), or it timed out. */
  'unreachable',
  /** The provider refused with 429 (Retry-After capped; the run's circuit breaker may have opened). */
  'rate-limited',
  /** The provider answered, but with an error, no data, or a body that is not its schema. */
  'provider-error',
  /** The answer is not one to the request: another symbol, another interval, an impossible corporate action. */
  'response-mismatch',
  /** The answer failed the row checks a file import applies (the message names the bar or observation). */
  'rows-refused',
  /** A new split or dividend needed the full history, and fetching it failed. */
  'refetch-failed',
  /** The window to fetch is empty (the store is ahead of today). */
  'nothing-to-fetch',
] as const;
export type SyncReason = (typeof SYNC_REASONS)[number];
