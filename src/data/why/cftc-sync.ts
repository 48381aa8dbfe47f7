import type { TradingDate } from '../../shared/brand.js';
import { addDays } from '../../shared/dates.js';
import type { Observation, WriteCounts } from '../../shared/domain.js';
import { ProviderError } from '../providers/http.js';
import type { TffPosition } from './cftc.js';
import { TFF_CONTRACTS, tffGroup, tffObservations, tffRelease } from './cftc.js';
import type { Store } from '../store/store.js';

/** Where CFTC positions come from when syncing: the Socrata client, or a replay of it in tests. */
export interface TffSource {
  readonly name: 'cftc';
  readonly origin: string;
  fetchTff(code: string, since: string | null): Promise<TffPosition[]>;
}

export type CftcSyncOutcome = {
  code: string;
  group: string;
  status: 'updated' | 'unchanged' | 'failed';
  counts: WriteCounts;
  firstDate: string | null;
  lastDate: string | null;
  message: string | null;
};

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
      out.push({ ...base, status: 'failed', message: `cftc: ${unreachable}` });
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
      const obs: Observation[] = rows.flatMap((p) =>
        tffObservations(p, tffRelease(p.reportDate, today)).map((r) => ({
          series: r.series,
          period: r.period,
          value: r.value,
          unit: 'contracts',
          asOf: r.asOf as TradingDate,
          source: 'CFTC TFF (publicreporting.cftc.gov)',
        })),
      );
      const counts =
        obs.length > 0 ? await store.transaction((tx) => tx.upsertObservations(obs)) : base.counts;
      const dates = rows.map((r) => r.reportDate).sort();
      out.push({
        ...base,
        counts,
        status: counts.added + counts.updated > 0 ? 'updated' : 'unchanged',
        firstDate: dates[0] ?? null,
        lastDate: dates.at(-1) ?? null,
        message: rows[0] ? rows[0].name : null,
      });
    } catch (e) {
      out.push({ ...base, status: 'failed', message: e instanceof Error ? e.message : String(e) });
    }
  }
  return out;
}
