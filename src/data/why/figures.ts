import { earningsWeightedGrowth, estimateRevision, growthSpread } from '../../core/why/earnings.js';
import type { Vintage, WhyFact } from '../../core/why/fact.js';
import { flowSummary, techVsRest } from '../../core/why/flows.js';
import {
  cpiIdentity,
  mergeByPeriod,
  policyPath,
  surprise,
  yearOverYear,
  yieldCurve,
  type CpiIdentity,
  type PolicyPath,
} from '../../core/why/macro.js';
import { positioningReading } from '../../core/why/positioning.js';
import { CALENDAR_RANGE, sessionsBetween } from '../../core/calendar/calendar.js';
import { cadenceOf, staleness, staleNote } from '../../core/why/known-at.js';
import type { Observation } from '../../shared/domain.js';
import { addDays } from '../../shared/dates.js';
import type { Store } from '../store/store.js';
import { loadAsKnown, loadNotes, loadSeriesIds, loadVintages } from './load.js';
import { spEarningsFigures, type SpEarnings } from './sp-figures.js';

/**
 * The "why" figures as facts, computed once for `rotation earnings|flows|positioning|macro` and for the brief
 * (sections 5–7): each function reads the store as known at `asOf` and returns the facts in the order the
 * commands print them, plus typed handles on the same facts for the brief's sentences and tables.
 */

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

const joinNotes = (...xs: (string | undefined)[]): string | undefined =>
  xs.filter(Boolean).join('; ') || undefined;

const vintageNote = (v: string | null): string | undefined =>
  v ? `values from the ${v} vintage (no earlier one stored)` : undefined;

