import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { UsageError } from '../../shared/errors.js';

/**
 * The HTTP layer every provider client uses: timeouts, retries with exponential backoff and jitter on 429 and
 * 5xx (honouring Retry-After), a per-provider request rate limit, a User-Agent, an on-disk cache of good
 * responses, and errors that never carry API keys.
 */

export type ProviderName = 'yahoo' | 'stooq' | 'fred' | 'cftc' | 'ici';

/** Why a provider request failed; `network` means the host could not be reached at all. */
export type ProviderFailure =
  'network' | 'timeout' | 'not-found' | 'rate-limited' | 'http' | 'schema-mismatch' | 'no-data';

export class ProviderError extends Error {
  override name = 'ProviderError';
  readonly provider: ProviderName;
  readonly reason: ProviderFailure;
  constructor(provider: ProviderName, reason: ProviderFailure, message: string, options?: ErrorOptions) {
    super(message, options);
    this.provider = provider;
    this.reason = reason;
  }
}

/** Query parameters whose values are secrets: removed from cache keys, cache files and messages. */
const SECRET_PARAMS = ['api_key', 'apikey', 'token'];

/** The URL with secret query values replaced by `***` (for messages and cache files). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    for (const p of SECRET_PARAMS) if (u.searchParams.has(p)) u.searchParams.set(p, '***');
    return u.toString();
  } catch {
    return url.replace(/(api_key|apikey|token)=[^&\s]*/gi, '$1=***');
  }
}

/**
 * Validates a base URL override (ROTATION_YAHOO_URL …): scheme and host, an optional port, nothing else.
 * Returns the origin (`http://127.0.0.1:8080`).
 */
export function parseBaseUrl(envName: string, text: string): string {
  const bad = (why: string) =>
    new UsageError(
      `${envName} "${text}" is not a base URL: ${why}`,
      `give a scheme and host with an optional port and no path, e.g. ${envName}=http://127.0.0.1:8080`,
    );
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw bad('it does not parse as a URL');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw bad(`the scheme must be http or https`);
  if (u.username || u.password) throw bad('it must not contain credentials');
  if (u.pathname !== '/' || u.search || u.hash) throw bad('it must not have a path, query or fragment');
  return u.origin;
}

export type HttpClientOptions = {
  provider: ProviderName;
  userAgent: string;
  timeoutMs: number;
  retries: number;
  requestsPerSecond: number;
  /** First backoff delay; doubles each retry, with jitter. Tests pass a few ms. */
  backoffBaseMs?: number;
  /** Longest single backoff wait. */
  backoffMaxMs?: number;
  /**
   * Longest Retry-After honoured. A server asking for a longer wait is not waited for: the request fails as
   * rate-limited at once and the client's circuit opens (see `breakerThreshold`).
   */
  maxRetryAfterMs?: number;
  /** Largest response body accepted, in bytes (after decompression); a larger body is refused unread. */
  maxBodyBytes?: number;
  /**
   * Requests that end rate-limited, in a row, after which the client stops asking this host for the rest of the
   * run (every later request fails at once): a rate-limited provider then costs seconds, not minutes per symbol.
   */
  breakerThreshold?: number;
  /** Directory of the response cache; null disables it. */
  cacheDir?: string | null;
  cacheTtlMs?: number;
  /** Injected for tests: the clock and the random source of the jitter. */
  now?: () => number;
  random?: () => number;
};

export type HttpResponse = { status: number; contentType: string; body: string; url: string };

/** A response whose body is kept as bytes (a spreadsheet): the same checks, no text decoding, no cache. */
export type HttpBytesResponse = { status: number; contentType: string; bytes: Uint8Array; url: string };

type CacheEntry = { url: string; fetchedAt: number; status: number; contentType: string; body: string };

const RETRYABLE = new Set([429, 500, 502, 503, 504]);
/** Redirects followed per request (same host only). */
const MAX_REDIRECTS = 5;
/** Default largest body: a full Yahoo history is ~2 MB, a FRED series with every vintage a few MB. */
export const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;
export const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;
export const DEFAULT_BREAKER_THRESHOLD = 2;
/** Connect-level error codes: the host is not there; retrying soon will not help. */
const UNREACHABLE = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
]);

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)));

