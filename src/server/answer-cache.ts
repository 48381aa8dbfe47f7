import type { IncomingHttpHeaders } from 'node:http';
import { promisify } from 'node:util';
import {
  brotliCompress,
  brotliCompressSync,
  constants,
  deflate,
  deflateSync,
  gzip,
  gzipSync,
  type BrotliOptions,
  type ZlibOptions,
} from 'node:zlib';
import type { MiddlewareHandler } from 'hono';
import { parseAccept } from 'hono/utils/accept';
import { COMPRESSIBLE_CONTENT_TYPE_REGEX } from 'hono/utils/compress';

/**
 * The cached path (docs/serve.md): a computed answer of a GET route, kept per snapshot as the bytes the full path
 * sent (body, ETag and every header the middleware set, security headers included), is answered from a normalised
 * URL key before hono routes the request: `lookup` runs in front of the app's fetch, synchronously, and answers
 * with a body already encoded (and compressed) and headers already built, so a hit does no JSON, no hashing, no
 * compression and no string encoding, and @hono/node-server writes it on its direct path (a plain body and a plain
 * header object returned without a promise).
 *
 * The entry is captured from the full path's own response (the app's first middleware), so a hit carries the same
 * headers as the miss that filled it. What the later middleware would have done per request is redone from that
 * capture: 304 on a matching If-None-Match, the compressed body when asked (the encoding `selectEncoding` picks,
 * the one the full path's `compressAnswers` picks too: its weak ETag and `Vary`), no body for HEAD. The compressed bodies are made when
 * the entry is filled, off the event loop (zlib's thread pool); a hit that arrives before they are ready compresses
 * its encoding at once.
 */
type Variant = { body: Uint8Array<ArrayBuffer>; headers: Record<string, string> };

type Entry = {
  identity: Variant;
  etag: string;
  /** The 304's headers (the 200's without content-type and content-length). */
  notModified: Record<string, string>;
  /** The HEAD's headers (the 200's; node sends no body for HEAD). */
  head: Record<string, string>;
  /** The full path compresses this answer when asked (it said so with `Vary: Accept-Encoding`). */
  compressible: boolean;
  encoded: Map<Encoding, Variant>;
};

export type Encoding = 'br' | 'gzip' | 'deflate';
/** Preference on equal q: br is the smallest (the race's 66 kB: br 5.6 kB, gzip 6.4 kB), then gzip. */
const ENCODINGS: readonly Encoding[] = ['br', 'gzip', 'deflate'];

/** Brotli quality 6: 66 kB in a few ms (quality 11 takes half a second for 20% less), gzip at its best level. */
const BROTLI: BrotliOptions = { params: { [constants.BROTLI_PARAM_QUALITY]: 6 } };
const GZIP: ZlibOptions = { level: 9 };
const compressAsync = {
  br: (b: Uint8Array) => promisify(brotliCompress)(b, BROTLI),
  gzip: (b: Uint8Array) => promisify(gzip)(b, GZIP),
  deflate: (b: Uint8Array) => promisify(deflate)(b, GZIP),
};
const compressSync = {
  br: (b: Uint8Array) => brotliCompressSync(b, BROTLI),
  gzip: (b: Uint8Array) => gzipSync(b, GZIP),
  deflate: (b: Uint8Array) => deflateSync(b, GZIP),
};

/**
 * The encoding to send for an Accept-Encoding header: the highest q above 0 (an explicit q, else `*`'s), br first
 * on a tie, then gzip, then deflate (compress()'s order). Undefined: identity.
 */
export function selectEncoding(header: string | undefined): Encoding | undefined {
  if (header === undefined || header === '') return undefined;
  // Clients send few distinct headers (a browser one): each is parsed once.
  const known = chosen.get(header);
  if (known !== undefined || chosen.has(header)) return known;
  const pick = pickEncoding(header);
  if (chosen.size >= 256) chosen.clear();
  chosen.set(header, pick);
  return pick;
}
const chosen = new Map<string, Encoding | undefined>();

function pickEncoding(header: string): Encoding | undefined {
  const accepts = parseAccept(header);
  const wildcardQ = accepts.find((a) => a.type === '*')?.q;
  let best: { encoding: Encoding; q: number } | undefined;
  for (const enc of ENCODINGS) {
    const explicit = accepts.find((a) => a.type.toLowerCase() === enc);
    const q = explicit ? explicit.q : (wildcardQ ?? 0);
    if (q > 0 && (!best || q > best.q)) best = { encoding: enc, q };
  }
  return best?.encoding;
}

const NO_TRANSFORM = /(?:^|,)\s*?no-transform\s*?(?:,|$)/i;
const VARY_ACCEPT_ENCODING = /(?:^|,)\s*accept-encoding\s*(?:,|$)/i;