function seriesRead(
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

// ---------------------------------------------------------------------------------------------- earnings

export type EarningsOptions = {
  asOf: string;
  /** Only this period (2025Q4, 2026). */
  period?: string | undefined;
  /** Group ids of the spreads (defaults sp500:tech, sp500:ex-tech, style:growth, style:value). */
  tech?: string | undefined;
  nonTech?: string | undefined;
  growth?: string | undefined;
  value?: string | undefined;
};

export type EarningsRow = {
  group: string;
  period: string;
  /** The latest estimate known at as-of (`earnings.growth.<group>.<period>`), with its note. */
  growth: WhyFact;
  /** Who published the latest estimate. */
  source: string;
  /** The note imported with the latest estimate ("just under 10%"), if any. */
  note: string | null;
  /**
   * Latest minus earliest vintage known at as-of, with both vintages and the earliest one as a fact of its own
   * (`earnings.growth.<group>.<period>.vintage-<date>`, in `facts` after the revision); null with one vintage or
   * no change.
   */
  revision: { fact: WhyFact; from: Vintage; to: Vintage; fromFact: WhyFact } | null;
};

export type EarningsSpread = { kind: 'tech' | 'style'; a: string; b: string; period: string; fact: WhyFact };

export type EarningsFigures = {
  /** Growth series stored (0: nothing to say). */
  seriesCount: number;
  /** Every fact, in the order `rotation earnings` prints them. */
  facts: WhyFact[];
  rows: EarningsRow[];
  spreads: EarningsSpread[];
  weighted: WhyFact[];
  groups: { tech: string; nonTech: string; growth: string; value: string };
  /** Computed from S&P Dow Jones Indices' files (sector and index EPS, quarterly actuals), when stored. */
  sp: SpEarnings;
};

/** The latest vintage per period among `vs` (already limited to as-of). */
function latestByPeriod(vs: readonly Observation[]): Map<string, Observation> {
  const m = new Map<string, Observation>();
  for (const o of vs) {
    const prev = m.get(o.period);
    if (!prev || o.asOf > prev.asOf) m.set(o.period, o);
  }
  return m;
}

/** Earnings growth estimates known at `asOf`: latest vintage per group and period, revisions, spreads, aggregate. */
export async function earningsFigures(
  store: Store,
  o: EarningsOptions & { strict?: boolean | undefined },
): Promise<EarningsFigures> {
  const groups = {
    tech: o.tech ?? 'sp500:tech',
    nonTech: o.nonTech ?? 'sp500:ex-tech',
    growth: o.growth ?? 'style:growth',
    value: o.value ?? 'style:value',
  };
  const asOf = o.asOf;
  const all = await loadSeriesIds(store, 'earnings:');
  const ids = all.filter((s) => s.endsWith(':growth_yoy'));
  const facts: WhyFact[] = [];
  const rows: EarningsRow[] = [];
  const spreads: EarningsSpread[] = [];
  const weighted: WhyFact[] = [];
  const latest = new Map<string, Map<string, Observation>>();
  const baseEarnings = new Map<string, Map<string, Observation>>();
  for (const series of ids) {
    const { group } = splitSeries(series);
    const vs = (await loadVintages(store, series, asOf)).filter((v) => !o.period || v.period === o.period);
    const notes = await loadNotes(store, series);
    const byPeriod = latestByPeriod(vs);
    latest.set(group, byPeriod);
    for (const [period, ob] of byPeriod) {
      const note = notes.get(`${period}|${ob.asOf}`);
      const growth: WhyFact = {
        id: `earnings.growth.${idPart(group)}.${idPart(period)}`,
        value: ob.value,
        unit: ob.unit,
        label: `${group} ${period} earnings growth y/y`,
        inputs: [`${series}@${ob.asOf}`],
        window: period,
        asOf: ob.asOf,
        method: `latest estimate known at ${asOf} (source: ${ob.source})`,
        ...(note ? { note } : {}),
      };
      facts.push(growth);
      const rev = estimateRevision(
        vs
          .filter((v) => v.period === period)
          .map((v) => ({ value: v.value, asOf: v.asOf, source: v.source })),
        asOf,
      );
      let revision: EarningsRow['revision'] = null;
      if (rev && rev.change !== 0) {
        const fact: WhyFact = {
          id: `earnings.revision.${idPart(group)}.${idPart(period)}`,
          value: rev.change,
          unit: 'fraction-points',
          label: `${group} ${period} growth ${rev.change < 0 ? 'cut' : 'raised'} from ${(rev.from.value * 100).toFixed(1)}% to ${(rev.to.value * 100).toFixed(1)}%`,
          inputs: [`${series}@${rev.from.asOf}`, `${series}@${rev.to.asOf}`],
          window: period,
          asOf: rev.to.asOf,
          method: `latest minus earliest of ${rev.vintages} vintages known at ${asOf}`,
        };
        facts.push(fact);
        const fromNote = notes.get(`${period}|${rev.from.asOf}`);
        const fromFact: WhyFact = {
          id: `${growth.id}.vintage-${rev.from.asOf}`,
          value: rev.from.value,
          unit: ob.unit,
          label: `${group} ${period} earnings growth y/y, estimate of ${rev.from.asOf}`,
          inputs: [`${series}@${rev.from.asOf}`],
          window: period,
          asOf: rev.from.asOf,
          method: `earliest estimate known at ${asOf} (source: ${rev.from.source ?? 'not recorded'})`,
          ...(fromNote ? { note: fromNote } : {}),
        };
        // the earlier estimate is a fact of its own (the brief prints it): it follows its revision
        facts.push(fromFact);
        revision = { fact, from: rev.from, to: rev.to, fromFact };
      }
      rows.push({ group, period, growth, source: ob.source, note: note ?? null, revision });
    }
  }
  for (const series of all) {
    if (!series.endsWith(':base_earnings')) continue;
    baseEarnings.set(splitSeries(series).group, latestByPeriod(await loadVintages(store, series, asOf)));
  }
  const spread = (kind: EarningsSpread['kind'], a: string, b: string, what: string) => {
    const pa = latest.get(a);
    const pb = latest.get(b);
    if (!pa || !pb) return;
    for (const [period, x] of pa) {
      const y = pb.get(period);
      if (!y) continue;
      const fact: WhyFact = {
        id: `earnings.spread.${idPart(a)}-vs-${idPart(b)}.${idPart(period)}`,
        value: growthSpread(x.value, y.value),
        unit: 'fraction-points',
        label: `${what} ${period}: ${a} minus ${b}`,
        inputs: [`earnings:${a}:growth_yoy@${x.asOf}`, `earnings:${b}:growth_yoy@${y.asOf}`],
        window: period,
        asOf: x.asOf > y.asOf ? x.asOf : y.asOf,
        method: 'difference of the two growth estimates (fraction points)',
      };
      facts.push(fact);
      spreads.push({ kind, a, b, period, fact });
    }
  };
  spread('tech', groups.tech, groups.nonTech, 'tech vs non-tech growth');
  spread('style', groups.growth, groups.value, 'growth vs value growth');
  // Earnings-weighted aggregate over every group that has both growth and base earnings for a period.
  const periods = new Set([...latest.values()].flatMap((m) => [...m.keys()]));
  for (const period of [...periods].sort()) {
    const parts = [...baseEarnings]
      .map(([group, m]) => ({ group, base: m.get(period), g: latest.get(group)?.get(period) }))
      .filter((p): p is { group: string; base: Observation; g: Observation } => !!p.base && !!p.g);
    if (parts.length < 2) continue;
    const agg = earningsWeightedGrowth(
      parts.map((p) => ({ group: p.group, growth: p.g.value, baseEarnings: p.base.value })),
    );
    if (agg === null) continue;
    const fact: WhyFact = {
      id: `earnings.weighted.${idPart(period)}`,
      value: agg,
      unit: 'fraction',
      label: `earnings-weighted growth of ${parts.map((p) => p.group).join(', ')} ${period}`,
      inputs: parts.flatMap((p) => [
        `earnings:${p.group}:growth_yoy@${p.g.asOf}`,
        `earnings:${p.group}:base_earnings@${p.base.asOf}`,
      ]),
      window: period,
      asOf: parts
        .map((p) => p.g.asOf)
        .sort()
        .at(-1) as string,
      method: "Σ(base earnings × growth) / Σ base earnings: the growth of the groups' combined earnings",
    };
    facts.push(fact);
    weighted.push(fact);
  }
  const sp = await spEarningsFigures(store, { asOf, ...(o.strict ? { strict: true } : {}) });
  facts.push(...sp.facts);
  return { seriesCount: ids.length + sp.seriesCount, facts, rows, spreads, weighted, groups, sp };
}

// ------------------------------------------------------------------------------------------------- flows

/** Tech groups by id: `sector:tech`, `sp500:information-technology`, `…:technology`. */
export const isTechGroup = (group: string): boolean =>
  /(^|:)(tech|information-technology|technology)$/.test(group);

export type FlowRow = {
  group: string;
  series: string;
  week: string;
  /** `flows.<group>.week`, its note says "largest inflow since …" when supported. */
  latest: WhyFact;
  sum4w: WhyFact | null;
  z52: WhyFact | null;
  largestSince: string | null;
  recordSince: string;
  laterVintage: string | null;
};

export type FlowsFigures = {
  seriesCount: number;
  /** Every fact, in the order `rotation flows` prints them. */
  facts: WhyFact[];
  rows: FlowRow[];
  /**
   * Tech vs every other non-ICI group in the latest week that has a tech group: the difference
   * (`flows.tech-vs-rest.week`) and the two sums (`flows.tech.week`, `flows.rest.week`), all three in `facts`.
   */
  techVsRest: {
    week: string;
    difference: WhyFact;
    tech: WhyFact;
    rest: WhyFact;
    techGroups: string[];
    restGroups: string[];
  } | null;
  read: SeriesRead[];
};

/** Weekly flows known at `asOf`: per series the week, 4-week sum, z-score and "largest since"; tech vs the rest. */
export async function flowsFigures(
  store: Store,
  o: {
    asOf: string;
    group?: string | undefined;
    /**
     * Skip series with no vintage known at `asOf` instead of reading a later vintage cut to earlier weeks (the
     * brief: a flow reported after the as-of date is not shown, even for a week before it). Default false.
     */
    strict?: boolean | undefined;
  },
): Promise<FlowsFigures> {
  const asOf = o.asOf;
  const ids = (await loadSeriesIds(store, 'flows:')).filter(
    (s) => s.endsWith(':net_flow') && (!o.group || splitSeries(s).group.startsWith(o.group)),
  );
  const facts: WhyFact[] = [];
  const rows: FlowRow[] = [];
  const read: SeriesRead[] = [];
  for (const series of ids) {
    const { group } = splitSeries(series);
    const { obs, laterVintage } = await loadAsKnown(store, series, asOf);
    const s = flowSummary(
      obs.map((x) => ({ period: x.period, value: x.value })),
      asOf,
    );
    if (!s || (o.strict && laterVintage)) continue;
    read.push(seriesRead(series, obs, s.week, laterVintage));
    const g = idPart(group);
    const stale = staleFor(
      series,
      obs.map((x) => x.period),
      s.week,
      asOf,
    );
    const vNote = joinNotes(stale, vintageNote(laterVintage));
    const base = {
      inputs: [series],
      asOf: s.week,
      ...(vNote ? { note: vNote } : {}),
      ...(stale ? { stale: true as const } : {}),
    };
    const note =
      [
        vNote,
        s.largestSince
          ? `largest ${s.latest >= 0 ? 'inflow' : 'outflow'} since ${s.largestSince}`
          : obs.length > 1
            ? `largest ${s.latest >= 0 ? 'inflow' : 'outflow'} since records began (${s.recordSince})`
            : undefined,
      ]
        .filter(Boolean)
        .join('; ') || undefined;
    const latest = {
      ...base,
      id: `flows.${g}.week`,
      value: s.latest,
      unit: 'usd',
      label: `${group} net flow, week ending ${s.week}`,
      window: s.week,
      method: stale
        ? 'net flow of the last week stored on or before as-of (stale: no recent week)'
        : 'net flow of the latest week on or before as-of',
      note,
    } as WhyFact;
    facts.push(latest);
    let sum4w: WhyFact | null = null;
    if (s.sum4w !== null) {
      sum4w = {
        ...base,
        id: `flows.${g}.sum4w`,
        value: s.sum4w,
        unit: 'usd',
        label: `${group} net flow, 4 weeks to ${s.week}`,
        window: 'trailing:4w',
        method: 'sum of the last 4 weekly flows',
      };
      facts.push(sum4w);
    }
    let z52: WhyFact | null = null;
    if (s.z52 !== null) {
      z52 = {
        ...base,
        id: `flows.${g}.z52`,
        value: s.z52,
        unit: 'z-score',
        label: `${group} week vs trailing 52 weeks`,
        window: 'trailing:52w',
        method: '(week − mean of the 52 prior weeks) / their sample standard deviation',
      };
      facts.push(z52);
    }
    rows.push({
      group,
      series,
      week: s.week,
      latest,
      sum4w,
      z52,
      largestSince: s.largestSince,
      recordSince: s.recordSince,
      laterVintage,
    });
  }
  // Tech vs everything else on the latest week that has a tech group.
  const week = rows
    .filter((r) => isTechGroup(r.group))
    .map((r) => r.week)
    .sort()
    .at(-1);
  let split: FlowsFigures['techVsRest'] = null;
  if (week) {
    const same = rows
      .filter((r) => r.week === week && !r.group.startsWith('ici:'))
      .map((r) => ({ group: r.group, value: r.latest.value }));
    const t = techVsRest(same, isTechGroup);
    if (t) {
      const techGroups = same.filter((w) => isTechGroup(w.group)).map((w) => w.group);
      const restGroups = same.filter((w) => !isTechGroup(w.group)).map((w) => w.group);
      const inputs = same.map((w) => `flows:${w.group}:net_flow`);
      const difference: WhyFact = {
        id: 'flows.tech-vs-rest.week',
        value: t.difference,
        unit: 'usd',
        label: `tech ${t.tech < 0 ? 'outflow' : 'inflow'} vs everything else, week ending ${week}`,
        inputs,
        window: week,
        asOf: week,
        method: `tech groups (${techGroups.join(', ')}) minus the other groups: ${t.tech} − ${t.rest} usd`,
      };
      facts.push(difference);
      split = {
        week,
        difference,
        tech: {
          id: 'flows.tech.week',
          value: t.tech,
          unit: 'usd',
          label: `tech funds net flow, week ending ${week}`,
          inputs: techGroups.map((g) => `flows:${g}:net_flow`),
          window: week,
          asOf: week,
          method: `sum of the tech groups' weekly net flows (${techGroups.join(', ')})`,
        },
        rest: {
          id: 'flows.rest.week',
          value: t.rest,
          unit: 'usd',
          label: `all other funds net flow, week ending ${week}`,
          inputs: restGroups.map((g) => `flows:${g}:net_flow`),
          window: week,
          asOf: week,
          method: `sum of the other non-ICI groups' weekly net flows (${restGroups.join(', ')})`,
        },
        techGroups,
        restGroups,
      };
      // the two sums behind the difference (the brief prints them) follow it
      facts.push(split.tech, split.rest);
    }
  }
  return { seriesCount: ids.length, facts, rows, techVsRest: split, read };
}

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
  /** "highest since …", "lowest on record", … or null. */
  extreme: string | null;
};