/** The error code under fetch's `TypeError: fetch failed` (undici puts it in `cause`). */
function errorCode(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let i = 0; i < 4 && cur && typeof cur === 'object'; i++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Retry-After as milliseconds (seconds or an HTTP date), or null. */
export function retryAfterMs(header: string | null, now: number): number | null {
  if (!header) return null;
  const s = Number(header);
  if (Number.isFinite(s) && s >= 0) return s * 1000;
  const t = Date.parse(header);
  return Number.isNaN(t) ? null : Math.max(0, t - now);
}

export class HttpClient {
  readonly provider: ProviderName;
  private readonly o: Required<Omit<HttpClientOptions, 'cacheDir'>> & { cacheDir: string | null };
  private nextSlot = 0;
  /** Why this host is no longer asked in this run (the circuit breaker is open), or null. */
  private open: string | null = null;
  private rateLimitedInARow = 0;

  constructor(options: HttpClientOptions) {
    this.provider = options.provider;
    this.o = {
      backoffBaseMs: 500,
      backoffMaxMs: 30_000,
      maxRetryAfterMs: DEFAULT_MAX_RETRY_AFTER_MS,
      maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
      breakerThreshold: DEFAULT_BREAKER_THRESHOLD,
      cacheTtlMs: 15 * 60_000,
      now: Date.now,
      random: Math.random,
      ...options,
      cacheDir: options.cacheDir ?? null,
    };
  }

  /**
   * GETs `url` and hands the response to `parse`. A response is cached only when it is 2xx and `parse`
   * accepted it, so errors and garbage are never replayed. Throws ProviderError.
   */
  async get<T>(url: string, parse: (res: HttpResponse) => T): Promise<T> {
    const cached = this.readCache(url);
    if (cached) {
      try {
        return parse({ status: cached.status, contentType: cached.contentType, body: cached.body, url });
      } catch {
        // A cache entry the current parser rejects is ignored and refetched.
      }
    }
    const res = await this.fetchWithRetries(url);
    const value = parse(res);
    if (res.status >= 200 && res.status < 300) this.writeCache(url, res);
    return value;
  }

  /**
   * GETs `url` as bytes (timeouts, retries, rate limit and size cap as `get`) and hands them to `parse`. Binary
   * answers are not cached: the cache stores text.
   */
  async getBytes<T>(url: string, parse: (res: HttpBytesResponse) => T): Promise<T> {
    const res = await this.fetchWithRetries(url);
    return parse({ status: res.status, contentType: res.contentType, bytes: res.bytes, url: res.url });
  }

  private async fetchWithRetries(url: string): Promise<HttpResponse & { bytes: Uint8Array }> {
    if (this.open) throw new ProviderError(this.provider, 'rate-limited', this.open);
    try {
      const res = await this.fetchAttempts(url);
      this.rateLimitedInARow = 0;
      return res;
    } catch (e) {
      if (e instanceof ProviderError && e.reason === 'rate-limited') {
        this.rateLimitedInARow++;
        if (this.rateLimitedInARow >= this.o.breakerThreshold && !this.open)
          this.open = `${new URL(url).host} is rate-limiting this run (${this.rateLimitedInARow} requests in a row); not asked again until the next run`;
      }
      throw e;
    }
  }

  private async fetchAttempts(url: string): Promise<HttpResponse & { bytes: Uint8Array }> {
    const shown = redactUrl(url);
    const host = new URL(url).host;
    for (let attempt = 0; ; attempt++) {
      await this.throttle();
      let res: Response;
      let bytes: Buffer;
      let finalUrl: string;
      try {
        ({ res, url: finalUrl } = await this.fetchFollowingSameHost(url));
      } catch (e) {
        if (e instanceof ProviderError) throw e;
        const code = errorCode(e);
        const timedOut = (e as Error).name === 'TimeoutError' || code === 'UND_ERR_CONNECT_TIMEOUT';
        if (code && UNREACHABLE.has(code)) {
          throw new ProviderError(this.provider, 'network', `cannot reach ${host} (${describeCode(code)})`);
        }
        if (attempt < this.o.retries) {
          await sleep(this.backoff(attempt, null));
          continue;
        }
        throw new ProviderError(
          this.provider,
          timedOut ? 'timeout' : 'network',
          timedOut
            ? `${host} did not answer within ${this.o.timeoutMs} ms (${attempt + 1} attempts)`
            : `request to ${shown} failed: ${code ?? (e as Error).message}`,
        );
      }
      try {
        bytes = await this.readBody(res, host);
      } catch (e) {
        if (e instanceof ProviderError && e.reason !== 'network') throw e;
        // The connection dropped mid-body: a truncated response, worth a retry.
        if (attempt < this.o.retries) {
          await sleep(this.backoff(attempt, null));
          continue;
        }
        if (e instanceof ProviderError) throw e;
        throw new ProviderError(
          this.provider,
          'network',
          `${host} cut the response short (${errorCode(e) ?? 'aborted'})`,
        );
      }
      if (RETRYABLE.has(res.status)) {
        const wait = retryAfterMs(res.headers.get('retry-after'), this.o.now());
        if (res.status === 429 && wait !== null && wait > this.o.maxRetryAfterMs) {
          this.open = `${host} asked to wait ${Math.round(wait / 1000)} s (Retry-After), more than the ${Math.round(this.o.maxRetryAfterMs / 1000)} s limit; not asked again until the next run`;
          throw new ProviderError(this.provider, 'rate-limited', this.open);
        }
        if (attempt < this.o.retries) {
          await sleep(this.backoff(attempt, wait === null ? null : Math.min(wait, this.o.maxRetryAfterMs)));
          continue;
        }
        throw new ProviderError(
          this.provider,
          res.status === 429 ? 'rate-limited' : 'http',
          res.status === 429
            ? `${host} kept answering 429 Too Many Requests (${attempt + 1} attempts); lower providers.requestsPerSecond or try later`
            : `${host} answered HTTP ${res.status} (${attempt + 1} attempts)`,
        );
      }
      const body = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
      return {
        status: res.status,
        contentType: res.headers.get('content-type') ?? '',
        body,
        bytes,
        url: finalUrl,
      };
    }
  }

  /** GET with redirects followed only within the same host (a mirror never sends the request elsewhere). */
  private async fetchFollowingSameHost(url: string): Promise<{ res: Response; url: string }> {
    const origin = new URL(url);
    let current = url;
    for (let hop = 0; ; hop++) {
      const res = await fetch(current, {
        headers: { 'User-Agent': this.o.userAgent, Accept: '*/*' },
        signal: AbortSignal.timeout(this.o.timeoutMs),
        redirect: 'manual',
      });
      if (res.status < 300 || res.status >= 400 || res.status === 304) return { res, url: current };
      const location = res.headers.get('location');
      await res.body?.cancel().catch(() => undefined);
      if (!location)
        throw new ProviderError(
          this.provider,
          'http',
          `${origin.host} answered HTTP ${res.status} without a Location`,
        );
      let next: URL;
      try {
        next = new URL(location, current);
      } catch {
        throw new ProviderError(this.provider, 'http', `${origin.host} redirected to an invalid URL`);
      }
      if (next.host !== origin.host || (next.protocol !== 'http:' && next.protocol !== 'https:'))
        throw new ProviderError(
          this.provider,
          'http',
          `${origin.host} redirected to another host (${next.host || next.protocol}); redirects are followed only within the same host`,
        );
      if (hop >= MAX_REDIRECTS)
        throw new ProviderError(
          this.provider,
          'http',
          `${origin.host} redirected more than ${MAX_REDIRECTS} times`,
        );
      current = next.toString();
    }
  }

  /**
   * Reads the body as bytes, refusing it past `maxBodyBytes` (by Content-Length at once, else while
   * reading). A corrupt compressed body is a clean ProviderError; a ref'd timer bounds the whole read, so a
   * stalled stream cannot leave the process with nothing to wait for.
   */
  private async readBody(res: Response, host: string): Promise<Buffer> {
    const max = this.o.maxBodyBytes;
    const tooBig = () =>
      new ProviderError(
        this.provider,
        'schema-mismatch',
        `${host} sent a body larger than ${max} bytes; refused`,
      );
    const declared = Number(res.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > max && !res.headers.get('content-encoding')) {
      await res.body?.cancel().catch(() => undefined);
      throw tooBig();
    }
    if (!res.body) return Buffer.alloc(0);
    const reader = res.body.getReader();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stalled = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new ProviderError(this.provider, 'timeout', `${host} stopped sending the body`)),
        this.o.timeoutMs,
      );
    });
    const chunks: Uint8Array[] = [];
    let n = 0;
    try {
      for (;;) {
        const { done, value } = await Promise.race([reader.read(), stalled]);
        if (done) break;
        n += value.byteLength;
        if (n > max) {
          await reader.cancel().catch(() => undefined);
          throw tooBig();
        }
        chunks.push(value);
      }
    } catch (e) {
      if (e instanceof ProviderError) throw e;
      const code = errorCode(e);
      if (code && /^Z_/.test(code))
        throw new ProviderError(
          this.provider,
          'schema-mismatch',
          `${host} sent a corrupt compressed body (${code})`,
        );
      throw e;
    } finally {
      clearTimeout(timer);
    }
    return Buffer.concat(chunks);
  }

  /** Exponential backoff with "equal jitter": half fixed, half random; Retry-After wins when larger. */
  private backoff(attempt: number, retryAfter: number | null): number {
    const exp = Math.min(this.o.backoffMaxMs, this.o.backoffBaseMs * 2 ** attempt);
    const jittered = exp / 2 + this.o.random() * (exp / 2);
    return Math.min(this.o.backoffMaxMs, Math.max(jittered, retryAfter ?? 0));
  }

  /** Spaces request starts at least 1/requestsPerSecond apart. */
  private async throttle(): Promise<void> {
    const gap = 1000 / this.o.requestsPerSecond;
    const now = this.o.now();
    const at = Math.max(now, this.nextSlot);
    this.nextSlot = at + gap;
    if (at > now) await sleep(at - now);
  }

  /** Cache file name: a hash of the URL without its secrets, so keys never reach the disk. */
  private cachePath(url: string): string | null {
    if (!this.o.cacheDir) return null;
    const key = createHash('sha256').update(stripSecrets(url)).digest('hex').slice(0, 32);
    return join(this.o.cacheDir, `${this.provider}-${key}.json`);
  }

  private readCache(url: string): CacheEntry | null {
    const path = this.cachePath(url);
    if (!path) return null;
    try {
      const entry = JSON.parse(readFileSync(path, 'utf8')) as CacheEntry;
      if (this.o.now() - entry.fetchedAt > this.o.cacheTtlMs) return null;
      return entry;
    } catch {
      return null;
    }
  }

  private writeCache(url: string, res: HttpResponse): void {
    const path = this.cachePath(url);
    if (!path || !this.o.cacheDir) return;
    try {
      mkdirSync(this.o.cacheDir, { recursive: true });
      const entry: CacheEntry = {
        url: redactUrl(url),
        fetchedAt: this.o.now(),
        status: res.status,
        contentType: res.contentType,
        body: res.body,
      };
      const tmp = `${path}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(entry));
      renameSync(tmp, path);
    } catch {
      // The cache is an optimisation: a read-only disk must not fail a sync.
    }
  }
}

function stripSecrets(url: string): string {
  const u = new URL(url);
  for (const p of SECRET_PARAMS) u.searchParams.delete(p);
  return u.toString();
}

function describeCode(code: string): string {
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'DNS lookup failed';
    case 'ECONNREFUSED':
      return 'connection refused';
    default:
      return code;
  }
}

/**
 * Checks quickly whether a TCP connection to the origin's host can be opened (DNS failure and refused
 * connections answer at once; a silent network gives up after `timeoutMs`). Null when reachable, else why not.
 */
export function probeHost(origin: string, timeoutMs = 3000): Promise<string | null> {
  const u = new URL(origin);
  const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
  const host = u.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (why: string | null) => {
      socket.destroy();
      resolve(why);
    };
    socket.setTimeout(timeoutMs, () => done(`no answer within ${timeoutMs} ms`));
    socket.once('connect', () => done(null));
    socket.once('error', (e) => done(describeCode(errorCode(e) ?? e.message)));
  });
}
