import { describe, expect, it } from 'vitest';
import { showValue } from './commands/why-output.js';
import { formatTrimmed } from './output.js';
import type { WhyFact } from '../core/why/fact.js';

describe('numbers to the precision of their inputs', () => {
  it('drops decimals a figure does not carry and keeps the ones it does, at most two', () => {
    expect(formatTrimmed(900)).toBe('900');
    expect(formatTrimmed(8.3)).toBe('8.3');
    expect(formatTrimmed(2.345)).toBe('2.35');
    expect(formatTrimmed(12_500)).toBe('12,500');
    expect(formatTrimmed(null)).toBe('—');
  });

  it('prints a reported flow of -$900M as "-$900M" and a 2.7% consensus as "2.7%"', () => {
    const fact = (value: number, unit: string) => ({ id: 'x', value, unit }) as unknown as WhyFact;
    expect(showValue(fact(-0.9e9, 'usd'))).toBe('-$900M');
    expect(showValue(fact(8.3e9, 'usd'))).toBe('$8.3B');
    expect(showValue(fact(2.7, 'percent'))).toBe('2.7%');
  });
});
