import type { TradingDate } from '../../shared/brand.js';
import type {
  Bar,
  CloseColumns,
  CloseBasis,
  CloseRange,
  CorporateAction,
  Instrument,
  InstrumentKind,
  Observation,
} from '../../shared/domain.js';
import { symbolAliases } from '../../core/symbols.js';
import type { ImportLogRow, SymbolSummary } from './market-store.js';
import { SqlSchema } from './sql-schema.js';

/** One symbol's bars in a date range (either end optional), oldest first: loadBars and loadCloses read them. */
const BARS_IN_RANGE = `WHERE symbol = ? AND date >= coalesce(?::DATE, DATE '0001-01-01')
       AND date <= coalesce(?::DATE, DATE '9999-12-31') ORDER BY date`;

/**
 * The store's shared SQL, part 2 of 3: every read (instruments and symbols, bars, corporate actions,
 * observations, the import log), in portable SQL on the session of SqlSchema.
 */
export class SqlReads extends SqlSchema {
  async getInstrument(symbol: string): Promise<Instrument | null> {
    const rows = await this.s.query<Instrument>(
      'SELECT symbol, name, kind, sector, currency, exchange FROM instruments WHERE symbol = ?',
      [symbol],
    );
    return rows[0] ?? null;
  }

  async resolveSymbol(text: string): Promise<string | null> {
    return resolveIn(await this.symbolIndex(), text);
  }

  /** Every stored spelling by its lower case, sorted (the order `resolveSymbol` picks from). */
  async symbolIndex(): Promise<Map<string, string[]>> {
    return indexSymbols(await this.symbolNames());
  }

  /** Every stored symbol and series name, sorted and distinct: what symbolIndex indexes. */
  async symbolNames(): Promise<string[]> {
    const rows = await this.s.query<{ symbol: string }>(
      this.s.dialect === 'postgres'
        ? // A loose index scan over the primary keys: one index probe per distinct symbol, not a pass over every row.
          `WITH RECURSIVE b AS (
             SELECT min(symbol) AS symbol FROM bars
             UNION ALL SELECT (SELECT min(symbol) FROM bars WHERE symbol > b.symbol) FROM b WHERE b.symbol IS NOT NULL
           ), o AS (
             SELECT min(series) AS symbol FROM observations
             UNION ALL SELECT (SELECT min(series) FROM observations WHERE series > o.symbol) FROM o WHERE o.symbol IS NOT NULL
           )
           SELECT symbol FROM instruments UNION SELECT symbol FROM b WHERE symbol IS NOT NULL
           UNION SELECT symbol FROM o WHERE symbol IS NOT NULL`
        : `SELECT symbol FROM instruments UNION SELECT DISTINCT symbol FROM bars
           UNION SELECT DISTINCT series FROM observations`,
    );
    return [...new Set(rows.map((r) => r.symbol))].sort();
  }

  /**
   * Every stored symbol and series with row counts and date range; with `only`, just those named exactly (stored
   * spellings), in the same order. The filter comes before the GROUP BY and prunes by the column's min/max, so a
   * caller that needs a few symbols does not aggregate a whole large store's bars.
   */
  async listSymbols(only?: readonly string[]): Promise<SymbolSummary[]> {
    const names = only ? [...new Set(only)] : null;
    if (names && names.length === 0) return [];
    const where = (col: string) => (names ? `WHERE ${col} IN (${names.map(() => '?').join(', ')})` : '');
    const rows = await this.s.query<{
      symbol: string;
      kind: InstrumentKind | null;
      name: string | null;
      tbl: 'bars' | 'observations';
      n: number;
      first: string | null;
      last: string | null;
      sources: string[];
    }>(
      `WITH bs AS (
         SELECT symbol, stamp, count(*) AS n, min(date) AS first, max(date) AS last
         FROM bars ${where('symbol')} GROUP BY symbol, stamp
       ), b AS (
         SELECT bs.symbol, 'bars' AS tbl, CAST(sum(bs.n) AS BIGINT) AS n, min(bs.first)::VARCHAR AS first,
                max(bs.last)::VARCHAR AS last, array_agg(DISTINCT k.source ORDER BY k.source) AS sources
         FROM bs JOIN bar_stamps k ON k.stamp = bs.stamp GROUP BY bs.symbol
       ), o AS (
         SELECT series AS symbol, 'observations' AS tbl, count(DISTINCT period) AS n, min(period) AS first,
                max(period) AS last, array_agg(DISTINCT source ORDER BY source) AS sources
         FROM observations ${where('series')} GROUP BY series
       ), u AS (SELECT * FROM b UNION ALL SELECT * FROM o)
       SELECT u.symbol, i.kind, i.name, u.tbl, u.n, u.first, u.last, u.sources
       FROM u LEFT JOIN instruments i ON i.symbol = u.symbol
       ORDER BY u.tbl, u.symbol`,
      names ? [...names, ...names] : undefined,
    );
    return rows.map((r) => ({
      symbol: r.symbol,
      kind: r.kind,
      name: r.name,
      table: r.tbl,
      rows: r.n,
      firstDate: r.first,
      lastDate: r.last,
      sources: r.sources,
    }));
  }

