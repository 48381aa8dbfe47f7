import type { TradingDate } from '../shared/brand.js';
import { NotFoundError, UsageError } from '../shared/errors.js';
import {
  claimDefinitions,
  definitionsVerdict,
  evaluateClaim,
  shownOf,
  type Claim,
  type ClaimEvaluation,
  type Definition,
} from '../core/claim.js';
import { forwardOdds, DEFAULT_HORIZONS, type Horizon, type HorizonOdds } from '../core/odds.js';
import { beatsPrecedents, extremePrecedents, type Condition, type Precedents } from '../core/precedents.js';
import { race, raceByYear, raceFacts, type Race, type RaceYear } from '../core/race.js';
import type { Fact } from '../core/fact.js';
import type { Basis } from '../core/series/types.js';
import { formatWindow, type Window } from '../core/window.js';
import { alignSeries } from '../core/series/align.js';
import type { Config } from './config.js';
import { loadAligned, loadSeries, type LoadedSeries } from './load.js';
import type { Store } from './store/store.js';

/**
 * The analytics entry points shared by the CLI, the brief and the server: each loads through data/load (never
 * past `asOf`) and calls the pure core functions.
 */
export type RunOptions = {
  asOf?: TradingDate | undefined;
  basis?: Basis | undefined;
  config?: Config | undefined;
};

/** What a result was computed from: per leg, the field used and any basis note. */
export type Provenance = { symbol: string; field: string; source: string; note: string | null }[];

const provenance = (series: readonly LoadedSeries[]): Provenance =>
  series.map((s) => ({ symbol: s.symbol, field: s.field, source: s.source, note: s.note }));

export type RaceRun = {
  a: string;
  b: string;
  basis: Basis;
  /** The last common session used (<= the requested as-of date). */
  asOf: TradingDate;
  window: string;
  race: Race | null;
  /** With `years`: one row per year (same window, aligned by session of year). */
  years: RaceYear[] | null;
  facts: Fact[];
  provenance: Provenance;
};

/** The JSON of a race, as `rotation race --format json` and `GET /api/v1/race` both return it: one shape, one place. */
export function raceJson(run: RaceRun) {
  return {
    a: run.a,
    b: run.b,
    window: run.window,
    basis: run.basis,
    asOf: run.asOf,
    race: run.race,
    years: run.years,
    facts: run.facts,
    provenance: run.provenance,
  };
}

async function aligned(store: Store, symbols: string[], opts: RunOptions) {
  const data = await loadAligned(store, symbols, {
    asOf: opts.asOf,
    basis: opts.basis ?? 'price',
    config: opts.config,
  });
  const last = data.dates[data.dates.length - 1];
  if (!last)
    throw new NotFoundError(
      `${symbols.join(' and ')} have no session in common${opts.asOf ? ` up to ${opts.asOf}` : ''}`,
      'check their coverage with `rotation symbols`',
    );
  return { ...data, last };
}

function yearsLabel(years: readonly number[]): string {
  const first = years[0];
  const last = years[years.length - 1];
  return years.length === 1 || first === undefined ? String(first) : `${first}-${last}`;
}

/** A vs B over a window (in `year`, default the as-of year), or year by year with `years`. */
export async function runRace(
  store: Store,
  a: string,
  b: string,
  window: Window,
  opts: RunOptions & {
    year?: number | undefined;
    years?: readonly number[] | undefined;
    /** Refuse (NotFoundError) when the window has no data in any asked year: the CLI and the API ask it. */
    requireData?: boolean;
  },
): Promise<RaceRun> {
  const basis = opts.basis ?? 'price';
  const data = await aligned(store, [a, b], opts);
  const [sa, sb] = data.symbols as [string, string];
  const [va, vb] = data.values as [number[], number[]];
  const meta = { a: sa, b: sb, basis, asOf: data.last };
  const noData = (what: string) =>
    new NotFoundError(
      `no data for ${what}: ${sa} and ${sb} have sessions in common from ${data.dates[0] ?? data.last} to ${data.last}`,
      'pick a window or years inside that range',
    );
  if (opts.years) {
    const { window: w, rows } = raceByYear(data.dates, va, vb, window, opts.years);
    if (opts.requireData && !rows.some((r) => r.race))
      throw noData(`${formatWindow(w)} in ${yearsLabel(opts.years)}`);
    const facts = rows.flatMap((r) => (r.race ? raceFacts(r.race, { ...meta, suffix: `.y${r.year}` }) : []));
    return {
      ...meta,
      window: formatWindow(w),
      race: null,
      years: rows,
      facts,
      provenance: provenance(data.series),
    };
  }
  const r = race(data.dates, va, vb, window, opts.year);
  if (opts.requireData && !r)
    throw noData(`${formatWindow(window)}${opts.year !== undefined ? ` in ${opts.year}` : ''}`);
  const lastYear = Number(data.last.slice(0, 4));
  const facts = r ? raceFacts(r, { ...meta, ...(r.year !== lastYear ? { suffix: `.y${r.year}` } : {}) }) : [];
  return {
    ...meta,
    window: formatWindow(window),
    race: r,
    years: null,
    facts,
    provenance: provenance(data.series),
  };
}

