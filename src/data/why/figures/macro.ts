import type { WhyFact } from '../../../core/why/fact.js';
import {
  cpiIdentity,
  mergeByPeriod,
  policyPath,
  surprise,
  yearOverYear,
  yieldCurve,
  type CpiIdentity,
  type PolicyPath,
} from '../../../core/why/macro.js';
import { magnitudeRank } from '../../../core/race-history.js';
import { loadReleaseSurprises, type PastSurprise } from '../../release-history.js';
import type { Store } from '../../store/store.js';
import { loadAsKnown, loadSeriesIds, loadVintages } from '../load.js';
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

/** The id of the date fact of the period a release row is for: `macro-us-cpi-yoy.2026-06.period`. */
export const releasePeriodId = (r: { key: string; period: string }): string =>
  `${idPart(r.key)}.${idPart(r.period)}.period`;

/** One release (`macro:us:cpi:yoy`) or market move (`market:futures:dow`) at its latest period known. */
export type ReleaseRow = {
  key: string;
  kind: string;
  group: string;
  period: string;
  /** actual, consensus, prior, change, … as published, by metric. */
  metrics: Map<string, WhyFact>;
  surprise: WhyFact | null;
  /**
   * With a surprise: the earlier releases (periods before this one) with an actual and a consensus known at
   * as-of, oldest first (data/release-history), the history the surprise is ranked against; otherwise empty.
   */
  pastSurprises: PastSurprise[];
  /**
   * With a surprise and earlier ones: the share of `pastSurprises` smaller in magnitude (core/race-history
   * magnitudeRank; `news.<key>.<period>.surprise.score`) and their count (`….surprise.history-n`), the brief's
   * headline score for a release; otherwise null.
   */
  surpriseRank: { score: WhyFact; historyN: WhyFact } | null;
};

/**
 * The id of the date fact of the earliest earlier release a surprise is ranked against:
 * `macro-us-cpi-yoy.2026-06.surprise.history-from`.
 */
export const surpriseHistoryFromId = (r: { key: string; period: string }): string =>
  `${idPart(r.key)}.${idPart(r.period)}.surprise.history-from`;

export type MacroFigures = {
  facts: WhyFact[];
  warnings: string[];
  /** Headline CPI: CPI-U NSA y/y when stored (else SA, or the `--cpi` series), with its release (known-at) date. */
  cpi: CpiEntry | null;
  /** Seasonally adjusted CPI-U y/y alongside, when stored (default series lists only). */
  cpiSa?: CpiEntry;
  /** Core CPI y/y alongside, when stored. */
  cpiCore?: CpiEntry;
  /** The fed funds path: its 12-month change (`fact`) and its endpoints and cut count (fedPathFacts). */
  fed: {
    series: string;
    path: PolicyPath;
    fact: WhyFact;
    from: WhyFact;
    to: WhyFact;
    cuts: WhyFact;
  } | null;
  curve: { date: string; tenYear: WhyFact; twoYear: WhyFact; spread: WhyFact } | null;
  releases: ReleaseRow[];
  read: SeriesRead[];
  /**
   * The dates the figures state, as facts: `<id>.as-of`/`.known-at` of every figure, `<cpi id>.month` (the month
   * a CPI reading is for), `macro.fed-funds.<series>.from.period`/`.to.period` (the readings the path compares) and
   * `<release>.<period>.period` (the period a release or market move is for).
   */
  dates: DateFact[];
};

/**
 * The fed funds path's endpoints and cut count as facts (`macro.fed-funds.<series>.from|to|cuts12m`): the brief's
 * macro paragraph and `rotation macro` print the same ids, computed once from core/why policyPath.
 */
function fedPathFacts(series: string, p: PolicyPath): { from: WhyFact; to: WhyFact; cuts: WhyFact } {
  const prefix = `macro.fed-funds.${idPart(series)}`;
  const base = { inputs: [series], asOf: p.to.period, window: `${p.from.period}..${p.to.period}` };
  return {
    from: {
      ...base,
      id: `${prefix}.from`,
      value: p.from.value,
      unit: 'percent-points',
      label: `fed funds, ${p.from.period}`,
      method: 'reading in force 12 months before as-of (core/why policyPath)',
    },
    to: {
      ...base,
      id: `${prefix}.to`,
      value: p.to.value,
      unit: 'percent-points',
      label: `fed funds, ${p.to.period}`,
      method: 'latest reading on or before as-of (core/why policyPath)',
    },
    cuts: {
      ...base,
      id: `${prefix}.cuts12m`,
      value: p.cuts,
      unit: 'count',
      label: 'rate cuts in the last 12 months',
      method: 'step-downs of at least 0.125 pp between readings (core/why policyPath)',
    },
  };
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
    // each series' own last month read (a merged series can end before the merged reading)
    read: used.map((l) => {
      const own = l.obs.filter((o) => o.period <= last.period).at(-1)?.period ?? last.period;
      return seriesRead(l.id, l.obs, own, l.laterVintage);
    }),
  };
}

