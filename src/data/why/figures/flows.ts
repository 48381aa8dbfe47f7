import type { WhyFact } from '../../../core/why/fact.js';
import { FLOW_SUM_WEEKS, FLOW_Z_WEEKS, flowSummary, techVsRest } from '../../../core/why/flows.js';
import { zScoreUnusualness } from '../../../core/news-candidates.js';
import type { Store } from '../../store/store.js';
import { loadAsKnown, loadNotes, loadSeriesIds } from '../load.js';
import {
  dateFact,
  datesOf,
  idPart,
  joinNotes,
  seriesRead,
  splitSeries,
  staleFor,
  vintageNote,
  type DateFact,
  type SeriesRead,
} from './common.js';

// ------------------------------------------------------------------------------------------------- flows

/** Tech groups by id: `sector:tech`, `sp500:information-technology`, `…:technology`. */
export const isTechGroup = (group: string): boolean =>
  /(^|:)(tech|information-technology|technology)$/.test(group);

export type FlowRow = {
  group: string;
  series: string;
  /** `net issuance` for ETF series (ICI's `…:net_issuance`), else `net flow`: the words a sentence uses. */
  measure: 'net flow' | 'net issuance';
  week: string;
  /** `flows.<group>.week`, its note says "largest inflow since …" when supported. */
  latest: WhyFact;
  sum4w: WhyFact | null;
  z52: WhyFact | null;
  /**
   * How unusual the week's z-score is (`news.flows.<group>.score`, core/news-candidates zScoreUnusualness): the
   * brief's headline score for a flows week; null without a z-score.
   */
  unusual: WhyFact | null;
  largestSince: string | null;
  /** First week of the run of weeks without a gap the figures read (core flowSummary). */
  recordSince: string;
  /** The last week stored before that run, when weeks are missing before it. */
  gapAfter: string | null;
  /** The latest vintage after as-of among the rows read (lenient reads only), else null. */
  laterVintage: string | null;
};

export type FlowsFigures = {
  seriesCount: number;
  /** Every fact, in the order `rotation flows` prints them. */
  facts: WhyFact[];
  rows: FlowRow[];
  /**
   * The windows the figures use, as facts (`flows.params.sum-weeks`, `flows.params.z-weeks`; not in `facts`, which
   * lists figures): the brief states them from here, not from its own constants.
   */
  params: { sumWeeks: WhyFact; zWeeks: WhyFact };
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
  /**
   * How far the ICI series known at `asOf` reach (every `flows:ici:` series the group filter keeps, vintages after
   * `asOf` included): the last week of the old public CSV's weekly and monthly rows and of ICI's weekly workbooks
   * (source `… .xls`). Null when no ICI series is stored. Each date is in `dates` (`flows.ici.weekly-to`,
   * `flows.ici.monthly-to`, `flows.ici.workbook-to`).
   */
  ici: { weekly: string | null; monthly: string | null; workbook: string | null } | null;
  /**
   * The dates the figures state, as facts: `<id>.as-of` and `<id>.known-at` of every figure, per row
   * `flows.<group>.week.largest-since` and `flows.<group>.record-since`, and the ICI dates above.
   */
  dates: DateFact[];
  /** Notes of the rows read that say a date was assumed (their weeks' date facts are in `dates`). */
  assumed: AssumedNote[];
};

