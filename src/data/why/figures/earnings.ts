import { earningsWeightedGrowth, estimateRevision, growthSpread } from '../../../core/why/earnings.js';
import type { Vintage, WhyFact } from '../../../core/why/fact.js';
import type { Observation } from '../../../shared/domain.js';
import type { Store } from '../../store/store.js';
import { loadNotes, loadSeriesIds, loadVintages } from '../load.js';
import { spEarningsFigures, type SpEarnings } from '../sp-figures.js';
import { datesOf, idPart, splitSeries, type DateFact } from './common.js';

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
  /** The dates the figures state, as facts (`<id>.as-of`, `<id>.known-at`, `earnings.sp.vintage`). */
  dates: DateFact[];
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
export async function loadEarningsFigures(
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
        kind: 'reported',
        source: ob.source,
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
          kind: 'reported',
          ...(rev.from.source !== undefined ? { source: rev.from.source } : {}),
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
  const dates = datesOf(facts);
  if (sp.vintage)
    dates.push({
      id: 'earnings.sp.vintage',
      value: sp.vintage,
      unit: 'date',
      label: "the date of S&P Dow Jones Indices' workbook read",
      inputs: [...new Set([...sp.index, ...sp.sectors].flatMap((r) => r.fact?.inputs ?? []))],
      asOf: sp.vintage,
      method: 'data/why/sp-figures: the latest workbook vintage on or before the as-of date',
    });
  return { seriesCount: ids.length + sp.seriesCount, facts, rows, spreads, weighted, groups, sp, dates };
}
