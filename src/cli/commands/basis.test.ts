import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../data/config.js';
import { declaredBasis } from '../../data/ingest/import.js';
import { openStore } from '../../data/store/store.js';
import { pgMissing, usePostgres } from '../../../test/support/pg.js';
import { runCli } from '../../../test/support/run-cli.js';
import { describeWithSharedData, hasSharedData, SHARED_DATA } from '../../../test/support/shared-data.js';
import { tempDir } from '../../../test/support/tmp.js';

describe('declaredBasis', () => {
  it('takes --basis first, else the first config entry naming one of the file folders, else nothing', () => {
    const rules = [
      { path: 'etf_daily', basis: 'adjusted' as const },
      { path: './data/indices/', basis: 'price' as const },
    ];
    expect(declaredBasis('/x/etf_daily/SPY.csv', { basisRules: rules })).toEqual({
      basis: 'adjusted',
      declaredBy: 'config imports.basis "etf_daily"',
    });
    expect(declaredBasis('/x/data/indices/RUT.csv', { basisRules: rules })?.basis).toBe('price');
    expect(declaredBasis('/x/etf_daily/SPY.csv', { basis: 'price', basisRules: rules })).toEqual({
      basis: 'price',
      declaredBy: '--basis price',
    });
    expect(
      declaredBasis('/x/my_etf_daily/SPY.csv', { basisRules: rules }),
      'a folder name, not a part',
    ).toBeNull();
    expect(declaredBasis('/x/stocks/AAPL.csv', { basisRules: rules }), 'never guessed').toBeNull();
  });

  it("reads the example config of the shared data set as the folders' READMEs describe them", async () => {
    const file = new URL('../../../examples/shared-data.config.json', import.meta.url).pathname;
    const rules = (await loadConfig(file)).imports.basis;
    expect(declaredBasis('/d/etf_daily/IWM.csv', { basisRules: rules })?.basis).toBe('adjusted');
    expect(declaredBasis('/d/etf_recent_raw/IWM.csv', { basisRules: rules })?.basis).toBe('price');
    expect(declaredBasis('/d/indices/RUT.csv', { basisRules: rules })?.basis).toBe('price');
  });
});

