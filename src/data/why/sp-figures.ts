import type { WhyFact } from '../../core/why/fact.js';
import { epsGrowth, quarterlyYoY } from '../../core/why/sp-earnings.js';
import type { Observation } from '../../shared/domain.js';
import type { Store } from '../store/store.js';
import { loadAsKnown, loadSeriesIds, loadVintages } from './load.js';

/**
 * Earnings figures computed from S&P Dow Jones Indices' own files (docs/why.md, "S&P earnings files"): the annual
 * sector and index operating EPS of the S&P 500, 400, 600 and 1500 (sp-earnings.ts parses them into
 * `earnings:<index>[:<sector>]:eps_op`) and the S&P 500 quarterly EPS actuals (`earnings:sp500-quarterly:*`).
 * Everything is read as known at `asOf`: the workbook's vintage (its date, 2026-01-16 for the shipped copy) must be
 * on or before it, so a brief dated before the workbook never uses it.
 */

/** The eleven GICS sectors as the S&P workbook names them, in its column order (ids as sp-earnings.ts slugs them). */
export const SP_SECTORS = [
  ['consumer-discretionary', 'Consumer Discretionary'],
  ['consumer-staples', 'Consumer Staples'],
  ['energy', 'Energy'],
  ['financials', 'Financials'],
  ['health-care', 'Health Care'],
  ['industrials', 'Industrials'],
  ['information-technology', 'Information Technology'],
  ['materials', 'Materials'],
  ['communication-services', 'Communication Services'],
  ['utilities', 'Utilities'],
  ['real-estate', 'Real Estate'],
] as const;

export const SP_INDEXES = [
  ['sp500', 'S&P 500'],
  ['sp400', 'S&P 400 (mid caps)'],
  ['sp600', 'S&P 600 (small caps)'],
  ['sp1500', 'S&P 1500'],
] as const;

export type SpGrowthRow = {
  index: string;
  /** null for the index itself. */
  sector: string | null;
  name: string;
  year: string;
  base: { year: string; eps: number };
  next: { year: string; eps: number };
  /** `earnings.sp.<index>[.<sector>].growth.<year>`; null when the base is not positive (see `refused`). */
  fact: WhyFact | null;
  refused: string | null;
};

export type SpEarnings = {
  /** The year compared with the one before (the as-of year when the workbook has it, else its latest year). */
  year: string | null;
  /** The workbook vintage read (the latest on or before as-of). */
  vintage: string | null;
  index: SpGrowthRow[];
  /** The S&P 500's eleven sectors. */
  sectors: SpGrowthRow[];
  /** S&P 600 growth minus S&P 500 growth (small vs large caps). */
  smallVsLarge: WhyFact | null;
  /** The latest quarter's operating EPS y/y and trailing-12-month operating EPS y/y from the actuals. */
  quarterly: { quarter: WhyFact | null; trailing: WhyFact | null };
  /** Figures asked for that these inputs cannot support, with the reason (e.g. tech vs the rest). */
  refusals: string[];
  /** Every fact, in print order. */
  facts: WhyFact[];
  seriesCount: number;
};

const latestByPeriod = (vs: readonly Observation[]): Map<string, Observation> => {
  const m = new Map<string, Observation>();
  for (const o of vs) {
    const prev = m.get(o.period);
    if (!prev || o.asOf > prev.asOf) m.set(o.period, o);
  }
  return m;
};

/** Why the workbook cannot give "tech vs the rest", said once for the command and the brief. */
export const TECH_SPLIT_REFUSAL =
  'tech vs the rest is not computed from the S&P workbook: its sector EPS are per share of each sector index (each ' +
  'with its own divisor), so they cannot be added up into an ex-tech aggregate without each sector\u2019s share ' +
  'of index earnings; add base_earnings rows per sector (a "why" inputs file, docs/why.md) to get the ' +
  'earnings-weighted split';

