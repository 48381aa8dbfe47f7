import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../data/store/store.js';
import { runCli } from '../../../test/support/run-cli.js';
import { tempDir } from '../../../test/support/tmp.js';
import { describeFailure } from './import.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/csv/', import.meta.url));

const run = runCli;

describe('describeFailure', () => {
  it('prints one line, with control, zero-width and bidi characters made visible', () => {
    const line = describeFailure({
      ok: false,
      file: '/x/a\u202eb.json',
      reason: 'bad-file',
      error: 'series.DGS\n10\u200b is not an array',
    });
    expect(line).toBe('error: /x/a\\u{202e}b.json: series.DGS\\u{a}10\\u{200b} is not an array');
  });
});

describe('rotation import', () => {
  let dir: string;
  let db: string;
  beforeEach(() => {
    dir = tempDir('rotation-cli-import-');
    db = join(dir, 'test.duckdb');
  });

  it('prints a summary per file and totals, and a repeat adds nothing', async () => {
    const r = await run([
      '--db',
      db,
      'import',
      join(FIXTURES, 'long-format.csv'),
      join(FIXTURES, 'crlf.csv'),
    ]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/long-format\.csv\s+long\s+AAA, BBB\s+4\s+4\s+0\s+0\s+2024-01-02\.\.2024-01-03/);
    expect(r.out).toMatch(/2 file\(s\) imported, 0 failed\n7 added, 0 updated, 0 unchanged in \d+\.\ds/);
    for (const line of r.out.split('\n')) expect(line.length, line).toBeLessThanOrEqual(100);
    expect(r.err, 'plain progress lines when stderr is not a terminal').toMatch(
      /import: 2\/2 .*long-format\.csv/,
    );
    const again = await run([
      '--db',
      db,
      'import',
      join(FIXTURES, 'long-format.csv'),
      join(FIXTURES, 'crlf.csv'),
    ]);
    expect(again.out).toMatch(/0 added, 0 updated, 7 unchanged/);
  });

  it('names file, line and field of a failure and exits 1, still importing the other files', async () => {
    const r = await run(['--db', db, 'import', join(FIXTURES, 'bad-date.csv'), join(FIXTURES, 'crlf.csv')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/error: .*bad-date\.csv:3 date: not a date: "2024-13-45" \(expected YYYY-MM-DD\)/);
    expect(r.err).toMatch(/error: 1 of 2 file\(s\) failed/);
    const store = await Store.open(db);
    try {
      expect((await store.loadBars('CRLF')).length).toBe(3);
      expect(await store.loadBars('BAD-DATE')).toEqual([]);
    } finally {
      store.close();
    }
  });

  it('lists every outcome as JSON', async () => {
    const r = await run([
      '--db',
      db,
      'import',
      join(FIXTURES, 'zero-close.csv'),
      '--format',
      'json',
      '--dry-run',
    ]);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out) as { dryRun: boolean; failed: number; outcomes: unknown[] };
    expect(doc).toMatchObject({ dryRun: true, failed: 1 });
    expect(doc.outcomes).toEqual([
      {
        ok: false,
        file: join(FIXTURES, 'zero-close.csv'),
        reason: 'bad-row',
        error: 'price must be positive, found "0"',
        line: 3,
        field: 'close',
      },
    ]);
  });

  it('refuses bad flags as usage errors', async () => {
    expect((await run(['--db', db, 'import', FIXTURES, '--kind', 'fund'])).code).toBe(2);
    expect((await run(['--db', db, 'import', FIXTURES, '--as-of', '2026-02-30'])).code).toBe(2);
    const bad = await run(['--db', db, 'import', FIXTURES, '--symbol', "'; DROP TABLE bars; --"]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--symbol .* is not a symbol/);
  });

  it('has help with examples', async () => {
    const r = await run(['import', '--help']);
    expect(r.out).toMatch(/Examples:\n {2}rotation import/);
    expect(r.out).toMatch(/--dry-run/);
  });
});
