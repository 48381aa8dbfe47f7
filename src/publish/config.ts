import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { parseWindow } from '../core/window.js';
import { readTextCapped } from '../data/files.js';
import { InputError } from '../shared/errors.js';
import { isAddressOrNetwork } from './client-address.js';
import type { WebhookTarget } from './webhooks.js';

/** The publish settings file: `rotation.publish.json` in the working directory, or `--publish-config PATH`. */
export const DEFAULT_PUBLISH_FILE = 'rotation.publish.json';

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a New York time as HH:MM, e.g. 17:30');
const symbol = z.string().min(1).max(40);
const ruleId = z.string().regex(/^[a-z0-9-]{1,40}$/);
/** A window in the CLI's grammar (`ytd`, `first:7`, `q1`, …), checked when the config is read. */
const windowText = z.string().refine(
  (w) => {
    try {
      parseWindow(w);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'not a window (ytd, first:N, jan…dec, q1…q4, rolling:N, year, range:A..B)' },
);

export const AlertRuleSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    id: ruleId,
    kind: z.literal('rrg-quadrant'),
    /** Symbols (default: the 11 sector SPDRs) against the benchmark (default SPY). */
    symbols: z.array(symbol).min(1).optional(),
    benchmark: symbol.optional(),
    /** Hysteresis: a new quadrant must hold this many weekly points in a row before it is an alert. */
    confirmPeriods: z.number().int().min(1).max(10).default(2),
  }),
  z.strictObject({
    id: ruleId,
    kind: z.literal('race-leader'),
    a: symbol,
    b: symbol,
    window: windowText.default('ytd'),
  }),
  z.strictObject({
    id: ruleId,
    kind: z.literal('first-since'),
    a: symbol,
    b: symbol,
    /** The window of the claim check ("A beat B over the first 7 sessions of 2026 for the first time since 2019"). */
    window: windowText.default('first:7'),
    /** Years without it before it counts as news: 2 = not in the previous year at least. */
    minYears: z.number().int().min(2).max(100).default(2),
  }),
  z.strictObject({
    id: ruleId,
    kind: z.literal('extreme'),
    symbols: z.array(symbol).min(1),
    /** Sessions looked back for the high or low (252 is a year). */
    lookback: z.number().int().min(20).max(5000).default(252),
  }),
  z.strictObject({
    id: ruleId,
    kind: z.literal('flows-extreme'),
    /** Flow series whose group starts with this (`sector:`, `ici:`); default every stored flow series. */
    group: z.string().min(1).max(80).optional(),
    /** A new week whose z-score against the 52 weeks before it is at least this far from 0. */
    minZ: z.number().min(1).max(10).default(2),
  }),
  z.strictObject({
    id: ruleId,
    kind: z.literal('positioning-extreme'),
    group: z.string().min(1).max(80).optional(),
    /** `52w`: a new reading at the top or bottom of its 52-week range (COT index 100 or 0); `3y`: of 3 years. */
    span: z.enum(['52w', '3y']).default('52w'),
  }),
]);
export type AlertRule = z.infer<typeof AlertRuleSchema>;

export const PublishConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  /** The public origin of `rotation serve`, for the links in mails (confirm, unsubscribe, the archive). */
  baseUrl: z.url().default('http://127.0.0.1:8080'),
  from: z.string().min(3).default('Rotation Desk <brief@rotation-desk.invalid>'),
  /** Where the daily run writes the archived briefs and the feeds. */
  archiveDir: z.string().default('briefs'),
  send: z
    .strictObject({
      ratePerSecond: z.number().positive().max(1000).default(5),
      maxAttempts: z.number().int().min(1).max(20).default(5),
      backoffMs: z.number().int().min(0).default(30_000),
      maxWaitMs: z.number().int().min(0).default(120_000),
    })
    .default({ ratePerSecond: 5, maxAttempts: 5, backoffMs: 30_000, maxWaitMs: 120_000 }),
  webhooks: z
    .array(
      z.strictObject({
        id: z.string().regex(/^[a-z0-9-]{1,40}$/),
        url: z.url(),
        /** The environment variable that holds this webhook's signing secret (never the secret itself). */
        secretEnv: z.string().regex(/^[A-Z][A-Z0-9_]{2,60}$/),
      }),
    )
    .default([]),
  alerts: z.array(AlertRuleSchema).default([]),
  schedule: z.strictObject({ time }).default({ time: '17:30' }),
  /**
   * The reverse proxies in front of `rotation serve --publish`: a request from one of `proxies` is attributed to
   * the client address `header` names (the per-client subscribe throttle). Absent: the connection's address.
   */
  trustProxy: z
    .strictObject({
      header: z.enum(['x-forwarded-for', 'forwarded']),
      proxies: z
        .array(
          z.string().refine(isAddressOrNetwork, {
            message: 'not an IP address or network (192.0.2.1, 10.0.0.0/8, ::1, fd00::/8)',
          }),
        )
        .min(1),
    })
    .optional(),
});
export type PublishConfig = z.infer<typeof PublishConfigSchema>;

export function parsePublishConfig(doc: unknown, file = DEFAULT_PUBLISH_FILE): PublishConfig {
  const parsed = PublishConfigSchema.safeParse(doc ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join('.') ?? '';
    const keys = issue && 'keys' in issue ? (issue.keys as string[]).join(', ') : '';
    const message =
      issue?.code === 'unrecognized_keys' ? `unknown key ${keys}` : (issue?.message ?? 'invalid');
    throw new InputError(message, { file, ...(path ? { field: path } : {}) });
  }
  const ids = new Set<string>();
  for (const [i, r] of parsed.data.alerts.entries()) {
    if (ids.has(r.id))
      throw new InputError(`alert id "${r.id}" appears twice`, { file, field: `alerts.${i}.id` });
    ids.add(r.id);
  }
  return parsed.data;
}

/** Loads `path`, or ./rotation.publish.json when it exists, else the defaults. */
export function loadPublishConfig(path?: string): PublishConfig {
  const file = resolve(path ?? DEFAULT_PUBLISH_FILE);
  if (!existsSync(file)) {
    if (path) throw new InputError('publish config file not found', { file: path });
    return parsePublishConfig({});
  }
  const text = readTextCapped(file, 1024 * 1024, 'a publish config file');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new InputError(`not valid JSON (${(e as Error).message})`, { file });
  }
  return parsePublishConfig(doc, file);
}

/** The webhook targets with their secrets from the environment; a missing secret is an error naming the variable. */
export function webhookTargets(
  config: PublishConfig,
  env: Record<string, string | undefined>,
): WebhookTarget[] {
  return config.webhooks.map((w, i) => {
    const secret = env[w.secretEnv];
    if (!secret || secret.length < 16)
      throw new InputError(
        `${w.secretEnv} is not set (or shorter than 16 characters): webhook "${w.id}" needs its signing secret`,
        {
          field: `webhooks.${i}.secretEnv`,
        },
      );
    return { id: w.id, url: w.url, secret };
  });
}
