import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from './config.js';
import { parseConfig } from './config-schema.js';
import { InputError } from '../shared/errors.js';

describe('parseConfig', () => {
  it('gives the defaults for an empty document', () => {
    const c = parseConfig({});
    expect(c.universe.symbols).toContain('^RUT');
    expect(c.universe.fred).toEqual(['CPIAUCSL', 'FEDFUNDS', 'DGS10', 'DGS2']);
    expect(c.baskets['MAG7']?.members).toHaveLength(7);
    expect(c).toEqual(DEFAULT_CONFIG);
  });

  it('merges user baskets with the default ones', () => {
    const c = parseConfig({ baskets: { TRANSPORTS: { name: 'Transportation', members: ['IYT'] } } });
    expect(Object.keys(c.baskets).sort()).toEqual(['MAG7', 'TRANSPORTS']);
    expect(c.baskets['TRANSPORTS']).toMatchObject({ weighting: 'equal', rebalance: 'quarterly' });
  });

  it('names an unknown key', () => {
    expect(() => parseConfig({ univers: {} })).toThrow(/unknown key univers/);
    expect(() => parseConfig({ universe: { symbol: [] } })).toThrow(InputError);
    try {
      parseConfig({ universe: { symbol: [] } }, 'x.json');
    } catch (e) {
      expect((e as InputError).describe()).toBe('x.json, field universe: unknown key symbol in universe');
    }
  });

  it('rejects a hostile symbol', () => {
    expect(() => parseConfig({ universe: { symbols: ["'; DROP TABLE bars; --"] } })).toThrow(
      /not a valid symbol/,
    );
  });

  it('applies the one symbol rule of every entry point: no leading formula character (issue 17)', () => {
    for (const bad of ['=cmd', '-X', '@SUM', 'IWM\u200b'])
      expect(() => parseConfig({ universe: { symbols: [bad] } }), bad).toThrow(/not a valid symbol/);
    expect(() => parseConfig({ universe: { fred: ['=DGS10'] } })).toThrow(/not a valid symbol/);
    expect(parseConfig({ universe: { symbols: ['ES=F', '^RUT', 'BRK.B'] } }).universe.symbols).toEqual([
      'ES=F',
      '^RUT',
      'BRK.B',
    ]);
  });
});
