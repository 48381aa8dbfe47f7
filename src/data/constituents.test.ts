import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeWithSharedData, SHARED_DATA } from '../../test/support/shared-data.js';
import { concentration } from '../core/breadth.js';
import { InputError, NotFoundError } from '../shared/errors.js';
import { loadUniverse, parseUniverse, parseWeight, splitCsvLine } from './constituents.js';

const FIX = fileURLToPath(new URL('../../test/fixtures/constituents/', import.meta.url));
const parseFixture = (f: string) => parseUniverse(readFileSync(join(FIX, f), 'utf8'), join(FIX, f));

describe('parseUniverse', () => {
  it('reads a weights file with percentages as fractions', () => {
    const u = parseFixture('weights-three.csv');
    expect(u.symbols).toEqual(['AAA', 'BBB', 'CCC']);
    expect(u.weights).toEqual([
      { symbol: 'AAA', weight: 0.5 },
      { symbol: 'BBB', weight: 0.3 },
      { symbol: 'CCC', weight: 0.2 },
    ]);
    expect(u.snapshot).toBeNull();
  });

  it('reads a list with quoted names and no weights', () => {
    const u = parseFixture('list-quoted-name.csv');
    expect(u.symbols).toEqual(['MMM', 'AOS']);
    expect(u.weights).toBeNull();
  });

  it('reads a plain list of symbols, one per line', () => {
    expect(parseFixture('plain-list.txt').symbols).toEqual(['SPY', 'QQQ', 'IWM']);
  });

  it('names file, line and field of a bad weight', () => {
    try {
      parseFixture('weights-bad-weight.csv');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).describe()).toMatch(/weights-bad-weight\.csv:2, field Weight: weight "abc"/);
    }
  });

  it('rejects a file without a symbol column', () => {
    expect(() => parseFixture('no-symbol-column.csv')).toThrow(/no Symbol or Ticker column/);
  });
});

describe('parseWeight and splitCsvLine', () => {
  it('parses percentages and fractions', () => {
    expect(parseWeight('6.95%', { file: 'f', line: 1 })).toBeCloseTo(0.0695, 15);
    expect(parseWeight('0.0695', { file: 'f', line: 1 })).toBe(0.0695);
    expect(() => parseWeight('%', { file: 'f', line: 1 })).toThrow(InputError);
  });
  it('keeps commas inside quotes and unescapes doubled quotes', () => {
    expect(splitCsvLine('a,"b, c","d ""e"""')).toEqual(['a', 'b, c', 'd "e"']);
  });
});

describe('loadUniverse', () => {
  it('explains where sp500 files are looked for when the folder is missing', () => {
    expect(() => loadUniverse('sp500', { dir: join(FIX, 'nope') })).toThrow(NotFoundError);
  });
});

describeWithSharedData('constituents on the shared files', () => {
  const dir = join(SHARED_DATA, 'constituents');
  it('picks the sp500 snapshot and measures its concentration', () => {
    const u = loadUniverse('sp500', { dir, asOf: '2026-07-31' });
    expect(u.snapshot).toBe('2026-06-29');
    expect(u.symbols).toHaveLength(503);
    const c = concentration(u.weights ?? []);
    // Provenance: test/fixtures/series/rrg_breadth_regime_reference.py section 6 (plain Python on the same file).
    expect(c?.weightSum).toBeCloseTo(0.999399999999994, 12);
    expect(c?.top1).toBeCloseTo(0.06954172503502144, 12);
    expect(c?.top5).toBeCloseTo(0.2439463678206939, 12);
    expect(c?.top10).toBeCloseTo(0.3616169701821115, 12);
    expect(c?.herfindahl).toBeCloseTo(0.018578087016308576, 12);
    expect(c?.effectiveN).toBeCloseTo(53.82685521508004, 9);
  });

  it('measures the Nasdaq-100 concentration', () => {
    const c = concentration(loadUniverse('ndx', { dir }).weights ?? []);
    expect(c?.holdings).toBe(101);
    expect(c?.top10).toBeCloseTo(0.6384276855371076, 12);
    expect(c?.effectiveN).toBeCloseTo(19.018793901048237, 9);
  });

  it('reads the GICS list file as a universe without weights', () => {
    const u = loadUniverse(join(dir, 'sp500_constituents_gics.csv'), { dir });
    expect(u.symbols).toHaveLength(503);
    expect(u.weights).toBeNull();
  });
});
