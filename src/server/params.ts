import type { Context } from 'hono';
import type { z } from 'zod';
import { parseBasis } from '../core/series/types.js';
import type { Config } from '../data/config.js';
import { parseCondition } from '../data/options.js';
import type { TradingDate } from '../shared/brand.js';
import { parseIsoDate } from '../shared/dates.js';
import { UsageError } from '../shared/errors.js';
import { HttpProblem } from './problem.js';
import { QUERIES, type Query, type QueryName } from './schemas.js';

/** A request whose answer carries its own Content-Security-Policy (the brief's HTML). */
export const CSP_OVERRIDE = new WeakMap<Request, string>();

/** Request parameters: checked by the zod schemas, then parsed by the functions the CLI calls. */

/** A path echoed in an error: printable ASCII only and short, so no hostile text is reflected whole. */
export function safePath(p: string): string {
  const s = p.replace(/[^\x20-\x7e]/g, '?');
  return s.length > 80 ? `${s.slice(0, 80)}…` : s;
}

export function validate<K extends QueryName>(name: K, c: Context): Query<K> {
  const raw = c.req.queries();
  const flat: Record<string, string> = {};
  for (const [k, vs] of Object.entries(raw)) {
    if (vs.length !== 1)
      throw new HttpProblem(400, `${safePath(k)} is given ${vs.length} times`, safePath(k));
    flat[k] = vs[0] as string;
  }
  const schema: z.ZodType = QUERIES[name];
  const parsed = schema.safeParse(flat);
  if (parsed.success) return parsed.data as Query<K>;
  const issue = parsed.error.issues[0];
  const key = issue?.code === 'unrecognized_keys' ? (issue.keys[0] ?? '') : String(issue?.path[0] ?? 'query');
  const detail =
    issue?.code === 'unrecognized_keys'
      ? `unknown query parameter ${safePath(key)}`
      : `${safePath(key)}: ${issue?.message ?? 'invalid'}`;
  throw new HttpProblem(400, detail, safePath(key));
}

export function wantsCsv(c: Context, format: string | undefined): boolean {
  if (format) return format === 'csv';
  const accept = c.req.header('accept') ?? '';
  return /\btext\/csv\b/i.test(accept) && !/\bapplication\/json\b/i.test(accept);
}

/** Runs a CLI parser; its usage error becomes a 400 naming the query parameter. */
export function param<T>(name: string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof UsageError)
      throw new HttpProblem(
        400,
        `${name}: ${e.message.replace(/--[a-z-]+/g, name)}${e.hint ? `; ${e.hint}` : ''}`,
        name,
      );
    throw e;
  }
}

export function dateParam(name: string, text: string | undefined): TradingDate | undefined {
  if (text === undefined) return undefined;
  const d = parseIsoDate(text);
  if (!d) throw new HttpProblem(400, `${name} "${text}" is not a date; write YYYY-MM-DD`, name);
  return d;
}

export function symbolParam(text: string, name = 'symbol'): string {
  if (!/^[A-Za-z0-9^._=-]{1,24}$/.test(text))
    throw new HttpProblem(400, `${name} "${safePath(text)}" is not a symbol`, name);
  return text;
}

/**
 * The options every analytics run takes. `due` is the last completed NYSE session (AppDeps.lastCompletedSession):
 * without `as_of`, legs that end before it are labelled stale, as the command labels them.
 */
export function commonOf(
  q: { as_of?: string | undefined; basis?: string | undefined },
  config: Config,
  due: TradingDate | undefined,
) {
  return {
    asOf: dateParam('as_of', q.as_of),
    basis: param('basis', () => parseBasis(q.basis ?? 'price')),
    config,
    due,
  };
}

export function conditionOf(q: Query<'precedents'>) {
  const beats = q.beats?.split(',').map((x) => symbolParam(x.trim(), 'beats'));
  return param(q.beats ? 'beats' : 'extreme', () =>
    parseCondition({
      ...(beats ? { beats } : {}),
      ...(q.window ? { window: q.window } : {}),
      ...(q.min_spread ? { minSpread: q.min_spread } : {}),
      ...(q.extreme ? { extreme: q.extreme } : {}),
      ...(q.side ? { side: q.side } : {}),
      ...(q.lookback ? { lookback: q.lookback } : {}),
    }),
  );
}
