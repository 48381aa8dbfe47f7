import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rmSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
// DuckDbStore: these tests inspect the file's tables with SQL (DuckDbStore.query), beyond the Store interface.
import { DuckDbStore as Store } from '../store/store.js';
import { importPaths, type FileOutcome, type ImportOptions } from './import.js';
import { tempDir } from '../../../test/support/tmp.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/csv/', import.meta.url));
const fx = (name: string) => join(FIXTURES, name);
/** Fixed "today" so the future-date fixture (2026-02-02) is in the future whatever the clock says. */
const TODAY = '2026-01-31';
const opts: ImportOptions = { today: TODAY };

type Ok = Extract<FileOutcome, { ok: true }>;
type Failed = Extract<FileOutcome, { ok: false }>;

async function importOk(store: Store, file: string, o: Partial<ImportOptions> = {}): Promise<Ok> {
  const [out] = await importPaths(store, [file], { ...opts, ...o });
  if (!out?.ok) throw new Error(`expected ${file} to import: ${JSON.stringify(out)}`);
  return out;
}

async function importFail(store: Store, file: string, o: Partial<ImportOptions> = {}): Promise<Failed> {
  const [out] = await importPaths(store, [file], { ...opts, ...o });
  if (!out || out.ok) throw new Error(`expected ${file} to fail: ${JSON.stringify(out)}`);
  return out;
}

