import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
// DuckDbStore: these tests inspect the file's tables with SQL (DuckDbStore.query), beyond the Store interface.
import { DuckDbStore as Store, StoreOpenError } from '../store/store.js';
import { importPaths, type FileOutcome } from './import.js';
import { removeOrphanTempCopies } from './csv.js';
import { ensureDir, readTextCapped, writeFileAtomic } from '../files.js';
import { loadConfig } from '../config.js';
import { renderCsv } from '../../cli/output.js';
import { checkWindow, parseWindow, resolveWindow } from '../../core/window.js';
import { SERIES_ID_RE, SYMBOL_RE } from '../../shared/identifiers.js';
import { InputError, UsageError } from '../../shared/errors.js';
import type { TradingDate } from '../../shared/brand.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/hardening/', import.meta.url));
const fx = (name: string) => join(FIXTURES, name);
const TODAY = '2026-01-31';

type Failed = Extract<FileOutcome, { ok: false }>;
type Ok = Extract<FileOutcome, { ok: true }>;

let store: Store;
let dir: string;
beforeEach(async () => {
  store = await Store.open(':memory:');
  dir = mkdtempSync(join(tmpdir(), 'rotation-hardening-'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function rows(): Promise<number> {
  const [b] = await store.query<{ n: number }>('SELECT count(*) AS n FROM bars');
  const [o] = await store.query<{ n: number }>('SELECT count(*) AS n FROM observations');
  return (b?.n ?? 0) + (o?.n ?? 0);
}

async function fails(name: string): Promise<Failed> {
  const [out] = await importPaths(store, [fx(name)], { today: TODAY });
  if (!out || out.ok) throw new Error(`expected ${name} to fail: ${JSON.stringify(out)}`);
  expect(await rows(), `${name} writes nothing`).toBe(0);
  return out;
}

async function imports(name: string): Promise<Ok> {
  const [out] = await importPaths(store, [fx(name)], { today: TODAY });
  if (!out?.ok) throw new Error(`expected ${name} to import: ${JSON.stringify(out)}`);
  return out;
}

describe('import refuses what used to pass as wrong numbers', () => {
  const cases: { file: string; line?: number; field?: string; error: RegExp }[] = [
    { file: 'cut-mid-line.csv', line: 4, error: /last line has 3 of 6 fields .*cut off mid-line/ },
    { file: 'stray-tab.tsv', line: 2, error: /8 fields, but the header has 7/ },
    { file: 'date-suffix.csv', line: 3, field: 'date', error: /not a date: "2024-01-05xyz"/ },
    { file: 'date-epoch.csv', line: 3, field: 'date', error: /not a date: "epoch"/ },
    { file: 'date-minus-infinity.csv', line: 2, field: 'date', error: /not a date: "-infinity"/ },
    { file: 'date-infinity.csv', line: 3, field: 'date', error: /not a date: "infinity"/ },
    { file: 'underscore-number.csv', line: 2, field: 'volume', error: /not a plain decimal number: "1_000"/ },
    { file: 'high-below-low.csv', line: 2, field: 'high', error: /high "0.5" is below low "2"/ },
    { file: 'header-typo-clos.csv', line: 1, field: 'close', error: /names prices .* but no Close column/ },
    { file: 'no-close-column.csv', line: 1, field: 'close', error: /names prices .* but no Close column/ },
    { file: 'headerless.csv', line: 1, error: /no header row: the first line .* holds data/ },
    {
      file: 'colliding-columns.csv',
      line: 1,
      field: 'a_b',
      error: /columns "a b" and "a_b" both become series/,
    },
    { file: 'lf-header-crlf-rows.csv', line: 2, error: /line 2 ends with CRLF but line 1 ends with LF/ },
    { file: 'formula-symbol.csv', line: 2, field: 'symbol', error: /invalid symbol "=cmd\|calc"/ },
    { file: 'rtl-symbol.csv', line: 2, field: 'symbol', error: /invalid symbol/ },
  ];
  for (const c of cases)
    it(`refuses ${c.file} naming line and field, and writes nothing`, async () => {
      const out = await fails(c.file);
      expect(out.error).toMatch(c.error);
      expect(out.line).toBe(c.line);
      expect(out.field).toBe(c.field);
    });

  it('warns when a file ends without a line break (a cut inside the last value cannot be seen)', async () => {
    const out = await imports('no-final-newline.csv');
    expect(out.warnings.join('\n')).toMatch(/does not end with a line break.*line 3/);
    expect(out.rows).toBe(2);
  });

  it('folds tickers to upper case, so iwm and IWM are one symbol', async () => {
    const out = await imports('lowercase-symbol.csv');
    expect(out.symbols).toEqual(['IWM']);
    expect((await store.listSymbols()).map((s) => s.symbol)).toEqual(['IWM']);
  });

  it('slugs a hostile file name into a safe series id', async () => {
    const file = join(dir, '"=cmd|calc\u202e.csv');
    writeFileSync(file, 'Date,VALUE\n2024-01-02,1.5\n');
    const [out] = await importPaths(store, [file], { today: TODAY });
    expect(out?.ok, JSON.stringify(out)).toBe(true);
    for (const s of await store.listSymbols()) expect(s.symbol).toMatch(SERIES_ID_RE);
  });
});

describe('corrupt Parquet files: a clear error naming the file and cause, never DuckDB text', () => {
  async function parquet(): Promise<Buffer> {
    const path = join(dir, 'good.parquet');
    await store.exec(
      `COPY (SELECT DATE '2024-01-01' + i::INTEGER AS date, 100 + i * 0.01 AS close, 1000 + i AS volume
             FROM range(20000) t(i)) TO '${path}' (FORMAT parquet, COMPRESSION snappy)`,
    );
    return readFileSync(path);
  }
  const cases: [string, (b: Buffer) => Buffer][] = [
    [
      'a damaged data page',
      (b) => Buffer.concat([b.subarray(0, 200), Buffer.alloc(4000, 0xa5), b.subarray(4200)]),
    ],
    ['a file cut in half (no footer)', (b) => b.subarray(0, Math.floor(b.length / 2))],
  ];
  for (const [name, damage] of cases)
    it(`${name}: refused whole, in our words`, async () => {
      const file = join(dir, 'IWM.parquet');
      writeFileSync(file, damage(await parquet()));
      const [out] = await importPaths(store, [file], { today: TODAY });
      if (!out || out.ok) throw new Error(`expected a failure: ${JSON.stringify(out)}`);
      // Snappy pages carry no checksum: a damaged page may decode to garbage, which the row checks refuse.
      expect(['unreadable', 'bad-file', 'bad-row']).toContain(out.reason);
      expect(out.error).toMatch(/corrupt|truncated|not a readable Parquet file|^row \d+: /);
      expect(out.error).not.toMatch(/(IO|Invalid Input|Conversion|Internal) Error|\n/);
      expect(await rows()).toBe(0);
    });
});

describe('series ids from a file are checked against the one rule', () => {
  const hostile = ['"DGS10"', 'DGS\u202e10', 'DGS\u200b10', 'DGS\n10', 'X'.repeat(250), '=cmd|calc', 'a b'];
  for (const id of hostile)
    it(`refuses the FRED cache series id ${JSON.stringify(id.slice(0, 20))} and writes nothing`, async () => {
      const file = join(dir, 'fred_cache.json');
      writeFileSync(
        file,
        JSON.stringify({ fetched_at: '2024-01-10', series: { [id]: [['2024-01-02', '4.1']] } }),
      );
      const [out] = await importPaths(store, [file], { today: TODAY });
      if (!out || out.ok) throw new Error(`expected a failure: ${JSON.stringify(out)}`);
      expect(out.field).toBe('series');
      expect(out.error).toMatch(/invalid series id .*: use 1-80 letters/);
      expect(out.error).not.toMatch(/[\n\u200b\u202e]/);
      expect(await rows()).toBe(0);
    });
});

describe('store opening', () => {
  it('refuses a CSV named as the store and leaves it untouched', async () => {
    const before = readFileSync(fx('not-a-store.csv'), 'utf8');
    await expect(Store.open(fx('not-a-store.csv'))).rejects.toThrow(StoreOpenError);
    await expect(Store.open(fx('not-a-store.csv'))).rejects.toThrow(/is not a DuckDB store/);
    expect(readFileSync(fx('not-a-store.csv'), 'utf8')).toBe(before);
  });

  it('refuses a Parquet file or any non-empty foreign file named as the store, and leaves it untouched', async () => {
    const parquet = join(dir, 'bars.parquet');
    await store.exec(
      `COPY (SELECT DATE '2024-01-02' AS date, 1.5 AS close) TO '${parquet}' (FORMAT parquet)`,
    );
    const foreign = join(dir, 'notes.txt');
    writeFileSync(foreign, 'hello, not a store');
    for (const path of [parquet, foreign]) {
      const before = readFileSync(path);
      await expect(Store.open(path), path).rejects.toThrow(/is not a DuckDB store/);
      await expect(Store.open(path, { readOnly: true }), path).rejects.toThrow(/is not a DuckDB store/);
      expect(readFileSync(path).equals(before), `${path} unchanged`).toBe(true);
    }
  });

  it('opens an up-to-date store read-only for readers, and two readers run together', async () => {
    const path = join(dir, 'store.duckdb');
    (await Store.open(path)).close();
    const a = await Store.open(path, { readOnly: true });
    const b = await Store.open(path, { readOnly: true });
    expect([a.readOnly, b.readOnly]).toEqual([true, true]);
    expect(await b.listSymbols()).toEqual([]);
    a.close();
    b.close();
  });

  it('explains a lock held by another process in one line: who holds it and what to do', async () => {
    const path = join(dir, 'locked.duckdb');
    (await Store.open(path)).close();
    // A real second process holding DuckDB's write lock, as a running sync or import does.
    const holder = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "import { DuckDBInstance } from '@duckdb/node-api'; const i = await DuckDBInstance.create(process.argv[1]);" +
          " await i.connect(); process.stdout.write('ready\\n'); setInterval(() => {}, 1000);",
        path,
      ],
      { cwd: fileURLToPath(new URL('../../../', import.meta.url)), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((ok, fail) => {
        holder.stdout.on('data', (b: Buffer) => (String(b).includes('ready') ? ok() : undefined));
        holder.on('exit', (code) => fail(new Error(`the lock holder exited with ${code}`)));
      });
      for (const readOnly of [false, true]) {
        const e = await Store.open(path, { readOnly }).then(
          (s) => (s.close(), null),
          (x: unknown) => x,
        );
        expect(e, `readOnly ${readOnly}`).toBeInstanceOf(StoreOpenError);
        const text = (e as StoreOpenError).message;
        expect(text).toMatch(
          new RegExp(`is in use by another process \\(.*, PID ${holder.pid}\\): .*wait for it`),
        );
        expect(text).not.toMatch(/\n|IO Error|Conflicting lock/);
      }
    } finally {
      holder.kill();
    }
  });

  it('creates a missing store read-write even when asked read-only', async () => {
    const s = await Store.open(join(dir, 'new.duckdb'), { readOnly: true });
    expect(s.readOnly).toBe(false);
    s.close();
  });
});

describe('concurrent reads on one store (the check that once saw "not in the store")', () => {
  it('answers every one of many loads started at once', async () => {
    const bars = Array.from({ length: 300 }, (_, i) => ({
      date: `2020-${String(1 + Math.floor(i / 28)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}` as TradingDate,
      open: null,
      high: null,
      low: null,
      close: 100 + i,
      adjClose: null,
      volume: null,
    }));
    await store.upsertBars('IWM', bars.slice(0, 280), 'test');
    await store.upsertBars('QQQ', bars.slice(0, 280), 'test');
    const loads = Array.from({ length: 40 }, async (_, i) => {
      const s = await store.resolveSymbol(i % 2 ? 'iwm' : 'qqq');
      return s ? (await store.loadBars(s)).length : -1;
    });
    expect(await Promise.all(loads)).toEqual(Array.from({ length: 40 }, () => 280));
  });
});

describe('output files and inputs', () => {
  it('writes atomically and leaves no temporary file', () => {
    const path = join(dir, 'brief.md');
    writeFileAtomic(path, 'old');
    writeFileAtomic(path, 'new');
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['brief.md']);
  });

  it('refuses /proc and device targets instead of spinning', () => {
    expect(() => ensureDir('/proc/rotation-x/y')).toThrow(InputError);
    expect(() => writeFileAtomic('/dev/null', 'x')).toThrow(/not a regular file/);
  });

  it('caps the config file size (/dev/zero is refused, not read forever)', async () => {
    expect(() => readTextCapped('/dev/zero', 1024, 'a test')).toThrow(/larger than 1024 bytes/);
    await expect(loadConfig('/dev/zero')).rejects.toThrow(/larger than/);
  });

  it('removes temporary UTF-16 copies left by a killed import', () => {
    // A pid that cannot be running: above the kernel's pid_max.
    const orphan = join(dir, 'rotation-import-99999999-1.csv');
    writeFileSync(orphan, 'x');
    expect(removeOrphanTempCopies(dir)).toBe(1);
    expect(existsSync(orphan)).toBe(false);
  });
});

describe('names and formulas', () => {
  it('neutralises formula prefixes in CSV text cells, not in numbers', () => {
    const csv = renderCsv(
      [
        { header: 'symbol', get: (r: { s: string; n: number }) => r.s },
        { header: 'n', get: (r: { s: string; n: number }) => r.n },
      ],
      [
        { s: '=cmd|calc', n: -1.5 },
        { s: '@SUM(A1)', n: 2 },
        { s: 'IWM', n: 3 },
      ],
    );
    expect(csv.split('\n')).toEqual(['symbol,n', "'=cmd|calc,-1.5", "'@SUM(A1),2", 'IWM,3', '']);
  });

  it('one symbol rule: no leading formula character, no invisible characters', () => {
    for (const ok of ['IWM', '^RUT', 'BRK.B', 'ES=F']) expect(ok).toMatch(SYMBOL_RE);
    for (const bad of ['=cmd', '-X', 'IWM\u200b', 'IWM\u202e', 'a b', '"IWM"', 'X'.repeat(33)])
      expect(bad).not.toMatch(SYMBOL_RE);
  });
});

describe('window bounds', () => {
  const dates = ['2025-12-31', '2026-01-02', '2026-01-05'] as TradingDate[];
  it('refuses first:0 and first:99999 wherever the window was made', () => {
    expect(() => parseWindow('first:0')).toThrow(UsageError);
    expect(() => resolveWindow({ kind: 'first', sessions: 0 }, dates)).toThrow(UsageError);
    expect(() => resolveWindow({ kind: 'first', sessions: 99999 }, dates)).toThrow(/between 1 and 260/);
    expect(checkWindow({ kind: 'first', sessions: 7 })).toEqual({ kind: 'first', sessions: 7 });
  });
});