export type PrecedentsRun = {
  asOf: TradingDate;
  basis: Basis;
  precedents: Precedents;
  provenance: Provenance;
};

async function conditionData(store: Store, c: Condition, opts: RunOptions) {
  switch (c.kind) {
    case 'beats': {
      const data = await aligned(store, [c.a, c.b], opts);
      const [sa, sb] = data.symbols as [string, string];
      const cond = { ...c, a: sa, b: sb };
      const p = beatsPrecedents(data.dates, data.values[0] as number[], data.values[1] as number[], cond);
      return { data, precedents: p, legs: [data.values[0] as number[], data.values[1] as number[]] };
    }
    case 'extreme': {
      if (!Number.isInteger(c.lookback) || c.lookback < 2)
        throw new UsageError(`--lookback ${c.lookback} is not a whole number of sessions >= 2`);
      const s = await loadSeries(store, c.symbol, {
        asOf: opts.asOf,
        basis: opts.basis ?? 'price',
        config: opts.config,
      });
      const last = s.dates[s.dates.length - 1] as TradingDate;
      const data = { symbols: [s.symbol], dates: s.dates, values: [s.values], series: [s], last };
      const p = extremePrecedents(s.dates, s.values, { ...c, symbol: s.symbol });
      return { data, precedents: p, legs: [s.values] };
    }
  }
}

/** Every occurrence of a condition up to the as-of date. */
export async function runPrecedents(store: Store, c: Condition, opts: RunOptions): Promise<PrecedentsRun> {
  const { data, precedents } = await conditionData(store, c, opts);
  return { asOf: data.last, basis: opts.basis ?? 'price', precedents, provenance: provenance(data.series) };
}

/** The JSON of `rotation precedents --format json` and `GET /api/v1/precedents`. */
export function precedentsJson(run: PrecedentsRun, condition: Condition) {
  const p = run.precedents;
  return {
    ...p,
    description: p.condition,
    condition,
    asOf: run.asOf,
    basis: run.basis,
    provenance: run.provenance,
  };
}

export type OddsRun = PrecedentsRun & { odds: HorizonOdds[] };

/** The JSON of `rotation odds --format json` and `GET /api/v1/odds`. */
export function oddsJson(run: OddsRun, condition: Condition) {
  return {
    condition,
    asOf: run.asOf,
    basis: run.basis,
    precedents: run.precedents,
    odds: run.odds,
    provenance: run.provenance,
  };
}

/** What followed each occurrence of a condition, per horizon. */
export async function runOdds(
  store: Store,
  c: Condition,
  opts: RunOptions & { horizons?: readonly Horizon[] | undefined },
): Promise<OddsRun> {
  const { data, precedents, legs } = await conditionData(store, c, opts);
  const odds = forwardOdds(data.dates, legs, precedents.occurrences, opts.horizons ?? DEFAULT_HORIZONS);
  return {
    asOf: data.last,
    basis: opts.basis ?? 'price',
    precedents,
    odds,
    provenance: provenance(data.series),
  };
}

export type CheckRow = Definition & {
  windowText: string;
  evaluation: ClaimEvaluation;
  /** Fields used per leg (adj_close, close, basket) and notes, when data were found. */
  provenance: Provenance;
};

export type CheckRun = {
  claim: Claim;
  year: number;
  asOf: TradingDate | null;
  rows: CheckRow[];
  holds: number;
  fails: number;
  noData: number;
  /** Total-return definitions left out because no adjusted closes are stored: they equal their price twins. */
  sameAsPrice: number;
  verdict: string;
};

/**
 * Checks a claim under every definition (claimDefinitions). A definition whose data are missing (symbol not
 * stored, basket incomplete, years not covered) is "no data", never guessed.
 */
