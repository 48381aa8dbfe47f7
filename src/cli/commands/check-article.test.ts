import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPaths } from '../../data/ingest/import.js';
import { Store } from '../../data/store/store.js';
import { describeWithSharedData, SHARED_DATA } from '../../../test/support/shared-data.js';
import { WHY_EXAMPLE } from '../../../test/support/brief-store.js';
import { runCli } from '../../../test/support/run-cli.js';

const ARTICLE = new URL('../../../test/fixtures/articles/small-caps-2026-01-12.md', import.meta.url).pathname;

describe('rotation check --file on an empty store', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'check-file-empty-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads every claim and says which data each needs, opinions stay opinions', async () => {
    const art = join(dir, 'story.txt');
    writeFileSync(
      art,
      'Small caps beat the S&P 500 in 2025.\n\nWe think small caps will keep winning. Is this the year?\n',
    );
    const r = await runCli(['--db', join(dir, 's.duckdb'), 'check', '--file', art, '--format', 'json']);
    expect(r.code, r.err).toBe(0);
    const check = JSON.parse(r.out) as {
      date: null;
      claims: { verdict: string; needs: { command: string }[] }[];
    };
    expect(check.date).toBeNull();
    expect(check.claims.map((c) => c.verdict)).toEqual(['needs data', 'opinion', 'opinion']);
    expect(check.claims[0]?.needs.map((n) => n.command)).toContain(
      'rotation sync ^RUT (or rotation import FILE with its closes)',
    );
  });

  it('refuses an unknown format and a missing file with a usage error', async () => {
    const db = join(dir, 's2.duckdb');
    expect((await runCli(['--db', db, 'check', '--file', ARTICLE, '--format', 'csv'])).code).toBe(2);
    const missing = await runCli(['--db', db, 'check', '--file', join(dir, 'nope.md')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/cannot read the article .*nope\.md/);
  });
});

describeWithSharedData('rotation check and followup on the shared data', () => {
  let dir: string;
  let db: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'check-file-'));
    db = join(dir, 's.duckdb');
    const store = await Store.open(db);
    const files = [
      'indices/RUT.csv',
      'indices/NDX.csv',
      'indices/SPX.csv',
      'etf_daily/IWM.csv',
      'etf_daily/SPY.csv',
    ];
    const out = await importPaths(store, [...files.map((f) => join(SHARED_DATA, f)), WHY_EXAMPLE], {
      today: '2026-11-24',
    });
    expect(out.filter((o) => !o.ok)).toEqual([]);
    store.close();
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds the stored ^SPX for "the S&P 500" and calls January 2026 pending on 2026-01-12', async () => {
    const r = await runCli([
      '--db',
      db,
      'check',
      'Small caps beat the S&P 500 in January 2026',
      '--as-of',
      '2026-01-12',
    ]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).not.toMatch(/not in the store/);
    expect(r.out).toMatch(/verdict: pending: the window as stated \(jan\) is not over/);
    const later = await runCli([
      '--db',
      db,
      'check',
      'Small caps beat the S&P 500 in January 2026',
      '--as-of',
      '2026-02-13',
    ]);
    expect(later.out).toMatch(/verdict: holds: holds under 16 of 16 definitions with data \(6 of 16 shown\)/);
  });

  it('reads the phrasing the old reader refused ("to start 2026, first time in seven years")', async () => {
    const r = await runCli([
      '--db',
      db,
      'check',
      'Russell 2000 outperformed the S&P 500 to start 2026, first time in seven years',
      '--as-of',
      '2026-01-12',
      '--format',
      'json',
    ]);
    expect(r.code, r.err).toBe(0);
    const run = JSON.parse(r.out) as { claim: { firstSince: number; window: { kind: string } } };
    expect(run.claim).toMatchObject({ firstSince: 2019, window: { kind: 'first', sessions: 7 } });
  });

  it('renders the article as self-contained HTML with the brief fact markup, and as Markdown', async () => {
    const html = await runCli(['--db', db, 'check', '--file', ARTICLE, '--format', 'html']);
    expect(html.code, html.err).toBe(0);
    expect(html.out).toMatch(/^<!doctype html>/);
    expect(html.out).toMatch(/<span class="fact" data-fact="article\.c2\.rut-ndx\.first7\.price\.spread"/);
    expect(html.out).not.toMatch(/<script|https?:\/\//);
    const md = await runCli(['--db', db, 'check', '--file', ARTICLE, '--format', 'md']);
    expect(md.out).toMatch(/^## Claim 2: fails$/m);
    expect(md.out).toMatch(/^## Claim 7: pending$/m);
  });

  it('follows the story up: the lead held, the odds as known on the story date', async () => {
    const r = await runCli([
      '--db',
      db,
      'followup',
      '--as-of',
      '2026-01-12',
      '--to',
      '2026-02-13',
      '--format',
      'json',
    ]);
    expect(r.code, r.err).toBe(0);
    const f = JSON.parse(r.out) as {
      rows: {
        a: string;
        b: string;
        leadHeld: boolean;
        completeLater: boolean;
        oddsSample: number;
        facts: { id: string; value: number }[];
      }[];
    };
    const row = f.rows[0]!;
    expect(row).toMatchObject({ a: '^RUT', b: '^NDX', leadHeld: true, completeLater: false, oddsSample: 14 });
    const then = row.facts.find((x) => x.id.endsWith('.then'));
    expect(then?.value).toBeCloseTo(0.040661, 5);
  });

  it('refuses a follow-up date that is not after the story', async () => {
    const r = await runCli(['--db', db, 'followup', '--as-of', '2026-01-12', '--to', '2026-01-12']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--to 2026-01-12 is not after/);
  });
});