describeWithSharedData('declared basis: import, store and labels', () => {
  let db = '';
  beforeAll(async () => {
    const dir = tempDir('basis-');
    db = join(dir, 'store.duckdb');
    const cfg = join(dir, 'rotation.config.json');
    writeFileSync(cfg, JSON.stringify({ imports: { basis: [{ path: 'etf_daily', basis: 'adjusted' }] } }));
    const etf = ['SPY', 'IWM', 'XLK'].map((s) => join(SHARED_DATA, 'etf_daily', `${s}.csv`));
    const a = await runCli(['--db', db, 'import', ...etf, '--config', cfg, '--format', 'json']);
    expect(a.code, a.err).toBe(0);
    const b = await runCli([
      '--db',
      db,
      'import',
      join(SHARED_DATA, 'indices', 'RUT.csv'),
      '--basis',
      'price',
    ]);
    expect(b.code, b.err).toBe(0);
  }, 120_000);

  it('rrg says the closes are dividend-adjusted, not "no adjusted closes"', async () => {
    const price = await runCli(['--db', db, 'rrg', 'XLK', '--as-of', '2026-07-31']);
    expect(price.code, price.err).toBe(0);
    expect(price.out).toMatch(/price basis \(dividend-adjusted closes\)/);
    expect(price.err).toMatch(/SPY, XLK: the stored closes are dividend-adjusted \(declared at import\)/);
    const total = await runCli(['--db', db, 'rrg', 'XLK', '--as-of', '2026-07-31', '--basis', 'total']);
    expect(total.out).toMatch(/total basis \(dividend-adjusted closes\)/);
    expect(total.err, 'adjusted closes are the total-return series').not.toMatch(/no adjusted closes/);
  });

  it('a race of a price index against an adjusted ETF says so in its JSON and its table', async () => {
    const args = ['--db', db, 'race', '^RUT', 'IWM', '--window', 'jan', '--as-of', '2026-02-20'];
    const json = await runCli([...args, '--format', 'json']);
    expect(json.code, json.err).toBe(0);
    const run = JSON.parse(json.out) as {
      mix: string | null;
      provenance: { symbol: string; closes: string }[];
    };
    expect(run.provenance.map((p) => [p.symbol, p.closes])).toEqual([
      ['^RUT', 'price'],
      ['IWM', 'adjusted'],
    ]);
    expect(run.mix).toMatch(/mixes price closes \(\^RUT\) with dividend-adjusted closes \(IWM\)/);
    const table = await runCli(args);
    expect(table.out).toMatch(/note: mixes price closes/);
    const same = await runCli([
      '--db',
      db,
      'race',
      'IWM',
      'SPY',
      '--as-of',
      '2026-02-20',
      '--format',
      'json',
    ]);
    expect((JSON.parse(same.out) as { mix: unknown }).mix, 'two adjusted legs do not mix').toBeNull();
  });

  it('warns when a declaration replaces one of the other kind', async () => {
    const file = join(SHARED_DATA, 'etf_daily', 'XLK.csv');
    const r = await runCli(['--db', db, 'import', file, '--basis', 'price', '--format', 'json']);
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out) as { outcomes: { warnings: string[] }[] };
    expect(out.outcomes[0]?.warnings.join('\n')).toMatch(
      /XLK: closes of this file declared price \(--basis price\), other stored closes adjusted \(config imports.basis "etf_daily"\): the basis is kept per source/,
    );
    const back = await runCli(['--db', db, 'import', file, '--basis', 'adjusted']);
    expect(back.code, back.err).toBe(0);
  });

  it('check marks each definition that compares a price index with an adjusted series', async () => {
    const r = await runCli([
      ...['--db', db, 'check', '--a', '^RUT', '--b', 'SPY', '--window', 'first:7', '--year', '2025'],
      ...['--format', 'json'],
    ]);
    expect(r.code, r.err).toBe(0);
    const rows = (JSON.parse(r.out) as { rows: { a: string; b: string; mix: string | null }[] }).rows;
    const rut = rows.filter((x) => x.a === '^RUT' && x.b === 'SPY');
    expect(rut.length).toBeGreaterThan(0);
    for (const x of rut) expect(x.mix).toMatch(/mixes price closes \(\^RUT\)/);
    for (const x of rows.filter((y) => y.a === 'IWM' && y.b === 'SPY')) expect(x.mix).toBeNull();
  });
});

const pgReason = !hasSharedData ? '../shared/data not found beside the project' : pgMissing;
const pg = pgReason ? null : usePostgres();
if (pgReason)
  describe('declared basis on both engines', () => {
    it.skip(`skipped: ${pgReason}`, () => {});
  });
else
  describe('declared basis on both engines', () => {
    it('stores and reads the declaration the same way on DuckDB and PostgreSQL', async () => {
      const targets = [join(tempDir('basis-engines-'), 'b.duckdb'), await pg!.newDatabase()];
      const seen: unknown[] = [];
      for (const target of targets) {
        const file = join(SHARED_DATA, 'etf_daily', 'XLK.csv');
        const r = await runCli(['--db', target, 'import', file, '--basis', 'adjusted']);
        expect(r.code, r.err).toBe(0);
        const store = await openStore(target);
        try {
          seen.push([await store.loadCloseBasis('XLK'), await store.loadCloseBasis('SPY')]);
        } finally {
          await store.close();
        }
      }
      expect(seen[0]).toEqual([{ symbol: 'XLK', basis: 'adjusted', declaredBy: '--basis adjusted' }, null]);
      expect(seen[1], 'PostgreSQL answers what DuckDB answers').toEqual(seen[0]);
    });
  });