export async function runCheck(store: Store, claim: Claim, opts: RunOptions): Promise<CheckRun> {
  const cache = new Map<string, Promise<LoadedSeries | null>>();
  const load = (symbol: string, basis: Basis) => {
    const key = `${symbol}|${basis}`;
    let p = cache.get(key);
    if (!p) {
      p = loadSeries(store, symbol, { asOf: opts.asOf, basis, config: opts.config }).catch((e: unknown) => {
        if (e instanceof NotFoundError) return null;
        throw e;
      });
      cache.set(key, p);
    }
    return p;
  };
  type Pending = {
    d: Definition;
    windowText: string;
    missing: string | null;
    p: Precedents | null;
    prov: Provenance;
  };
  const pending: Pending[] = [];
  let asOf: TradingDate | null = null;
  let sameAsPrice = 0;
  const sameValues = (x: LoadedSeries, y: LoadedSeries) =>
    x.values.length === y.values.length && x.values.every((v, i) => v === y.values[i]);
  for (const d of claimDefinitions(claim)) {
    const [sa, sb] = await Promise.all([load(d.a, d.basis), load(d.b, d.basis)]);
    const windowText = formatWindow(d.window);
    if (sa && sb && d.basis === 'total') {
      // Without adjusted closes the total-return series is the price series: one row says it all.
      const [pa, pb] = await Promise.all([load(d.a, 'price'), load(d.b, 'price')]);
      if (pa && pb && sameValues(sa, pa) && sameValues(sb, pb)) {
        sameAsPrice++;
        continue;
      }
    }
    if (!sa || !sb) {
      const missing = [!sa ? d.a : null, !sb ? d.b : null].filter(Boolean).join(', ');
      pending.push({ d, windowText, missing, p: null, prov: [] });
      continue;
    }
    const al = alignSeries([sa, sb]);
    const last = al.dates[al.dates.length - 1];
    if (last && (!asOf || last > asOf)) asOf = last;
    const p = beatsPrecedents(al.dates, al.values[0] as number[], al.values[1] as number[], {
      kind: 'beats',
      a: sa.symbol,
      b: sb.symbol,
      window: d.window,
    });
    pending.push({ d, windowText, missing: null, p, prov: provenance([sa, sb]) });
  }
  // The claimed year; without one, the as-of year (the requested date, else the latest data).
  const year = claim.year ?? Number((opts.asOf ?? asOf ?? '0000').slice(0, 4));
  const rows: CheckRow[] = pending.map(({ d, windowText, missing, p, prov }) => ({
    ...d,
    windowText,
    provenance: prov,
    evaluation: p
      ? evaluateClaim(p, year, claim.firstSince)
      : {
          status: 'no data',
          happened: null,
          spread: null,
          lastBefore: null,
          reason: `${missing} not in the store`,
        },
  }));
  const holds = rows.filter((r) => r.evaluation.status === 'holds');
  const fails = rows.filter((r) => r.evaluation.status === 'fails').length;
  const noData = rows.length - holds.length - fails;
  const summary = definitionsVerdict(rows);
  const measured = holds.length + fails;
  const describe = (r: CheckRow) => `${r.a} vs ${r.b} ${r.windowText} ${r.basis}`;
  const stated = rows.find((r) => r.asStated);
  const shown = holds.slice(0, 6);
  const verdict =
    summary.verdict === 'pending' && stated?.evaluation.status === 'pending'
      ? `pending: the window as stated (${stated.windowText}) is not over; figures so far, to ${asOf ?? 'the latest data'}`
      : measured === 0
        ? summary.pending > 0
          ? `pending: no definition's window is over`
          : 'cannot check: no definition has data'
        : `${summary.verdict}: holds under ${holds.length} of ${measured} definitions with data` +
          (summary.pending ? ` (${summary.pending} more still running)` : '') +
          (noData - summary.pending ? ` (${noData - summary.pending} more without data)` : '') +
          (holds.length
            ? ` (${shownOf(shown.length, holds.length)}): ${shown.map(describe).join('; ')}`
            : '') +
          (sameAsPrice
            ? ` (${sameAsPrice} total-return definition${sameAsPrice > 1 ? 's' : ''} equal their price twins: no adjusted closes stored)`
            : '');
  return { claim, year, asOf, rows, holds: holds.length, fails, noData, sameAsPrice, verdict };
}
