import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Builds dist/ when it is missing or older than src/ (the tests that start the built CLI need it).
    globalSetup: ['test/support/global-build.ts'],
    sequence: { shuffle: true },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two test files at once on CI's 2 cores (the default is cores - 1): most files wait on DuckDB, PostgreSQL,
    // Chromium or a child process, so two keep both cores busy.
    maxWorkers: 2,
  },
});