/** Weekly flows known at `asOf`: per series the week, 4-week sum, z-score and "largest since"; tech vs the rest. */
export async function loadFlowsFigures(
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
    (s) =>
      (s.endsWith(':net_flow') || s.endsWith(':net_issuance')) &&
      (!o.group || splitSeries(s).group.startsWith(o.group)),
  );
  const facts: WhyFact[] = [];
  const rows: FlowRow[] = [];
  const read: SeriesRead[] = [];
  for (const series of ids) {
    const { group, metric } = splitSeries(series);
    // ETF net issuance (ICI: shares issued minus redeemed) is the ETF counterpart of a fund's net flow.
    const what: FlowRow['measure'] = metric === 'net_issuance' ? 'net issuance' : 'net flow';
    const known = await loadAsKnown(store, series, asOf);
    // Strict (the brief): only rows whose vintage is on or before as-of. Per row, not per series: two sources can
    // share a series id (the old ICI CSV, stored with its import day as vintage, and ICI's workbook, stored with
    // each week's release day), and a later-vintage row of one must not hide the other's rows.
    const obs = o.strict ? known.obs.filter((x) => x.asOf <= asOf) : known.obs;
    const s = flowSummary(
      obs.map((x) => ({ period: x.period, value: x.value })),
      asOf,
    );
    if (!s) continue;
    // The rows the figures read: the run of weeks without a gap ending at the latest week (flowSummary).
    const run = obs.filter((x) => x.period >= s.recordSince && x.period <= s.week);
    /** The latest vintage after as-of among the run's rows from `from` on (what one figure read), else null. */
    const laterFrom = (from: string): string | null =>
      run.reduce<string | null>(
        (m, x) => (x.period >= from && x.asOf > asOf && (m === null || x.asOf > m) ? x.asOf : m),
        null,
      );
    const laterVintage = laterFrom(s.recordSince);
    read.push(seriesRead(series, run, s.week, laterVintage));
    const g = idPart(group);
    const stale = staleFor(
      series,
      obs.map((x) => x.period),
      s.week,
      asOf,
    );
    const gap = s.gapAfter
      ? `no week stored between ${s.gapAfter} and ${s.recordSince}: the figures read the ${run.length} week(s) from ${s.recordSince}`
      : undefined;
    // The week is public on its release (ICI: the Wednesday after the week), not on its date.
    const knownAt = obs.find((x) => x.period === s.week)?.knownAt;
    const base = (from: string) => {
      const vNote = joinNotes(stale, vintageNote(laterFrom(from)));
      return {
        inputs: [series],
        asOf: s.week,
        ...(knownAt && knownAt !== s.week ? { knownAt } : {}),
        ...(vNote ? { note: vNote } : {}),
        ...(stale ? { stale: true as const } : {}),
      };
    };
    const way = s.latest >= 0 ? 'inflow' : 'outflow';
    const note =
      [
        joinNotes(stale, vintageNote(laterFrom(s.largestSince ?? s.recordSince))),
        s.largestSince
          ? `largest ${way} since ${s.largestSince}`
          : run.length > 1
            ? s.gapAfter
              ? `largest ${way} of the weeks stored without a gap since ${s.recordSince}`
              : `largest ${way} since records began (${s.recordSince})`
            : undefined,
        gap,
      ]
        .filter(Boolean)
        .join('; ') || undefined;
    // A week typed in from the press (the inputs file, examples/why-inputs-*.csv) is a third party's figure stored
    // as given: `reported`, with the row's source and the day it was reported (its vintage). ICI's weekly
    // estimates are read from ICI's own files and summed here, so they stay computed.
    const wk = obs.find((x) => x.period === s.week);
    const reported =
      !group.startsWith('ici:') && wk
        ? {
            kind: 'reported' as const,
            source: wk.source,
            ...(wk.asOf !== s.week ? { reportedOn: wk.asOf } : {}),
          }
        : {};
    const latest = {
      ...base(s.largestSince ?? s.recordSince),
      ...reported,
      id: `flows.${g}.week`,
      value: s.latest,
      unit: 'usd',
      label: `${group} ${what}, week ending ${s.week}`,
      window: s.week,
      method: stale
        ? `${what} of the last week stored on or before as-of (stale: no recent week)`
        : `${what} of the latest week on or before as-of`,
      note,
    } as WhyFact;
    facts.push(latest);
    let sum4w: WhyFact | null = null;
    if (s.sum4w !== null) {
      sum4w = {
        ...base((run[run.length - 4] as (typeof run)[number]).period),
        id: `flows.${g}.sum4w`,
        value: s.sum4w,
        unit: 'usd',
        label: `${group} ${what}, 4 weeks to ${s.week}`,
        window: 'trailing:4w',
        method: 'sum of the last 4 weekly flows',
      };
      facts.push(sum4w);
    }
    let z52: WhyFact | null = null;
    if (s.z52 !== null) {
      z52 = {
        ...base((run[Math.max(0, run.length - 53)] as (typeof run)[number]).period),
        id: `flows.${g}.z52`,
        value: s.z52,
        unit: 'z-score',
        label: `${group} week vs trailing 52 weeks`,
        window: 'trailing:52w',
        method: '(week − mean of the 52 prior weeks) / their sample standard deviation',
      };
      facts.push(z52);
    }
    const unusual: WhyFact | null =
      s.z52 === null
        ? null
        : {
            id: `news.flows.${g}.score`,
            value: zScoreUnusualness(s.z52),
            unit: 'fraction',
            label: `share of a normal distribution closer to the mean than this week's z-score (${group})`,
            inputs: [series],
            asOf: s.week,
            method: 'core/news-candidates zScoreUnusualness: erf(|z| / √2)',
          };
    if (unusual) facts.push(unusual);
    rows.push({
      group,
      series,
      measure: what,
      week: s.week,
      latest,
      sum4w,
      z52,
      unusual,
      largestSince: s.largestSince,
      recordSince: s.recordSince,
      gapAfter: s.gapAfter,
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
  const dates = datesOf(facts);
  const params = {
    sumWeeks: {
      id: 'flows.params.sum-weeks',
      value: FLOW_SUM_WEEKS,
      unit: 'count',
      label: 'weeks in the flow sum',
      inputs: [],
      asOf,
      method: `core/why flowSummary: sum of the last ${FLOW_SUM_WEEKS} weeks`,
    },
    zWeeks: {
      id: 'flows.params.z-weeks',
      value: FLOW_Z_WEEKS,
      unit: 'count',
      label: 'weeks in the z-score baseline',
      inputs: [],
      asOf,
      method: `core/why flowSummary: the ${FLOW_Z_WEEKS} weeks before the latest`,
    },
  };
  for (const r of rows) {
    const g = idPart(r.group);
    if (r.largestSince)
      dates.push(
        dateFact(
          `flows.${g}.week.largest-since`,
          r.largestSince,
          `the last week before ${r.week} with a ${r.group} ${r.measure} as large`,
          [r.series],
          'core/why flowSummary: the latest earlier week at least as large, same direction',
          { asOf: r.week },
        ),
      );
    dates.push(
      dateFact(
        `flows.${g}.record-since`,
        r.recordSince,
        `the first week of the run of ${r.group} weeks without a gap the figures read`,
        [r.series],
        'core/why flowSummary: the first week of the run without a gap ending at the latest week',
        { asOf: r.week },
      ),
    );
  }
  const assumed = await loadAssumedNotes(
    store,
    rows.map((r) => r.series),
    asOf,
  );
  for (const a of assumed) if (a.date && !dates.some((x) => x.id === a.date?.id)) dates.push(a.date);
  const ici = await iciCoverage(store, asOf, o.group);
  if (ici) {
    const what = [
      ['weekly', 'the last week of the ICI public CSV weekly rows known'],
      ['monthly', 'the last month of the ICI public CSV monthly rows known'],
      ['workbook', "the last week of ICI's weekly workbooks known"],
    ] as const;
    for (const [k, label] of what) {
      const v = ici[k];
      if (v)
        dates.push(
          dateFact(
            `flows.ici.${k}-to`,
            v,
            label,
            ici.inputs,
            'data/why/figures/flows iciCoverage: the latest period stored (any vintage) of the ICI series',
          ),
        );
    }
  }
  return {
    seriesCount: ids.length,
    facts,
    rows,
    params,
    techVsRest: split,
    read,
    ici: ici ? { weekly: ici.weekly, monthly: ici.monthly, workbook: ici.workbook } : null,
    dates,
    assumed,
  };
}

/**
 * How far the stored ICI series reach at `asOf` (any vintage): the old public CSV's weekly and monthly rows, and
 * the weekly workbooks (a source ending `.xls`/`.xlsx`). Null when no ICI series passes the group filter.
 */
async function iciCoverage(
  store: Store,
  asOf: string,
  group: string | undefined,
): Promise<{
  weekly: string | null;
  monthly: string | null;
  workbook: string | null;
  inputs: string[];
} | null> {
  const ids = (await loadSeriesIds(store, 'flows:ici:')).filter(
    (s) => !group || splitSeries(s).group.startsWith(group),
  );
  if (ids.length === 0) return null;
  let weekly = '';
  let monthly = '';
  let workbook = '';
  for (const s of ids)
    for (const v of (await loadAsKnown(store, s, asOf)).obs) {
      if (/\.xlsx?$/i.test(v.source)) workbook = v.period > workbook ? v.period : workbook;
      else if (s.endsWith(':net_flow_monthly')) monthly = v.period > monthly ? v.period : monthly;
      else weekly = v.period > weekly ? v.period : weekly;
    }
  return { weekly: weekly || null, monthly: monthly || null, workbook: workbook || null, inputs: ids };
}

export type AssumedNote = { series: string; note: string; week: string | null; date: DateFact | null };

/**
 * The notes of stored rows (known at `asOf`) that say a date was assumed, e.g. the week-ending date of a press report
 * ("week ending 2026-01-07 assumed (the report gave the week not the date)"), without the words before the first
 * `;` (what the row is). When the note names its row's week, that week is a date fact
 * (`flows.<group>.assumed.<week>`) so the brief prints it as one; `week` is then the string to replace.
 */
async function loadAssumedNotes(
  store: Store,
  series: readonly string[],
  asOf: string,
): Promise<AssumedNote[]> {
  const out = new Map<string, AssumedNote>();
  for (const s of series)
    for (const [key, raw] of await loadNotes(store, s)) {
      const [period = '', known = ''] = key.split('|');
      if (known > asOf || !/assum/i.test(raw)) continue;
      const note = raw.replace(/^[^;]*;\s*/, '');
      if (out.has(note)) continue;
      const week = period.slice(0, 10);
      const named = week !== '' && note.includes(week);
      out.set(note, {
        series: s,
        note,
        week: named ? week : null,
        date: named
          ? dateFact(
              `flows.${idPart(splitSeries(s).group)}.assumed.${week}`,
              week,
              `the week-ending date assumed for a ${splitSeries(s).group} row (its source gave the week, not the date)`,
              [s],
              'the period of the stored row whose note says its date was assumed',
              { asOf: known },
            )
          : null,
      });
    }
  return [...out.values()];
}
