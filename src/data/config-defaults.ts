/** The defaults of rotation.config.json: what applies when no config file says otherwise (see config.ts). */
import type { Config } from './config-schema.js';

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
