import { ProviderError, type HttpClient, type HttpResponse } from '../http.js';
import type { TffPosition } from '../../why/cftc.js';
import { toTffPosition } from './map.js';
import { SocrataError, SOCRATA_TFF_COLUMNS, TffSocrataRow } from './schema.js';

export const CFTC_DEFAULT_URL = 'https://publicreporting.cftc.gov';
/** Traders in Financial Futures, futures only. */
export const TFF_DATASET = 'gpe5-46if';

/** One contract's weekly TFF rows from `since` (a report date) on, oldest first, at most 5000 (~96 years). */
export function tffUrl(origin: string, code: string, since: string | null): string {
  const where = `cftc_contract_market_code='${code}'${since ? ` AND report_date_as_yyyy_mm_dd >= '${since}T00:00:00.000'` : ''}`;
  const q = new URLSearchParams({
    $select: SOCRATA_TFF_COLUMNS.join(','),
    $where: where,
    $order: 'report_date_as_yyyy_mm_dd ASC',
    $limit: '5000',
  });
  return `${origin}/resource/${TFF_DATASET}.json?${q.toString()}`;
}

export function parseTffResponse(res: HttpResponse, code: string): TffPosition[] {
  let doc: unknown;
  try {
    doc = JSON.parse(res.body);
  } catch (e) {
    throw new ProviderError(
      'cftc',
      'schema-mismatch',
      `${code}: truncated or invalid JSON (${(e as Error).message})`,
    );
  }
  if (res.status >= 400 || !Array.isArray(doc)) {
    const err = SocrataError.safeParse(doc);
    throw new ProviderError(
      'cftc',
      res.status === 404 ? 'not-found' : 'http',
      `${code}: ${err.success ? err.data.message : `HTTP ${res.status}, not a list of rows`}`,
    );
  }
  return doc.map((row, i) => {
    const p = TffSocrataRow.safeParse(row);
    if (!p.success) {
      const issue = p.error.issues[0];
      throw new ProviderError(
        'cftc',
        'schema-mismatch',
        `${code}: row ${i + 1}, field ${issue?.path.join('.')}: ${issue?.message}`,
      );
    }
    const pos = toTffPosition(p.data);
    if (pos.code !== code)
      throw new ProviderError('cftc', 'schema-mismatch', `${code}: row ${i + 1} is for contract ${pos.code}`);
    return pos;
  });
}

/** The CFTC's public reporting service (Socrata): weekly Traders in Financial Futures positions per contract. */
export class CftcClient {
  readonly name = 'cftc' as const;
  readonly origin: string;
  private readonly http: HttpClient;

  constructor(http: HttpClient, origin: string) {
    this.http = http;
    this.origin = origin;
  }

  async fetchTff(code: string, since: string | null): Promise<TffPosition[]> {
    return this.http.get(tffUrl(this.origin, code, since), (res) => parseTffResponse(res, code));
  }
}
