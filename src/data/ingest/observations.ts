import type { MarketWriter, ObservationBatch } from '../store/store.js';
import type { IngestEngine } from './engine.js';
import type { Observation } from '../../shared/domain.js';
import { quoteName, SERIES_ID_PATTERN, SERIES_ID_RULE } from '../../shared/identifiers.js';
import {
  DATE_CHECK,
  futureCheck,
  isoDate,
  looseNumber,
  MAX_QUANTITY,
  missing,
  notNumber,
  num,
  orderAndDuplicates,
  quoteValue,
  rowMessages,
  runChecks,
  type Check,
  type Locate,
} from './row-checks.js';

/**
 * Observations staged for writing, from a file or a provider response: one set of row checks, then the merge.
 * The raw table `imp_oraw` has columns rn, series, unit, d, val (VARCHAR), as_of (DATE, or NULL = the row's
 * own date) and known_at (VARCHAR or NULL: the file's own known-at column). Rows without a known-at get one from
 * the release rules (core/why/known-at.ts) when merged.
 */

export type ObservationsResult = {
  added: number;
  updated: number;
  unchanged: number;
  symbols: string[];
  rows: number;
  firstDate: string | null;
  lastDate: string | null;
  warnings: string[];
};

/**
 * Validates observations staged in TEMP table `imp_oraw` and merges them into `observations`, recording new
 * series as instruments. Empty values are gaps, not errors. Throws an InputError for the first bad row.
 */
export async function finishObservations(
  store: IngestEngine,
  tx: MarketWriter,
  opts: { today: string; source: string; dryRun: boolean; locate: Locate },
): Promise<ObservationsResult> {
  await store.exec(
    `CREATE OR REPLACE TEMP TABLE imp_obs AS
     SELECT rn, series, unit, d, val, as_of AS vintage, ${isoDate('d')} AS date, ${num('val')} AS value,
            ka, ${isoDate('ka')} AS known_at
     FROM (SELECT *, known_at AS ka FROM imp_oraw) WHERE NOT (${missing('d')} AND ${missing('val')})`,
  );
  const checks: Check[] = [
    {
      cond: `series IS NULL OR NOT regexp_full_match(series, '${SERIES_ID_PATTERN}')`,
      field: 'series',
      // quoteName: a hostile id (a newline, an RTL override) is shown escaped, never printed as it is.
      message: (r) => `invalid series id ${quoteName(String(r['series'] ?? ''))}: ${SERIES_ID_RULE}`,
    },
    DATE_CHECK,
    // A period after today is a projection (FEDTARMD): allowed only with a vintage that says when it was made.
    futureCheck(opts.today, 'vintage IS NULL AND date > ?::DATE'),
    {
      cond: `ka IS NOT NULL AND trim(ka) <> '' AND (known_at IS NULL OR NOT isfinite(known_at) OR year(known_at) < 1000)`,
      field: 'known_at',
      message: (r) => `known_at: not a date: ${quoteValue(r['ka'])} (expected YYYY-MM-DD)`,
    },
    {
      cond: 'vintage > ?::DATE',
      params: [opts.today],
      field: 'as_of',
      message: (r) => `vintage ${quoteValue(r['vintage'])} is in the future (today is ${opts.today})`,
    },
    {
      cond: 'vintage IS NOT NULL AND (NOT isfinite(vintage) OR year(vintage) < 1000)',
      field: 'as_of',
      message: (r) => `vintage ${quoteValue(r['vintage'])} is not a plausible date`,
    },
    {
      cond: notNumber('val', 'value', false),
      exact: notNumber('val', 'value', true),
      field: 'value',
      message: (r) => rowMessages.notNumber(r['series'], r['val']),
    },
    {
      cond: looseNumber('val', 'value', false),
      exact: looseNumber('val', 'value', true),
      field: 'value',
      message: (r) => rowMessages.looseNumber(r['series'], r['val']),
    },
    {
      cond: `NOT isfinite(value) OR abs(value) > ${MAX_QUANTITY}`,
      field: 'value',
      message: (r) => rowMessages.outOfRange(r['series'], r['val']),
    },
  ];
  await runChecks(store, 'imp_obs', 'rn', checks, opts.locate);
  const [gaps] = await store.query<{ n: number }>('SELECT count(*) AS n FROM imp_obs WHERE value IS NULL');
  await store.exec('DELETE FROM imp_obs WHERE value IS NULL');
  const warnings: string[] = [];
  if (gaps && gaps.n > 0) warnings.push(`${gaps.n} empty value${gaps.n === 1 ? '' : 's'} skipped as gaps`);
  warnings.push(
    // One period may hold several vintages: order and duplicates are checked per (series, vintage).
    ...(await orderAndDuplicates(
      store,
      'imp_obs',
      'rn',
      "series || coalesce(' as of ' || vintage::VARCHAR, '')",
      'date',
      ['value'],
      'series',
      opts.locate,
    )),
  );
  await store.exec(
    `CREATE OR REPLACE TEMP TABLE imp_obs_stage AS
     SELECT series, date::VARCHAR AS period, value, unit, coalesce(vintage, known_at, date) AS as_of, ? AS source,
            known_at
     FROM imp_obs`,
    [opts.source],
  );
  const [meta] = await store.query<{
    n: number;
    first: string | null;
    last: string | null;
    symbols: string[];
  }>(
    `SELECT count(*) AS n, min(period) AS first, max(period) AS last,
            list(DISTINCT series ORDER BY series) AS symbols FROM imp_obs_stage`,
  );
  const counts = await tx.mergeObservations(await stagedObservationBatch(store), { dryRun: opts.dryRun });
  const symbols = meta?.symbols ?? [];
  if (!opts.dryRun) await tx.addInstruments(symbols.map((symbol) => ({ symbol, kind: 'series' })));
  await store.exec('DROP TABLE imp_obs; DROP TABLE imp_obs_stage');
  return {
    ...counts,
    symbols,
    rows: meta?.n ?? 0,
    firstDate: meta?.first ?? null,
    lastDate: meta?.last ?? null,
    warnings,
  };
}

