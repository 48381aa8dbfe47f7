import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { VERBS, verbOf } from './verbs.js';

describe('verbOf', () => {
  it('finds the verb after global options and their values', () => {
    expect(verbOf(['race', 'IWM', 'QQQ'])).toBe('race');
    expect(verbOf(['--db', 'race.duckdb', 'symbols'])).toBe('symbols');
    expect(verbOf(['--db=x.duckdb', 'show', 'IWM'])).toBe('show');
  });
  it('reads `help VERB` as that verb, and finds none for bare options', () => {
    expect(verbOf(['help', 'odds'])).toBe('odds');
    expect(verbOf(['help'])).toBeUndefined();
    expect(verbOf(['--version'])).toBeUndefined();
    expect(verbOf([])).toBeUndefined();
  });
});

describe('the verb table', () => {
  it('loads, for every verb, a module that registers a command of that name and usage', async () => {
    for (const v of VERBS) {
      const program = new Command('rotation');
      (await v.load())(program);
      const cmd = program.commands.find((c) => c.name() === v.name);
      expect(cmd, `${v.name}: its module registers it`).toBeDefined();
      const usageArgs = cmd!.registeredArguments
        .map((a) =>
          a.required ? `<${a.name()}${a.variadic ? '...' : ''}>` : `[${a.name()}${a.variadic ? '...' : ''}]`,
        )
        .join(' ');
      expect(usageArgs, `${v.name}: the listed arguments are the real ones`).toBe(v.args);
    }
  });
});
