import type { UsageError } from '../shared/errors.js';

/**
 * Flag hints, added at the CLI edge only: core and data parsers name values ("use first:N, a month …"), never
 * flags, and mark an error with a code when the CLI has a better hint. The server edge words its own.
 */
const FLAG_HINTS: Readonly<Record<string, string>> = {
  'rolling-window-by-year': 'use first:N, a month, a quarter or ytd with --years',
};

/** The hint to print for a usage error: the flag hint for its code, else its own hint. */
export function flagHint(e: UsageError): string | undefined {
  return (e.code === undefined ? undefined : FLAG_HINTS[e.code]) ?? e.hint;
}