  /** True when the store holds no bars and no observations (what `listSymbols` would list is nothing). */
  async isEmpty(): Promise<boolean> {
    const [row] = await this.s.query<{ n: number | bigint }>(
      `SELECT (SELECT count(*) FROM (SELECT 1 FROM bars LIMIT 1) b)
            + (SELECT count(*) FROM (SELECT 1 FROM observations LIMIT 1) o) AS n`,
    );
    return Number(row?.n ?? 0) === 0;
  }

  async loadBars(symbol: string, range: { from?: string; to?: string } = {}): Promise<Bar[]> {
    const cols = await this.s.columns(
      `SELECT date::VARCHAR AS date, open, high, low, close, adj_close, volume FROM bars
       ${BARS_IN_RANGE}`,
      [symbol, range.from ?? null, range.to ?? null],
    );
    const date = (cols['date'] ?? []) as string[];
    const open = (cols['open'] ?? []) as (number | null)[];
    const high = (cols['high'] ?? []) as (number | null)[];
    const low = (cols['low'] ?? []) as (number | null)[];
    const close = (cols['close'] ?? []) as number[];
    const adj = (cols['adj_close'] ?? []) as (number | null)[];
    const volume = (cols['volume'] ?? []) as (number | null)[];
    const bars: Bar[] = new Array<Bar>(date.length);
    for (let i = 0; i < date.length; i++) {
      bars[i] = {
        date: date[i] as TradingDate,
        open: open[i] ?? null,
        high: high[i] ?? null,
        low: low[i] ?? null,
        close: close[i] as number,
        adjClose: adj[i] ?? null,
        volume: volume[i] ?? null,
      };
    }
    return bars;
  }

  async loadCloses(symbol: string, range: { from?: string; to?: string } = {}): Promise<CloseColumns> {
    const cols = await this.s.columns(
      `SELECT date::VARCHAR AS date, close, adj_close FROM bars
       ${BARS_IN_RANGE}`,
      [symbol, range.from ?? null, range.to ?? null],
    );
    const adj = (cols['adj_close'] ?? []) as (number | null | undefined)[];
    for (let i = 0; i < adj.length; i++) if (adj[i] === undefined) adj[i] = null;
    return {
      dates: (cols['date'] ?? []) as TradingDate[],
      close: (cols['close'] ?? []) as number[],
      adjClose: adj as (number | null)[],
    };
  }

  async barSpan(symbol: string): Promise<{ first: string | null; last: string | null; n: number }> {
    const [span] = await this.s.query<{ first: string | null; last: string | null; n: number }>(
      'SELECT min(date)::VARCHAR AS first, max(date)::VARCHAR AS last, count(*) AS n FROM bars WHERE symbol = ?',
      [symbol],
    );
    return span ?? { first: null, last: null, n: 0 };
  }

  async loadCloseRanges(symbol: string, range: { from?: string; to?: string } = {}): Promise<CloseRange[]> {
    type Run = { basis: CloseBasis | null; first: string; last: string; n: number | bigint };
    const params = [symbol, range.from ?? null, range.to ?? null];
    const rowsOf = `FROM bars b JOIN bar_stamps k ON k.stamp = b.stamp
         LEFT JOIN source_basis sb ON sb.symbol = b.symbol AND sb.source = k.source
         WHERE b.symbol = ? AND b.date >= coalesce(?::DATE, DATE '0001-01-01')
           AND b.date <= coalesce(?::DATE, DATE '9999-12-31')`;
    // Nearly every series has one declared basis: then its one range is a GROUP BY, with no sort of its rows.
    let rows = await this.s.query<Run>(
      `SELECT sb.basis AS basis, min(b.date)::VARCHAR AS first, max(b.date)::VARCHAR AS last, count(*) AS n
       ${rowsOf} GROUP BY sb.basis`,
      params,
    );
    // More than one: gaps and islands, consecutive bars (by date) whose sources share a declared basis form a range.
    if (rows.length > 1)
      rows = await this.s.query<Run>(
        `SELECT basis, min(date)::VARCHAR AS first, max(date)::VARCHAR AS last, count(*) AS n FROM (
           SELECT b.date, sb.basis,
             row_number() OVER (ORDER BY b.date) - row_number() OVER (PARTITION BY sb.basis ORDER BY b.date) AS grp
           ${rowsOf}
         ) t GROUP BY basis, grp ORDER BY first`,
        params,
      );
    return rows.map((r) => ({
      basis: r.basis ?? null,
      first: r.first as TradingDate,
      last: r.last as TradingDate,
      sessions: Number(r.n),
    }));
  }

  async barDateFromEnd(symbol: string, offset: number): Promise<string | null> {
    const [row] = await this.s.query<{ d: string }>(
      'SELECT date::VARCHAR AS d FROM bars WHERE symbol = ? ORDER BY date DESC LIMIT 1 OFFSET ?',
      [symbol, Math.max(0, offset)],
    );
    return row?.d ?? null;
  }

