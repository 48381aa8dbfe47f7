import type { UsageError } from '../shared/errors.js';

/**
 * Flag hints, added at the CLI edge only: core and data parsers name values ("use first:N, a month …"), never
 * flags, and mark an error with a code when the CLI has a better hint. The server edge words its own.
 */
const FLAG_HINTS: Readonly<Record<string, string>> = {
  'rolling-window-by-year': 'use first:N, a month, a quarter or ytd with --years',
  'claim-unreadable':
    'write it as "<A> beat <B> over the first 7 sessions of 2026 [for the first time since 2019]", or use --a --b --window --year',
};

/** The hint to print for a usage error: the flag hint for its code, else its own hint. */
export function flagHint(e: UsageError): string | undefined {
  return (e.code === undefined ? undefined : FLAG_HINTS[e.code]) ?? e.hint;
}
