import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The core fence and the driver room, proved on probe files: each probe is linted with the project's own
 * eslint.config.js as if it sat at the given path (the text never touches the disk), and must fail with the
 * named rule. Type-aware rules are switched off for the probes only: they need a file in the TypeScript project,
 * and none of the fence's rules uses types.
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({
    cwd: ROOT,
    overrideConfig: {
      languageOptions: { parserOptions: { projectService: false, project: null } },
      rules: {
        '@typescript-eslint/no-floating-promises': 'off',
        '@typescript-eslint/switch-exhaustiveness-check': 'off',
        '@typescript-eslint/no-unused-vars': 'off',
        'import-x/no-cycle': 'off',
      },
    },
  });
});

async function rulesHit(code: string, path: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${ROOT}${path}` });
  return (result?.messages ?? []).map((m) => m.ruleId ?? `fatal: ${m.message}`);
}

const CORE_PROBES: [string, string, string][] = [
  ['new Date()', 'export const now = new Date();', 'no-restricted-globals'],
  ['Date.now()', 'export const t = Date.now();', 'no-restricted-properties'],
  ['process.env', "export const home = process.env['HOME'];", 'no-restricted-globals'],
  ['globalThis.process', 'export const p = globalThis.process;', 'no-restricted-properties'],
  ['Math.random()', 'export const r = Math.random();', 'no-restricted-properties'],
  ['performance.now()', 'export const t = performance.now();', 'no-restricted-properties'],
  [
    "a bare 'fs' import",
    "import { readFileSync } from 'fs';\nexport const f = readFileSync;",
    'no-restricted-imports',
  ],
  [
    "'fs/promises'",
    "import { readFile } from 'fs/promises';\nexport const f = readFile;",
    'no-restricted-imports',
  ],
  [
    "a 'node:*' import",
    "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;",
    'no-restricted-imports',
  ],
  ["import('node:fs')", "export const fs = () => import('node:fs');", 'no-restricted-syntax'],
  ['fetch', "export const get = () => fetch('http://127.0.0.1/');", 'no-restricted-globals'],
  [
    'a DuckDB import',
    "import { DuckDBInstance } from '@duckdb/node-api';\nexport const d = DuckDBInstance;",
    'no-restricted-imports',
  ],
  [
    'the data layer',
    "import { loadSeries } from '../data/load.js';\nexport const l = loadSeries;",
    'no-restricted-imports',
  ],
];

describe('the core fence', () => {
  for (const [what, code, rule] of CORE_PROBES)
    it(`fails lint on ${what} in src/core`, async () => {
      expect(await rulesHit(code, 'src/core/probe.ts'), `${what} must fail in core`).toContain(rule);
    });

  it('passes pure code in src/core (the probes fail for their one reason)', async () => {
    const pure =
      "import { parseIsoDate } from '../shared/dates.js';\nexport const d = parseIsoDate('2026-01-02');\n";
    expect(await rulesHit(pure, 'src/core/probe.ts')).toEqual([]);
  });
});

describe('the driver room', () => {
  const duck = "import { DuckDBInstance } from '@duckdb/node-api';\nexport const d = DuckDBInstance;\n";
  const pg = "import pg from 'pg';\nexport const p = pg;\n";
  const copy = "import { from } from 'pg-copy-streams';\nexport const c = from;\n";
  for (const path of [
    'src/data/load-probe.ts',
    'src/data/why/probe.ts',
    'src/report/probe.ts',
    'src/cli/probe.ts',
    'src/bench/probe.ts',
    'src/shared/probe.ts',
    'src/server/probe.ts',
  ])
    it(`refuses a database driver in ${path}`, async () => {
      expect(await rulesHit(duck, path)).toContain('no-restricted-imports');
      expect(await rulesHit(pg, path)).toContain('no-restricted-imports');
      expect(await rulesHit(copy, path)).toContain('no-restricted-imports');
    });
  for (const path of ['src/data/store/probe.ts', 'src/data/ingest/probe.ts'])
    it(`lets ${path} import the driver`, async () => {
      expect(await rulesHit(duck, path)).toEqual([]);
      expect(await rulesHit(pg, path)).toEqual([]);
    });
});
