import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { InputError } from '../shared/errors.js';
import { CLOSE_BASES } from '../shared/domain.js';
import { SYMBOL_RE, SYMBOL_RULE } from '../shared/identifiers.js';
import { readTextCapped } from './files.js';

/** Largest config file read: a real one is a few kilobytes. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * rotation.config.json: the universe to sync, baskets and themes, benchmark choices, provider order and limits.
 * Validated with a schema; unknown keys are an error naming the key. Every field has a default, so an absent file
 * (or `{}`) means the defaults below.
 */

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

export const SECTOR_SPDRS = [
  'XLK',
  'XLF',
  'XLI',
  'XLV',
  'XLY',
  'XLP',
  'XLE',
  'XLB',
  'XLU',
  'XLRE',
  'XLC',
] as const;
export const MAG7 = ['AAPL', 'MSFT', 'NVDA', 'AMZN', 'GOOGL', 'META', 'TSLA'] as const;

/** The defaults: what `rotation sync` fetches and which baskets exist when no config file says otherwise. */
export const DEFAULT_CONFIG: Config = {
  universe: {
    symbols: [
      '^RUT',
      '^NDX',
      '^GSPC',
      'IWM',
      'QQQ',
      'SPY',
      'RSP',
      'IWF',
      'IWD',
      ...SECTOR_SPDRS,
      'IYT',
      'ITB',
      'XHB',
      ...MAG7,
      'CAT',
      'JPM',
      'PG',
      // Continuous index futures (Yahoo): E-mini S&P 500, Nasdaq-100, Dow and Russell 2000.
      'ES=F',
      'NQ=F',
      'YM=F',
      'RTY=F',
    ],
    fred: ['CPIAUCSL', 'FEDFUNDS', 'DGS10', 'DGS2'],
    // CFTC TFF: E-mini Russell 2000, E-mini Nasdaq-100, E-mini S&P 500.
    cftc: ['239742', '209742', '13874A'],
  },
  baskets: {
    MAG7: {
      name: 'Magnificent 7',
      members: [...MAG7],
      weighting: 'equal',
      rebalance: 'quarterly',
      description: 'AAPL MSFT NVDA AMZN GOOGL META TSLA, equal weight, rebalanced quarterly',
    },
  },
  benchmarks: { smallCaps: 'IWM', bigTech: 'QQQ', market: 'SPY', sectors: [...SECTOR_SPDRS] },
  imports: { basis: [] },
  providers: { order: ['yahoo', 'stooq'], requestsPerSecond: {}, timeoutMs: 15_000, retries: 3 },
};

export const DEFAULT_CONFIG_FILE = 'rotation.config.json';

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

/** Loads `path` (or ./rotation.config.json when it exists; else the defaults). */
export function loadConfig(path?: string): Config {
  const file = resolve(path ?? DEFAULT_CONFIG_FILE);
  if (!existsSync(file)) {
    if (path) throw new InputError('config file not found', { file: path });
    return DEFAULT_CONFIG;
  }
  const text = readTextCapped(file, MAX_CONFIG_BYTES, 'a config file');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new InputError(`not valid JSON (${(e as Error).message})`, { file });
  }
  return parseConfig(doc, file);
}
