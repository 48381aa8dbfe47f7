import type { TradingDate } from '../../shared/brand.js';
import { addDays } from '../../shared/dates.js';
import type { Observation, WriteCounts } from '../../shared/domain.js';
import { ProviderError } from '../providers/http.js';
import type { TffPosition } from './cftc.js';
import { TFF_CONTRACTS, tffGroup, tffObservations, tffRelease } from './cftc.js';
import type { Store } from '../store/store.js';
import { RowCheckError, rowMessages } from '../ingest/row-checks.js';
import { providerReason } from '../sync.js';
import { InputError } from '../../shared/errors.js';
import type { SyncReason } from '../../shared/reasons.js';
import { checkOrder, whyDate, whyNumber } from './row-checks.js';

/** Where CFTC positions come from when syncing: the Socrata client, or a replay of it in tests. */
export interface TffSource {
  readonly name: 'cftc';
  readonly origin: string;
  fetchTff(code: string, since: string | null): Promise<TffPosition[]>;
}

/** What a why source's sync (a CFTC contract, an ICI workbook) reports, beside what it names. */
export type WhySyncResult = {
  status: 'updated' | 'unchanged' | 'failed';
  /** The status as a code (src/shared/reasons.ts). */
  reason: SyncReason;
  counts: WriteCounts;
  firstDate: string | null;
  lastDate: string | null;
  message: string | null;
};

export type CftcSyncOutcome = WhySyncResult & { code: string; group: string };

/** Reports re-fetched before the last stored one, so a CFTC correction of a recent week is caught. */
const OVERLAP_DAYS = 28;

/**
 * `rotation sync` for CFTC Traders in Financial Futures: for each contract code, the reports from four weeks before
 * the last stored one (all of them the first time), stored as `positioning:cftc-tff:<group>:*` with the Friday
 * release as vintage (tffRelease), in one transaction per contract after the whole answer parsed. A contract that
 * fails is reported and the others still sync.
 */
export async function syncCftc(
  store: Store,
  source: TffSource,
  codes: readonly string[],
  today: TradingDate,
  unreachable: string | null = null,
): Promise<CftcSyncOutcome[]> {
  const out: CftcSyncOutcome[] = [];
  for (const code of codes) {
    const group = tffGroup(code, TFF_CONTRACTS[code]?.name ?? code);
    const base = {
      code,
      group,
      counts: { added: 0, updated: 0, unchanged: 0 },
      firstDate: null,
      lastDate: null,
    };
    if (unreachable) {
      out.push({ ...base, status: 'failed', reason: 'unreachable', message: `cftc: ${unreachable}` });
      continue;
    }
    try {
      const stored = await store.loadObservations(`positioning:cftc-tff:${group}:open_interest`);
      const last =
        stored
          .map((o) => o.period)
          .sort()
          .at(-1) ?? null;
      const rows = await source.fetchTff(code, last ? addDays(last, -OVERLAP_DAYS) : null);
      if (rows.length === 0 && !last)
        throw new ProviderError('cftc', 'no-data', `${code}: the CFTC service returned no reports`);
      // The row checks a TFF file gets (row-checks.ts): dates not after today, plain finite numbers in range, one
      // value per report date; the answer is refused whole before anything is written.
      const records = rows.flatMap((p, i) => {
        const at = { file: `cftc ${code}`, line: i + 1, field: 'report_date_as_yyyy_mm_dd' };
        whyDate(p.reportDate, today, at);
        return tffObservations(p, tffRelease(p.reportDate), i + 1).map((r) => {
          const v = whyNumber(String(r.value), r.series, { ...at, field: r.series });
          if (v === null) throw new RowCheckError(rowMessages.notNumber(r.series, r.value), at);
          return r;
        });
      });
      const order = checkOrder(
        records.map((r) => ({ line: r.line, key: r.series, period: r.period, value: r.value })),
        `cftc ${code}`,
        'report_date_as_yyyy_mm_dd',
      );
      const obs: Observation[] = records
        .filter((_, i) => order.keep[i])
        .map((r) => ({
          series: r.series,
          period: r.period,
          value: r.value,
          unit: 'contracts',
          asOf: r.asOf as TradingDate,
          source: 'CFTC TFF (publicreporting.cftc.gov)',
        }));
      const counts =
        obs.length > 0 ? await store.transaction((tx) => tx.upsertObservations(obs)) : base.counts;
      const dates = rows.map((r) => r.reportDate).sort();
      const changed = counts.added + counts.updated > 0;
      out.push({
        ...base,
        counts,
        status: changed ? 'updated' : 'unchanged',
        reason: changed ? 'updated' : 'unchanged',
        firstDate: dates[0] ?? null,
        lastDate: dates.at(-1) ?? null,
        message: rows[0] ? rows[0].name : null,
      });
    } catch (e) {
      out.push({
        ...base,
        status: 'failed',
        reason: e instanceof InputError ? 'rows-refused' : providerReason(e),
        message:
          e instanceof InputError
            ? `cftc: ${e.describe()}; nothing was written`
            : e instanceof Error
              ? e.message
              : String(e),
      });
    }
  }
  return out;
}
