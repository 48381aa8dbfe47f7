import { describe, expect, it } from 'vitest';
import { fileProgressText, ImportProgress, progressLine } from './import-report.js';

/** Progress inside a large file (issue 18): the words, the terminal line, and the plain lines off a terminal. */
const MB = 1e6;

function stream(isTTY: boolean) {
  const written: string[] = [];
  return { s: { isTTY, columns: 100, write: (x: string) => written.push(x) }, written };
}

describe('progress inside a file', () => {
  it('says how much of the file is read, then how many rows are checked', () => {
    const read = { phase: 'read' as const, bytesRead: 45 * MB, totalBytes: 330 * MB, rows: null };
    expect(fileProgressText('big.csv', read)).toBe('reading big.csv 13% of 330 MB');
    expect(fileProgressText('big.csv', { ...read, bytesRead: 165 * MB })).toBe(
      'reading big.csv 50% of 330 MB',
    );
    expect(
      fileProgressText('big.csv', {
        phase: 'check',
        bytesRead: 330 * MB,
        totalBytes: 330 * MB,
        rows: 5102472,
      }),
    ).toBe('checking and writing big.csv: 5,102,472 rows');
  });

  it('shows the file being read on the terminal line in place of the last file done', () => {
    expect(progressLine(1, 3, 4, 'a.csv', 100, 'reading b.csv 50% of 330 MB')).toBe(
      `importing ${'█'.repeat(7)}${'░'.repeat(13)} 1/3 files  4s  reading b.csv 50% of 330 MB`,
    );
    expect(progressLine(1, 3, 4, 'a.csv', 100)).toMatch(/ {2}a\.csv$/);
  });

  it('redraws the terminal line as the file loads, and goes back to the last file once it is done', () => {
    const { s, written } = stream(true);
    const p = new ImportProgress(s, () => 0);
    p.fileProgress('b.csv', { phase: 'read', bytesRead: 10 * MB, totalBytes: 40 * MB, rows: null });
    expect(written.at(-1)).toContain('reading b.csv 25% of 40 MB');
    p.fileDone(1, 2, 'b.csv');
    expect(written.at(-1)).toMatch(/1\/2 files {2}0s {2}b\.csv$/);
    p.finish();
  });

  it('off a terminal prints a line per quarter read and one when read, for files of 64 MiB and more only', () => {
    const big = stream(false);
    const p = new ImportProgress(big.s, () => 0);
    const total = 100 * MB;
    for (const f of [0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.9, 1])
      p.fileProgress('big.csv', { phase: 'read', bytesRead: f * total, totalBytes: total, rows: null });
    p.fileProgress('big.csv', { phase: 'check', bytesRead: total, totalBytes: total, rows: 42 });
    expect(big.written).toEqual([
      'import: reading big.csv 30% of 100 MB\n',
      'import: reading big.csv 60% of 100 MB\n',
      'import: reading big.csv 90% of 100 MB\n',
      'import: checking and writing big.csv: 42 rows\n',
    ]);
    const small = stream(false);
    const q = new ImportProgress(small.s, () => 0);
    q.fileProgress('s.csv', { phase: 'read', bytesRead: 5 * MB, totalBytes: 10 * MB, rows: null });
    q.fileProgress('s.csv', { phase: 'check', bytesRead: 10 * MB, totalBytes: 10 * MB, rows: 9 });
    expect(small.written).toEqual([]);
  });
});
