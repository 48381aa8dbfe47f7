import type { TradingDate } from '../shared/brand.js';
import { NotFoundError } from '../shared/errors.js';
import { DEFAULT_BAR_CHECK_OPTIONS } from '../core/quality/bar-options.js';
import { checkBars, type BarsReport } from '../core/quality/check-bars.js';
import { checkObservations, type ObservationsReport } from '../core/quality/check-observations.js';
import { worst, type Finding, type Severity } from '../core/quality/findings.js';
import { releaseListsEnding, type ReleaseListEnd } from '../core/why/macro-calendar.js';
import type { DuplicateBar } from './store/market-store.js';
import type { Store } from './store/store.js';

/** The data doctor: loads each symbol from the store and runs the pure checks of core/quality. */

export type DoctorOptions = {
  asOf: TradingDate;
  /** Symbols as typed by the user (case-insensitive); all stored symbols when empty or absent. */
  symbols?: readonly string[];
  jumpThreshold?: number;
  staleSessions?: number;
  adjRatioThreshold?: number;
};

export type SymbolReport = BarsReport | ObservationsReport;

export type DoctorReport = {
  asOf: TradingDate;
  settings: { jumpThreshold: number; staleSessions: number; adjRatioThreshold: number };
  severity: Severity;
  symbols: SymbolReport[];
  /**
   * The project's release lists (FOMC, CPI, jobs report) that end within 30 days of the as-of date or already
   * ended (a brief cannot name the next release past a list's end); checked when no symbol is named.
   */
  calendars: ReleaseListEnd[];
  /**
   * Every (symbol, date) the store's `bars` holds more than once, over the whole store (checked always: one
   * aggregate query); the store's writers keep the pair unique, so any is an error.
   */
  duplicates: DuplicateBar[];
  /** Every finding of every symbol, in symbol order, then the store's duplicate bars, then the release lists. */
  findings: Finding[];
};

/** A release list ending soon as a doctor finding: what ends when, and where the next dates come from. */
function calendarFinding(l: ReleaseListEnd): Finding {
  const when =
    l.daysLeft >= 0
      ? `${l.daysLeft} day(s) after the as-of date`
      : `${-l.daysLeft} day(s) before the as-of date`;
  return {
    symbol: `calendar:${l.kind}`,
    check: 'release-calendar',
    severity: 'warn',
    date: l.through as TradingDate,
    detail:
      `the ${l.name} dates kept in the project end on ${l.through} (${when}): past it the brief cannot name ` +
      `the next one; add the next dates from ${l.source} (${l.url}) to src/core/why/known-at.ts or macro-calendar.ts`,
  };
}

/** A (symbol, date) stored twice as a doctor finding: what is doubled, from where, and how to repair it. */
function duplicateFinding(d: DuplicateBar): Finding {
  return {
    symbol: d.symbol,
    check: 'duplicates',
    severity: 'error',
    date: d.date as TradingDate,
    detail:
      `the store holds ${d.rows} bars of ${d.symbol} on ${d.date} (source${d.sources.length > 1 ? 's' : ''} ` +
      `${d.sources.join(', ')}): every read of that day counts it ${d.rows} times; the importers never write ` +
      `a second row, so something wrote around them. Fix: rebuild the store from its files ` +
      `(\`rotation --db fresh.duckdb import FILE…\` with the files that hold ${d.symbol}, then use fresh.duckdb)`,
  };
}

/** Checks the named symbols (NotFoundError for an unknown one), or every stored symbol. */
export async function runDoctor(store: Store, options: DoctorOptions): Promise<DoctorReport> {
  const settings = {
    jumpThreshold: options.jumpThreshold ?? DEFAULT_BAR_CHECK_OPTIONS.jumpThreshold,
    staleSessions: options.staleSessions ?? DEFAULT_BAR_CHECK_OPTIONS.staleSessions,
    adjRatioThreshold: options.adjRatioThreshold ?? DEFAULT_BAR_CHECK_OPTIONS.adjRatioThreshold,
  };
  const targets: { symbol: string; table: 'bars' | 'observations' | null }[] = [];
  if (options.symbols && options.symbols.length > 0) {
    for (const text of options.symbols) {
      const symbol = await store.resolveSymbol(text);
      if (!symbol)
        throw new NotFoundError(
          `unknown symbol "${text}"`,
          'list what is stored with `rotation symbols`; add data with `rotation import` or `rotation sync`',
        );
      if (!targets.some((t) => t.symbol === symbol)) targets.push({ symbol, table: null });
    }
  } else {
    for (const s of await store.listSymbols()) targets.push({ symbol: s.symbol, table: s.table });
  }

  const reports: SymbolReport[] = [];
  for (const t of targets) {
    if (t.table !== 'observations') {
      const bars = await store.loadBars(t.symbol);
      if (bars.length > 0 || t.table === 'bars') {
        const actions = await store.loadCorporateActions(t.symbol);
        reports.push(checkBars(t.symbol, bars, { asOf: options.asOf, ...settings, actions }));
        continue;
      }
    }
    const obs = await store.loadObservations(t.symbol, { asOf: options.asOf });
    // A symbol known only as an instrument (no rows anywhere) is reported as a price series with no bars.
    reports.push(
      obs.length > 0 || t.table === 'observations'
        ? checkObservations(t.symbol, obs, { asOf: options.asOf })
        : checkBars(t.symbol, [], { asOf: options.asOf, ...settings }),
    );
  }
  const calendars = options.symbols && options.symbols.length > 0 ? [] : releaseListsEnding(options.asOf);
  const calendarFindings = calendars.map(calendarFinding);
  const duplicates = await store.duplicateBars();
  const duplicateFindings = duplicates.map(duplicateFinding);
  return {
    asOf: options.asOf,
    settings,
    severity: worst([
      ...reports.map((r) => r.severity),
      ...duplicateFindings.map((f) => f.severity),
      ...calendarFindings.map((f) => f.severity),
    ]),
    symbols: reports,
    calendars,
    duplicates,
    findings: [...reports.flatMap((r) => r.findings), ...duplicateFindings, ...calendarFindings],
  };
}