/**
 * The full path's compression (in place of hono's compress(), whose choice differed from a hit's: it makes no br):
 * the same rules as compress() (no 206, HEAD, already encoded or no-transform answer, nor one under `threshold`
 * bytes or of a type that does not compress; `Vary: Accept-Encoding` on what may be compressed, a weak ETag on
 * what is), the encoding chosen by `selectEncoding` and made by the same zlib settings as the cache's, so that a
 * miss and the hit after it send the same encoding and the same bytes.
 */
export function compressAnswers(threshold = 1024): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const res = c.res;
    const length = res.headers.get('content-length');
    const type = res.headers.get('content-type');
    if (
      res.status === 206 ||
      res.headers.has('content-encoding') ||
      res.headers.has('transfer-encoding') ||
      c.req.method === 'HEAD' ||
      (length !== null && Number(length) < threshold) ||
      !type ||
      !COMPRESSIBLE_CONTENT_TYPE_REGEX.test(type) ||
      NO_TRANSFORM.test(res.headers.get('cache-control') ?? '')
    )
      return;
    const vary = res.headers.get('vary');
    if (vary !== '*' && !(vary && VARY_ACCEPT_ENCODING.test(vary)))
      c.header('vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding');
    const encoding = selectEncoding(c.req.header('accept-encoding'));
    if (!encoding || !c.res.body) return;
    const out = await compressAsync[encoding](new Uint8Array(await c.res.arrayBuffer()));
    const body = new Uint8Array(out.buffer, out.byteOffset, out.byteLength) as Uint8Array<ArrayBuffer>;
    // Set after the new Response: hono's c.res setter copies the old answer's headers over the new one's.
    c.res = new Response(body, c.res);
    const headers = c.res.headers;
    headers.set('content-encoding', encoding);
    headers.set('content-length', String(body.byteLength));
    const tag = headers.get('etag');
    if (tag && !tag.startsWith('W/')) headers.set('etag', `W/${tag}`);
  };
}

const stripWeak = (tag: string) => tag.replace(/^W\//, '');

/** If-None-Match names this ETag (weak or strong, as hono's etag() compares), or is `*`. */
function matches(etag: string, ifNoneMatch: string): boolean {
  if (ifNoneMatch.trim() === '*') return true;
  const expected = stripWeak(etag);
  return ifNoneMatch.match(/"[^"]*"/g)?.some((t) => t === expected) ?? false;
}

/**
 * The cache key: the path, its query parameters in a canonical order, and whether the Accept header asks for CSV
 * (it may choose the format). Null for what is never cached: other methods, other paths.
 *
 * The canonical order sorts parameters by name and keeps the order of a repeated name's values (a stable sort):
 * `a=1&b=2` and `b=2&a=1` are one answer, `symbols=XLK&symbols=XLE` and `symbols=XLE&symbols=XLK` two, since a
 * list's order may change an answer (today a repeated parameter is a 400, and errors are never cached; the key
 * does not rely on that).
 */
export function cacheKey(method: string, url: string, accept: string | undefined): string | null {
  if (method !== 'GET' && method !== 'HEAD') return null;
  const start = url.indexOf('/', url.indexOf('//') + 2);
  if (start < 0 || !url.startsWith('/api/v1/', start)) return null;
  const q = url.indexOf('?', start);
  const hash = url.indexOf('#', start);
  const end = hash < 0 ? url.length : hash;
  const path = q < 0 || q > end ? url.slice(start, end) : url.slice(start, q);
  const query =
    q < 0 || q > end
      ? ''
      : url
          .slice(q + 1, end)
          .split('&')
          .filter((p) => p !== '')
          .map((p) => ({ p, name: p.split('=', 1)[0] as string }))
          .sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0))
          .map((x) => x.p)
          .join('&');
  const csv = accept !== undefined && /\btext\/csv\b/i.test(accept) && !/\bapplication\/json\b/i.test(accept);
  return `${csv ? 'csv' : 'json'} ${path}?${query}`;
}

/** @hono/node-server passes the node request as `env.incoming`: its headers are read without building Headers. */
type NodeEnv = { incoming?: { headers?: IncomingHttpHeaders } } | undefined;

export type AnswerCache = {
  /**
   * In front of the app's fetch: a hit's Response, synchronously; null for anything else (a miss, another method,
   * another path), which the app then answers and may cache.
   */
  lookup: (req: Request, env?: unknown) => Response | null;
  /** The first middleware of the app: on a miss it runs the full path and may fill an entry from its response. */
  middleware: MiddlewareHandler;
  /** A GET route offers its computed answer (the body and its ETag) for the cache; kept only if it is a 200. */
  offer: (req: Request, body: string, etag: string) => void;
};

