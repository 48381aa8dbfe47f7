// @ts-check
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

/**
 * Layer rule: imports flow one way, cli/server -> report, data -> core -> shared. `core` is pure: no IO, no
 * clock, no randomness, no environment (test/fence.test.ts lints a probe of each and expects it to fail).
 * Only data/store (and data/ingest, the ingest engine) speak to a database driver.
 *
 * ESLint applies one `no-restricted-imports` per file (a later block replaces an earlier one's options), so each
 * block below lists everything its files may not import.
 */
const layer = (forbidden, message) => ({
  'no-restricted-imports': ['error', { patterns: forbidden.map((group) => ({ group: [group], message })) }],
});

/** Database drivers: only src/data/store and src/data/ingest import them. */
const DRIVERS = ['@duckdb/*', 'pg', 'pg/*', 'pg-copy-streams'];
/** Node's built-in modules, with and without the `node:` prefix (`fs`, `node:fs`, `fs/promises`, …). */
const BUILTINS = ['node:*', ...builtinModules.flatMap((m) => [m, `${m}/*`])];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-cycle': 'error',
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: layer(
      ['**/core/**', '**/data/**', '**/report/**', '**/server/**', '**/cli/**', ...BUILTINS, ...DRIVERS],
      'shared imports nothing of the project',
    ),
  },
  {
    files: ['src/core/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      ...layer(
        [
          '**/data/**',
          '**/report/**',
          '**/server/**',
          '**/cli/**',
          '**/bench/**',
          ...BUILTINS,
          ...DRIVERS,
          'hono',
          'commander',
        ],
        'core is pure: no IO, no store, no upper layers',
      ),
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'core takes its inputs as arguments' },
        { name: 'globalThis', message: 'core reaches no global state' },
        { name: 'global', message: 'core reaches no global state' },
        { name: 'window', message: 'core reaches no global state' },
        { name: 'self', message: 'core reaches no global state' },
        { name: 'require', message: 'core does no IO' },
        { name: 'fetch', message: 'core does no IO' },
        { name: 'XMLHttpRequest', message: 'core does no IO' },
        { name: 'WebSocket', message: 'core does no IO' },
        {
          name: 'Date',
          message: 'time enters core as an asOf argument; dates are TradingDate strings (shared/dates.ts)',
        },
        { name: 'performance', message: 'core reads no clock: time and timings belong to the caller' },
        { name: 'crypto', message: 'core is deterministic: no randomness' },
        { name: 'setTimeout', message: 'core does not schedule' },
        { name: 'setInterval', message: 'core does not schedule' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'time enters core as an asOf argument' },
        { object: 'Math', property: 'random', message: 'core is deterministic: no randomness' },
        { object: 'performance', property: 'now', message: 'core reads no clock' },
        { object: 'globalThis', property: 'process', message: 'core takes its inputs as arguments' },
        { object: 'global', property: 'process', message: 'core takes its inputs as arguments' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: 'ImportExpression', message: 'core imports nothing at run time (no dynamic import())' },
        {
          selector: "MetaProperty[meta.name='import'][property.name='meta']",
          message: 'core does not know where it lives on disk',
        },
      ],
    },
  },
  {
    files: ['src/data/**/*.ts'],
    ignores: ['**/*.test.ts', 'src/data/store/**', 'src/data/ingest/**'],
    rules: layer(
      ['**/report/**', '**/server/**', '**/cli/**', '**/bench/**', ...DRIVERS],
      'data may import core and shared only; only data/store (and data/ingest) speak to the database driver',
    ),
  },
  {
    files: ['src/data/store/**/*.ts', 'src/data/ingest/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: layer(
      ['**/report/**', '**/server/**', '**/cli/**', '**/bench/**'],
      'data may import core and shared only',
    ),
  },
  {
    files: ['src/report/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: layer(
      ['**/server/**', '**/cli/**', '**/bench/**', ...DRIVERS],
      'report may import data, core and shared only; never a database driver',
    ),
  },
  {
    files: ['src/cli/**/*.ts', 'src/server/**/*.ts', 'src/bench/**/*.ts', 'src/publish/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: layer(DRIVERS, 'only data/store (and data/ingest) speak to the database driver'),
  },
);
