/**
 * The schema of rotation.config.json (zod), and its parser. Loaded only when a config file is read
 * (`loadConfig` in config.ts imports it then): zod costs a command's start-up more than a bare `node` start.
 */
import { z } from 'zod';
import { InputError } from '../shared/errors.js';
import { CLOSE_BASES } from '../shared/domain.js';
import { SYMBOL_RE, SYMBOL_RULE } from '../shared/identifiers.js';
import { DEFAULT_CONFIG, DEFAULT_CONFIG_FILE } from './config-defaults.js';

// The one symbol rule of every entry point (shared/identifiers.ts): no leading formula character (`=`, `-`).
const Symbol = z.string().regex(SYMBOL_RE, `not a valid symbol: ${SYMBOL_RULE}`);

export const BasketSchema = z.strictObject({
  name: z.string().min(1),
  members: z.array(Symbol).min(1),
  /** equal: 1/n each at every rebalance; cap: the weights given (normalised to sum to 1). */
  weighting: z.enum(['equal', 'cap']).default('equal'),
  weights: z.record(z.string(), z.number().positive()).optional(),
  rebalance: z.enum(['daily', 'monthly', 'quarterly']).default('quarterly'),
  description: z.string().optional(),
});
export type BasketConfig = z.infer<typeof BasketSchema>;

const ProviderName = z.enum(['yahoo', 'stooq', 'fred']);
/** Rate limits may name every HTTP provider, the CFTC's reporting service included. */
const HttpProviderName = z.enum(['yahoo', 'stooq', 'fred', 'cftc', 'ici']);

export const ConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  universe: z
    .strictObject({
      symbols: z.array(Symbol).default([]),
      fred: z.array(Symbol).default([]),
      /** CFTC contract market codes synced from the Traders in Financial Futures report. */
      cftc: z
        .array(z.string().regex(/^[0-9A-Z]{5,6}$/, 'not a CFTC contract code (e.g. 239742)'))
        .default([]),
    })
    .default({ symbols: [], fred: [], cftc: [] }),
  baskets: z.record(Symbol, BasketSchema).default({}),
  benchmarks: z
    .strictObject({
      smallCaps: Symbol.default('IWM'),
      bigTech: Symbol.default('QQQ'),
      market: Symbol.default('SPY'),
      sectors: z.array(Symbol).default([]),
    })
    .default({ smallCaps: 'IWM', bigTech: 'QQQ', market: 'SPY', sectors: [] }),
  /**
   * What close columns hold, per folder or file (docs/import.md "Basis"): `{ "path": "etf_daily", "basis":
   * "adjusted" }` declares the closes of every file under a folder named etf_daily dividend-adjusted. `--basis`
   * on `rotation import` wins over these; the first matching entry wins.
   */
  imports: z
    .strictObject({
      basis: z.array(z.strictObject({ path: z.string().min(1), basis: z.enum(CLOSE_BASES) })).default([]),
    })
    .default({ basis: [] }),
  providers: z
    .strictObject({
      order: z.array(ProviderName).default(['yahoo', 'stooq']),
      requestsPerSecond: z.partialRecord(HttpProviderName, z.number().positive()).default({}),
      timeoutMs: z.number().int().positive().default(15_000),
      retries: z.number().int().min(0).max(10).default(3),
    })
    .default({ order: ['yahoo', 'stooq'], requestsPerSecond: {}, timeoutMs: 15_000, retries: 3 }),
});
export type Config = z.infer<typeof ConfigSchema>;

/**
 * Parses a config document. A key that is given replaces the default for that key (universe, benchmarks,
 * providers); baskets are merged with the default baskets (a basket of the same id replaces the default one).
 */
export function parseConfig(doc: unknown, file = DEFAULT_CONFIG_FILE): Config {
  const parsed = ConfigSchema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join('.') ?? '';
    const keys = issue && 'keys' in issue ? (issue.keys as string[]).join(', ') : '';
    const message =
      issue?.code === 'unrecognized_keys'
        ? `unknown key${keys.includes(',') ? 's' : ''} ${keys}${path ? ` in ${path}` : ''}`
        : `${issue?.message ?? 'invalid'}`;
    throw new InputError(message, { file, ...(path ? { field: path } : {}) });
  }
  const raw = (doc ?? {}) as Record<string, unknown>;
  const c = parsed.data;
  return {
    ...(c.$schema ? { $schema: c.$schema } : {}),
    universe: 'universe' in raw ? c.universe : DEFAULT_CONFIG.universe,
    baskets: { ...DEFAULT_CONFIG.baskets, ...c.baskets },
    benchmarks: 'benchmarks' in raw ? c.benchmarks : DEFAULT_CONFIG.benchmarks,
    imports: c.imports,
    providers: 'providers' in raw ? c.providers : DEFAULT_CONFIG.providers,
  };
}
