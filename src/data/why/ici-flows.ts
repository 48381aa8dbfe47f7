import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { TradingDate } from '../../shared/brand.js';
import { addDays, parseIsoDate } from '../../shared/dates.js';
import type { Observation, WriteCounts } from '../../shared/domain.js';
import { InputError } from '../../shared/errors.js';
import { iciFileName, parseIciWorkbook } from '../providers/ici/client.js';
import type { IciSheet } from '../providers/ici/map.js';
import { ICI_FILES, type IciFileKind } from '../providers/ici/schema.js';
import { ProviderError } from '../providers/http.js';
import type { Store } from '../store/store.js';
import type { WhySyncResult } from './cftc-sync.js';
import { providerReason } from '../sync.js';
import { releaseRule } from '../../core/why/known-at.js';

/**
 * ICI's weekly flow workbooks into the store: long-term mutual fund flows (`flows:ici:<category>:net_flow`, the
 * series of ICI's older eight-column files continued), ETF net issuance (`flows:ici:etf:<category>:net_issuance`)
 * and the combined figure (`flows:ici:combined:<category>:net_flow`), in usd, one observation per week.
 *
 * Known-at: ICI releases the weekly estimates on the Wednesday after the week, which ends on a Wednesday, so a week
 * is public 7 days after its date (known-at.ts, rule `flows:ici:`). Sources: ICI's releases, e.g. "Estimated
 * Long-Term Mutual Fund Flows", Washington, January 14, 2026 (Wednesday) for the period ended Wednesday, January 7;
 * "Combined Estimated Long-Term Fund Flows and ETF Net Issuance", May 8, 2024 (Wednesday) for the week ended May 1.
 * A week is stored with its release day as vintage; a later file that changes a stored week (ICI revises its
 * estimates) adds a vintage dated that file's release, public from that day only.
 */

export const ICI_KINDS = ['mf', 'etf', 'combined'] as const satisfies readonly IciFileKind[];

/**
 * The series of one category of one file kind: weekly (`…:net_flow`, ETFs `…:net_issuance`), or, for the rows of
 * the workbook's "Monthly" block, the same id with `_monthly` (the ids of the old ICI monthly CSV, continued).
 */
export function iciSeries(
  kind: IciFileKind,
  category: string,
  cadence: 'weekly' | 'monthly' = 'weekly',
): string {
  const m = cadence === 'monthly' ? '_monthly' : '';
  switch (kind) {
    case 'mf':
      return `flows:ici:${category}:net_flow${m}`;
    case 'etf':
      return `flows:ici:etf:${category}:net_issuance${m}`;
    case 'combined':
      return `flows:ici:combined:${category}:net_flow${m}`;
  }
}

/** The release day of a week ended on `week` (a Wednesday): the next Wednesday. */
export const iciRelease = (week: string): string => addDays(week, 7);

const earlier = (a: string, b: string) => (a < b ? a : b);

/**
 * The observations of a sheet's weeks and months as of `today`: a period not stored yet has its release day as
 * vintage (a week: the Wednesday after it; a month: the `flows:ici:…_monthly` rule of known-at.ts, 31 days after
 * the month ends, or the file's release when that is earlier, since the file already holds it); a stored period with
 * the same value keeps its vintage (unchanged); a changed one becomes a revision dated the file's release (its
 * latest week's), with that day as known-at.
 */
export async function iciObservations(
  store: Store,
  sheet: IciSheet,
  source: string,
  today: string,
): Promise<Observation[]> {
  const last = sheet.weeks.at(-1)?.date;
  if (!last) return [];
  const fileRelease = earlier(iciRelease(last), today);
  const out: Observation[] = [];
  const blocks = [
    { cadence: 'weekly' as const, rows: sheet.weeks },
    { cadence: 'monthly' as const, rows: sheet.months },
  ];
  for (const { cadence, rows } of blocks) {
    if (rows.length === 0) continue;
    for (const category of sheet.categories) {
      const series = iciSeries(sheet.kind, category, cadence);
      const release = (period: string) =>
        cadence === 'weekly'
          ? iciRelease(period)
          : earlier(releaseRule(series)?.knownAt(period) ?? fileRelease, fileRelease);
      const latest = new Map<string, Observation>();
      for (const o of await store.loadVintages(series)) {
        const prev = latest.get(o.period);
        if (!prev || o.asOf > prev.asOf) latest.set(o.period, o);
      }
      for (const w of rows) {
        const value = w.values[category];
        if (value === undefined) continue;
        const base = { series, period: w.date, value, unit: 'usd', source };
        const stored = latest.get(w.date);
        if (!stored) {
          const first = earlier(release(w.date), today) as TradingDate;
          out.push({ ...base, asOf: first, ...(cadence === 'monthly' ? { knownAt: first } : {}) });
        } else if (stored.value === value)
          out.push({ ...base, asOf: stored.asOf, ...(stored.knownAt ? { knownAt: stored.knownAt } : {}) });
        else out.push({ ...base, asOf: fileRelease as TradingDate, knownAt: fileRelease as TradingDate });
      }
    }
  }
  return out;
}