/** S&P sector and index earnings growth, small vs large caps and quarterly y/y, as known at `asOf`. */
export async function spEarningsFigures(
  store: Store,
  o: { asOf: string; strict?: boolean },
): Promise<SpEarnings> {
  const asOf = o.asOf;
  const ids = (await loadSeriesIds(store, 'earnings:')).filter(
    (s) => /^earnings:sp\d+(:[a-z-]+)?:eps_op$/.test(s) || s.startsWith('earnings:sp500-quarterly:'),
  );
  const out: SpEarnings = {
    year: null,
    vintage: null,
    index: [],
    sectors: [],
    smallVsLarge: null,
    quarterly: { quarter: null, trailing: null },
    refusals: [],
    facts: [],
    seriesCount: ids.length,
  };
  const annual = new Map<string, Map<string, Observation>>();
  for (const s of ids.filter((x) => x.endsWith(':eps_op')))
    annual.set(s, latestByPeriod(await loadVintages(store, s, asOf)));
  const sp500 = annual.get('earnings:sp500:eps_op');
  const years = [...(sp500?.keys() ?? [])].sort();
  const asOfYear = asOf.slice(0, 4);
  const year = years.includes(asOfYear) ? asOfYear : (years.filter((y) => y <= asOfYear).at(-1) ?? null);
  if (year && years.includes(String(Number(year) - 1))) {
    out.year = year;
    const prev = String(Number(year) - 1);
    const growthRow = (index: string, sector: string | null, name: string): SpGrowthRow | null => {
      const series = `earnings:${index}${sector ? `:${sector}` : ''}:eps_op`;
      const m = annual.get(series);
      const a = m?.get(prev);
      const b = m?.get(year);
      if (!a || !b) return null;
      const vintage = a.asOf > b.asOf ? a.asOf : b.asOf;
      out.vintage = out.vintage && out.vintage > vintage ? out.vintage : vintage;
      const g = epsGrowth(a.value, b.value);
      const row: SpGrowthRow = {
        index,
        sector,
        name,
        year,
        base: { year: prev, eps: a.value },
        next: { year, eps: b.value },
        fact: null,
        refused: null,
      };
      if (g === null) {
        row.refused = `${name}: no growth rate, ${prev} operating EPS is ${a.value} (not positive)`;
        return row;
      }
      row.fact = {
        id: `earnings.sp.${index}${sector ? `.${sector}` : ''}.growth.${year}`,
        value: g,
        unit: 'fraction',
        label: `${name} operating EPS growth, ${year} vs ${prev}`,
        inputs: [`${series}@${b.asOf}`],
        window: `${prev}..${year}`,
        asOf: vintage,
        knownAt: vintage,
        method:
          `${year} operating EPS / ${prev} operating EPS − 1, both in the index's points, from S&P Dow Jones ` +
          `Indices' workbook of ${vintage} (years not yet reported in full are S&P's estimates)`,
      };
      return row;
    };
    for (const [index, name] of SP_INDEXES) {
      const r = growthRow(index, null, name);
      if (r) out.index.push(r);
    }
    for (const [sector, name] of SP_SECTORS) {
      const r = growthRow('sp500', sector, `S&P 500 ${name}`);
      if (r) out.sectors.push(r);
    }
    const small = out.index.find((r) => r.index === 'sp600')?.fact;
    const large = out.index.find((r) => r.index === 'sp500')?.fact;
    if (small && large)
      out.smallVsLarge = {
        id: `earnings.sp.sp600-vs-sp500.growth.${year}`,
        value: small.value - large.value,
        unit: 'fraction-points',
        label: `S&P 600 minus S&P 500 operating EPS growth, ${year} vs ${prev}`,
        inputs: [...small.inputs, ...large.inputs],
        window: `${prev}..${year}`,
        asOf: small.asOf > large.asOf ? small.asOf : large.asOf,
        knownAt: small.asOf > large.asOf ? small.asOf : large.asOf,
        method: 'difference of the two growth rates (fraction points); each index its own EPS, per share',
      };
    for (const r of [...out.index, ...out.sectors]) if (r.refused) out.refusals.push(r.refused);
    out.refusals.push(TECH_SPLIT_REFUSAL);
    out.facts.push(
      ...out.index.flatMap((r) => (r.fact ? [r.fact] : [])),
      ...(out.smallVsLarge ? [out.smallVsLarge] : []),
      ...out.sectors.flatMap((r) => (r.fact ? [r.fact] : [])),
    );
  }
  // Quarterly actuals: the latest quarter with operating EPS known at as-of, against the same quarter a year before.
  const q = async (column: string, what: string): Promise<WhyFact | null> => {
    const series = `earnings:sp500-quarterly:${column}`;
    if (!ids.includes(series)) return null;
    const { obs, laterVintage } = await loadAsKnown(store, series, asOf);
    if (o.strict && laterVintage) return null;
    const last = quarterlyYoY(
      obs.map((x) => ({ period: x.period, value: x.value })),
      asOf,
    ).at(-1);
    if (!last) return null;
    const ob = obs.find((x) => x.period === last.period);
    return {
      id: `earnings.sp.sp500.${column}.yoy`,
      value: last.growth,
      unit: 'fraction',
      label: `S&P 500 ${what}, quarter ending ${last.period} vs ${last.base.period}`,
      inputs: [series],
      window: `${last.base.period}..${last.period}`,
      asOf: last.period,
      ...(ob?.knownAt ? { knownAt: ob.knownAt } : {}),
      method: `${last.value} / ${last.base.value} − 1 (index points, S&P Dow Jones Indices actuals)`,
      ...(laterVintage ? { note: `values from the ${laterVintage} vintage (no earlier one stored)` } : {}),
    };
  };
  out.quarterly.quarter = await q('op-eps', 'operating EPS y/y');
  out.quarterly.trailing = await q('12m-op-eps', 'trailing 12-month operating EPS y/y');
  out.facts.push(...[out.quarterly.quarter, out.quarterly.trailing].filter((f): f is WhyFact => f !== null));
  return out;
}
