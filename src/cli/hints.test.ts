import { describe, expect, it } from 'vitest';
import { raceByYear } from '../core/race.js';
import { UsageError } from '../shared/errors.js';
import { flagHint } from './hints.js';

describe('flag hints at the CLI edge', () => {
  it('core names no flag; the CLI adds it for the error code', () => {
    let caught: unknown;
    try {
      raceByYear([], [], [], { kind: 'rolling', sessions: 5 }, [2020]);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(UsageError);
    const e = caught as UsageError;
    expect(e.hint, 'the core hint names values, not flags').not.toMatch(/--/);
    expect(flagHint(e)).toBe('use first:N, a month, a quarter or ytd with --years');
  });
  it("keeps an error's own hint when its code has no flag hint", () => {
    expect(flagHint(new UsageError('bad', 'own hint', 'unmapped'))).toBe('own hint');
    expect(flagHint(new UsageError('bad', 'own hint'))).toBe('own hint');
  });
});
