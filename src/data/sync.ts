import type { TradingDate } from '../shared/brand.js';
import type { CorporateAction, InstrumentKind, WriteCounts } from '../shared/domain.js';
import { ProviderError } from './providers/http.js';
import type { ObservationProvider, PriceHistory, PriceProvider } from './providers/provider.js';
import type { Store } from './store/store.js';

/**
 * `rotation sync`: brings stored bars and observations up to date from the providers, symbol by symbol.
 *
 * - Incremental: for a symbol with stored bars, fetch from the `overlapSessions`-th last stored bar to today,
 *   so late revisions in the last sessions are caught; without stored bars, the full history from `defaultFrom`.
 * - Overlap: Yahoo rows replace rows of any source (a file import, Stooq) inside the fetched window; outside it
 *   nothing is touched. Stooq never replaces rows of another source (it only extends the series).
 * - Corporate actions: when the window brings a split or dividend that is not stored yet, the whole history of
 *   the symbol is refetched from Yahoo (its adjusted closes, and for a split its closes, change all the way
 *   back) and written over every stored row of that symbol, whatever its source.
 * - A symbol is written in one transaction, only after its response parsed and validated, so a bad response
 *   never leaves half-written data.
 */

export type SyncStatus = 'updated' | 'unchanged' | 'failed';

export type SyncOutcome = {
  symbol: string;
  kind: 'bars' | 'observations';
  status: SyncStatus;
  provider: string | null;
  counts: WriteCounts;
  /** The dates asked for and the dates received. */
  from: string | null;
  to: string | null;
  firstDate: string | null;
  lastDate: string | null;
  /** New splits/dividends stored. */
  newActions: number;
  /** True when a new corporate action triggered a full-history refetch. */
  refetched: boolean;
  /** Bars the provider sent that were not stored (holiday dates, null rows). */
  skipped: number;
  /** Why it failed, or notes (skipped bars, a provider that failed before the fallback worked). */
  message: string | null;
};

export type SyncPlan = {
  symbols: readonly string[];
  series: readonly string[];
  price: readonly PriceProvider[];
  fred: ObservationProvider | null;
  today: TradingDate;
  /** First date for a symbol with nothing stored. */
  defaultFrom: TradingDate;
  overlapSessions: number;
  /** Providers known to be unreachable (from a probe): skipped with this reason. */
  unreachable?: ReadonlyMap<string, string>;
  onProgress?: (item: string) => void;
};

const ZERO: WriteCounts = { added: 0, updated: 0, unchanged: 0 };

export async function syncAll(store: Store, plan: SyncPlan): Promise<SyncOutcome[]> {
  const out: SyncOutcome[] = [];
  // A provider whose host stops answering mid-run is skipped for the remaining symbols (no timeout per symbol).
  const down = new Map(plan.unreachable ?? []);
  for (const symbol of plan.symbols) {
    out.push(await syncSymbol(store, symbol, plan, down));
    plan.onProgress?.(symbol);
  }
  for (const series of plan.series) {
    out.push(await syncSeries(store, series, plan));
    plan.onProgress?.(series);
  }
  return out;
}

function failure(
  symbol: string,
  kind: SyncOutcome['kind'],
  from: string | null,
  message: string,
): SyncOutcome {
  return {
    symbol,
    kind,
    status: 'failed',
    provider: null,
    counts: ZERO,
    from,
    to: null,
    firstDate: null,
    lastDate: null,
    newActions: 0,
    refetched: false,
    skipped: 0,
    message,
  };
}

const reasonOf = (e: unknown) =>
  e instanceof ProviderError ? e.message : e instanceof Error ? e.message : String(e);

/** Dates that a stored action and a fetched one share, with the same value, are not new. */
function isNewAction(a: CorporateAction, stored: readonly CorporateAction[]): boolean {
  const value = a.kind === 'split' ? a.ratio : a.amount;
  return !stored.some(
    (s) =>
      s.kind === a.kind &&
      s.date === a.date &&
      Math.abs((s.kind === 'split' ? s.ratio : s.amount) - value) <= 1e-9 * Math.abs(value),
  );
}

