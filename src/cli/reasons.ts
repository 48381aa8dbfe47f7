import type { ImportReason, SyncReason } from '../shared/reasons.js';

/**
 * The words for the outcome codes of src/shared/reasons.ts: the one place that turns an import or sync reason into
 * text for people (the import report, the sync table). JSON output carries the code itself.
 */

/** A short phrase for an import outcome, e.g. `bad row`, `not time series`. */
export function importReasonText(r: ImportReason): string {
  switch (r) {
    case 'imported':
      return 'imported';
    case 'unchanged':
      return 'unchanged';
    case 'bad-row':
      return 'bad row';
    case 'bad-file':
      return 'bad file';
    case 'not-a-series':
      return 'not time series';
    case 'unreadable':
      return 'unreadable';
  }
}

/** A short phrase for a sync outcome, e.g. `rate limited`, `rows refused`. */
export function syncReasonText(r: SyncReason): string {
  switch (r) {
    case 'updated':
      return 'updated';
    case 'unchanged':
      return 'unchanged';
    case 'no-provider':
      return 'no provider';
    case 'unreachable':
      return 'unreachable';
    case 'rate-limited':
      return 'rate limited';
    case 'provider-error':
      return 'provider error';
    case 'response-mismatch':
      return 'wrong response';
    case 'rows-refused':
      return 'rows refused';
    case 'refetch-failed':
      return 'refetch failed';
    case 'nothing-to-fetch':
      return 'nothing to fetch';
  }
}

/** `2 bad row, 1 unreadable`: counts of reasons, the most frequent first (ties in order of first appearance). */
export function reasonCounts<R extends string>(reasons: readonly R[], text: (r: R) => string): string {
  const n = new Map<R, number>();
  for (const r of reasons) n.set(r, (n.get(r) ?? 0) + 1);
  return [...n]
    .sort((a, b) => b[1] - a[1])
    .map(([r, k]) => `${k} ${text(r)}`)
    .join(', ');
}