/** Where ICI workbooks come from when syncing: the ICI client, or a replay of it in tests. */
export interface IciSource {
  readonly name: 'ici';
  readonly origin: string;
  fetchSheet(kind: IciFileKind, year: number): Promise<{ file: string; sheet: IciSheet }>;
}

export type IciSyncOutcome = WhySyncResult & { kind: IciFileKind; file: string };

/**
 * `rotation sync ici`: for each kind, this year's workbook (last year's in early January, before ICI starts the
 * new file), all its weeks written in one transaction after the whole file parsed. A kind that fails is reported
 * and the others still sync.
 */
export async function syncIci(
  store: Store,
  source: IciSource,
  kinds: readonly IciFileKind[],
  today: TradingDate,
  unreachable: string | null = null,
): Promise<IciSyncOutcome[]> {
  const out: IciSyncOutcome[] = [];
  const year = Number(today.slice(0, 4));
  for (const kind of kinds) {
    const base = {
      kind,
      file: iciFileName(kind, year),
      counts: { added: 0, updated: 0, unchanged: 0 },
      firstDate: null,
      lastDate: null,
    };
    if (unreachable) {
      out.push({ ...base, status: 'failed', reason: 'unreachable', message: `ici: ${unreachable}` });
      continue;
    }
    try {
      let got: { file: string; sheet: IciSheet };
      try {
        got = await source.fetchSheet(kind, year);
      } catch (e) {
        if (!(e instanceof ProviderError && e.reason === 'not-found')) throw e;
        got = await source.fetchSheet(kind, year - 1);
      }
      const { file, sheet } = got;
      if (sheet.weeks.length === 0)
        throw new ProviderError('ici', 'no-data', `${file}: no weekly rows in "${ICI_FILES[kind].sheet}"`);
      const obs = await iciObservations(store, sheet, `ICI ${file}`, today);
      const counts = await store.transaction((tx) => tx.upsertObservations(obs));
      out.push({
        ...base,
        file,
        counts,
        status: counts.added + counts.updated > 0 ? 'updated' : 'unchanged',
        reason: counts.added + counts.updated > 0 ? 'updated' : 'unchanged',
        firstDate: sheet.weeks[0]?.date ?? null,
        lastDate: sheet.weeks.at(-1)?.date ?? null,
        message: `${ICI_FILES[kind].title}: ${sheet.weeks.length} weeks, ${sheet.months.length} months, ${sheet.categories.length} categories`,
      });
    } catch (e) {
      out.push({
        ...base,
        status: 'failed',
        reason: e instanceof InputError ? 'rows-refused' : providerReason(e),
        message: e instanceof Error ? e.message : String(e),
      });
    }
  }
  return out;
}

/** The kind of an ICI workbook from its file name (`flows_data_2026.xls`, `etf_flows_data_…`, `combined_…`). */
export function iciKindOfFile(path: string): IciFileKind | null {
  const name = basename(path).toLowerCase();
  if (name.startsWith('combined_flows_data')) return 'combined';
  if (name.startsWith('etf_flows_data')) return 'etf';
  if (name.startsWith('flows_data')) return 'mf';
  return null;
}

export type IciImportResult = WriteCounts & {
  layout: string;
  series: string[];
  firstDate: string | null;
  lastDate: string | null;
  rows: number;
};

/**
 * `rotation import flows_data_2026.xls` (or the ETF or combined workbook): the same observations as a sync on
 * `asOf` (else `today`), all or nothing. Throws InputError (file, sheet row, column) before anything is written.
 */
export async function importIciWorkbook(
  store: Store,
  path: string,
  opts: { asOf?: string; dryRun?: boolean; today: string },
): Promise<IciImportResult> {
  const file = basename(path);
  const kind = iciKindOfFile(path);
  if (!kind)
    throw new InputError(
      "an .xls file is read only as one of ICI's weekly flow workbooks, named flows_data_YYYY.xls, " +
        'etf_flows_data_YYYY.xls or combined_flows_data_YYYY.xls (save other spreadsheets as CSV)',
      { file },
    );
  const day = opts.asOf ?? opts.today;
  if (!parseIsoDate(day)) throw new InputError(`as-of "${day}" is not a date`, { file });
  const sheet = parseIciWorkbook(readFileSync(path), kind, file);
  const obs = await iciObservations(store, sheet, `ICI ${file}`, day);
  if (obs.length === 0) throw new InputError('no weekly rows', { file });
  const counts = await store.transaction((tx) =>
    tx.upsertObservations(obs, opts.dryRun ? { dryRun: true } : {}),
  );
  return {
    layout: `ici-${kind}-xls`,
    ...counts,
    series: [...new Set(obs.map((o) => o.series))].sort(),
    firstDate: sheet.weeks[0]?.date ?? null,
    lastDate: sheet.weeks.at(-1)?.date ?? null,
    rows: sheet.weeks.length + sheet.months.length,
  };
}
