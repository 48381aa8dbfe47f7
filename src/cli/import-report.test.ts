import { describe, expect, it } from 'vitest';
import type { FileOutcome } from '../data/ingest/import.js';
import {
  fitPath,
  groupByKind,
  ImportProgress,
  progressLine,
  renderImportReport,
  warningKind,
  type ProgressStream,
} from './import-report.js';

const ok = (file: string, extra: Partial<Extract<FileOutcome, { ok: true }>> = {}): FileOutcome => ({
  ok: true,
  file,
  reason: 'imported',
  layout: 'ohlcv',
  table: 'bars',
  symbols: ['AAA'],
  added: 10,
  updated: 0,
  unchanged: 0,
  keptFromOtherSource: 0,
  firstDate: '2024-01-02',
  lastDate: '2024-12-31',
  rows: 10,
  warnings: [],
  ...extra,
});
const base = { dryRun: false, replace: false, verbose: false, seconds: 1.2, short: (f: string) => f };

describe('warning kinds', () => {
  it('drops the subject, dates, numbers, quotes and parentheses', () => {
    const a = 'PE10: dropped 153 zero value(s) (1871-01-01 … 2026-06-01); 0 means "no data" in this table';
    const b =
      'Real Price: dropped 33 zero value(s) (2023-10-01 … 2026-06-01); 0 means "no data" in this table';
    expect(warningKind(a)).toBe('dropped N zero value; N means "…" in this table');
    expect(warningKind(b), 'same kind for another column and count').toBe(warningKind(a));
    expect(warningKind('1 empty value skipped as gaps')).toBe('N empty value skipped as gaps');
  });
  it('groups warnings by kind with counts and their files, the most frequent first', () => {
    const g = groupByKind([
      { file: 'a.csv', text: 'X: dropped 3 zero value(s)' },
      { file: 'a.csv', text: 'Y: dropped 4 zero value(s)' },
      { file: 'b.csv', text: 'Z: dropped 1 zero value(s)' },
      { file: 'c.json', text: 'S: no observed_at; vintage taken from fetched_at (2026-08-21)' },
    ]);
    expect(g.map((x) => [x.count, x.files])).toEqual([
      [3, ['a.csv', 'b.csv']],
      [1, ['c.json']],
    ]);
  });
});

describe('the import summary', () => {
  const many = Array.from({ length: 30 }, (_, i) =>
    ok(`/very/long/path/to/the/shared/data/folder-${i % 3}/file-number-${i}.csv`, {
      symbols: ['A', 'B', 'C', 'D'],
      warnings: [`col${i}: dropped ${i} zero value(s) (2020-01-01 … 2021-01-01)`],
    }),
  );

  it('fits 100 columns, one row per folder for many files, warnings grouped', () => {
    const text = renderImportReport({ ...base, outcomes: many });
    for (const line of text.split('\n')) expect(line.length, line).toBeLessThanOrEqual(100);
    expect(text).toMatch(/^folder\s+files\s+symbols/);
    expect(text.match(/folder-\d/g)?.length, 'three folder rows').toBe(3);
    expect(text).toContain('warnings: 30 in 30 files, 1 kind (--verbose lists each)');
    expect(text).toMatch(
      /\n\s+30 {2}dropped N zero value {2}\[file-number-0\.csv, file-number-1\.csv \+28\]/,
    );
    expect(text).toContain('30 file(s) imported, 0 failed\n300 added, 0 updated, 0 unchanged in 1.2s\n');
  });

  it('lists every file, column and warning with --verbose', () => {
    const text = renderImportReport({ ...base, outcomes: many, verbose: true });
    expect(text.match(/^warning: /gm)?.length).toBe(30);
    expect(text).toContain('A, B, C, D');
    expect(text).toMatch(/^file\s+layout\s+symbols\s+rows\s+added\s+updated\s+unchanged\s+kept\s+dates/);
  });

  it('groups skipped files by reason and says when rows from another source were kept', () => {
    const text = renderImportReport({
      ...base,
      outcomes: [
        ok('a.csv', { keptFromOtherSource: 5 }),
        {
          ok: false,
          file: 'x.csv',
          reason: 'not-a-series',
          error: 'no date column: a snapshot',
          skipped: true,
        },
        {
          ok: false,
          file: 'y.csv',
          reason: 'not-a-series',
          error: 'no date column: a snapshot',
          skipped: true,
        },
      ],
    });
    expect(text).toContain('skipped: 2 in 2 files, 1 kind');
    expect(text).toContain('1 file(s) imported, 0 failed, 2 skipped (not time series)');
    expect(text).toContain('kept 5 from other sources');
    expect(text).toContain('--replace overwrites them');
  });

  it('counts failed files by reason, in the words of src/cli/reasons.ts', () => {
    const bad = (file: string, reason: 'bad-row' | 'unreadable'): FileOutcome => ({
      ok: false,
      file,
      reason,
      error: 'x',
    });
    const text = renderImportReport({
      ...base,
      outcomes: [ok('a.csv'), bad('b.csv', 'bad-row'), bad('c.csv', 'unreadable'), bad('d.csv', 'bad-row')],
    });
    expect(text).toContain('1 file(s) imported, 3 failed (2 bad row, 1 unreadable)\n');
  });

  it('cuts a long path from the left and keeps the file name', () => {
    expect(fitPath('/a/b/c/d/e/file.csv', 12)).toBe('…/e/file.csv');
    expect(fitPath('short.csv', 12)).toBe('short.csv');
  });
});

describe('progress', () => {
  const stream = (isTTY: boolean) => {
    const written: string[] = [];
    const s: ProgressStream = { isTTY, columns: 60, write: (x: string) => written.push(x) };
    return { s, written };
  };

  it('writes one plain line per file when not a terminal (none for a single file)', () => {
    const { s, written } = stream(false);
    const p = new ImportProgress(s, () => 0);
    p.fileDone(1, 2, 'a.csv');
    p.fileDone(2, 2, 'b.csv');
    p.finish();
    expect(written).toEqual(['import: 1/2 a.csv\n', 'import: 2/2 b.csv\n']);
    const one = stream(false);
    const q = new ImportProgress(one.s, () => 0);
    q.fileDone(1, 1, 'a.csv');
    q.finish();
    expect(one.written).toEqual([]);
  });

  it('redraws one line on a terminal and clears it at the end', () => {
    const { s, written } = stream(true);
    let t = 10;
    const p = new ImportProgress(s, () => t);
    t = 13;
    p.fileDone(1, 4, 'a.csv');
    p.finish();
    expect(written[0]).toBe(`\r\x1b[2K${progressLine(1, 4, 3, 'a.csv', 60)}`);
    expect(written.at(-1)).toBe('\r\x1b[2K');
  });

  it('draws a bar within the terminal width', () => {
    expect(progressLine(5, 10, 12, 'x.csv', 80)).toBe(
      'importing ██████████░░░░░░░░░░ 5/10 files  12s  x.csv',
    );
    expect(progressLine(0, 0, 3, '', 80)).toBe('importing…  3s');
    expect(progressLine(5, 10, 12, 'a'.repeat(200), 40).length).toBe(39);
  });
});