export type PositioningFigures = {
  /** Scored series stored (0: nothing to say). */
  seriesCount: number;
  facts: WhyFact[];
  rows: PositioningRow[];
  read: SeriesRead[];
};

/** COT index, percentile and "highest since" of every net or provider positioning series known at `asOf`. */
export async function positioningFigures(
  store: Store,
  o: {
    asOf: string;
    lookback?: number | undefined;
    group?: string | undefined;
    /** Skip series with no vintage known at `asOf` (see `flowsFigures`). Default false. */
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
      extreme: extreme ?? null,
    });
  }
  return { seriesCount: ids.length, facts, rows, read };
}

// ------------------------------------------------------------------------------------------------- macro

export type MacroOptions = {
  asOf: string;
  /**
   * Candidate series, first stored wins (defaults: DFEDTARU, FEDFUNDS; DGS10; DGS2). Without `cpi`, headline CPI is
   * every stored CPI-U NSA series merged by identity, with SA and core alongside (cpiIdentity).
   */
  cpi?: readonly string[] | undefined;
  fedFunds?: readonly string[] | undefined;
  tenYear?: readonly string[] | undefined;
  twoYear?: readonly string[] | undefined;
};

/** One release (`macro:us:cpi:yoy`) or market move (`market:futures:dow`) at its latest period known. */
export type ReleaseRow = {
  key: string;
  kind: string;
  group: string;
  period: string;
  /** actual, consensus, prior, change, … as published, by metric. */
  metrics: Map<string, WhyFact>;
  surprise: WhyFact | null;
};

