import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// DuckDbStore: these tests inspect the file's tables with SQL (DuckDbStore.query), beyond the Store interface.
import { DuckDbStore as Store } from '../store/store.js';
import { importPaths } from './import.js';
import { describeFailure } from '../../cli/commands/import.js';
import { DECIMAL_RE } from '../../shared/identifiers.js';
import { SHARED_DATA, describeWithSharedData } from '../../../test/support/shared-data.js';
import { seeded } from '../../../test/support/seeded.js';

/**
 * Import fuzz: real files from ../shared/data, cut to their first rows, mutated by a seeded generator (cuts,
 * stray delimiters, quotes and line ends, hostile cells, shuffled and repeated lines, UTF-16). Asserts: no
 * uncaught exception; every failure is one `error: file:line field: reason` or `error: file: reason` line; a
 * failed file leaves the store as it was; a file that imports stores exactly the closes its rows hold.
 * Runs ~20 s; ROTATION_FUZZ_SECONDS sets a longer budget, ROTATION_FUZZ_SEED another start seed.
 */

const SECONDS = Number(process.env['ROTATION_FUZZ_SECONDS'] ?? 20);
const START_SEED = Number(process.env['ROTATION_FUZZ_SEED'] ?? 1);
const TODAY = '2026-01-31';
const SOURCES = [
  'etf_daily_ohlcv/IWM.csv',
  'etf_daily_ohlcv/DIA.csv',
  'macro/DGS10.csv',
  // The why importers' layouts (their own readers, the same row checks): failures and all-or-nothing asserted.
  'earnings/shiller_sp500_monthly.csv',
  'flows/ici_ltmf_flows_monthly.csv',
  'earnings/sp500_quarterly_eps_actuals.csv',
];

const HOSTILE_CELLS = [
  '1e999',
  '0x10',
  '-1',
  '0',
  'infinity',
  '-infinity',
  'epoch',
  '2099-01-01',
  '1_000',
  'NaN',
  '',
  '"',
  '=cmd|calc',
  '1e300',
  ' 12 ',
  '2024-02-30',
  '\u202e5',
];
const STRAY = [',', '\t', '"', '\n', '\r\n', '\r', 'x', '-', '_', '0', 'e', '.', ' ', '\u200b'];

type Mutated = { text: string | Buffer; what: string };

function mutate(src: string, r: () => number): Mutated {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const lines = src.split('\n');
  const at = (n: number) => Math.floor(r() * n);
  switch (at(8)) {
    case 0: {
      const cut = at(src.length);
      return { text: src.slice(0, cut), what: `cut at byte ${cut}` };
    }
    case 1: {
      const i = at(src.length);
      const s = pick(STRAY);
      return { text: src.slice(0, i) + s + src.slice(i), what: `insert ${JSON.stringify(s)} at ${i}` };
    }
    case 2: {
      const i = at(src.length);
      return { text: src.slice(0, i) + src.slice(i + 1 + at(5)), what: `delete at ${i}` };
    }
    case 3: {
      const li = 1 + at(lines.length - 1);
      const cells = (lines[li] ?? '').split(',');
      const ci = at(cells.length);
      const v = pick(HOSTILE_CELLS);
      cells[ci] = v;
      lines[li] = cells.join(',');
      return { text: lines.join('\n'), what: `line ${li + 1} cell ${ci} = ${JSON.stringify(v)}` };
    }
    case 4: {
      const a = 1 + at(lines.length - 1);
      const b = 1 + at(lines.length - 1);
      [lines[a], lines[b]] = [lines[b] as string, lines[a] as string];
      return { text: lines.join('\n'), what: `swap lines ${a + 1} and ${b + 1}` };
    }
    case 5: {
      const a = 1 + at(lines.length - 1);
      lines.splice(a, 0, lines[a] as string);
      return { text: lines.join('\n'), what: `repeat line ${a + 1}` };
    }
    case 6:
      return {
        text: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(src, 'utf16le')]),
        what: 'UTF-16LE with BOM',
      };
    default:
      return { text: src.replace(/\n/g, '\r\n'), what: 'CRLF line ends' };
  }
}

/** Closes by date as the mutated text holds them (rows with a plain date and decimal close). */
function closesInText(text: string): Map<string, number> | null {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((h) => h.trim().toLowerCase());
  const ci = header.includes('close') ? header.indexOf('close') : header.indexOf('value');
  if (ci < 0) return null;
  const out = new Map<string, number>();
  for (const l of lines.slice(1)) {
    const cells = l.split(',');
    const d = (cells[0] ?? '').trim();
    const c = cells[ci] ?? '';
    if (/^\d{4}-\d{2}-\d{2}$/.test(d) && DECIMAL_RE.test(c) && cells.length === header.length)
      out.set(d, Number(c));
  }
  return out;
}

describeWithSharedData('import fuzz over mutated real files', () => {
  let dir: string;
  let store: Store;
  const sources: { name: string; text: string }[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rotation-fuzz-'));
    store = await Store.open(':memory:');
    for (const s of SOURCES) {
      const lines = readFileSync(join(SHARED_DATA, s), 'utf8').split('\n');
      sources.push({ name: s.split('/').pop() as string, text: lines.slice(0, 120).join('\n') + '\n' });
    }
  });
  afterAll(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`keeps every invariant for ${SECONDS} s of mutations`, { timeout: (SECONDS + 60) * 1000 }, async () => {
    const deadline = performance.now() + SECONDS * 1000;
    let cases = 0;
    let failures = 0;
    for (let seed = START_SEED; performance.now() < deadline || cases < 20; seed++) {
      const r = seeded(seed);
      const src = sources[seed % sources.length] as { name: string; text: string };
      const m = mutate(src.text, r);
      const file = join(dir, src.name);
      writeFileSync(file, m.text);
      await store.exec('DELETE FROM bars; DELETE FROM observations; DELETE FROM instruments');
      const label = `seed ${seed}, ${src.name}: ${m.what}`;
      const [out] = await importPaths(store, [file], { today: TODAY });
      cases++;
      if (!out) throw new Error(`${label}: no outcome`);
      const [n] = await store.query<{ n: number }>(
        'SELECT (SELECT count(*) FROM bars) + (SELECT count(*) FROM observations) AS n',
      );
      if (!out.ok) {
        failures++;
        const line = describeFailure(out);
        expect(line, label).toMatch(/^error: [^\n]+?(:\d+)?( [a-z_.[\]0-9]+)?: [^\n]+$/);
        expect(line.split('\n').length, label).toBe(1);
        expect(line, `${label}: no raw DuckDB text`).not.toMatch(
          /IO Error|Invalid Input Error|state machine|Conversion Error/,
        );
        expect(n?.n, `${label}: a failed file writes nothing`).toBe(0);
        continue;
      }
      const text = Buffer.isBuffer(m.text) ? src.text : m.text;
      const expected = closesInText(text);
      if (!expected) continue;
      const stored =
        out.table === 'bars'
          ? await store.query<{ d: string; v: number }>('SELECT date::VARCHAR AS d, close AS v FROM bars')
          : await store.query<{ d: string; v: number }>('SELECT period AS d, value AS v FROM observations');
      for (const s of stored)
        if (expected.has(s.d))
          expect(s.v, `${label}: stored value equals the source on ${s.d}`).toBe(expected.get(s.d));
    }
    expect(cases, 'the budget ran cases').toBeGreaterThan(0);
    expect(failures, 'the mutations make some files fail').toBeGreaterThan(0);
  });
});
