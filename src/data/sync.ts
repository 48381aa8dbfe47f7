import type { TradingDate } from '../shared/brand.js';
import type { Bar, CorporateAction, InstrumentKind, WriteCounts } from '../shared/domain.js';
import { ProviderError } from './providers/http.js';
import type { ObservationProvider, PriceHistory, PriceProvider } from './providers/provider.js';
import type { Store } from './store/store.js';
import { stageBarsFromMemory, stagedBarBatch, validateStagedBars } from './ingest/bars.js';
import { withIngestEngine, type IngestEngine } from './ingest/engine.js';
import { finishObservations, stageObservationsFromMemory } from './ingest/observations.js';
import { InputError } from '../shared/errors.js';
import { parseIsoDate } from '../shared/dates.js';
import { normalizeTicker } from '../shared/identifiers.js';
import type { SyncReason } from '../shared/reasons.js';

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
 * - A symbol is written in one transaction, only after its response parsed and passed the row checks a file
 *   import applies (ingest/bars.ts, ingest/observations.ts: dates, positive finite prices, high >= low, volume,
 *   duplicates), and after it was checked against the request (symbol, daily interval, every bar inside the
 *   requested window), so a bad response never leaves half-written data and never touches rows outside the
 *   window.
 */

export type SyncStatus = 'updated' | 'unchanged' | 'failed';

export type SyncOutcome = {
  symbol: string;
  kind: 'bars' | 'observations';
  status: SyncStatus;
  /** Why the status is what it is, as a code (src/shared/reasons.ts); the CLI's words are in src/cli/reasons.ts. */
  reason: SyncReason;
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
  // Responses are staged and checked in the ingest engine; only checked rows reach the store.
  return withIngestEngine(async (engine) => {
    for (const symbol of plan.symbols) {
      out.push(await syncSymbol(store, engine, symbol, plan, down));
      plan.onProgress?.(symbol);
    }
    for (const series of plan.series) {
      out.push(await syncSeries(store, engine, series, plan));
      plan.onProgress?.(series);
    }
    return out;
  });
}

