import { ProviderError, type HttpClient, type HttpResponse } from '../http.js';
import type { ObservationProvider } from '../provider.js';
import type { Observation } from '../../../shared/domain.js';
import { apiToObservations, csvToObservations } from './map.js';
import { FRED_DATE_HEADERS, FredApiError, FredCsvRow, FredObservations } from './schema.js';

export const FRED_DEFAULT_URL = 'https://fred.stlouisfed.org';
export const FRED_API_DEFAULT_URL = 'https://api.stlouisfed.org';

export function fredGraphUrl(origin: string, series: string): string {
  return `${origin}/graph/fredgraph.csv?id=${encodeURIComponent(series)}`;
}

/** Every vintage of every observation: the full real-time period ALFRED knows. */
export function fredObservationsUrl(origin: string, series: string, apiKey: string): string {
  return `${origin}/fred/series/observations?series_id=${encodeURIComponent(series)}&api_key=${encodeURIComponent(apiKey)}&file_type=json&realtime_start=1776-07-04&realtime_end=9999-12-31`;
}

export function parseFredCsv(res: HttpResponse, series: string): Observation[] {
  const text = res.body.replace(/^\uFEFF/, '').trim();
  if (res.status === 404) throw new ProviderError('fred', 'not-found', `FRED has no series ${series}`);
  if (res.status >= 400) throw new ProviderError('fred', 'http', `HTTP ${res.status} for ${series}`);
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((h) => h.trim());
  if (!(FRED_DATE_HEADERS as readonly string[]).includes(header[0] ?? '') || header.length !== 2) {
    const html = text.startsWith('<');
    throw new ProviderError(
      'fred',
      html ? 'not-found' : 'schema-mismatch',
      html
        ? `FRED answered a web page instead of a CSV for ${series} (unknown series?)`
        : `expected a CSV with header DATE,${series} or observation_date,${series}, got "${(lines[0] ?? '').slice(0, 40)}"`,
    );
  }
  const rows: FredCsvRow[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (line === '') continue;
    const [date, value, ...rest] = line.split(',');
    const parsed = FredCsvRow.safeParse({ date, value });
    if (!parsed.success || rest.length > 0)
      throw new ProviderError(
        'fred',
        'schema-mismatch',
        `${series}: line ${i + 1} "${line.slice(0, 40)}" is not DATE,VALUE`,
      );
    rows.push(parsed.data);
  }
  return csvToObservations(series, rows);
}

export function parseFredApi(res: HttpResponse, series: string): Observation[] {
  let doc: unknown;
  try {
    doc = JSON.parse(res.body);
  } catch (e) {
    throw new ProviderError(
      'fred',
      'schema-mismatch',
      `truncated or invalid JSON for ${series} (${(e as Error).message})`,
    );
  }
  const apiError = FredApiError.safeParse(doc);
  if (apiError.success || res.status >= 400) {
    const msg = apiError.success ? apiError.data.error_message : `HTTP ${res.status}`;
    // FRED answers 400 "The series does not exist." for unknown ids; the message never echoes the key.
    throw new ProviderError('fred', /does not exist/i.test(msg) ? 'not-found' : 'http', `${series}: ${msg}`);
  }
  const parsed = FredObservations.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ProviderError(
      'fred',
      'schema-mismatch',
      `${series}: unexpected JSON at ${issue?.path.join('.')}: ${issue?.message}`,
    );
  }
  return apiToObservations(series, parsed.data.observations);
}

/** FRED: the keyless graph CSV, or the observations API with vintages when an API key is given. */
export class FredClient implements ObservationProvider {
  readonly name = 'fred' as const;
  readonly origin: string;
  private readonly http: HttpClient;
  private readonly apiKey: string | null;

  constructor(http: HttpClient, opts: { origin: string; apiKey: string | null }) {
    this.http = http;
    this.origin = opts.origin;
    this.apiKey = opts.apiKey;
  }

  async fetchSeries(series: string): Promise<Observation[]> {
    const key = this.apiKey;
    if (!key) return this.http.get(fredGraphUrl(this.origin, series), (res) => parseFredCsv(res, series));
    try {
      return await this.http.get(fredObservationsUrl(this.origin, series, key), (res) =>
        parseFredApi(res, series),
      );
    } catch (e) {
      // Belt and braces: whatever a server echoes, the key never reaches a message.
      if (e instanceof ProviderError && e.message.includes(key))
        throw new ProviderError('fred', e.reason, e.message.split(key).join('***'));
      throw e;
    }
  }
}
