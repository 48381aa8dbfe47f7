/** `rotation race`: one race or one per year, through data/load and core/race. */
import type { TradingDate } from '../../shared/brand.js';
import { NotFoundError } from '../../shared/errors.js';
import { race, raceByYear, raceFacts, type Race, type RaceYear } from '../../core/race.js';
import { type Fact } from '../../core/fact.js';
import type { Basis } from '../../core/series/types.js';
import { formatWindow, type Window } from '../../core/window.js';
import type { Store } from '../store/store.js';
import {
  type AnalyticsWarning,
  type Provenance,
  type RunOptions,
  aligned,
  basisMix,
  legBasisNotes,
  provenance,
  spanBasisNote,
  staleWarnings,
} from './common.js';

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
  /**
   * Set when a leg's closes change basis inside the window (spanBasisNote: "IWM: dividend-adjusted closes to
   * 2026-07-31, price closes (no dividends) after"); with `years`, one clause per year that does.
   */
  spanMix: string | null;
  /**
   * Each leg's basis note over the race's own window (legBasisNotes: a leg whose closes mix bases gets the note of
   * the basis its window lies in, not the whole series'); with `years`, one note when every year says the same,
   * else each year's: "2025 (IWM: …; QQQ: …); 2026 (…)". Null: nothing to say.
   */
  legNotes: string | null;
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
    spanMix: run.spanMix,
    legNotes: run.legNotes,
    stale: run.stale,
  };
}

export function yearsLabel(years: readonly number[]): string {
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
      spanMix:
        rows
          .flatMap((x) => {
            const note = x.race ? spanBasisNote(data.series, x.race.baseDate, x.race.endDate) : null;
            return note ? [`${x.year}: ${note}`] : [];
          })
          .join('; ') || null,
      legNotes: yearNotes(
        rows.map((x) => ({
          year: x.year,
          note: x.race ? legBasisNotes(data.series, { from: x.race.baseDate, to: x.race.endDate }) : null,
        })),
      ),
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
    spanMix: r ? spanBasisNote(data.series, r.baseDate, r.endDate) : null,
    legNotes: legBasisNotes(data.series, r ? { from: r.baseDate, to: r.endDate } : null),
    stale: staleWarnings(data.series, opts.asOf ?? opts.due),
  };
}

/** The years' leg notes: one note when every year says the same, else each year's, "2025 (…); 2026 (…)". */
function yearNotes(rows: readonly { year: number; note: string | null }[]): string | null {
  const said = rows.filter((r): r is { year: number; note: string } => r.note !== null);
  const distinct = new Set(said.map((r) => r.note));
  if (distinct.size === 0) return null;
  if (distinct.size === 1 && said.length === rows.length) return said[0]!.note;
  return said.map((r) => `${r.year} (${r.note})`).join('; ');
}