async function count(store: Store, table: 'bars' | 'observations'): Promise<number> {
  const [r] = await store.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`);
  return r?.n ?? -1;
}

/** A repeat import of the same file finds everything already stored. */
async function expectIdempotent(store: Store, file: string, o: Partial<ImportOptions> = {}) {
  const again = await importOk(store, file, o);
  expect(again.added, 'repeat import adds nothing').toBe(0);
  expect(again.updated, 'repeat import updates nothing').toBe(0);
  expect(again.unchanged).toBe(again.rows);
}

describe('importPaths: layouts', () => {
  let store: Store;
  beforeEach(async () => {
    store = await Store.open(':memory:');
  });
  afterEach(() => store.close());

  // The same three OHLCV rows written in different encodings and line ends must store the same values.
  const ohlcvVariants = ['utf8-bom.csv', 'utf16le-bom.csv', 'utf16be-bom.csv', 'crlf.csv', 'descending.csv'];
  for (const name of ohlcvVariants) {
    it(`reads ${name} as OHLCV bars`, async () => {
      const out = await importOk(store, fx(name));
      const symbol = name.replace(/\.csv$/, '').toUpperCase();
      expect(out).toMatchObject({ table: 'bars', symbols: [symbol], rows: 3, added: 3 });
      expect(out.firstDate).toBe('2024-01-02');
      expect(out.lastDate).toBe('2024-01-04');
      const bars = await store.loadBars(symbol);
      expect(bars.map((b) => [b.date, b.open, b.high, b.low, b.close, b.volume])).toEqual([
        ['2024-01-02', 100.5, 101.25, 99.75, 101, 1000],
        ['2024-01-03', 101, 102, 100, 101.5, 1100],
        ['2024-01-04', 101.5, 103, 101, 102.75, 1200],
      ]);
      expect(bars[0]?.adjClose, 'no adjusted close in the file, none invented').toBeNull();
      await expectIdempotent(store, fx(name));
    });
  }

  it('reads a tab-separated file', async () => {
    const out = await importOk(store, fx('tsv.tsv'));
    expect(out.symbols).toEqual(['TSV']);
    expect((await store.loadBars('TSV')).map((b) => b.close)).toEqual([101, 101.5]);
    await expectIdempotent(store, fx('tsv.tsv'));
  });

  it('takes the symbol of a yfinance 3-row header from its Ticker row and records the index kind', async () => {
    const out = await importOk(store, fx('yfinance-3row-header.csv'));
    expect(out).toMatchObject({ layout: 'yfinance-3row', symbols: ['^NDX'], rows: 2 });
    const bars = await store.loadBars('^NDX');
    // Values copied from the fixture (first rows of ../shared/data/indices/NDX.csv).
    expect(bars[0]).toEqual({
      date: '1985-10-01',
      open: 110.62000274658203,
      high: 112.16000366210938,
      low: 110.56500244140625,
      close: 112.13999938964844,
      adjClose: 112.13999938964844,
      volume: 153160000,
    });
    expect((await store.getInstrument('^NDX'))?.kind).toBe('index');
    await expectIdempotent(store, fx('yfinance-3row-header.csv'));
  });

  it('reads a long file with many symbols', async () => {
    const out = await importOk(store, fx('long-format.csv'));
    expect(out).toMatchObject({ layout: 'long', symbols: ['AAA', 'BBB'], rows: 4, added: 4 });
    expect((await store.loadBars('BBB')).map((b) => [b.date, b.close, b.adjClose, b.volume])).toEqual([
      ['2024-01-02', 20.5, 20.4, 2000],
      ['2024-01-03', 21, 20.9, 2100],
    ]);
    expect((await store.getInstrument('AAA'))?.kind).toBe('stock');
    await expectIdempotent(store, fx('long-format.csv'));
  });

  it('reads FRED date,value with the series id from the file name and FRED "." as a gap', async () => {
    const out = await importOk(store, fx('fred-date-value.csv'));
    expect(out).toMatchObject({
      layout: 'fred',
      table: 'observations',
      symbols: ['fred-date-value'],
      rows: 3,
    });
    expect(out.warnings.join(' ')).toMatch(/1 empty value skipped/);
    const obs = await store.loadObservations('fred-date-value');
    expect(obs.map((o) => [o.period, o.value, o.asOf, o.unit, o.source])).toEqual([
      ['2024-01-02', 3.95, '2024-01-02', 'index', 'fred-file'],
      ['2024-01-03', 3.91, '2024-01-03', 'index', 'fred-file'],
      ['2024-01-05', 4.05, '2024-01-05', 'index', 'fred-file'],
    ]);
    await expectIdempotent(store, fx('fred-date-value.csv'));
  });

  it('takes the series id from a DATE,SERIES header, with percent for rate series', async () => {
    await importOk(store, fx('fred-DATE-series.csv'));
    const obs = await store.loadObservations('UNRATE');
    expect(obs.map((o) => [o.period, o.value, o.unit])).toEqual([
      ['2023-11-01', 3.7, 'percent'],
      ['2023-12-01', 3.7, 'percent'],
      ['2024-01-01', 3.7, 'percent'],
    ]);
    expect((await store.getInstrument('UNRATE'))?.kind).toBe('series');
    await expectIdempotent(store, fx('fred-DATE-series.csv'));
  });

  it('reads observation_date,SERIES and records --as-of as the vintage', async () => {
    await importOk(store, fx('fred-observation_date.csv'), { asOf: '2024-02-15' });
    const obs = await store.loadObservations('CPIAUCSL');
    expect(obs.map((o) => [o.period, o.value, o.asOf])).toEqual([
      ['2023-11-01', 307.531, '2024-02-15'],
      ['2023-12-01', 308.024, '2024-02-15'],
      ['2024-01-01', 308.742, '2024-02-15'],
    ]);
    // Known-at dates come from the BLS CPI calendar (January 2024 released 2024-02-13); the stored vintage is later.
    expect(obs.map((o) => o.knownAt)).toEqual(['2023-12-12', '2024-01-11', '2024-02-13']);
    expect(
      (await store.loadObservations('CPIAUCSL', { asOf: '2024-02-12' })).map((o) => [o.period, o.asOf]),
      'January is unknown before its release, even though the vintage read is later',
    ).toEqual([
      ['2023-11-01', '2024-02-15'],
      ['2023-12-01', '2024-02-15'],
    ]);
    await expectIdempotent(store, fx('fred-observation_date.csv'), { asOf: '2024-02-15' });
  });

  it('reads a wide table as one series per numeric column, gaps for empty cells, text columns skipped', async () => {
    const out = await importOk(store, fx('ici-wide.csv'));
    expect(out.layout).toBe('wide');
    expect(out.symbols).toEqual(['ici-wide:Domestic_Equity', 'ici-wide:Hybrid', 'ici-wide:Total_Equity']);
    expect(out.warnings.join(' ')).toMatch(/column "Note" is not numeric; skipped/);
    expect(
      (await store.loadObservations('ici-wide:Domestic_Equity')).map((o) => [o.period, o.value]),
    ).toEqual([['2020-10-31', -14187]]);
    expect((await store.loadObservations('ici-wide:Hybrid')).map((o) => o.value)).toEqual([
      -4186, 2154, -1234.5,
    ]);
    expect(await store.resolveSymbol('ici-wide:Note')).toBeNull();
    await expectIdempotent(store, fx('ici-wide.csv'));
  });

  it('reads JSON records and {symbol, bars}', async () => {
    const out = await importOk(store, fx('records.json'));
    expect(out).toMatchObject({ layout: 'json-records', symbols: ['RECORDS'], rows: 2 });
    expect((await store.loadBars('RECORDS')).map((b) => [b.date, b.close, b.volume])).toEqual([
      ['2024-01-02', 10.5, 100],
      ['2024-01-03', 11, null],
    ]);
    await expectIdempotent(store, fx('records.json'));
    const sb = await importOk(store, fx('symbol-bars.json'));
    expect(sb.symbols).toEqual(['ZZZ']);
    expect((await store.loadBars('ZZZ')).map((b) => b.close)).toEqual([5.25, 5.5]);
  });

  it('reads a FRED cache with observed_at as the vintage (fetched_at when missing)', async () => {
    const out = await importOk(store, fx('fred-cache.json'));
    expect(out).toMatchObject({ layout: 'fred-cache-json', symbols: ['CPIAUCSL', 'DGS10'], rows: 4 });
    expect((await store.loadObservations('DGS10')).map((o) => [o.period, o.value, o.asOf, o.unit])).toEqual([
      ['2026-01-14', 4.14, '2026-01-16', 'percent'],
      ['2026-01-15', 4.17, '2026-01-16', 'percent'],
    ]);
    expect((await store.loadObservations('CPIAUCSL')).map((o) => o.asOf)).toEqual([
      '2026-01-20',
      '2026-01-20',
    ]);
    expect(
      (await store.loadObservations('DGS10', { asOf: '2026-01-14' })).map((o) => [
        o.period,
        o.asOf,
        o.knownAt,
      ]),
      'a daily yield is known on its date; the value read comes from the later observed_at vintage',
    ).toEqual([['2026-01-14', '2026-01-16', '2026-01-14']]);
    await expectIdempotent(store, fx('fred-cache.json'));
  });

  it('reads a Parquet file written by DuckDB with the long layout', async () => {
    const dir = tempDir('rotation-pq-');
    try {
      const file = join(dir, 'bench.parquet');
      await store.exec(
        `COPY (SELECT * FROM (VALUES (DATE '2024-01-02', 'AAA', 10.0, 11.0, 9.0, 10.5, 10.4, 1000::BIGINT),
                                     (DATE '2024-01-03', 'AAA', 10.5, 11.5, 10.0, 11.0, 10.9, 1100::BIGINT),
                                     (DATE '2024-01-02', 'BBB', 20.0, 21.0, 19.0, 20.5, 20.4, 2000::BIGINT))
               AS t(date, symbol, open, high, low, close, adj_close, volume))
         TO '${file}' (FORMAT parquet)`,
      );
      const out = await importOk(store, file);
      expect(out).toMatchObject({ layout: 'parquet:long', symbols: ['AAA', 'BBB'], rows: 3, added: 3 });
      expect(
        (await store.loadBars('AAA')).map((b) => [b.date, b.open, b.close, b.adjClose, b.volume]),
      ).toEqual([
        ['2024-01-02', 10, 10.5, 10.4, 1000],
        ['2024-01-03', 10.5, 11, 10.9, 1100],
      ]);
      await expectIdempotent(store, file);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('maps index file names to caret symbols and uses --symbol and --kind for single-symbol files', async () => {
    const dir = tempDir('rotation-idx-');
    try {
      mkdirSync(join(dir, 'indices'));
      mkdirSync(join(dir, 'etf_daily'));
      copyFileSync(fx('crlf.csv'), join(dir, 'indices', 'RUT.csv'));
      copyFileSync(fx('crlf.csv'), join(dir, 'etf_daily', 'iwm.csv'));
      const rut = await importOk(store, join(dir, 'indices', 'RUT.csv'));
      expect(rut.symbols).toEqual(['^RUT']);
      expect((await store.getInstrument('^RUT'))?.kind).toBe('index');
      expect((await store.listSymbols()).find((s) => s.symbol === '^RUT')?.sources).toEqual([
        'file:indices/RUT.csv',
      ]);
      await importOk(store, join(dir, 'etf_daily', 'iwm.csv'));
      expect((await store.getInstrument('IWM'))?.kind, 'kind from the etf folder').toBe('etf');
      const custom = await importOk(store, fx('crlf.csv'), { symbol: 'QQQ', kind: 'etf' });
      expect(custom.symbols).toEqual(['QQQ']);
      expect((await store.getInstrument('QQQ'))?.kind).toBe('etf');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('importPaths: bad input', () => {
  let store: Store;
  beforeEach(async () => {
    store = await Store.open(':memory:');
  });
  afterEach(() => store.close());

  const cases: { file: string; error: RegExp; line?: number; field?: string }[] = [
    { file: 'bad-date.csv', error: /not a date: "2024-13-45"/, line: 3, field: 'date' },
    { file: 'non-numeric-close.csv', error: /not a number: "abc"/, line: 4, field: 'close' },
    { file: 'zero-close.csv', error: /price must be positive, found "0"/, line: 3, field: 'close' },
    { file: 'negative-close.csv', error: /price must be positive, found "-3"/, line: 3, field: 'close' },
    {
      file: 'duplicate-date-conflict.csv',
      error: /duplicate date 2024-01-03 .*different value \(first on line 3\)/,
      line: 4,
      field: 'date',
    },
    {
      file: 'unsorted.csv',
      error: /dates out of order: 2024-01-03 follows 2024-01-04/,
      line: 4,
      field: 'date',
    },
    {
      file: 'future-date.csv',
      error: /2026-02-02.*in the future \(today is 2026-01-31\)/,
      line: 4,
      field: 'date',
    },
    { file: 'unknown-layout.csv', error: /unknown layout: header "foo,bar,baz" has no date column/ },
    { file: 'empty.csv', error: /empty file/ },
    { file: 'header-only.csv', error: /no data rows \(header only\)/ },
    { file: 'binary.csv', error: /binary file/ },
    { file: 'huge-value.csv', error: /"1e300" is out of range/, line: 3, field: 'close' },
    {
      file: 'hostile-symbol.csv',
      error: /invalid symbol "'; DROP TABLE bars; --"/,
      line: 3,
      field: 'symbol',
    },
    { file: 'long-symbol.csv', error: /invalid symbol "X{40}…"/, line: 3, field: 'symbol' },
    { file: 'blank-lines.csv', error: /not a number: "x"/, line: 6, field: 'close' },
    { file: 'per-year.csv', error: /per-year table; not importable as a time series yet/ },
    { file: 'constituents.csv', error: /no date column: this looks like a constituents\/holdings snapshot/ },
  ];
  for (const c of cases) {
    it(`refuses ${c.file} naming line and field, and writes nothing`, async () => {
      const out = await importFail(store, fx(c.file));
      expect(out.error).toMatch(c.error);
      expect(out.line).toBe(c.line);
      expect(out.field).toBe(c.field);
      expect(await count(store, 'bars'), 'nothing of the file is stored').toBe(0);
      expect(await count(store, 'observations')).toBe(0);
      const [log] = await store.query<{ status: string }>('SELECT status FROM import_log');
      expect(log?.status).toBe('failed');
    });
  }

  it('keeps the bars table intact after a hostile symbol', async () => {
    await importOk(store, fx('crlf.csv'));
    await importFail(store, fx('hostile-symbol.csv'));
    expect(await count(store, 'bars')).toBe(3);
  });

  it('drops an exact duplicate row with a warning', async () => {
    const out = await importOk(store, fx('duplicate-date-exact.csv'));
    expect(out.rows).toBe(3);
    expect(out.warnings).toContain('dropped 1 exact duplicate row (first on line 4)');
    expect((await store.loadBars('DUPLICATE-DATE-EXACT')).map((b) => b.close)).toEqual([10, 11, 12]);
  });

  it('skips a non-time-series file met in a folder walk, but fails it when named', async () => {
    const dir = tempDir('rotation-walk-');
    try {
      copyFileSync(fx('constituents.csv'), join(dir, 'constituents.csv'));
      copyFileSync(fx('crlf.csv'), join(dir, 'crlf.csv'));
      const walked = await importPaths(store, [dir], opts);
      const snapshot = walked.find((o) => o.file.endsWith('constituents.csv'));
      expect(snapshot).toMatchObject({ ok: false, skipped: true });
      const named = await importPaths(store, [join(dir, 'constituents.csv')], opts);
      expect(named[0]).toMatchObject({ ok: false });
      expect(named[0] && !named[0].ok && named[0].skipped, 'named explicitly it is a failure').toBeFalsy();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('imports the good files when another file in the same run fails', async () => {
    const outcomes = await importPaths(
      store,
      [fx('zero-close.csv'), fx('crlf.csv'), fx('bad-date.csv')],
      opts,
    );
    expect(outcomes.map((o) => [o.file.split('/').pop(), o.ok])).toEqual([
      ['bad-date.csv', false],
      ['crlf.csv', true],
      ['zero-close.csv', false],
    ]);
    expect(await count(store, 'bars')).toBe(3);
  });

  it('reports a path that does not exist', async () => {
    const [out] = await importPaths(store, ['/nonexistent/x.csv'], opts);
    expect(out).toMatchObject({ ok: false, error: 'no such file or folder: "/nonexistent/x.csv"' });
  });
});

describe('importPaths: options and paths', () => {
  let store: Store;
  let dir: string;
  beforeEach(async () => {
    store = await Store.open(':memory:');
    dir = tempDir('rotation-imp-');
  });
  afterEach(() => {
    store.close();
  });

  it('validates and counts on --dry-run without writing', async () => {
    const out = await importOk(store, fx('long-format.csv'), { dryRun: true });
    expect(out).toMatchObject({ added: 4, rows: 4 });
    expect(await count(store, 'bars')).toBe(0);
    expect(await store.getInstrument('AAA')).toBeNull();
  });

  it('keeps rows stored from another file unless --replace', async () => {
    mkdirSync(join(dir, 'a'));
    mkdirSync(join(dir, 'b'));
    writeFileSync(join(dir, 'a', 'X.csv'), 'Date,Close\n2024-01-02,10\n2024-01-03,11\n');
    writeFileSync(join(dir, 'b', 'X.csv'), 'Date,Close\n2024-01-03,12\n2024-01-04,13\n');
    await importOk(store, join(dir, 'a', 'X.csv'));
    const second = await importOk(store, join(dir, 'b', 'X.csv'));
    expect(second).toMatchObject({ added: 1, updated: 0, keptFromOtherSource: 1 });
    expect((await store.loadBars('X')).map((b) => b.close)).toEqual([10, 11, 13]);
    const replaced = await importOk(store, join(dir, 'b', 'X.csv'), { replace: true });
    expect(replaced).toMatchObject({ added: 0, updated: 1 });
    expect((await store.loadBars('X')).map((b) => b.close)).toEqual([10, 12, 13]);
  });

  it('walks folders recursively in sorted order, skipping README and other file types', async () => {
    mkdirSync(join(dir, 'z'));
    writeFileSync(join(dir, 'README.md'), '# notes\n');
    writeFileSync(join(dir, 'notes.xlsx'), 'not read');
    writeFileSync(join(dir, 'z', 'B.csv'), 'Date,Close\n2024-01-02,10\n');
    writeFileSync(join(dir, 'A.csv'), 'Date,Close\n2024-01-02,20\n');
    const progress: string[] = [];
    const outcomes = await importPaths(store, [dir], {
      ...opts,
      onProgress: (done, total, file) => progress.push(`${done}/${total} ${file.split('/').pop()}`),
    });
    expect(outcomes.map((o) => o.file.slice(dir.length))).toEqual(['/A.csv', '/z/B.csv']);
    expect(progress).toEqual(['1/2 A.csv', '2/2 B.csv']);
  });

  it('expands globs with *, ** and ?', async () => {
    mkdirSync(join(dir, 'x', 'y'), { recursive: true });
    writeFileSync(join(dir, 'x', 'y', 'C1.csv'), 'Date,Close\n2024-01-02,10\n');
    writeFileSync(join(dir, 'x', 'D1.csv'), 'Date,Close\n2024-01-02,10\n');
    writeFileSync(join(dir, 'x', 'D1.json'), '[]');
    const names = async (pattern: string) =>
      (await importPaths(store, [join(dir, pattern)], { ...opts, dryRun: true })).map((o) =>
        o.file.slice(dir.length),
      );
    expect(await names('**/*.csv')).toEqual(['/x/D1.csv', '/x/y/C1.csv']);
    expect(await names('x/*.csv')).toEqual(['/x/D1.csv']);
    expect(await names('x/y/C?.csv')).toEqual(['/x/y/C1.csv']);
  });

  it('logs each imported file with its counts', async () => {
    await importOk(store, fx('crlf.csv'));
    await importOk(store, fx('crlf.csv'));
    const log = await store.query<{ status: string; rows_added: number; symbol: string }>(
      'SELECT status, rows_added, symbol FROM import_log ORDER BY id',
    );
    expect(log).toEqual([
      { status: 'ok', rows_added: 3, symbol: 'CRLF' },
      { status: 'unchanged', rows_added: 0, symbol: 'CRLF' },
    ]);
  });
});
