import type { TradingDate } from '../shared/brand.js';
import { NotFoundError, UsageError } from '../shared/errors.js';
import {
  CALENDAR_RANGE,
  closeTime,
  earlyClosesBetween,
  holidaysBetween,
  sessionsBetween,
} from '../core/calendar/calendar.js';
import { concentration, participation, ratioTrend, relativeReturns, unionMatrix } from '../core/breadth.js';
import { readSentence } from '../core/claims/read.js';
import { regime, type Regime } from '../core/regime.js';
import { RRG_DEFAULTS, rrg, type RrgPeriod, type RrgResult } from '../core/rrg.js';
import {
  claimDefinitions,
  parseClaim,
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
import { symbolId, type Fact } from '../core/fact.js';
import type { Basis } from '../core/series/types.js';
import type { CloseBasis } from '../shared/domain.js';
import { formatWindow, type Window } from '../core/window.js';
import { alignSeries } from '../core/series/align.js';
import { DEFAULT_CONFIG, type Config } from './config.js';
import { constituentsDir, loadUniverse, type Universe } from './constituents.js';
import { loadAligned, loadSeries, loadSeriesOrNull, loadSeriesOutcome, type LoadedSeries } from './load.js';
import { staleFor } from './why/figures/common.js';
import type { Store } from './store/store.js';

/**
 * The analytics entry points shared by the CLI, the brief and the server: each loads through data/load (never
 * past `asOf`) and calls the pure core functions.
 */
export type RunOptions = {
  asOf?: TradingDate | undefined;
  basis?: Basis | undefined;
  config?: Config | undefined;
  /** The session figures are due for when no `asOf` is given (the CLI's last completed session): stale labels. */
  due?: TradingDate | undefined;
};

/**
 * What a result was computed from: per leg, the field used, any basis note, and what its values are
 * (`closes`: dividend-adjusted, price, or null when the import declared nothing).
 */
export type Provenance = {
  symbol: string;
  field: string;
  source: string;
  note: string | null;
  closes: CloseBasis | null;
}[];

/** What a loaded series' values are: adjusted closes used, else the close column's declared basis. */
const closesOf = (s: LoadedSeries): CloseBasis | null =>
  s.field === 'adj_close' || s.field === 'adj_close+close' ? 'adjusted' : s.closeBasis;

const provenance = (series: readonly LoadedSeries[]): Provenance =>
  series.map((s) => ({
    symbol: s.symbol,
    field: s.field,
    source: s.source,
    note: s.note,
    closes: closesOf(s),
  }));

const CLOSES_WORDS: Record<CloseBasis | 'undeclared', string> = {
  adjusted: 'dividend-adjusted closes',
  price: 'price closes (no dividends)',
  undeclared: 'stored closes (basis not declared at import)',
};

/** What the values of a set of series are, in words: one kind, or each kind with its symbols. */
export function closesLabel(series: readonly LoadedSeries[]): string {
  const by = new Map<CloseBasis | 'undeclared', string[]>();
  for (const s of series) {
    const k = closesOf(s) ?? 'undeclared';
    by.set(k, [...(by.get(k) ?? []), s.symbol]);
  }
  if (by.size <= 1) return CLOSES_WORDS[[...by.keys()][0] ?? 'undeclared'];
  return [...by].map(([k, syms]) => `${CLOSES_WORDS[k]}: ${syms.join(', ')}`).join('; ');
}

/**
 * The words of a comparison that mixes a price series (a price index) with dividend-adjusted closes, else null:
 * such a spread favours the adjusted side by its dividends.
 */
export function basisMix(series: readonly LoadedSeries[]): string | null {
  const price = series.filter((s) => closesOf(s) === 'price').map((s) => s.symbol);
  const adjusted = series.filter((s) => closesOf(s) === 'adjusted').map((s) => s.symbol);
  if (price.length === 0 || adjusted.length === 0) return null;
  return `mixes price closes (${price.join(', ')}) with dividend-adjusted closes (${adjusted.join(', ')}): the spread includes the dividends of one side only`;
}

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
  /** Set when one leg is a price series and the other dividend-adjusted (basisMix). */
  mix: string | null;
  /** Legs whose data end more than their cadence allows before the as-of (or due) date, with their last date. */
  stale: AnalyticsWarning[];
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
    mix: run.mix,
    stale: run.stale,
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
  const contiguous = years.every((y, i) => i === 0 || y === (years[i - 1] as number) + 1);
  if (first === undefined || years.length === 1) return String(first);
  return contiguous ? `${first}-${last}` : years.join(',');
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
      mix: basisMix(data.series),
      stale: staleWarnings(data.series, opts.asOf ?? opts.due),
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
    mix: basisMix(data.series),
    stale: staleWarnings(data.series, opts.asOf ?? opts.due),
  };
}

