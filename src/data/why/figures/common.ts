import { CALENDAR_RANGE, sessionsBetween } from '../../../core/calendar/calendar.js';
import { cadenceOf, staleness, staleNote } from '../../../core/why/known-at.js';
import type { Observation } from '../../../shared/domain.js';
import { addDays } from '../../../shared/dates.js';

/** What the four figure modules share: series-id parsing, readable id fragments, staleness and read notes. */

/** `earnings:sp500:ex-tech:growth_yoy` → `{ kind, group: 'sp500:ex-tech', metric }`. */
export function splitSeries(series: string): { kind: string; group: string; metric: string } {
  const parts = series.split(':');
  return { kind: parts[0] ?? '', group: parts.slice(1, -1).join(':'), metric: parts[parts.length - 1] ?? '' };
}

/** A readable id fragment: lowercase, `:` and other separators become `-`. */
export const idPart = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** Where a series read for a figure came from, for a brief's "series read" table. */
export type SeriesRead = {
  series: string;
  sources: string[];
  first: string;
  last: string;
  /** Set when no vintage was known at as-of and a later one was cut to periods on or before it. */
  laterVintage: string | null;
};

/**
 * The staleness note of a figure whose latest reading of `series` is dated `last` (undefined when fresh): the
 * series' cadence from its release rule or its periods; daily series count NYSE sessions.
 */
export function staleFor(
  series: string,
  periods: readonly string[],
  last: string,
  asOf: string,
): string | undefined {
  const cadence = cadenceOf(series, periods) ?? 'daily';
  const d = last.slice(0, 10);
  const behind =
    cadence === 'daily' && d >= CALENDAR_RANGE.first && asOf <= CALENDAR_RANGE.last && d < asOf
      ? sessionsBetween(addDays(d, 1), asOf).length
      : undefined;
  return staleNote(staleness(d, asOf, cadence, behind));
}

export const joinNotes = (...xs: (string | undefined)[]): string | undefined =>
  xs.filter(Boolean).join('; ') || undefined;

export const vintageNote = (v: string | null): string | undefined =>
  v ? `values from the ${v} vintage (no earlier one stored)` : undefined;

export function seriesRead(
  series: string,
  obs: readonly Observation[],
  last: string,
  later: string | null,
): SeriesRead {
  return {
    series,
    sources: [...new Set(obs.map((o) => o.source))],
    first: obs[0]?.period ?? '',
    last,
    laterVintage: later,
  };
}