export type MacroFigures = {
  facts: WhyFact[];
  warnings: string[];
  /** Headline CPI: CPI-U NSA y/y when stored (else SA, or the `--cpi` series), with its release (known-at) date. */
  cpi: CpiEntry | null;
  /** Seasonally adjusted CPI-U y/y alongside, when stored (default series lists only). */
  cpiSa?: CpiEntry;
  /** Core CPI y/y alongside, when stored. */
  cpiCore?: CpiEntry;
  fed: { series: string; path: PolicyPath; fact: WhyFact } | null;
  curve: { date: string; tenYear: WhyFact; twoYear: WhyFact; spread: WhyFact } | null;
  releases: ReleaseRow[];
  read: SeriesRead[];
};

/**
 * The fed funds path's endpoints and cut count as facts (`macro.fed-funds.<series>.from|to|cuts12m`): the brief's
 * macro paragraph and `rotation macro` print the same ids, computed once from core/why policyPath.
 */
export function fedPathFacts(series: string, p: PolicyPath): WhyFact[] {
  const prefix = `macro.fed-funds.${idPart(series)}`;
  const base = { inputs: [series], asOf: p.to.period, window: `${p.from.period}..${p.to.period}` };
  return [
    {
      ...base,
      id: `${prefix}.from`,
      value: p.from.value,
      unit: 'percent-points',
      label: `fed funds, ${p.from.period}`,
      method: 'reading in force 12 months before as-of (core/why policyPath)',
    },
    {
      ...base,
      id: `${prefix}.to`,
      value: p.to.value,
      unit: 'percent-points',
      label: `fed funds, ${p.to.period}`,
      method: 'latest reading on or before as-of (core/why policyPath)',
    },
    {
      ...base,
      id: `${prefix}.cuts12m`,
      value: p.cuts,
      unit: 'count',
      label: 'rate cuts in the last 12 months',
      method: 'step-downs of at least 0.125 pp between readings (core/why policyPath)',
    },
  ];
}