export type PrecedentsRun = {
  asOf: TradingDate;
  basis: Basis;
  precedents: Precedents;
  provenance: Provenance;
  /** Legs whose data end more than their cadence allows before the as-of (or due) date. */
  stale: AnalyticsWarning[];
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
  return {
    asOf: data.last,
    basis: opts.basis ?? 'price',
    precedents,
    provenance: provenance(data.series),
    stale: staleWarnings(data.series, opts.asOf ?? opts.due),
  };
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
    stale: run.stale,
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
    stale: run.stale,
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
    stale: staleWarnings(data.series, opts.asOf ?? opts.due),
  };
}

export type CheckRow = Definition & {
  windowText: string;
  evaluation: ClaimEvaluation;
  /** Fields used per leg (adj_close, close, basket) and notes, when data were found. */
  provenance: Provenance;
  /** Set when the definition compares a price series with dividend-adjusted closes (basisMix). */
  mix: string | null;
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
      p = loadSeriesOrNull(store, symbol, { asOf: opts.asOf, basis, config: opts.config });
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
    mix: string | null;
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
      pending.push({ d, windowText, missing, p: null, prov: [], mix: null });
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
    pending.push({ d, windowText, missing: null, p, prov: provenance([sa, sb]), mix: basisMix([sa, sb]) });
  }
  // The claimed year; without one, the as-of year (the requested date, else the latest data).
  const year = claim.year ?? Number((opts.asOf ?? asOf ?? '0000').slice(0, 4));
  const rows: CheckRow[] = pending.map(({ d, windowText, missing, p, prov, mix }) => ({
    ...d,
    windowText,
    provenance: prov,
    mix,
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

/** A warning carried in a verb's JSON (and printed to stderr by the CLI for table/csv). */
export type AnalyticsWarning = { symbol: string; code: string; message: string };

/**
 * Loads symbols through the one loading layer (data/load.ts, which never reads after `asOf`). Symbols the user
 * typed must exist (NotFoundError); default members that are not stored are skipped with a warning, so a store
 * without XLC still gets an RRG of the other sectors.
 */
async function loadMembers(
  store: Store,
  symbols: readonly string[],
  opts: { asOf?: TradingDate | undefined; basis: Basis; required: boolean; config?: Config | undefined },
): Promise<{ series: LoadedSeries[]; warnings: AnalyticsWarning[] }> {
  const series: LoadedSeries[] = [];
  const warnings: AnalyticsWarning[] = [];
  for (const s of symbols) {
    const o = { asOf: opts.asOf, basis: opts.basis, config: opts.config };
    if (opts.required) {
      series.push(await loadSeries(store, s, o));
      continue;
    }
    const r = await loadSeriesOutcome(store, s, o);
    if ('absent' in r)
      warnings.push({ symbol: s, code: 'not-stored', message: `${s}: ${r.message}; skipped` });
    else series.push(r);
  }
  return { series, warnings };
}

/**
 * A `stale` warning per series whose last session is more than its cadence allows behind `due` (the as-of date, or
 * the last completed NYSE session the CLI passes when no as-of is given): "stale: last reading D, …", never latest.
 */
export function staleWarnings(
  series: readonly LoadedSeries[],
  due: TradingDate | undefined,
): AnalyticsWarning[] {
  if (!due) return [];
  return series.flatMap((s) => {
    const last = s.dates[s.dates.length - 1];
    const note = last ? staleFor(s.symbol, [], last, due) : undefined;
    return note ? [{ symbol: s.symbol, code: 'stale', message: `${s.symbol}: ${note}` }] : [];
  });
}

/** One warning per distinct basis note (e.g. adjusted closes stored as closes), naming the symbols it concerns. */
export function basisWarnings(series: readonly LoadedSeries[]): AnalyticsWarning[] {
  const notes = new Map<string, string[]>();
  for (const s of series) if (s.note) notes.set(s.note, [...(notes.get(s.note) ?? []), s.symbol]);
  return [...notes].map(([note, syms]) => ({
    symbol: syms.join(','),
    code: 'basis',
    message: `${syms.join(', ')}: ${note}`,
  }));
}

/** The JSON of `rotation calendar --format json` and `GET /api/v1/calendar`; outside 1980–2030 is a usage error. */
export function calendarJson(from: TradingDate, to: TradingDate) {
  for (const [flag, d] of [
    ['--from', from],
    ['--to', to],
  ] as const)
    if (d < CALENDAR_RANGE.first || d > CALENDAR_RANGE.last)
      throw new UsageError(
        `${flag} ${d} is outside the calendar (${CALENDAR_RANGE.first}..${CALENDAR_RANGE.last})`,
        'the NYSE calendar covers 1980 through 2030',
      );
  if (from > to) throw new UsageError(`--from ${from} is after --to ${to}`);
  const holidays = holidaysBetween(from, to);
  const earlyCloses = earlyClosesBetween(from, to);
  const earlyName = new Map(earlyCloses.map((e) => [e.date as string, e.name]));
  const sessions = sessionsBetween(from, to).map((date) => ({
    date,
    close: closeTime(date),
    name: earlyName.get(date) ?? null,
  }));
  return {
    json: {
      from,
      to,
      sessions: sessions.map((s) => ({ date: s.date, close: s.close })),
      holidays,
      earlyCloses,
    },
    sessions,
  };
}

export type RrgOptions = {
  symbols: readonly string[];
  benchmark?: string | undefined;
  period: RrgPeriod;
  tail: number;
  window?: number | undefined;
  lag?: number | undefined;
  /** Default `price`: the one default basis of every price concept, the brief's too. */
  basis?: Basis | undefined;
  asOf?: TradingDate | undefined;
  /** Default members (`benchmarks.sectors`), benchmark (`benchmarks.market`) and baskets. */
  config?: Config | undefined;
  /** The session figures are due for when no `asOf` is given (the CLI's last completed session): for stale labels. */
  due?: TradingDate | undefined;
};

/**
 * The RRG facts, one RS-Ratio and one RS-Momentum per placed member: `rrg.<benchmark>.<period>.<symbol>.ratio`.
 * The brief's sector table prints these ids; `rotation rrg --format json` carries them in `facts`.
 */
export function rrgFacts(result: RrgResult): Fact[] {
  const bench = result.benchmark;
  const rid = `rrg.${symbolId(bench)}.${result.period}`;
  const unitName = result.period === 'weekly' ? 'weeks' : 'sessions';
  const lagName = result.period === 'weekly' ? 'week' : 'session';
  return result.members.flatMap((m) => {
    const latest = m.latest;
    if (!latest || latest.ratio === null || latest.momentum === null) return [];
    const base = {
      unit: 'index' as const,
      inputs: [m.symbol, bench],
      asOf: latest.date,
      window: result.period,
    };
    return [
      {
        ...base,
        id: `${rid}.${symbolId(m.symbol)}.ratio`,
        value: latest.ratio,
        label: `${m.symbol} RS-Ratio vs ${bench}`,
        method: `100 + z-score of close/benchmark over ${result.params.window} ${unitName}`,
      },
      {
        ...base,
        id: `${rid}.${symbolId(m.symbol)}.momentum`,
        value: latest.momentum,
        label: `${m.symbol} RS-Momentum vs ${bench}`,
        method: `100 + z-score of the ${result.params.lag}-${lagName} change of RS-Ratio`,
      },
      // when it entered its current quadrant (none when it has been there since its first point)
      ...(m.quadrantSince && !m.quadrantSinceStart
        ? [
            {
              ...base,
              id: `${rid}.${symbolId(m.symbol)}.quadrant-since`,
              value: m.quadrantSince,
              unit: 'date' as const,
              label: `${lagName} ${m.symbol} entered its current RRG quadrant (${m.quadrant ?? 'none'})`,
              method: `core/rrg: the first ${lagName} of the current run in one quadrant`,
            },
          ]
        : []),
    ];
  });
}

/** The members an RRG places by default: the configured sectors; none configured is an error naming the key. */
function defaultSectors(config: Config, verb: string): readonly string[] {
  const sectors = config.benchmarks.sectors;
  if (sectors.length === 0)
    throw new UsageError(
      `no sectors configured: ${verb} needs symbols or benchmarks.sectors in the config`,
      'name the symbols, or list benchmarks.sectors in rotation.config.json',
    );
  return sectors;
}

/** The RRG of `rotation rrg --format json` and `GET /api/v1/rrg` (default members: the configured sectors). */
export async function runRrg(store: Store, o: RrgOptions) {
  const config = o.config ?? DEFAULT_CONFIG;
  const defaults = RRG_DEFAULTS[o.period];
  const params = { window: o.window ?? defaults.window, lag: o.lag ?? defaults.lag };
  if (params.window < 2) throw new UsageError('--window must be at least 2');
  const explicit = o.symbols.length > 0;
  const wanted = explicit ? o.symbols : defaultSectors(config, 'rotation rrg');
  const asOf = o.asOf;
  const basis = o.basis ?? 'price';
  const bench = await loadSeries(store, o.benchmark ?? config.benchmarks.market, { asOf, basis, config });
  const { series, warnings } = await loadMembers(store, wanted, { asOf, basis, required: explicit, config });
  const result = rrg({
    benchmark: { symbol: bench.symbol, series: bench },
    members: series.map((s) => ({ symbol: s.symbol, series: s })),
    period: o.period,
    params,
    tail: o.tail,
    ...(asOf ? { asOf } : {}),
  });
  const mixed = series.flatMap((s): AnalyticsWarning[] => {
    const mix = basisMix([s, bench]);
    return mix
      ? [{ symbol: s.symbol, code: 'basis-mix', message: `${s.symbol} vs ${bench.symbol}: ${mix}` }]
      : [];
  });
  const allWarnings = [
    ...basisWarnings([bench, ...series]),
    ...mixed,
    ...staleWarnings([bench, ...series], asOf ?? o.due),
    ...warnings,
    ...result.warnings,
  ];
  const closes = closesLabel([bench, ...series]);
  return { params, json: { ...result, basis, closes, warnings: allWarnings, facts: rrgFacts(result) } };
}

/** The regimes of `rotation regime --format json` and `GET /api/v1/regime` (default: SPY QQQ IWM and the sectors). */
export async function runRegime(
  store: Store,
  symbols: readonly string[],
  o: {
    basis?: Basis | undefined;
    asOf?: TradingDate | undefined;
    config?: Config | undefined;
    due?: TradingDate | undefined;
  },
) {
  const config = o.config ?? DEFAULT_CONFIG;
  const basis = o.basis ?? 'price';
  const explicit = symbols.length > 0;
  const b = config.benchmarks;
  const wanted = explicit ? symbols : [...new Set([b.market, b.bigTech, b.smallCaps, ...b.sectors])];
  const loaded = await loadMembers(store, wanted, { asOf: o.asOf, basis, required: explicit, config });
  const warnings = [
    ...basisWarnings(loaded.series),
    ...staleWarnings(loaded.series, o.asOf ?? o.due),
    ...loaded.warnings,
  ];
  const regimes = loaded.series
    .map((s) => regime(s.symbol, s, o.asOf))
    .filter((r): r is Regime => r !== null);
  return { asOf: o.asOf ?? null, basis, regimes, warnings };
}

export type BreadthOptions = {
  universe: string;
  /** False when the universe is the default: a missing default list is a warning, not an error. */
  explicitUniverse: boolean;
  constituents?: string | undefined;
  equal: string;
  /** Default: the configured market benchmark (`benchmarks.market`). */
  cap?: string | undefined;
  /** Default `price`, as every price concept. */
  basis?: Basis | undefined;
  asOf?: TradingDate | undefined;
  config?: Config | undefined;
  /** The session figures are due for when no `asOf` is given (for stale labels). */
  due?: TradingDate | undefined;
};

/** Breadth of `rotation breadth --format json` and `GET /api/v1/breadth`. */
export async function runBreadth(store: Store, o: BreadthOptions) {
  const asOf = o.asOf;
  const basis = o.basis ?? 'price';
  const config = o.config ?? DEFAULT_CONFIG;
  const warnings: AnalyticsWarning[] = [];
  let universe: Universe | null = null;
  try {
    universe = loadUniverse(o.universe, { dir: constituentsDir(o.constituents), asOf });
  } catch (e) {
    if (o.explicitUniverse || !(e instanceof NotFoundError)) throw e;
    warnings.push({
      symbol: 'sp500',
      code: 'no-universe',
      message: `${e.message}; participation and concentration skipped (${e.hint ?? ''})`,
    });
  }
  if (universe?.snapshot && asOf && universe.snapshot > asOf)
    warnings.push({
      symbol: universe.name,
      code: 'later-snapshot',
      message: `membership snapshot ${universe.snapshot} is later than --as-of ${asOf}: today's members, not that date's (survivorship bias)`,
    });
  const equal = await loadSeries(store, o.equal, { asOf, basis, config });
  const cap = await loadSeries(store, o.cap ?? config.benchmarks.market, { asOf, basis, config });
  const rel = relativeReturns(equal, cap, asOf);
  const trend = ratioTrend(equal, cap, asOf);
  // Participation: members that are stored, each through the loading layer.
  const stored: Record<string, { dates: readonly string[]; values: readonly number[] }> = {};
  const missing: string[] = [];
  // One listing instead of a lookup per member: most of a 500-name list is usually not stored.
  const storedBars = new Map(
    (await store.listSymbols())
      .filter((x) => x.table === 'bars')
      .map((x) => [x.symbol.toLowerCase(), x.symbol]),
  );
  for (const sym of universe?.symbols ?? []) {
    const resolved = storedBars.get(sym.toLowerCase());
    if (!resolved) {
      missing.push(sym);
      continue;
    }
    const s = await loadSeriesOrNull(store, resolved, { asOf, basis });
    if (s) stored[resolved] = s;
    else missing.push(sym);
  }
  const mix = basisMix([equal, cap]);
  warnings.unshift(
    ...basisWarnings([equal, cap]),
    ...(mix
      ? [
          {
            symbol: `${equal.symbol},${cap.symbol}`,
            code: 'basis-mix',
            message: `${equal.symbol} vs ${cap.symbol}: ${mix}`,
          },
        ]
      : []),
    ...staleWarnings([equal, cap], asOf ?? o.due),
  );
  const { dates, matrix } = unionMatrix(stored, asOf);
  const p50 = participation(dates, matrix, 50).at(-1) ?? null;
  const p200 = participation(dates, matrix, 200).at(-1) ?? null;
  const conc = universe?.weights ? concentration(universe.weights) : null;
  const listed = universe?.symbols.length ?? 0;
  const available = Object.keys(stored).length;
  if (universe && available < listed)
    warnings.push({
      symbol: universe.name,
      code: 'partial-coverage',
      message: `${universe.name}: prices stored for ${available} of ${listed} members; participation covers only those`,
    });
  // Equal vs cap weight as facts (`breadth.<equal>-<cap>.<window>.relative`): the brief prints these ids.
  const bid = `breadth.${symbolId(equal.symbol)}-${symbolId(cap.symbol)}`;
  const facts: Fact[] = rel.flatMap((w) =>
    w.relative === null || w.from === null || w.to === null
      ? []
      : [
          {
            id: `${bid}.${w.window}.relative`,
            value: w.relative,
            unit: 'fraction' as const,
            label: `${equal.symbol} relative to ${cap.symbol} (equal vs cap weight), ${w.window}`,
            inputs: [equal.symbol, cap.symbol],
            window: w.window,
            basis,
            asOf: w.to as TradingDate,
            method: `(1 + ${equal.symbol} return) / (1 + ${cap.symbol} return) − 1, ${basis} basis, ${w.from} close to ${w.to} close (rotation breadth)`,
          },
        ],
  );
  return {
    asOf: trend.date,
    basis,
    closes: closesLabel([equal, cap]),
    equalVsCap: { equal: equal.symbol, cap: cap.symbol, windows: rel, ratioTrend: trend },
    participation: universe
      ? {
          universe: universe.name,
          file: universe.file,
          snapshot: universe.snapshot,
          listed,
          available,
          missing,
          date: p200?.date ?? p50?.date ?? null,
          above50: p50,
          above200: p200,
        }
      : null,
    concentration: conc
      ? { universe: universe?.name ?? null, snapshot: universe?.snapshot ?? null, ...conc }
      : null,
    warnings,
    facts,
  };
}

/**
 * A sentence's claim: the claim reader first (any common phrasing, dated by `date`); the strict
 * "<A> beat <B> over <window>" reader when the claim reader finds no comparison; a reading the claim reader is
 * unsure of is an error naming what it could not read, never a guess.
 */
export function readClaim(sentence: string, date: TradingDate | null): Claim {
  const readings = readSentence(sentence, date);
  const rel = readings.find((r) => r.kind === 'relative');
  if (rel && rel.kind === 'relative') {
    if (rel.negated)
      throw new UsageError(
        `the claim "${sentence}" says something did not happen`,
        'check the positive claim; the article check (--file) handles negations',
      );
    const p = rel.precedent;
    return {
      a: rel.a.symbol,
      b: rel.b.symbol,
      aText: rel.a.text,
      bText: rel.b.text,
      window: rel.window.window,
      year: rel.window.year,
      firstSince:
        p?.kind === 'first-since' ? p.year : p?.kind === 'first-in' ? rel.window.year - p.years : null,
    };
  }
  const unsure = readings.find((r) => r.kind === 'unsure');
  try {
    return parseClaim(sentence);
  } catch (e) {
    if (unsure && unsure.kind === 'unsure' && e instanceof UsageError)
      throw new UsageError(`cannot check "${sentence}": ${unsure.why}`, e.hint);
    throw e;
  }
}
