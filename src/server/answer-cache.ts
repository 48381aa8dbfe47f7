import { deflateSync, gzipSync } from 'node:zlib';
import type { MiddlewareHandler } from 'hono';
import { parseAccept } from 'hono/utils/accept';

/**
 * The cached path (docs/serve.md): a computed answer of a GET route, kept per snapshot as the bytes the full path
 * sent (body, ETag and every header the middleware set, security headers included), is answered by the first
 * middleware from a normalised URL key, before the query is parsed and before any other middleware runs.
 *
 * The entry is captured from the full path's own response, so a hit carries the same headers as the miss that
 * filled it. What the later middleware would have done per request is redone here from that capture: 304 on a
 * matching If-None-Match (etag), gzip or deflate when asked (compress: its weak ETag, the body compressed once per
 * entry and encoding), no body for HEAD.
 */
type Entry = {
  body: Uint8Array<ArrayBuffer>;
  etag: string;
  /** The 200's headers (with its ETag, without content-length and content-encoding), and the 304's. */
  identity: Record<string, string>;
  notModified: Record<string, string>;
  /** The full path compresses this answer when asked (it said so with `Vary: Accept-Encoding`). */
  compressible: boolean;
  /** Each encoding's body and headers, made on its first request. */
  encoded: Map<Encoding, { body: Uint8Array<ArrayBuffer>; headers: Record<string, string> }>;
};

type Encoding = 'gzip' | 'deflate';
const ENCODINGS: readonly Encoding[] = ['gzip', 'deflate'];

/** The encoding hono's compress() picks for an Accept-Encoding header (the same rule: q = 1 first, else best q). */
export function selectEncoding(header: string | undefined): Encoding | undefined {
  if (header === undefined) return undefined;
  const accepts = parseAccept(header);
  const wildcardQ = accepts.find((a) => a.type === '*')?.q;
  let best: { encoding: Encoding; q: number } | undefined;
  for (const enc of ENCODINGS) {
    const explicit = accepts.find((a) => a.type.toLowerCase() === enc);
    const q = explicit ? explicit.q : (wildcardQ ?? 0);
    if (q === 1) return enc;
    if (q > 0 && (!best || q > best.q)) best = { encoding: enc, q };
  }
  return best?.encoding;
}

const stripWeak = (tag: string) => tag.replace(/^W\//, '');

/** If-None-Match names this ETag (weak or strong, as hono's etag() compares), or is `*`. */
function matches(etag: string, ifNoneMatch: string): boolean {
  if (ifNoneMatch.trim() === '*') return true;
  const expected = stripWeak(etag);
  return ifNoneMatch.match(/"[^"]*"/g)?.some((t) => t === expected) ?? false;
}

/**
 * The cache key: the path, its query parameters sorted (their order changes no answer), and whether the Accept
 * header asks for CSV (it may choose the format). Null for what is never cached: other methods, other paths.
 */
export function cacheKey(method: string, url: string, accept: string | undefined): string | null {
  if (method !== 'GET' && method !== 'HEAD') return null;
  const start = url.indexOf('/', url.indexOf('//') + 2);
  if (start < 0 || !url.startsWith('/api/v1/', start)) return null;
  const q = url.indexOf('?', start);
  const path = q < 0 ? url.slice(start) : url.slice(start, q);
  const query =
    q < 0
      ? ''
      : url
          .slice(q + 1)
          .split('&')
          .filter((p) => p !== '')
          .sort()
          .join('&');
  const csv = accept !== undefined && /\btext\/csv\b/i.test(accept) && !/\bapplication\/json\b/i.test(accept);
  return `${csv ? 'csv' : 'json'} ${path}?${query}`;
}

export type AnswerCache = {
  /** The first middleware of the app: a hit answers here; a miss runs the full path and may fill an entry. */
  middleware: MiddlewareHandler;
  /** A GET route offers its computed answer (the body and its ETag) for the cache; kept only if it is a 200. */
  offer: (req: Request, body: string, etag: string) => void;
};

/** Answers kept per snapshot id (`version()`); a new id empties the cache, `maxEntries` bounds it (oldest out). */
export function answerCache(version: () => string, maxEntries: number): AnswerCache {
  const offered = new WeakMap<Request, { body: string; etag: string }>();
  const entries = new Map<string, Entry>();
  let at: string | null = null;

  const middleware: MiddlewareHandler = async (c, next) => {
    const req = c.req.raw;
    const key = cacheKey(req.method, req.url, req.headers.get('accept') ?? undefined);
    if (key === null) return next();
    const v = version();
    if (v !== at) {
      entries.clear();
      at = v;
    }
    const hit = entries.get(key);
    if (hit) return answer(hit, req);
    await next();
    const got = offered.get(req);
    // Kept only when the data did not change while it was computed (the answer belongs to the id it started on).
    if (!got || req.method !== 'GET' || c.res.status !== 200 || version() !== v || at !== v) return;
    const base: Record<string, string> = {};
    c.res.headers.forEach((value, name) => {
      if (name !== 'content-length' && name !== 'content-encoding' && name !== 'etag') base[name] = value;
    });
    const notModified: Record<string, string> = { ...base, etag: got.etag };
    delete notModified['content-type'];
    if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
    entries.set(key, {
      body: new Uint8Array(Buffer.from(got.body)),
      etag: got.etag,
      identity: { ...base, etag: got.etag },
      notModified,
      compressible: /(?:^|,)\s*accept-encoding\s*(?:,|$)/i.test(base['vary'] ?? ''),
      encoded: new Map(),
    });
  };

  return {
    middleware,
    offer: (req, body, etag) => offered.set(req, { body, etag }),
  };
}

function answer(e: Entry, req: Request): Response {
  const ifNoneMatch = req.headers.get('if-none-match');
  if (ifNoneMatch !== null && matches(e.etag, ifNoneMatch))
    return new Response(null, { status: 304, headers: e.notModified });
  if (req.method === 'HEAD') return new Response(null, { status: 200, headers: e.identity });
  const encoding = e.compressible
    ? selectEncoding(req.headers.get('accept-encoding') ?? undefined)
    : undefined;
  if (!encoding) return new Response(e.body, { status: 200, headers: e.identity });
  let v = e.encoded.get(encoding);
  if (!v) {
    const body = new Uint8Array(encoding === 'gzip' ? gzipSync(e.body) : deflateSync(e.body));
    // Compressed, the answer is no longer the same bytes: its ETag is weak (as compress() marks it).
    v = { body, headers: { ...e.identity, etag: `W/${e.etag}`, 'content-encoding': encoding } };
    e.encoded.set(encoding, v);
  }
  return new Response(v.body, { status: 200, headers: v.headers });
}
