import type { WhyFact } from '../../../core/why/fact.js';
import { percentileUnusualness } from '../../../core/news-candidates.js';
import { positioningReading } from '../../../core/why/positioning.js';
import type { Store } from '../../store/store.js';
import { loadAsKnown, loadSeriesIds } from '../load.js';
import {
  dateFact,
  datesOf,
  idPart,
  seriesRead,
  splitSeries,
  staleFor,
  type DateFact,
  type SeriesRead,
} from './common.js';

// ------------------------------------------------------------------------------------------- positioning

/** Raw longs, shorts and open interest are inputs, not readings: only nets and provider series are scored. */
const scored = (series: string) => !/:(open_interest|[a-z_]+_long|[a-z_]+_short)$/.test(series);

/** Three years of weekly reports: the long look-back of the COT index, beside the one-year default. */
const THREE_YEARS = 156;

export type PositioningRow = {
  series: string;
  group: string;
  metric: string;
  date: string;
  value: WhyFact;
  cotIndex: WhyFact | null;
  /** The same index over three years of weekly reports (156 readings); null with fewer or a flat range. */
  cotIndex3y: WhyFact | null;
  /** This reading minus the one before (week over week for weekly reports); null for the first reading. */
  change: WhyFact | null;
  percentile: WhyFact;
  /**
   * How unusual the reading is against its `lookback` readings (`news.<id>.percentile.score`, core/news-candidates
   * percentileUnusualness): the brief's headline score for a positioning report.
   */
  unusual: WhyFact;
  /** "highest since …", "lowest on record", … or null. */
  extreme: string | null;
  /** The words of `extreme` around its date: `highest since` with the date in `dates` as `<id>.extreme-since`. */
  extremeSince: { words: 'highest since' | 'lowest since'; date: string } | null;
};

export type PositioningFigures = {
  /** Scored series stored (0: nothing to say). */
  seriesCount: number;
  facts: WhyFact[];
  rows: PositioningRow[];
  read: SeriesRead[];
  /** The dates the figures state, as facts: `<id>.as-of`/`.known-at` of every figure and `<row id>.extreme-since`. */
  dates: DateFact[];
};