/**
 * Stages observations held in memory (a provider response) as TEMP table `imp_oraw`, the shape a file import
 * stages, so that finishObservations checks them exactly as it checks a file's rows. Record i is `obs[i]`.
 */
export async function stageObservationsFromMemory(
  store: IngestEngine,
  obs: readonly Observation[],
): Promise<void> {
  await store.exec(
    `CREATE OR REPLACE TEMP TABLE imp_oraw_mem (rn BIGINT, series VARCHAR, unit VARCHAR, d VARCHAR, val VARCHAR,
       as_of VARCHAR, known_at VARCHAR)`,
  );
  await store.append(
    'imp_oraw_mem',
    obs.map((o, i) => [BigInt(i), o.series, o.unit, o.period, String(o.value), o.asOf, o.knownAt ?? null]),
  );
  await store.exec(
    `CREATE OR REPLACE TEMP TABLE imp_oraw AS
       SELECT rn, series, unit, d, val, TRY_CAST(as_of AS DATE) AS as_of, known_at FROM imp_oraw_mem;
     DROP TABLE imp_oraw_mem`,
  );
}

/** The validated rows of `imp_obs_stage` as the batch the store merges. */
async function stagedObservationBatch(engine: IngestEngine): Promise<ObservationBatch> {
  const c = await engine.queryColumns(
    `SELECT series, period, value, unit, as_of::VARCHAR AS as_of, source, known_at::VARCHAR AS known_at
     FROM imp_obs_stage`,
  );
  return {
    series: (c['series'] ?? []) as string[],
    period: (c['period'] ?? []) as string[],
    value: (c['value'] ?? []) as number[],
    unit: (c['unit'] ?? []) as string[],
    asOf: (c['as_of'] ?? []) as string[],
    source: (c['source'] ?? []) as string[],
    knownAt: (c['known_at'] ?? []) as (string | null)[],
  };
}