async function firstStored(store: Store, list: readonly string[]): Promise<string | null> {
  for (const s of list) {
    const r = await store.resolveSymbol(s.trim());
    if (r) return r;
  }
  return null;
}

export type CpiEntry = { series: string; period: string; knownAt: string; fact: WhyFact };

/**
 * CPI y/y of the latest month known at `asOf` from one or more stored series of the same identity, merged by period
 * (the series read first wins a period; they agree where both are stored). Null without 13 months.
 */
async function cpiFigure(
  store: Store,
  ids: readonly string[],
  asOf: string,
  factId: string,
  name: string,
): Promise<{ fact: WhyFact; period: string; knownAt: string; read: SeriesRead[] } | null> {
  const loaded = [];
  for (const id of ids) loaded.push({ id, ...(await loadAsKnown(store, id, asOf)) });
  // The most recent data first: the series reaching the latest period wins shared periods.
  loaded.sort((a, b) => ((b.obs.at(-1)?.period ?? '') < (a.obs.at(-1)?.period ?? '') ? -1 : 1));
  const merged = mergeByPeriod(
    loaded.map((l) =>
      l.obs.map((x) => ({ period: x.period, value: x.value, knownAt: x.knownAt ?? x.asOf, id: l.id })),
    ),
  );
  const last = yearOverYear(merged).at(-1);
  if (!last) return null;
  const lastObs = merged.find((p) => p.period === last.period);
  const knownAt = lastObs?.knownAt ?? last.period;
  const used = loaded.filter((l) => l.obs.length > 0);
  const laterVintage = used.map((l) => l.laterVintage).find((v) => v !== null) ?? null;
  const stale = staleFor(
    used[0]?.id ?? factId,
    merged.map((p) => p.period),
    last.period,
    asOf,
  );
  const note = joinNotes(stale, vintageNote(laterVintage));
  const month = last.period.slice(0, 7);
  const fact: WhyFact = {
    id: factId,
    value: last.value,
    unit: 'fraction',
    label: `CPI year over year, ${month} (${name}), public by ${knownAt}`,
    inputs: used.map((l) => l.id),
    window: month,
    asOf: last.period,
    knownAt,
    ...(stale ? { stale: true as const } : {}),
    method:
      `index level / level 12 months earlier − 1, ${stale ? 'the last month stored (stale)' : 'the latest month released by as-of'}` +
      (used.length > 1 ? ` (${used.map((l) => l.id).join(' and ')} merged by period)` : ''),
    ...(note ? { note } : {}),
  };
  return {
    fact,
    period: month,
    knownAt,
    read: used.map((l) => seriesRead(l.id, l.obs, last.period, l.laterVintage)),
  };
}