/** COT index, percentile and "highest since" of every net or provider positioning series known at `asOf`. */
export async function loadPositioningFigures(
  store: Store,
  o: {
    asOf: string;
    lookback?: number | undefined;
    group?: string | undefined;
    /** Skip series with no vintage known at `asOf` (see `loadFlowsFigures`). Default false. */
    strict?: boolean | undefined;
  },
): Promise<PositioningFigures> {
  const asOf = o.asOf;
  const lookback = o.lookback ?? 52;
  const ids = (await loadSeriesIds(store, 'positioning:')).filter(
    (s) => scored(s) && (!o.group || splitSeries(s).group.startsWith(o.group)),
  );
  const facts: WhyFact[] = [];
  const rows: PositioningRow[] = [];
  const read: SeriesRead[] = [];
  for (const series of ids) {
    const { obs, laterVintage } = await loadAsKnown(store, series, asOf);
    const r = positioningReading(
      obs.map((x) => ({ period: x.period, value: x.value })),
      asOf,
      lookback,
    );
    const { group, metric } = splitSeries(series);
    const id = `positioning.${idPart(group)}.${idPart(metric)}`;
    if (!r || (o.strict && laterVintage)) continue;
    read.push(seriesRead(series, obs, r.date, laterVintage));
    const extreme = r.highestSince
      ? `highest since ${r.highestSince}`
      : r.recordHigh
        ? 'highest on record'
        : r.lowestSince
          ? `lowest since ${r.lowestSince}`
          : r.recordLow
            ? 'lowest on record'
            : undefined;
    const stale = staleFor(
      series,
      obs.map((x) => x.period),
      r.date,
      asOf,
    );
    const note = [stale, extreme, laterVintage ? `values from the ${laterVintage} vintage` : undefined]
      .filter(Boolean)
      .join('; ');
    const window = `${r.window.from}..${r.window.to}`;
    // The report is public on its release (CFTC: the Friday after the Tuesday positions), not on its date.
    const knownAt = obs.find((x) => x.period === r.date)?.knownAt;
    const base = {
      inputs: [series],
      asOf: r.date,
      window,
      ...(knownAt && knownAt !== r.date ? { knownAt } : {}),
      ...(note ? { note } : {}),
      ...(stale ? { stale: true as const } : {}),
    };
    const value: WhyFact = {
      ...base,
      id: `${id}.value`,
      value: r.value,
      unit: obs[0]?.unit ?? 'contracts',
      label: `${group} ${metric} on ${r.date}`,
      method: stale ? 'last reading stored on or before as-of (stale)' : 'latest reading on or before as-of',
    };
    facts.push(value);
    let cotIndex: WhyFact | null = null;
    if (r.index !== null) {
      cotIndex = {
        ...base,
        id: `${id}.cot-index`,
        value: r.index,
        unit: 'index-0-100',
        label: `${group} ${metric}, COT index (${lookback} readings)`,
        method: '100 × (x − min) / (max − min) over the trailing readings including this one',
      };
      facts.push(cotIndex);
    }
    const percentile: WhyFact = {
      ...base,
      id: `${id}.percentile`,
      value: r.percentile,
      unit: 'percentile',
      label: `${group} ${metric}, percentile (${lookback} readings)`,
      method: 'percent of trailing readings ≤ this one',
    };
    facts.push(percentile);
    const unusual: WhyFact = {
      id: `news.${percentile.id}.score`,
      value: percentileUnusualness(r.percentile / 100, lookback),
      unit: 'fraction',
      label: `how unusual the reading is against its ${lookback} weekly reports`,
      inputs: [series],
      asOf: r.date,
      method: 'core/news-candidates percentileUnusualness: 1 − the doubled tail at least as extreme',
    };
    facts.push(unusual);
    const points = obs.map((x) => ({ period: x.period, value: x.value }));
    const long = positioningReading(points, asOf, THREE_YEARS);
    let cotIndex3y: WhyFact | null = null;
    if (long && long.index !== null && lookback !== THREE_YEARS) {
      cotIndex3y = {
        ...base,
        id: `${id}.cot-index-3y`,
        value: long.index,
        unit: 'index-0-100',
        label: `${group} ${metric}, COT index (${THREE_YEARS} readings, three years)`,
        window: `${long.window.from}..${long.window.to}`,
        method: '100 × (x − min) / (max − min) over the trailing three years of readings including this one',
      };
      facts.push(cotIndex3y);
    }
    const before = points
      .filter((x) => x.period < r.date)
      .sort((a, b) => (a.period < b.period ? -1 : 1))
      .at(-1);
    let change: WhyFact | null = null;
    if (before) {
      change = {
        ...base,
        id: `${id}.change`,
        value: r.value - before.value,
        unit: value.unit,
        label: `${group} ${metric}, change since ${before.period}`,
        window: `${before.period}..${r.date}`,
        method: 'this reading minus the one before (week over week for weekly reports)',
      };
      facts.push(change);
    }
    rows.push({
      series,
      group,
      metric,
      date: r.date,
      value,
      cotIndex,
      cotIndex3y,
      change,
      percentile,
      unusual,
      extreme: extreme ?? null,
      extremeSince: r.highestSince
        ? { words: 'highest since', date: r.highestSince }
        : !r.recordHigh && r.lowestSince
          ? { words: 'lowest since', date: r.lowestSince }
          : null,
    });
  }
  const dates = datesOf(facts);
  for (const r of rows)
    if (r.extremeSince)
      dates.push(
        dateFact(
          `${r.value.id.replace(/\.value$/, '')}.extreme-since`,
          r.extremeSince.date,
          `the last report with a ${r.group} ${r.metric} reading ${r.extremeSince.words === 'highest since' ? 'as high' : 'as low'} as this one`,
          [r.series],
          'core/why positioningReading: the latest earlier report at least as extreme',
          { asOf: r.date },
        ),
      );
  return { seriesCount: ids.length, facts, rows, read, dates };
}
