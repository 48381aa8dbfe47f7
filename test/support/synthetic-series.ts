import { addDays, dayOfWeek } from '../../src/shared/dates.js';

/** Consecutive weekdays from Monday 2024-01-01 (no holidays needed for the maths). */
export function weekdays(n: number, start = '2024-01-01'): string[] {
  const out: string[] = [];
  let d = start;
  while (out.length < n) {
    const dow = dayOfWeek(d);
    if (dow !== 0 && dow !== 6) out.push(d);
    d = addDays(d, 1);
  }
  return out;
}

/** A deterministic wiggly price path (no randomness in reference tests). */
export function wigglyPath(n: number, seed: number, drift = 0.0003): number[] {
  let p = 100;
  return Array.from(
    { length: n },
    (_, i) => (p *= 1 + drift + 0.01 * Math.sin(i * 0.37 + seed) * Math.cos(i * 0.11 * seed)),
  );
}