/** CPI y/y, the fed funds path, the yield curve and the latest releases (actual, consensus, surprise) at `asOf`. */
export async function loadMacroFigures(store: Store, o: MacroOptions): Promise<MacroFigures> {
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
  const dates: DateFact[] = [];
  const out: MacroFigures = { facts, warnings, cpi: null, fed: null, curve: null, releases: [], read, dates };

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
      const ends = fedPathFacts(ff, p);
      facts.push(fact, ends.from, ends.to, ends.cuts);
      out.fed = { series: ff, path: p, fact, ...ends };
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
    const row: ReleaseRow = {
      key,
      kind,
      group,
      period: latestPeriod,
      metrics: new Map(),
      surprise: null,
      pastSurprises: [],
      surpriseRank: null,
    };
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
        kind: 'reported',
        source: v.source,
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
      row.pastSurprises = (await loadReleaseSurprises(store, key, asOf)).filter(
        (x) => x.period < latestPeriod,
      );
      const rank = magnitudeRank(
        row.pastSurprises.map((x) => x.surprise),
        row.surprise.value,
      );
      if (rank !== null) {
        const sid = `news.${idPart(key)}.${idPart(latestPeriod)}.surprise`;
        const inputs = [`${key}:actual`, `${key}:consensus`];
        row.surpriseRank = {
          score: {
            id: `${sid}.score`,
            value: rank,
            unit: 'fraction',
            label: 'share of earlier releases with a smaller surprise',
            inputs,
            asOf: act.asOf,
            method:
              'core/race-history magnitudeRank of |actual − consensus| over earlier releases (data/release-history)',
          },
          historyN: {
            id: `${sid}.history-n`,
            value: row.pastSurprises.length,
            unit: 'count',
            label: 'earlier releases with actual and consensus stored',
            inputs,
            asOf: act.asOf,
            method: 'data/release-history loadReleaseSurprises',
          },
        };
        facts.push(row.surpriseRank.score, row.surpriseRank.historyN);
      }
    }
    out.releases.push(row);
  }
  dates.push(...datesOf(facts));
  for (const c of [out.cpi, out.cpiSa, out.cpiCore])
    if (c && !dates.some((x) => x.id === `${c.fact.id}.month`))
      dates.push(
        dateFact(
          `${c.fact.id}.month`,
          c.period,
          `the month of ${c.fact.label}`,
          c.fact.inputs,
          'the month of the latest CPI reading released by as-of',
          {
            asOf: c.fact.asOf,
          },
        ),
      );
  if (out.fed) {
    const { series, path } = out.fed;
    const prefix = `macro.fed-funds.${idPart(series)}`;
    const window = `${path.from.period}..${path.to.period}`;
    dates.push(
      dateFact(
        `${prefix}.from.period`,
        path.from.period,
        `the date of the fed funds reading in force 12 months before as-of (${series})`,
        [series],
        'core/why policyPath: the reading in force 12 months before as-of',
        { window, asOf: path.to.period },
      ),
      dateFact(
        `${prefix}.to.period`,
        path.to.period,
        `the date of the latest fed funds reading (${series})`,
        [series],
        'core/why policyPath: the latest reading on or before as-of',
        { window },
      ),
    );
  }
  for (const r of out.releases) {
    const first = r.pastSurprises[0];
    if (r.surprise && first)
      dates.push(
        dateFact(
          surpriseHistoryFromId(r),
          first.period,
          'the period of the earliest earlier release with actual and consensus stored',
          r.surprise.inputs,
          'data/release-history loadReleaseSurprises: the first release a surprise is ranked against',
          { asOf: r.surprise.asOf },
        ),
      );
    dates.push(
      dateFact(
        releasePeriodId(r),
        r.period,
        `the period of the latest ${r.key} release known`,
        [...r.metrics.values()].flatMap((m) => m.inputs),
        'the latest period with a release known at as-of',
        {
          asOf: [...r.metrics.values()]
            .map((m) => m.asOf)
            .sort()
            .at(-1),
        },
      ),
    );
  }
  return out;
}
