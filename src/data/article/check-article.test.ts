import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithSharedData, SHARED_DATA } from '../../../test/support/shared-data.js';
import { WHY_EXAMPLE } from '../../../test/support/brief-store.js';
import { MAG7 } from '../config.js';
import { importPaths } from '../ingest/import.js';
import { Store } from '../store/store.js';
import type { TradingDate } from '../../shared/brand.js';
import { checkArticle, type ArticleCheck } from './check-article.js';

const ARTICLE = new URL('../../../test/fixtures/articles/small-caps-2026-01-12.md', import.meta.url).pathname;

/**
 * The January 2026 article (test/fixtures/articles/small-caps-2026-01-12.md) checked on ../shared/data through the
 * real importer. Every verdict was checked by hand against the shared data README's year-start table
 * (RUT-NDX first 7 sessions +4.07 pp in 2026, also won in 2021, 2022, 2023: not "the first time in seven years")
 * and against the press figures of examples/why-inputs-2026-01-12.csv.
 */
describeWithSharedData('the January 2026 article checked on the shared data', () => {
  let dir: string;
  let store: Store;
  let check: ArticleCheck;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'article-check-'));
    store = await Store.open(join(dir, 'a.duckdb'));
    const files = [
      'indices/RUT.csv',
      'indices/NDX.csv',
      'indices/SPX.csv',
      ...['IWM', 'QQQ', 'SPY', 'XLK', 'ITB'].map((s) => `etf_daily/${s}.csv`),
      ...MAG7.map((s) => `stocks_daily/${s}.csv`),
    ].map((f) => join(SHARED_DATA, f));
    const out = await importPaths(store, [...files, WHY_EXAMPLE], { today: '2026-11-24' });
    expect(out.filter((o) => !o.ok)).toEqual([]);
    check = await checkArticle(store, readFileSync(ARTICLE, 'utf8'));
  }, 120_000);
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the dateline and checks as of the article date', () => {
    expect(check.date).toBe('2026-01-12');
    expect(check.dateSource).toBe('dateline');
    expect(check.asOf).toBe('2026-01-12');
  });

  it('finds every checkable claim, in order, each with the right verdict', () => {
    const got = check.claims.map((c) => [c.verdict, c.span.text]);
    expect(got).toEqual([
      ['holds', 'Small caps leave Big Tech in the dust to start 2026'],
      ['fails', 'The Russell 2000 has outperformed the Nasdaq-100 to start 2026'],
      ['holds', 'Small-cap stocks have left the Magnificent Seven in the dust so far this year'],
      ['holds', 'The S&P 500 has lagged the Russell 2000 over the first five sessions of the year'],
      [
        'holds',
        'The Russell 2000 rose 6.2% in the first seven sessions of the year and closed at a record high',
      ],
      ['holds', 'The Russell 2000 rose 6.2%'],
      ['pending', 'Small caps are beating the Nasdaq-100 in January'],
      ['holds', 'Homebuilders outpaced the S&P 500 last week'],
      ['needs data', 'The Nasdaq Composite trailed the Russell 2000 so far this year'],
      ['reported figure', 'earnings for S&P 500 technology companies are expected to grow 20%'],
      ['reported figure', 'profits for the rest of the index are seen rising just 1%'],
      ['reported figure', "Growth stocks' earnings are forecast to rise 30%"],
      ['reported figure', 'earnings are forecast to rise 30% in 2026, versus 9%'],
      ['reported figure', 'pulled $900 million'],
      ['reported figure', 'took in $8.3 billion'],
      ['opinion', 'Positioning has turned more bullish on small caps, strategists said.'],
      ['opinion', 'Traders expect the Federal Reserve to cut rates twice this year.'],
      ['reported figure', 'Dow futures were down 63 points'],
      ['reported figure', 'S&P 500 futures slipped 0.2%'],
      ['reported figure', 'Nasdaq-100 futures fell 0.3%'],
      ['reported figure', 'CPI to show prices rose 2.7%'],
      ['opinion', 'Strategists say the rotation into smaller companies may have further to run.'],
      ['opinion', 'Is this finally the year of the small cap?'],
    ]);
  });

  it('fails "the first time in seven years" because it also happened in 2023, under every definition', () => {
    const c = check.claims[1]!;
    const stated = c.definitions.find((d) => d.asStated);
    expect(stated).toMatchObject({
      label: '^RUT vs ^NDX, first:7, price',
      status: 'fails',
      lastBefore: 2023,
    });
    expect(c.notes.join(' ')).toMatch(/first time since 2019/);
    const spread = c.facts.find((f) => f.id === stated?.factId);
    expect(spread?.value as number).toBeCloseTo(0.040661, 5);
    // the windows still running on 2026-01-12 (first 10 sessions, January) are listed, pending, and never counted
    expect(c.definitions.filter((d) => d.status === 'pending (so far)').length).toBe(16);
    expect(c.reason).toBe('fails under all 16 definitions with data; 16 more still running (so far)');
  });

  it('computes the 6.2% move and the record close from the stored ^RUT', () => {
    const move = check.claims[5]!;
    expect(move.facts[0]?.value as number).toBeCloseTo(0.06196, 5);
    const record = check.claims[4]!;
    expect(record.facts[0]).toMatchObject({ id: 'article.c5.rut.close', asOf: '2026-01-12' });
  });

  it('finds the stored ^SPX when the article says "the S&P 500" (one alias table)', () => {
    const c = check.claims[3]!;
    expect(c.definitions.map((d) => d.label)).toContain('^RUT vs ^GSPC (stored as ^SPX), first:5, price');
    expect(c.definitions.every((d) => d.status !== 'no data')).toBe(true);
  });

  it('names the missing data and the command that adds it', () => {
    expect(check.claims[8]!.needs).toEqual([
      { what: 'closes of ^IXIC', command: 'rotation sync ^IXIC (or rotation import FILE with its closes)' },
    ]);
  });

  it('compares reported figures with the stored reports of their topic, never as computed evidence', () => {
    const tech = check.claims[9]!;
    expect(tech.definitions.filter((d) => d.status === 'same figure').map((d) => d.label)).toEqual([
      'earnings:sp500:tech:growth_yoy 2025Q4 (BofA, known 2026-01-12)',
    ]);
    expect(tech.facts.every((f) => f.method.startsWith('reported figure'))).toBe(true);
  });

  it('is pending for a January claim checked on 2026-01-12, and holds once January is over', async () => {
    const text = 'Small caps beat the S&P 500 in January 2026.';
    const then = await checkArticle(store, text, { asOf: '2026-01-12' as TradingDate });
    expect(then.claims[0]?.verdict).toBe('pending');
    const later = await checkArticle(store, text, { asOf: '2026-02-13' as TradingDate });
    expect(later.claims[0]?.verdict).toBe('holds');
  });
});
