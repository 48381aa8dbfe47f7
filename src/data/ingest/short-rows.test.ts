import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/run-cli.js';
import { tempDir } from '../../../test/support/tmp.js';

/** Issue 17: a short row mid-file was padded with empty cells, and blank lines after a header said "header only". */
async function importText(name: string, text: string) {
  const dir = tempDir('short-rows-');
  const file = join(dir, name);
  writeFileSync(file, text);
  const db = join(dir, 'store.duckdb');
  const r = await runCli(['import', file, '--db', db]);
  const symbols = await runCli(['symbols', '--db', db, '--format', 'json']);
  return { ...r, stored: symbols.out };
}

describe('rows shorter than the header, blank lines after it', () => {
  it('refuses a short row in the middle of a file, naming its line, and stores nothing', async () => {
    const r = await importText('short.csv', 'Date,Close\n2024-01-02,10\n2024-01-03\n2024-01-04,11\n');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/short\.csv:3: a short row: 1 field where the file's rows have 2/);
    expect(r.stored).not.toMatch(/SHORT/);
  });

  it('still reads an empty cell that keeps its delimiter as a gap', async () => {
    const r = await importText(
      'gap.csv',
      'Date,Close,Volume\n2024-01-02,10,5\n2024-01-03,10.5,\n2024-01-04,11,7\n',
    );
    expect(r.code, r.err).toBe(0);
    expect(r.stored).toMatch(/GAP/);
  });

  it('says "only blank lines follow the header" for a header and 100 blank lines', async () => {
    const r = await importText('blank.csv', `Date,Close\n${'\n'.repeat(100)}`);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/blank\.csv:2: no data rows: only blank lines follow the header/);
  });

  it('keeps "header only" for a file that is just a header', async () => {
    const r = await importText('ho.csv', 'Date,Close\n');
    expect(r.err).toMatch(/ho\.csv: no data rows \(header only\)/);
  });

  it('skips blank lines between data rows', async () => {
    const r = await importText('mid.csv', `Date,Close\n2024-01-02,10\n\n\n2024-01-03,11\n`);
    expect(r.code, r.err).toBe(0);
  });
});
