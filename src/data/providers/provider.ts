import type { TradingDate } from '../../shared/brand.js';
import type { Bar, CorporateAction, InstrumentKind, Observation } from '../../shared/domain.js';
import { isSession, CALENDAR_RANGE } from '../../core/calendar/calendar.js';
import { dayOfWeek } from '../../shared/dates.js';

/** A bar a provider sent that was not stored, and why. */
/** `cut-short`: the body ended without a line break, so its last row may have been cut at a field boundary. */
export type SkippedBar = {
  date: string | null;
  reason: 'missing-values' | 'not-a-session' | 'duplicate' | 'cut-short';
};

/** What a price provider returns for one symbol and date range, already mapped to domain rows. */
export type PriceHistory = {
  bars: Bar[];
  /** Splits and dividends inside the range (empty when the provider does not report them). */
  actions: CorporateAction[];
  skipped: SkippedBar[];
  /** The symbol the response says it is for, when it says (Yahoo's meta.symbol); checked against the request. */
  respondedSymbol?: string | null;
  /** The bar interval the response says it holds (Yahoo's meta.dataGranularity), when it says. */
  interval?: string | null;
  /** What the provider says about the instrument, when it says anything. */
  instrument: {
    kind: InstrumentKind | null;
    name: string | null;
    currency: string | null;
    exchange: string | null;
  };
};

/** A source of daily bars (Yahoo, Stooq). Throws ProviderError; never returns partial garbage. */
export interface PriceProvider {
  readonly name: 'yahoo' | 'stooq';
  readonly origin: string;
  fetchDaily(symbol: string, range: { from: TradingDate; to: TradingDate }): Promise<PriceHistory>;
}

/** A source of observations (FRED). */
export interface ObservationProvider {
  readonly name: 'fred';
  readonly origin: string;
  fetchSeries(series: string): Promise<Observation[]>;
}

/**
 * True when NYSE traded on `date`. Inside the calendar's range (1980–2030) the NYSE calendar decides; outside
 * it, any weekday is accepted (the provider is the only witness).
 */
export function isTradingDay(date: string): boolean {
  if (date >= CALENDAR_RANGE.first && date <= CALENDAR_RANGE.last) return isSession(date);
  const d = dayOfWeek(date);
  return d !== 0 && d !== 6;
}

/**
 * Keeps the bars dated on sessions, in date order (a stable sort: repeated dates stay in the order sent), and
 * records what was dropped. Repeated dates are kept: the row checks drop exact repeats and refuse a date sent
 * twice with different values (sync lets the last copy of today's live bar win, see syncAll).
 */
export function keepSessionBars(bars: readonly Bar[], skipped: SkippedBar[]): Bar[] {
  const kept: Bar[] = [];
  for (const b of bars) {
    // An implausible date (a five-digit year from a bad offset) is left for the row checks to refuse.
    if (/^\d{4}-\d{2}-\d{2}$/.test(b.date) && !isTradingDay(b.date)) {
      skipped.push({ date: b.date, reason: 'not-a-session' });
      continue;
    }
    kept.push(b);
  }
  return kept.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}
