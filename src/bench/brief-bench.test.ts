import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../data/config.js';
import { SYNTHETIC_TECH, syntheticBriefConfig, syntheticSymbol, universeFiles } from './brief-bench.js';
import { syntheticMarket } from './synthetic-market.js';

describe('universeFiles', () => {
  // A small copy of the shared data's layout (file names as in /work/shared/data/README.md).
  const present = [
    'README.md',
    'indices/RUT.csv',
    'indices/NDX.csv',
    'indices/SPX.csv',
    'etf_daily/IWM.csv',
    'etf_daily/QQQ.csv',
    'etf_daily_ohlcv/IWM.csv',
    'etf_daily_ohlcv/MDY.csv',
    'etf_recent_raw/QQQ.csv',
    'stocks_daily/AAPL.csv',
    'stocks_daily_ohlcv/AAPL.csv',
    'stocks_daily_ohlcv/AMZN.csv',
    'macro/CPIAUCSL_1947_2025-09.csv',
    'macro/CPI-U_NSA_cpiai.csv',
    'macro/DGS10.csv',
    'macro/DGS10_old.csv',
    'macro/fred_cache_2021_2026.json',
    'macro/README.md',
  ];

  it('takes one file per symbol, from the first folder that has it', () => {
    const u = universeFiles(present, {
      symbols: ['^RUT', 'IWM', 'QQQ', 'MDY', 'AAPL', 'AMZN', '^GSPC', 'XLK'],
      fred: [],
    });
    expect(u.files).toEqual([
      'etf_daily/IWM.csv',
      'etf_daily/QQQ.csv',
      'etf_daily_ohlcv/MDY.csv',
      'indices/RUT.csv',
      'stocks_daily/AAPL.csv',
      'stocks_daily_ohlcv/AMZN.csv',
    ]);
    // ^GSPC: the file is SPX.csv (stored as ^SPX), so it is not the same symbol; XLK has no file here.
    expect(u.missing).toEqual(['^GSPC', 'XLK']);
  });

  it('finds FRED series by exact name, else by prefix, and adds the FRED cache', () => {
    const u = universeFiles(present, { symbols: [], fred: ['CPIAUCSL', 'DGS10', 'DGS2'] });
    expect(u.files).toEqual([
      'macro/CPIAUCSL_1947_2025-09.csv',
      'macro/DGS10.csv',
      'macro/fred_cache_2021_2026.json',
    ]);
    expect(u.missing).toEqual(['DGS2']);
  });

  it('adds no FRED cache to a universe without FRED series', () => {
    expect(universeFiles(present, { symbols: ['IWM'], fred: [] }).files).toEqual(['etf_daily/IWM.csv']);
  });

  it('covers the default universe in full when every file is there', () => {
    const all = [
      ...DEFAULT_CONFIG.universe.symbols.map((s) =>
        s.startsWith('^') ? `indices/${s.slice(1)}.csv` : `etf_daily/${s}.csv`,
      ),
      ...DEFAULT_CONFIG.universe.fred.map((id) => `macro/${id}.csv`),
    ];
    const u = universeFiles(all, DEFAULT_CONFIG.universe);
    expect(u.missing).toEqual([]);
    expect(u.files).toHaveLength(
      DEFAULT_CONFIG.universe.symbols.length + DEFAULT_CONFIG.universe.fred.length,
    );
  });
});

describe('syntheticBriefConfig', () => {
  it('points the brief at the synthetic market: index, tech sector, 11 sectors, a 7-stock basket', () => {
    const c = syntheticBriefConfig(3000);
    expect(c.benchmarks).toEqual({
      smallCaps: 'S0000',
      bigTech: 'S0008', // SECTORS[7] is Information Technology: S0001 + 7
      market: 'S0000',
      sectors: [
        'S0001',
        'S0002',
        'S0003',
        'S0004',
        'S0005',
        'S0006',
        'S0007',
        'S0008',
        'S0009',
        'S0010',
        'S0011',
      ],
    });
    expect(c.baskets['MAG7']).toMatchObject({
      members: ['S0012', 'S0013', 'S0014', 'S0015', 'S0016', 'S0017', 'S0018'],
      weighting: 'equal',
      rebalance: 'quarterly',
    });
    expect(c.universe.fred).toEqual([]);
    expect(c.universe.symbols).toHaveLength(19);
  });

  it('shrinks the basket to the stocks a small market has, and refuses one without a stock', () => {
    expect(syntheticBriefConfig(15).baskets['MAG7']?.members).toEqual(['S0012', 'S0013', 'S0014']);
    expect(() => syntheticBriefConfig(12)).toThrow(/at least 13/);
  });

  it('names symbols as the generator does, wider past 10,000', () => {
    for (const symbols of [13, 3000, 10_001]) {
      const m = syntheticMarket({ symbols, from: '2025-01-02', to: '2025-01-31', seed: 1 });
      for (const i of [0, 8, 12]) expect(syntheticSymbol(i, symbols)).toBe(m.series(i).profile.symbol);
      expect(m.series(SYNTHETIC_TECH).profile.sector).toBe('Information Technology');
    }
    expect(syntheticSymbol(8, 10_001)).toBe('S00008');
    expect(syntheticBriefConfig(12_000).benchmarks.bigTech).toBe('S00008');
  });
});