/** CPI y/y, the fed funds path, the yield curve and the latest releases (actual, consensus, surprise) at `asOf`. */
export async function macroFigures(store: Store, o: MacroOptions): Promise<MacroFigures> {
  const asOf = o.asOf;
  const lists = {
    cpi: o.cpi ?? [],
    fedFunds: o.fedFunds ?? ['DFEDTARU', 'FEDFUNDS'],
    tenYear: o.tenYear ?? ['DGS10'],
    twoYear: o.twoYear ?? ['DGS2'],
  };
  const facts: WhyFact[] = [];
  const warnings: string[] = [];
  const read: SeriesRead[] = [];
  const out: MacroFigures = { facts, warnings, cpi: null, fed: null, curve: null, releases: [], read };

  if (o.cpi) {
    const cpi = await firstStored(store, lists.cpi);
    if (cpi) {
      const fig = await cpiFigure(store, [cpi], asOf, `macro.cpi-yoy.${idPart(cpi)}`, cpi);
      if (fig) {
        facts.push(fig.fact);
        out.cpi = { series: cpi, period: fig.period, knownAt: fig.knownAt, fact: fig.fact };
        read.push(...fig.read);
      }
    } else warnings.push(`no CPI series among ${lists.cpi.join(',')}`);
  } else {
    // Headline CPI as the press reports it: CPI-U not seasonally adjusted, y/y, the latest month released by as-of;
    // the seasonally adjusted and core series alongside when stored. Series with one identity are merged.
    const byIdentity = new Map<CpiIdentity, string[]>();
    for (const id of await loadSeriesIds(store, '')) {
      const k = cpiIdentity(id);
      if (k) byIdentity.set(k, [...(byIdentity.get(k) ?? []), id]);
    }
    const what: Record<CpiIdentity, { id: string; name: string }> = {
      'cpi-u-nsa': { id: 'macro.cpi-yoy.headline', name: 'CPI-U, not seasonally adjusted' },
      'cpi-u-sa': { id: 'macro.cpi-yoy.sa', name: 'CPI-U, seasonally adjusted' },
      'core-sa': { id: 'macro.cpi-yoy.core', name: 'core CPI (less food and energy, SA)' },
    };
    for (const k of ['cpi-u-nsa', 'cpi-u-sa', 'core-sa'] as const) {
      const ids = byIdentity.get(k);
      if (!ids) continue;
      const fig = await cpiFigure(store, ids, asOf, what[k].id, what[k].name);
      if (!fig) continue;
      facts.push(fig.fact);
      read.push(...fig.read);
      const entry = { series: ids.join('+'), period: fig.period, knownAt: fig.knownAt, fact: fig.fact };
      if (k === 'cpi-u-nsa') out.cpi = entry;
      else if (k === 'cpi-u-sa') {
        out.cpiSa = entry;
        out.cpi ??= entry;
      } else out.cpiCore = entry;
    }
    if (out.cpi === out.cpiSa && out.cpiSa) out.cpi = out.cpiSa;
    if (!out.cpi) warnings.push('no CPI series stored (CUUR0000SA0, CPIAUCNS, CPIAUCSL or a CPI-U_NSA file)');
  }

  const ff = await firstStored(store, lists.fedFunds);
  if (ff) {
    const { obs, laterVintage } = await loadAsKnown(store, ff, asOf);
    const p = policyPath(
      obs.map((x) => ({ period: x.period, value: x.value })),
      asOf,
      12,
    );
    if (p) {
      const stale = staleFor(
        ff,
        obs.map((x) => x.period),
        p.to.period,
        asOf,
      );
      const note = [
        stale,
        `${p.cuts} cut(s), ${p.hikes} hike(s)${/FEDFUNDS/i.test(ff) ? ' (monthly average: counts approximate)' : ''}`,
        vintageNote(laterVintage),
      ]
        .filter(Boolean)
        .join('; ');
      const fact: WhyFact = {
        id: `macro.fed-funds.${idPart(ff)}.change12m`,
        value: p.change,
        unit: 'percent-points',
        label: `fed funds ${p.from.value}% → ${p.to.value}% over 12 months (${ff})`,
        inputs: [ff],
        window: `${p.from.period}..${p.to.period}`,
        asOf: p.to.period,
        method: 'latest reading minus the reading in force 12 months before as-of; steps ≥ 0.125 pp counted',
        note,
        ...(stale ? { stale: true as const } : {}),
      };
      facts.push(fact, ...fedPathFacts(ff, p));
      out.fed = { series: ff, path: p, fact };
      read.push(seriesRead(ff, obs, p.to.period, laterVintage));
    }
  } else warnings.push(`no policy-rate series among ${lists.fedFunds.join(',')}`);

  const t10 = await firstStored(store, lists.tenYear);
  const t2 = await firstStored(store, lists.twoYear);
  if (t10 && t2) {
    const a = await loadAsKnown(store, t10, asOf);
    const b = await loadAsKnown(store, t2, asOf);
    const c = yieldCurve(
      a.obs.map((x) => ({ period: x.period, value: x.value })),
      b.obs.map((x) => ({ period: x.period, value: x.value })),
      asOf,
    );
    if (c) {
      const stale = staleFor(
        t10,
        a.obs.map((x) => x.period),
        c.date,
        asOf,
      );
      const note = joinNotes(stale, vintageNote(a.laterVintage ?? b.laterVintage));
      const base = {
        inputs: [t10, t2],
        window: c.date,
        asOf: c.date,
        ...(note ? { note } : {}),
        ...(stale ? { stale: true as const } : {}),
      };
      const tenYear: WhyFact = {
        ...base,
        id: 'macro.yield.10y',
        value: c.tenYear,
        unit: 'percent',
        label: `10-year Treasury yield (${t10})`,
        method: 'latest date both yields exist',
      };
      const twoYear: WhyFact = {
        ...base,
        id: 'macro.yield.2y',
        value: c.twoYear,
        unit: 'percent',
        label: `2-year Treasury yield (${t2})`,
        method: 'latest date both yields exist',
      };
      const spread: WhyFact = {
        ...base,
        id: 'macro.yield.10y-2y',
        value: c.spread,
        unit: 'percent-points',
        label: `10y − 2y spread${c.spread < 0 ? ' (inverted)' : ''}`,
        method: '10-year minus 2-year yield on the same date',
      };
      facts.push(tenYear, twoYear, spread);
      out.curve = { date: c.date, tenYear, twoYear, spread };
      read.push(
        seriesRead(t10, a.obs, c.date, a.laterVintage),
        seriesRead(t2, b.obs, c.date, b.laterVintage),
      );
    }
  } else warnings.push(`no yield series ${lists.tenYear.join(',')} and ${lists.twoYear.join(',')}`);

  // Releases: macro:<release>:{actual,consensus,prior}, and market moves (futures before the open).
  type V = { value: number; unit: string; asOf: string; source: string };
  const releases = new Map<string, Map<string, Map<string, V>>>();
  for (const series of [
    ...(await loadSeriesIds(store, 'macro:')),
    ...(await loadSeriesIds(store, 'market:')),
  ]) {
    const { kind, group, metric } = splitSeries(series);
    const key = `${kind}:${group}`;
    for (const v of await loadVintages(store, series, asOf)) {
      const byPeriod = releases.get(key) ?? new Map<string, Map<string, V>>();
      const m = byPeriod.get(v.period) ?? new Map<string, V>();
      const prev = m.get(metric);
      if (!prev || v.asOf > prev.asOf)
        m.set(metric, { value: v.value, unit: v.unit, asOf: v.asOf, source: v.source });
      byPeriod.set(v.period, m);
      releases.set(key, byPeriod);
    }
  }
  for (const [key, byPeriod] of releases) {
    const latestPeriod = [...byPeriod.keys()].sort().at(-1) as string;
    const m = byPeriod.get(latestPeriod) as Map<string, V>;
    const { kind, group } = splitSeries(`${key}:x`);
    const row: ReleaseRow = { key, kind, group, period: latestPeriod, metrics: new Map(), surprise: null };
    for (const [metric, v] of m) {
      const fact: WhyFact = {
        id: `${idPart(key)}.${idPart(latestPeriod)}.${idPart(metric)}`,
        value: v.value,
        unit: v.unit,
        label: `${key} ${latestPeriod} ${metric}`,
        inputs: [`${key}:${metric}@${v.asOf}`],
        window: latestPeriod,
        asOf: v.asOf,
        method: `as published (source: ${v.source})`,
      };
      facts.push(fact);
      row.metrics.set(metric, fact);
    }
    const act = m.get('actual');
    const con = m.get('consensus');
    if (act && con) {
      row.surprise = {
        id: `${idPart(key)}.${idPart(latestPeriod)}.surprise`,
        value: surprise(act.value, con.value),
        unit: act.unit === 'fraction' ? 'fraction-points' : act.unit,
        label: `${key} ${latestPeriod}: actual minus consensus`,
        inputs: [`${key}:actual@${act.asOf}`, `${key}:consensus@${con.asOf}`],
        window: latestPeriod,
        asOf: act.asOf,
        method: 'actual − consensus (positive = higher than expected)',
      };
      facts.push(row.surprise);
    }
    out.releases.push(row);
  }
  return out;
}
