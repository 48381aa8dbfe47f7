import { describe, expect, it } from 'vitest';
import { UsageError } from '../shared/errors.js';
import { parsePositiveInt, parsePositiveNumber } from './positive-int.js';
import { parseBasis } from './series/types.js';

describe('parsePositiveInt', () => {
  it('reads whole numbers from 1 up', () => {
    expect(parsePositiveInt('--tail', '8')).toBe(8);
    expect(parsePositiveInt('--tail', '1')).toBe(1);
  });
  it('refuses zero, negatives, fractions and words, quoting what was typed', () => {
    for (const bad of ['0', '-3', '2.5', 'ten', ''])
      expect(() => parsePositiveInt('--tail', bad), bad).toThrow(
        new UsageError(`--tail "${bad}" is not a positive whole number`),
      );
  });
});

describe('parsePositiveNumber', () => {
  it('reads positive fractions and whole numbers', () => {
    expect(parsePositiveNumber('--jump', '0.25')).toBe(0.25);
    expect(parsePositiveNumber('--jump', '3')).toBe(3);
  });
  it('refuses zero, negatives, blanks, words and infinity', () => {
    for (const bad of ['0', '-0.1', '', ' ', '25%', 'Infinity'])
      expect(() => parsePositiveNumber('--jump', bad), bad).toThrow(
        new UsageError(`--jump "${bad}" is not a positive number`),
      );
  });
});

describe('parseBasis', () => {
  it('reads price and total in any case', () => {
    expect(parseBasis('price')).toBe('price');
    expect(parseBasis('TOTAL')).toBe('total');
  });
  it('refuses anything else with a hint that names the bases, not a flag', () => {
    try {
      parseBasis('adjusted');
      expect.unreachable('adjusted is not a basis');
    } catch (e) {
      expect(e).toBeInstanceOf(UsageError);
      expect((e as UsageError).message).toBe('unknown basis "adjusted"');
      expect((e as UsageError).hint).not.toMatch(/--/);
    }
  });
});