async function syncSymbol(
  store: Store,
  typed: string,
  plan: SyncPlan,
  unreachable: Map<string, string>,
): Promise<SyncOutcome> {
  const started = new Date();
  const symbol = (await store.resolveSymbol(typed)) ?? typed;
  const [span] = await store.query<{ first: string | null; last: string | null; n: number }>(
    'SELECT min(date)::VARCHAR AS first, max(date)::VARCHAR AS last, count(*) AS n FROM bars WHERE symbol = ?',
    [symbol],
  );
  const storedFirst = span?.first ?? null;
  let from = plan.defaultFrom;
  if (span && span.n > 0) {
    const [row] = await store.query<{ d: string }>(
      'SELECT date::VARCHAR AS d FROM bars WHERE symbol = ? ORDER BY date DESC LIMIT 1 OFFSET ?',
      [symbol, Math.min(plan.overlapSessions, span.n) - 1],
    );
    from = (row?.d ?? span.last ?? plan.defaultFrom) as TradingDate;
  }
  const to = plan.today;
  if (from > to) return failure(symbol, 'bars', from, `nothing to fetch: ${from} is after today ${to}`);

  // Try each provider in order; the first that answers with bars wins.
  const errors: string[] = [];
  let got: { provider: PriceProvider; history: PriceHistory } | null = null;
  for (const provider of plan.price) {
    const down = unreachable.get(provider.name);
    if (down) {
      errors.push(`${provider.name}: ${down}`);
      continue;
    }
    try {
      const history = await provider.fetchDaily(symbol, { from, to });
      if (history.bars.length === 0 && !(span && span.n > 0)) {
        errors.push(`${provider.name}: no bars for ${symbol} from ${from} to ${to}`);
        continue;
      }
      got = { provider, history };
      break;
    } catch (e) {
      errors.push(`${provider.name}: ${reasonOf(e)}`);
      if (e instanceof ProviderError && (e.reason === 'network' || e.reason === 'timeout'))
        unreachable.set(provider.name, reasonOf(e));
    }
  }
  if (!got) {
    const f = failure(symbol, 'bars', from, errors.join('; ') || 'no price provider configured');
    await log(store, symbol, f, started);
    return f;
  }

  const provider = got.provider;
  let history = got.history;
  const storedActions = await store.loadCorporateActions(symbol);
  const fresh = history.actions.filter((a) => isNewAction(a, storedActions));
  let refetched = false;
  // A new split or dividend changes adjusted history before the window: refetch it all from the same provider.
  if (fresh.length > 0 && storedFirst !== null && storedFirst < from) {
    try {
      // The stored span is what must be made consistent; earlier history is not fetched unasked.
      history = await provider.fetchDaily(symbol, { from: storedFirst as TradingDate, to });
      refetched = true;
    } catch (e) {
      const f = failure(
        symbol,
        'bars',
        from,
        `${provider.name}: a new ${fresh[0]?.kind} on ${fresh[0]?.date} needs the full history, which failed: ${reasonOf(e)}`,
      );
      await log(store, symbol, f, started);
      return f;
    }
  }

  const notes: string[] = [];
  if (errors.length > 0) notes.push(`fell back to ${provider.name} (${errors.join('; ')})`);
  if (history.skipped.length > 0) {
    const bad = history.skipped.filter((s) => s.reason === 'not-a-session');
    const nulls = history.skipped.filter((s) => s.reason === 'missing-values');
    if (bad.length > 0)
      notes.push(
        `skipped ${bad.length} bar(s) dated on non-session days (${bad
          .slice(0, 3)
          .map((s) => s.date)
          .join(', ')})`,
      );
    if (nulls.length > 0) notes.push(`skipped ${nulls.length} bar(s) with missing values`);
  }

  const bars = history.bars;
  const counts = await store.transaction(async () => {
    const c = await store.upsertBars(symbol, bars, provider.name, {
      replaceOtherSources: provider.name === 'yahoo',
    });
    const a = await store.upsertCorporateActions(history.actions);
    const known = await store.getInstrument(symbol);
    const kind: InstrumentKind | null = history.instrument.kind ?? (symbol.startsWith('^') ? 'index' : null);
    if (!known && kind) {
      await store.upsertInstrument({
        symbol,
        name: history.instrument.name,
        kind,
        sector: null,
        currency: history.instrument.currency ?? 'USD',
        exchange: history.instrument.exchange,
      });
    }
    return { bars: c, actions: a };
  });
  const newActions = counts.actions.added + counts.actions.updated;
  const changed = counts.bars.added + counts.bars.updated + newActions > 0;
  const outcome: SyncOutcome = {
    symbol,
    kind: 'bars',
    status: changed ? 'updated' : 'unchanged',
    provider: provider.name,
    counts: { added: counts.bars.added, updated: counts.bars.updated, unchanged: counts.bars.unchanged },
    from,
    to,
    firstDate: bars[0]?.date ?? null,
    lastDate: bars[bars.length - 1]?.date ?? null,
    newActions,
    refetched,
    skipped: history.skipped.length,
    message: notes.length > 0 ? notes.join('; ') : null,
  };
  if (refetched)
    outcome.message = [`new ${fresh[0]?.kind} on ${fresh[0]?.date}: refetched full history`, outcome.message]
      .filter(Boolean)
      .join('; ');
  await log(store, symbol, outcome, started);
  return outcome;
}

async function syncSeries(store: Store, series: string, plan: SyncPlan): Promise<SyncOutcome> {
  const started = new Date();
  const fred = plan.fred;
  if (!fred) return failure(series, 'observations', null, 'no FRED provider configured');
  const down = plan.unreachable?.get('fred');
  if (down) {
    const f = failure(series, 'observations', null, `fred: ${down}`);
    await log(store, series, f, started);
    return f;
  }
  try {
    const obs = await fred.fetchSeries(series);
    if (obs.length === 0) throw new ProviderError('fred', 'no-data', `${series}: no observations`);
    // Keyless CSV rows carry no vintage (as_of = period): their known-at comes from the release rules; API rows carry
    // their realtime_start as known-at.
    const counts = await store.upsertObservations(obs, { vintage: 'none' });
    const periods = obs.map((o) => o.period).sort();
    const outcome: SyncOutcome = {
      symbol: series,
      kind: 'observations',
      status: counts.added + counts.updated > 0 ? 'updated' : 'unchanged',
      provider: 'fred',
      counts,
      from: null,
      to: null,
      firstDate: periods[0] ?? null,
      lastDate: periods[periods.length - 1] ?? null,
      newActions: 0,
      refetched: false,
      skipped: 0,
      message: null,
    };
    await log(store, series, outcome, started);
    return outcome;
  } catch (e) {
    const f = failure(series, 'observations', null, `fred: ${reasonOf(e)}`);
    await log(store, series, f, started);
    return f;
  }
}

/** Logs updates and failures; an unchanged symbol writes nothing at all (a repeated sync leaves the store as is). */
async function log(store: Store, symbol: string, o: SyncOutcome, started: Date): Promise<void> {
  if (o.status === 'unchanged') return;
  await store.logImport({
    kind: 'sync',
    target: o.provider ?? 'none',
    symbol,
    status: o.status === 'updated' ? 'ok' : 'failed',
    counts: o.counts,
    firstDate: o.firstDate,
    lastDate: o.lastDate,
    message: o.message,
    startedAt: started,
    finishedAt: new Date(),
  });
}
