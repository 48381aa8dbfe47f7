import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseClaim } from '../core/claim.js';
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
  it('an unreadable claim: core says how to write it, the CLI adds the flags', () => {
    let caught: unknown;
    try {
      parseClaim('small caps are fine');
    } catch (e) {
      caught = e;
    }
    const e = caught as UsageError;
    expect(e.hint).not.toMatch(/--/);
    expect(flagHint(e)).toMatch(/or use --a --b --window --year$/);
  });
  it('no string in src/core names a CLI flag (comments may)', () => {
    const hits: string[] = [];
    const walk = (dir: string): void => {
      for (const ent of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, ent.name);
        if (ent.isDirectory()) walk(path);
        else if (ent.name.endsWith('.ts') && !ent.name.endsWith('.test.ts'))
          readFileSync(path, 'utf8')
            .split('\n')
            .forEach((line, i) => {
              if (/^\s*(\/\/|\*|\/\*)/.test(line)) return;
              if (/['"`][^'"`]*(^|\s)--[a-z][a-z-]*/.test(line))
                hits.push(`${path}:${i + 1}: ${line.trim()}`);
            });
      }
    };
    walk(join(import.meta.dirname, '..', 'core'));
    expect(hits).toEqual([]);
  });
});