function failure(
  symbol: string,
  kind: SyncOutcome['kind'],
  from: string | null,
  message: string,
  reason: Exclude<SyncReason, 'updated' | 'unchanged'>,
): SyncOutcome {
  return {
    symbol,
    kind,
    status: 'failed',
    reason,
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

/** The reason code of a provider's failure (ProviderError.reason) for a sync outcome. */
export function providerReason(e: unknown): 'unreachable' | 'rate-limited' | 'provider-error' {
  if (!(e instanceof ProviderError)) return 'provider-error';
  switch (e.reason) {
    case 'network':
    case 'timeout':
      return 'unreachable';
    case 'rate-limited':
      return 'rate-limited';
    case 'not-found':
    case 'http':
    case 'schema-mismatch':
    case 'no-data':
      return 'provider-error';
  }
}

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
  engine: IngestEngine,
  typed: string,
  plan: SyncPlan,
  unreachable: Map<string, string>,
): Promise<SyncOutcome> {
  const started = new Date();
  const symbol = (await store.resolveSymbol(typed)) ?? typed;
  const span = await store.barSpan(symbol);
  const storedFirst = span.first;
  let from = plan.defaultFrom;
  if (span.n > 0) {
    const d = await store.barDateFromEnd(symbol, Math.min(plan.overlapSessions, span.n) - 1);
    from = (d ?? span.last ?? plan.defaultFrom) as TradingDate;
  }
  const to = plan.today;
  if (from > to)
    return failure(
      symbol,
      'bars',
      from,
      `nothing to fetch: ${from} is after today ${to}`,
      'nothing-to-fetch',
    );

  // Try each provider in order; the first that answers with bars wins. The outcome's reason is the last one's.
  const errors: string[] = [];
  let lastReason: 'unreachable' | 'rate-limited' | 'provider-error' | 'no-provider' = 'no-provider';
  let got: { provider: PriceProvider; history: PriceHistory } | null = null;
  for (const provider of plan.price) {
    const down = unreachable.get(provider.name);
    if (down) {
      errors.push(`${provider.name}: ${down}`);
      lastReason = 'unreachable';
      continue;
    }
    try {
      const history = await provider.fetchDaily(symbol, { from, to });
      if (history.bars.length === 0 && !(span && span.n > 0)) {
        errors.push(`${provider.name}: no bars for ${symbol} from ${from} to ${to}`);
        lastReason = 'provider-error';
        continue;
      }
      got = { provider, history };
      break;
    } catch (e) {
      errors.push(`${provider.name}: ${reasonOf(e)}`);
      lastReason = providerReason(e);
      if (e instanceof ProviderError && (e.reason === 'network' || e.reason === 'timeout'))
        unreachable.set(provider.name, reasonOf(e));
    }
  }
  if (!got) {
    const f = failure(symbol, 'bars', from, errors.join('; ') || 'no price provider configured', lastReason);
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
        'refetch-failed',
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
    for (const c of history.skipped.filter((s) => s.reason === 'cut-short'))
      notes.push(
        `skipped the last row (${c.date ?? '?'}): the response ends without a line break, it may be cut short`,
      );
  }

  const window = { from: refetched ? (storedFirst as string) : from, to };
  const mismatch = responseMismatch(symbol, history, plan.today);
  if (mismatch) {
    const f = failure(
      symbol,
      'bars',
      from,
      `${provider.name}: ${mismatch}; nothing was written`,
      'response-mismatch',
    );
    await log(store, symbol, f, started);
    return f;
  }
  const { bars, note: liveNote } = lastLiveBarWins(history.bars, plan.today);
  if (liveNote) notes.push(liveNote);
  let counts: { bars: WriteCounts; actions: WriteCounts };
  try {
    await stageBarsFromMemory(engine, 'sync_bars', symbol, bars);
    const warnings = await validateStagedBars(engine, 'sync_bars', {
      checkSymbols: false,
      today: plan.today,
      window,
      locate: (rn) => ({ where: `bar ${bars[rn]?.date ?? rn + 1}` }),
    });
    notes.push(...warnings);
    const batch = await stagedBarBatch(engine, 'sync_bars');
    await engine.exec('DROP TABLE sync_bars');
    counts = await store.transaction(async (tx) => {
      const c = await tx.mergeBars(batch, provider.name, {
        replaceOtherSources: provider.name === 'yahoo',
      });
      const a = await tx.upsertCorporateActions(history.actions);
      const known = await tx.getInstrument(symbol);
      const kind: InstrumentKind | null =
        history.instrument.kind ?? (symbol.startsWith('^') ? 'index' : null);
      if (!known && kind) {
        await tx.upsertInstrument({
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
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    await engine.exec('DROP TABLE IF EXISTS sync_bars');
    const f = failure(
      symbol,
      'bars',
      from,
      `${provider.name}: ${e.describe()}; nothing was written`,
      'rows-refused',
    );
    await log(store, symbol, f, started);
    return f;
  }
  const newActions = counts.actions.added + counts.actions.updated;
  const changed = counts.bars.added + counts.bars.updated + newActions > 0;
  const outcome: SyncOutcome = {
    symbol,
    kind: 'bars',
    status: changed ? 'updated' : 'unchanged',
    reason: changed ? 'updated' : 'unchanged',
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

async function syncSeries(
  store: Store,
  engine: IngestEngine,
  series: string,
  plan: SyncPlan,
): Promise<SyncOutcome> {
  const started = new Date();
  const fred = plan.fred;
  if (!fred) return failure(series, 'observations', null, 'no FRED provider configured', 'no-provider');
  const down = plan.unreachable?.get('fred');
  if (down) {
    const f = failure(series, 'observations', null, `fred: ${down}`, 'unreachable');
    await log(store, series, f, started);
    return f;
  }
  try {
    const obs = await fred.fetchSeries(series);
    if (obs.length === 0) throw new ProviderError('fred', 'no-data', `${series}: no observations`);
    const badVintage = obs.find((o) => o.asOf !== o.period && !parseIsoDate(o.asOf));
    if (badVintage)
      throw new ProviderError(
        'fred',
        'schema-mismatch',
        `${series}: observation ${badVintage.period} has vintage "${badVintage.asOf}", not a date`,
      );
    const other = obs.find((o) => o.series !== series);
    if (other) {
      const f = failure(
        series,
        'observations',
        null,
        `fred: the response holds series ${other.series}, not ${series}`,
        'response-mismatch',
      );
      await log(store, series, f, started);
      return f;
    }
    // The same row checks as a file import, and one transaction: a bad observation leaves nothing written.
    // Keyless CSV rows carry no vintage (as_of = period): their known-at comes from the release rules; API rows
    // carry their realtime_start as known-at.
    await stageObservationsFromMemory(engine, obs);
    const r = await store.transaction((tx) =>
      finishObservations(engine, tx, {
        today: plan.today,
        source: 'fred',
        dryRun: false,
        locate: (rn) => ({ where: `observation ${obs[rn]?.period ?? rn + 1}` }),
      }),
    );
    await engine.exec('DROP TABLE imp_oraw');
    const counts = { added: r.added, updated: r.updated, unchanged: r.unchanged };
    const changed = counts.added + counts.updated > 0;
    const outcome: SyncOutcome = {
      symbol: series,
      kind: 'observations',
      status: changed ? 'updated' : 'unchanged',
      reason: changed ? 'updated' : 'unchanged',
      provider: 'fred',
      counts,
      from: null,
      to: null,
      firstDate: r.firstDate,
      lastDate: r.lastDate,
      newActions: 0,
      refetched: false,
      skipped: 0,
      message: r.warnings.length > 0 ? r.warnings.join('; ') : null,
    };
    await log(store, series, outcome, started);
    return outcome;
  } catch (e) {
    if (!(e instanceof ProviderError || e instanceof InputError)) throw e;
    await engine.exec('DROP TABLE IF EXISTS imp_oraw');
    const why = e instanceof InputError ? `${e.describe()}; nothing was written` : reasonOf(e);
    const f = failure(
      series,
      'observations',
      null,
      `fred: ${why}`,
      e instanceof InputError ? 'rows-refused' : providerReason(e),
    );
    await log(store, series, f, started);
    return f;
  }
}

/** Two tickers are the same when they match after case folding and Yahoo's `-` for a class dot. */
const sameTicker = (a: string, b: string) =>
  normalizeTicker(a).replace(/-/g, '.') === normalizeTicker(b).replace(/-/g, '.');

/**
 * What makes a response not an answer to the request, or null: another symbol, an interval other than a day,
 * a split or dividend with an impossible date or value. (Bar dates outside the window are refused by the row
 * checks, which name the bar.)
 */
function responseMismatch(symbol: string, h: PriceHistory, today: string): string | null {
  if (h.respondedSymbol && !sameTicker(h.respondedSymbol, symbol))
    return `the response is for ${JSON.stringify(h.respondedSymbol.slice(0, 40))}, not ${symbol}`;
  if (h.interval && h.interval !== '1d') return `the response holds ${h.interval} bars, not daily bars`;
  for (const a of h.actions) {
    const value = a.kind === 'split' ? a.ratio : a.amount;
    if (!parseIsoDate(a.date) || a.date > today) return `a ${a.kind} dated "${a.date}" is not a past date`;
    if (!Number.isFinite(value) || value <= 0 || value > 1e6)
      return `a ${a.kind} on ${a.date} has an impossible value ${value}`;
  }
  return null;
}

/**
 * Providers repeat today's live bar (the session is still trading); when the last date is today and is sent
 * more than once, the last copy wins and the note says so. Any other repeated date is left to the row checks
 * (exact repeats dropped, different values refused).
 */
function lastLiveBarWins(bars: readonly Bar[], today: string): { bars: Bar[]; note: string | null } {
  const last = bars[bars.length - 1];
  if (!last || last.date !== today) return { bars: [...bars], note: null };
  const copies = bars.filter((b) => b.date === today).length;
  if (copies < 2) return { bars: [...bars], note: null };
  return {
    bars: [...bars.filter((b) => b.date !== today), last],
    note: `today's live bar was sent ${copies} times; the last copy was kept`,
  };
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
