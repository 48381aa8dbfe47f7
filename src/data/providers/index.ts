import { join } from 'node:path';
import { homedir } from 'node:os';
import type { Config } from '../config.js';
import { HttpClient, parseBaseUrl, type HttpClientOptions, type ProviderName } from './http.js';
import type { PriceProvider } from './provider.js';
import { CFTC_DEFAULT_URL, CftcClient } from './cftc/client.js';
import { ICI_DEFAULT_URL, IciClient } from './ici/client.js';
import { FRED_API_DEFAULT_URL, FRED_DEFAULT_URL, FredClient } from './fred/client.js';
import { STOOQ_DEFAULT_URL, StooqClient } from './stooq/client.js';
import { YAHOO_DEFAULT_URL, YahooClient } from './yahoo/client.js';

/** Requests per second when the config does not say: polite defaults for free endpoints. */
export const DEFAULT_REQUESTS_PER_SECOND: Record<ProviderName, number> = {
  yahoo: 2,
  stooq: 1,
  fred: 2,
  cftc: 1,
  ici: 1,
};

export const URL_ENV: Record<ProviderName, string> = {
  yahoo: 'ROTATION_YAHOO_URL',
  stooq: 'ROTATION_STOOQ_URL',
  fred: 'ROTATION_FRED_URL',
  cftc: 'ROTATION_CFTC_URL',
  ici: 'ROTATION_ICI_URL',
};

export type Providers = { price: PriceProvider[]; fred: FredClient; cftc: CftcClient; ici: IciClient };

export type ProviderSetup = {
  config: Config;
  env: Record<string, string | undefined>;
  userAgent: string;
  cacheDir: string | null;
  /** Test knobs passed to every HttpClient (tiny backoff, no jitter). */
  http?: Partial<Pick<HttpClientOptions, 'backoffBaseMs' | 'backoffMaxMs' | 'cacheTtlMs' | 'random' | 'now'>>;
};

/** Builds the provider clients from the config (order, limits) and the environment (URL overrides, FRED key). */
export function createProviders(s: ProviderSetup): Providers {
  const p = s.config.providers;
  const client = (provider: ProviderName) =>
    new HttpClient({
      provider,
      userAgent: s.userAgent,
      timeoutMs: p.timeoutMs,
      retries: p.retries,
      requestsPerSecond: p.requestsPerSecond[provider] ?? DEFAULT_REQUESTS_PER_SECOND[provider],
      cacheDir: s.cacheDir,
      ...s.http,
    });
  const origin = (provider: ProviderName, fallback: string) => {
    const text = s.env[URL_ENV[provider]];
    return text ? parseBaseUrl(URL_ENV[provider], text) : fallback;
  };
  const price: PriceProvider[] = [];
  for (const name of p.order) {
    if (name === 'yahoo') price.push(new YahooClient(client('yahoo'), origin('yahoo', YAHOO_DEFAULT_URL)));
    if (name === 'stooq') price.push(new StooqClient(client('stooq'), origin('stooq', STOOQ_DEFAULT_URL)));
  }
  const apiKey = s.env['FRED_API_KEY']?.trim() || null;
  const fred = new FredClient(client('fred'), {
    origin: origin('fred', apiKey ? FRED_API_DEFAULT_URL : FRED_DEFAULT_URL),
    apiKey,
  });
  const cftc = new CftcClient(client('cftc'), origin('cftc', CFTC_DEFAULT_URL));
  const ici = new IciClient(client('ici'), origin('ici', ICI_DEFAULT_URL));
  return { price, fred, cftc, ici };
}

/**
 * Where responses are cached: `.rotation-cache/` beside the store file, or under $XDG_CACHE_HOME (else
 * ~/.cache) /rotation-desk for an in-memory store. `ROTATION_CACHE_DIR` overrides both.
 */
export function defaultCacheDir(storePath: string, env: Record<string, string | undefined>): string {
  if (env['ROTATION_CACHE_DIR']) return env['ROTATION_CACHE_DIR'];
  if (storePath !== ':memory:') return join(storePath, '..', '.rotation-cache');
  return join(env['XDG_CACHE_HOME'] || join(homedir(), '.cache'), 'rotation-desk');
}

export type { PriceProvider };