  async loadCorporateActions(symbol: string): Promise<CorporateAction[]> {
    const rows = await this.s.query<{
      date: string;
      kind: 'split' | 'dividend';
      value: number;
      source: string;
    }>(
      'SELECT date::VARCHAR AS date, kind, value, source FROM corporate_actions WHERE symbol = ? ORDER BY date, kind',
      [symbol],
    );
    return rows.map((r) =>
      r.kind === 'split'
        ? { kind: 'split', symbol, date: r.date as TradingDate, ratio: r.value, source: r.source }
        : { kind: 'dividend', symbol, date: r.date as TradingDate, amount: r.value, source: r.source },
    );
  }

  /**
   * Observations of one series as known at `asOf`, in period order: only rows whose known_at is on or before
   * `asOf`; per period the latest vintage with as_of <= asOf, else (a history file whose only vintage is later, e.g.
   * its fetch date) the earliest later vintage, which the caller sees as `asOf > opts.asOf`. Without asOf, the
   * latest vintage of every period.
   */
  async loadObservations(series: string, opts: { asOf?: string } = {}): Promise<Observation[]> {
    const rows = await this.s.query<{
      series: string;
      period: string;
      value: number;
      unit: string;
      as_of: string;
      source: string;
      known_at: string;
    }>(
      `SELECT series, period, value, unit, as_of, source, known_at FROM (
         SELECT series, period, value, unit, as_of::VARCHAR AS as_of, source, known_at::VARCHAR AS known_at,
           row_number() OVER (PARTITION BY period ORDER BY
             (as_of <= coalesce(?::DATE, DATE '9999-12-31')) DESC,
             CASE WHEN as_of <= coalesce(?::DATE, DATE '9999-12-31') THEN as_of END DESC NULLS LAST, as_of) AS rk
         FROM observations
         WHERE series = ? AND known_at <= coalesce(?::DATE, DATE '9999-12-31')
       ) ranked WHERE rk = 1
       ORDER BY period`,
      [opts.asOf ?? null, opts.asOf ?? null, series, opts.asOf ?? null],
    );
    return rows.map((r) => ({
      series: r.series,
      period: r.period,
      value: r.value,
      unit: r.unit,
      asOf: r.as_of as TradingDate,
      source: r.source,
      knownAt: r.known_at as TradingDate,
    }));
  }

  async loadVintages(series: string, asOf?: string): Promise<Observation[]> {
    const rows = await this.s.query<{
      period: string;
      value: number;
      unit: string;
      as_of: string;
      source: string;
      known_at: string;
    }>(
      `SELECT period, value, unit, as_of::VARCHAR AS as_of, source, known_at::VARCHAR AS known_at FROM observations
       WHERE series = ? AND as_of <= coalesce(?::DATE, DATE '9999-12-31')
         AND known_at <= coalesce(?::DATE, DATE '9999-12-31')
       ORDER BY period, as_of`,
      [series, asOf ?? null, asOf ?? null],
    );
    return rows.map((r) => ({
      series,
      period: r.period,
      value: r.value,
      unit: r.unit,
      asOf: r.as_of as TradingDate,
      source: r.source,
      knownAt: r.known_at as TradingDate,
    }));
  }

  async loadNotes(series: string): Promise<Map<string, string>> {
    const rows = await this.s.query<{ period: string; as_of: string; note: string }>(
      'SELECT period, as_of::VARCHAR AS as_of, note FROM observation_notes WHERE series = ?',
      [series],
    );
    return new Map(rows.map((r) => [`${r.period}|${r.as_of}`, r.note]));
  }

  async seriesIds(prefix: string): Promise<string[]> {
    const rows = await this.s.query<{ series: string }>(
      'SELECT DISTINCT series FROM observations WHERE starts_with(series, ?) ORDER BY series',
      [prefix],
    );
    return rows.map((r) => r.series);
  }

  async importLog(): Promise<ImportLogRow[]> {
    return this.s.query<ImportLogRow>(
      `SELECT kind, target, symbol, status, rows_added AS "rowsAdded", rows_updated AS "rowsUpdated",
              rows_unchanged AS "rowsUnchanged", message FROM import_log ORDER BY id`,
    );
  }
}

/** Sorted names by their lower case, each key's spellings in the names' order (what resolveIn reads). */
export function indexSymbols(names: readonly string[]): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const symbol of names) {
    const key = symbol.toLowerCase();
    const spellings = index.get(key);
    if (spellings) spellings.push(symbol);
    else index.set(key, [symbol]);
  }
  return index;
}

/** Looks a typed symbol up in a symbol index: its own spelling, else its aliases (core/symbols: `^GSPC` → `^SPX`). */
export function resolveIn(index: Map<string, string[]>, text: string): string | null {
  for (const name of symbolAliases(text)) {
    const matches = index.get(name.toLowerCase());
    if (matches) return matches.includes(name) ? name : (matches[0] ?? null);
  }
  return null;
}
