import { expect } from 'vitest';

/**
 * The no-look-ahead contract every series transform passes (STYLE.md §6): the output is aligned with the input
 * (same length) and the value at i computed from the whole series equals the value computed from the series cut
 * at i — so no element uses data after its own date.
 */
export function expectNoLookahead(
  f: (xs: readonly number[]) => readonly (number | null)[],
  xs: readonly number[],
): void {
  const full = f(xs);
  expect(full.length, 'output aligned with input').toBe(xs.length);
  for (let n = 1; n <= xs.length; n++)
    expect(f(xs.slice(0, n)), `value ${n - 1} uses only data up to it`).toEqual(full.slice(0, n));
}

/** The warm-up half of the contract: the first `warmup` outputs are null, the next one is not. */
export function expectWarmup(
  f: (xs: readonly number[]) => readonly (number | null)[],
  xs: readonly number[],
  warmup: number,
): void {
  const out = f(xs);
  for (let i = 0; i < Math.min(warmup, out.length); i++)
    expect(out[i], `warm-up value ${i} is null`).toBeNull();
  if (out.length > warmup) expect(out[warmup], `first value after warm-up`).not.toBeNull();
}