/** Answers kept per snapshot id (`version()`); a new id empties the cache, `maxEntries` bounds it (oldest out). */
export function answerCache(version: () => string, maxEntries: number): AnswerCache {
  const offered = new WeakMap<Request, { body: string; etag: string }>();
  const entries = new Map<string, Entry>();
  /** A request's Accept header and URL as sent, to the entry its canonical key found (cleared with the entries). */
  const spelled = new Map<string, Entry>();
  let at: string | null = null;

  /** The entries of the current snapshot (a new id empties them first). */
  const current = (): { v: string } => {
    const v = version();
    if (v !== at) {
      entries.clear();
      spelled.clear();
      at = v;
    }
    return { v };
  };

  const lookup = (req: Request, env?: unknown): Response | null => {
    const method = req.method;
    if (method !== 'GET' && method !== 'HEAD') return null;
    const node = (env as NodeEnv)?.incoming?.headers;
    const header = node
      ? (name: string) => {
          const h = node[name];
          return Array.isArray(h) ? h.join(', ') : h;
        }
      : (name: string) => req.headers.get(name) ?? undefined;
    current();
    // The URL as sent is looked up first (a client repeats its own spelling); the canonical key once per spelling.
    const accept = header('accept');
    const url = req.url;
    const raw = `${accept === undefined ? '' : accept} ${url}`;
    let hit = spelled.get(raw);
    if (!hit) {
      const key = cacheKey(method, url, accept);
      if (key === null) return null;
      hit = entries.get(key);
      if (!hit) return null;
      if (spelled.size >= maxEntries * 4) spelled.clear();
      spelled.set(raw, hit);
    }
    return answer(hit, method, header);
  };

  const middleware: MiddlewareHandler = async (c, next) => {
    const req = c.req.raw;
    const key = cacheKey(req.method, req.url, req.headers.get('accept') ?? undefined);
    if (key === null) return next();
    const { v } = current();
    await next();
    const got = offered.get(req);
    // Kept only when the data did not change while it was computed (the answer belongs to the id it started on).
    if (!got || req.method !== 'GET' || c.res.status !== 200 || version() !== v || at !== v) return;
    const base: Record<string, string> = {};
    c.res.headers.forEach((value, name) => {
      if (name !== 'content-length' && name !== 'content-encoding' && name !== 'etag') base[name] = value;
    });
    const body = new Uint8Array(Buffer.from(got.body));
    const identity = { ...base, etag: got.etag, 'content-length': String(body.byteLength) };
    const notModified: Record<string, string> = { ...base, etag: got.etag };
    delete notModified['content-type'];
    const entry: Entry = {
      identity: { body, headers: identity },
      etag: got.etag,
      notModified,
      head: identity,
      compressible: /(?:^|,)\s*accept-encoding\s*(?:,|$)/i.test(base['vary'] ?? ''),
      encoded: new Map(),
    };
    if (entries.size >= maxEntries) {
      entries.delete(entries.keys().next().value as string);
      // A spelling may point at the entry that went out: they are rebuilt from the canonical keys.
      spelled.clear();
    }
    entries.set(key, entry);
    if (entry.compressible)
      for (const enc of ENCODINGS)
        void compressAsync[enc](body).then(
          (out) => {
            if (!entry.encoded.has(enc)) entry.encoded.set(enc, variant(entry, enc, out));
          },
          // A failed background compression leaves the encoding to be made on its first hit.
          () => {},
        );
  };

  return {
    lookup,
    middleware,
    offer: (req, body, etag) => offered.set(req, { body, etag }),
  };
}

function variant(e: Entry, encoding: Encoding, out: Buffer): Variant {
  const body = new Uint8Array(out.buffer, out.byteOffset, out.byteLength) as Uint8Array<ArrayBuffer>;
  // Compressed, the answer is no longer the same bytes: its ETag is weak (as compress() marks it).
  const headers = {
    ...e.identity.headers,
    etag: `W/${e.etag}`,
    'content-encoding': encoding,
    'content-length': String(body.byteLength),
  };
  return { body, headers };
}

function answer(e: Entry, method: string, header: (name: string) => string | undefined): Response {
  const ifNoneMatch = header('if-none-match');
  if (ifNoneMatch !== undefined && matches(e.etag, ifNoneMatch))
    return new Response(null, { status: 304, headers: e.notModified });
  if (method === 'HEAD') return new Response(null, { status: 200, headers: e.head });
  const encoding = e.compressible ? selectEncoding(header('accept-encoding')) : undefined;
  if (!encoding) return new Response(e.identity.body, { status: 200, headers: e.identity.headers });
  let v = e.encoded.get(encoding);
  if (!v) {
    v = variant(e, encoding, compressSync[encoding](e.identity.body));
    e.encoded.set(encoding, v);
  }
  return new Response(v.body, { status: 200, headers: v.headers });
}
