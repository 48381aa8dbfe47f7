// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

/**
 * Layer rule: imports flow one way, cli/server -> report, data -> core -> shared.
 * `core` is pure: no node:*, no DuckDB, no network, no clock.
 */
const layer = (forbidden, message) => ({
  'no-restricted-imports': ['error', { patterns: forbidden.map((group) => ({ group: [group], message })) }],
});

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
      ['**/core/**', '**/data/**', '**/report/**', '**/server/**', '**/cli/**', 'node:*', '@duckdb/*'],
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
          'node:*',
          '@duckdb/*',
          'hono',
          'commander',
        ],
        'core is pure: no IO, no store, no upper layers',
      ),
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'core takes its inputs as arguments' },
        { name: 'fetch', message: 'core does no IO' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'time enters core as an asOf argument' },
      ],
    },
  },
  {
    files: ['src/data/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: layer(['**/report/**', '**/server/**', '**/cli/**'], 'data may import core and shared only'),
  },
  {
    files: ['src/report/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: layer(
      ['**/server/**', '**/cli/**', '@duckdb/*'],
      'report may import data, core and shared only; never DuckDB',
    ),
  },
  {
    files: ['src/cli/**/*.ts', 'src/server/**/*.ts', 'src/bench/**/*.ts'],
    ignores: ['**/*.test.ts', 'src/data/store/**'],
    rules: layer(['@duckdb/*'], 'only data/store talks to DuckDB'),
  },
);
