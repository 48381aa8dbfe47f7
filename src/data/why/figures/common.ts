import { CALENDAR_RANGE, sessionsBetween } from '../../../core/calendar/calendar.js';
import { cadenceOf, staleness, staleNote } from '../../../core/why/known-at.js';
import type { WhyFact } from '../../../core/why/fact.js';
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

/** A date the figures state, as a fact of unit `date` (value: the ISO date or month), for the brief and the verbs' JSON. */
export type DateFact = Omit<WhyFact, 'value' | 'unit'> & { value: string; unit: 'date' };

/**
 * The dates of figures as facts: `<id>.as-of` (the figure's as-of date: the report week, reading or vintage it is
 * computed from) and, when the figure has one, `<id>.known-at` (the day its latest input became public). One
 * value per date, from the figure the loader computed: the brief and `rotation earnings|flows|positioning|macro
 * --format json` print these.
 */
export function datesOf(facts: readonly WhyFact[]): DateFact[] {
  return facts.flatMap((f) => {
    const o = { window: f.window, asOf: f.asOf };
    const asOf = dateFact(
      `${f.id}.as-of`,
      f.asOf,
      `the date ${f.label} is as of`,
      f.inputs,
      `the as-of date of ${f.id}`,
      o,
    );
    if (f.knownAt === undefined) return [asOf];
    const label = `the day the input of ${f.label} became public`;
    return [
      asOf,
      dateFact(
        `${f.id}.known-at`,
        f.knownAt,
        label,
        f.inputs,
        `the known-at date of ${f.id} (docs/known-at.md)`,
        o,
      ),
    ];
  });
}

/**
 * A date the loader worked out (a report week, a release, the last week a file reaches) as a fact of unit `date`:
 * the brief prints it through `dateSeg`, the verbs' JSON lists it after the figures.
 */
export function dateFact(
  id: string,
  value: string,
  label: string,
  inputs: readonly string[],
  method: string,
  o: { window?: string | undefined; asOf?: string | undefined } = {},
): DateFact {
  return {
    id,
    value,
    unit: 'date',
    label,
    inputs: [...inputs],
    ...(o.window !== undefined ? { window: o.window } : {}),
    asOf: o.asOf ?? value,
    method,
  };
}

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
