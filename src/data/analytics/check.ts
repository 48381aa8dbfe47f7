/** `rotation check`: a claim read from a sentence, checked under every definition. */
import type { TradingDate } from '../../shared/brand.js';
import { UsageError } from '../../shared/errors.js';
import { readSentence } from '../../core/claims/read.js';
import {
  claimDefinitions,
  parseClaim,
  definitionsVerdict,
  evaluateClaim,
  shownOf,
  type Claim,
  type ClaimEvaluation,
  type Definition,
} from '../../core/claim.js';
import { beatsPrecedents, type Precedents } from '../../core/precedents.js';
import type { Basis } from '../../core/series/types.js';
import { formatWindow } from '../../core/window.js';
import { alignSeries } from '../../core/series/align.js';
import { loadSeriesOrNull, type LoadedSeries } from '../load.js';
import type { Store } from '../store/store.js';
import { dataStaleness, type DataStaleness } from '../latest.js';
import {
  type Provenance,
  type RunOptions,
  basisMix,
  closesOf,
  legBasisNotes,
  provenance,
  spanBasisNote,
} from './common.js';

export type CheckRow = Definition & {
  windowText: string;
  evaluation: ClaimEvaluation;
  /** Fields used per leg (adj_close, close, basket) and notes, when data were found. */
  provenance: Provenance;
  /** Set when the definition compares a price series with dividend-adjusted closes (basisMix). */
  mix: string | null;
  /** What the closes of each leg are when the row's basis label alone would mislead (LoadedSeries.note), else null. */
  basisNote: string | null;
  /** Set when a leg's closes change basis inside the claimed year's window (spanBasisNote). */
  spanMix: string | null;
};

export type CheckRun = {
  claim: Claim;
  year: number;
  asOf: TradingDate | null;
  rows: CheckRow[];
  holds: number;
  fails: number;
  noData: number;
  /** Total-return definitions left out because their values equal their price twins' (see `sameAsPriceWhy`). */
  sameAsPrice: number;
  /** Why the folded total-return definitions equal their price twins, from the legs' declared basis; null if none. */
  sameAsPriceWhy: string | null;
  verdict: string;
  /**
   * Without an as-of: the data end before the last completed NYSE session (`RunOptions.due`), with both dates
   * (data/latest.ts, the brief's rule); null when fresh, when `asOf` is given, or when the edge passed no `due`.
   */
  stale: DataStaleness | null;
  /**
   * Set when no definition could be measured and none is still running: not a verdict. Each edge maps it the
   * same way (CLI exit 1, HTTP 422 problem JSON), naming the missing data.
   */
  unanswerable: { missing: string[]; message: string; hint: string | undefined } | null;
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
    spanMix: string | null;
    legNotes: string | null;
  };
  const pending: Pending[] = [];
  let asOf: TradingDate | null = null;
  let sameAsPrice = 0;
  // What the folded legs' closes are (declared at import): adjusted closes make price and total one series.
  const foldedCloses = new Set<string>();
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
        for (const x of [pa, pb]) foldedCloses.add(closesOf(x) ?? 'undeclared');
        continue;
      }
    }
    if (!sa || !sb) {
      const missing = [!sa ? d.a : null, !sb ? d.b : null].filter(Boolean).join(', ');
      pending.push({ d, windowText, missing, p: null, prov: [], mix: null, spanMix: null, legNotes: null });
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
    // The claimed year's window (the as-of year without one): where a change of basis would bend the spread.
    const yearOf = claim.year ?? Number((opts.asOf ?? last ?? '0000').slice(0, 4));
    const span = p.periods.find((x) => x.year === yearOf);
    pending.push({
      d,
      windowText,
      missing: null,
      p,
      prov: provenance([sa, sb]),
      mix: basisMix([sa, sb]),
      spanMix: span ? spanBasisNote([sa, sb], span.baseDate, span.endDate) : null,
      legNotes: legBasisNotes([sa, sb], span ? { from: span.baseDate, to: span.endDate } : null),
    });
  }
  // The claimed year; without one, the as-of year (the requested date, else the latest data).
  const year = claim.year ?? Number((opts.asOf ?? asOf ?? '0000').slice(0, 4));
  const rows: CheckRow[] = pending.map(({ d, windowText, missing, p, prov, mix, spanMix, legNotes }) => ({
    ...d,
    windowText,
    provenance: prov,
    mix,
    spanMix,
    basisNote: legNotes,
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
  const sameAsPriceWhy = sameAsPrice ? foldedWhy(sameAsPrice, foldedCloses) : null;
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
          (sameAsPriceWhy ? ` (${sameAsPriceWhy})` : '');
  const stale = opts.asOf ? null : dataStaleness(asOf, opts.due);
  const allMissing = rows.every((r) => r.evaluation.status === 'no data');
  const unanswerable = allMissing
    ? {
        missing: [...new Set(pending.flatMap((x) => (x.missing ? x.missing.split(', ') : [])))],
        message: `cannot check "${claim.aText} beat ${claim.bText}": no definition has data (${rows[0]?.evaluation.reason ?? 'nothing stored'})`,
        hint: rows.every((r) => r.evaluation.reason.endsWith('not in the store'))
          ? 'import or sync the symbols first (rotation import DIR, rotation sync)'
          : undefined,
      }
    : null;
  return {
    claim,
    year,
    asOf,
    rows,
    holds: holds.length,
    fails,
    noData,
    sameAsPrice,
    sameAsPriceWhy,
    verdict: stale ? `${verdict} (${stale.message})` : verdict,
    stale,
    unanswerable,
  };
}

/**
 * Why `n` total-return definitions were folded into their price twins, in words true to the legs' declared basis:
 * closes declared dividend-adjusted are already the total-return series (the price rows then include dividends);
 * otherwise no adjusted closes are stored and both rows are price returns.
 */
function foldedWhy(n: number, closes: ReadonlySet<string>): string {
  const head = `${n} total-return definition${n > 1 ? 's' : ''} equal${n > 1 ? '' : 's'} ${n > 1 ? 'their' : 'its'} price twin${n > 1 ? 's' : ''}`;
  if (closes.has('adjusted') && closes.size === 1)
    return `${head}: the stored closes are dividend-adjusted (declared at import), so the price rows are total return`;
  if (closes.has('adjusted') || closes.has('mixed'))
    return `${head}: no adjusted-close column is stored and the closes are as declared at import (dividend-adjusted on some legs, not on others: see each row's basis note)`;
  return `${head}: no adjusted closes stored, so both are price returns`;
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
