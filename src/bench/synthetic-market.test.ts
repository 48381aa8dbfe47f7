import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { isSession } from '../core/calendar/calendar.js';
import { parseGenerateArgs } from './generate.js';
import { CSV_HEADER, seriesToCsv, writeSyntheticCsv } from './synthetic-csv.js';
import { syntheticMarket, type SymbolSeries } from './synthetic-market.js';
import { tempDir } from '../../test/support/tmp.js';

const SMALL = { symbols: 20, from: '2024-01-01', to: '2025-12-31', seed: 7 };

/** Annualised standard deviation of daily returns of a column. */
function annualisedVol(xs: Float64Array): number {
  const r: number[] = [];
  for (let k = 1; k < xs.length; k++) r.push((xs[k] as number) / (xs[k - 1] as number) - 1);
  const mean = r.reduce((a, b) => a + b, 0) / r.length;
  const variance = r.reduce((a, b) => a + (b - mean) ** 2, 0) / (r.length - 1);
  return Math.sqrt(variance * 252);
}

function dailyReturns(xs: Float64Array): number[] {
  const r: number[] = [];
  for (let k = 1; k < xs.length; k++) r.push((xs[k] as number) / (xs[k - 1] as number) - 1);
  return r;
}

function allSeries(opts: typeof SMALL): SymbolSeries[] {
  const m = syntheticMarket(opts);
  return Array.from({ length: opts.symbols }, (_, i) => m.series(i));
}

describe('syntheticMarket', () => {
  let dir: string;
  beforeAll(async () => {
    dir = tempDir('rotation-synthetic-test-');
  });

  it('writes byte-identical files for the same seed and different ones for another seed', async () => {
    const a = join(dir, 'a.csv');
    const b = join(dir, 'b.csv');
    const c = join(dir, 'c.csv');
    const sa = await writeSyntheticCsv({ ...SMALL, out: a });
    await writeSyntheticCsv({ ...SMALL, out: b });
    await writeSyntheticCsv({ ...SMALL, seed: 8, out: c });
    const [ta, tb, tc] = await Promise.all([readFile(a, 'utf8'), readFile(b, 'utf8'), readFile(c, 'utf8')]);
    expect(ta, 'same seed, same bytes').toBe(tb);
    expect(ta, 'another seed, another market').not.toBe(tc);
    expect(sa.bytes, 'reported size is the file size').toBe(Buffer.byteLength(ta));
    expect(ta.split('\n')[0]).toBe(CSV_HEADER);
    expect(ta.trimEnd().split('\n').length - 1, 'one line per bar').toBe(sa.bars);
  });

  it('generates a symbol the same way whatever the number of symbols', () => {
    const few = syntheticMarket(SMALL).series(15);
    const many = syntheticMarket({ ...SMALL, symbols: 60 }).series(15);
    expect(seriesToCsv(many)).toBe(seriesToCsv(few));
  });

  it('names S0000 the index and S0001..S0011 the sector indexes, each with full history', () => {
    const series = allSeries(SMALL);
    const m = syntheticMarket(SMALL);
    expect(series.map((s) => s.profile.symbol).slice(0, 3)).toEqual(['S0000', 'S0001', 'S0002']);
    expect(series[0]?.profile.kind).toBe('index');
    expect(new Set(series.slice(1, 12).map((s) => s.profile.sector)).size, '11 distinct sectors').toBe(11);
    for (const s of series.slice(0, 12)) expect(s.dates.length, s.profile.symbol).toBe(m.sessions.length);
    expect(series[12]?.profile.kind).toBe('stock');
  });

  it('keeps OHLC consistent and volume positive in the written (rounded) CSV', async () => {
    const out = join(dir, 'ohlc.csv');
    await writeSyntheticCsv({ ...SMALL, symbols: 40, out });
    const lines = (await readFile(out, 'utf8')).trimEnd().split('\n').slice(1);
    let prevKey = '';
    for (const line of lines) {
      const [date, symbol, ...rest] = line.split(',');
      const [open, high, low, close, adj, volume] = rest.map(Number) as number[];
      const where = `${symbol} ${date}`;
      expect(low, where).toBeGreaterThan(0);
      expect(low, where).toBeLessThanOrEqual(Math.min(open as number, close as number));
      expect(high, where).toBeGreaterThanOrEqual(Math.max(open as number, close as number));
      expect(adj, where).toBeGreaterThan(0);
      expect(Number.isInteger(volume) && (volume as number) > 0, `${where} volume ${volume}`).toBe(true);
      const key = `${symbol},${date}`;
      expect(key > prevKey, `${key} after ${prevKey}: sorted by symbol then date`).toBe(true);
      prevKey = key;
    }
  });

  it('puts every bar on an NYSE session, in ascending order per symbol', () => {
    for (const s of allSeries(SMALL)) {
      for (let k = 0; k < s.dates.length; k++) {
        const d = s.dates[k] as string;
        expect(isSession(d), `${s.profile.symbol} ${d}`).toBe(true);
        if (k > 0) expect(d > (s.dates[k - 1] as string)).toBe(true);
      }
    }
    const m = syntheticMarket(SMALL);
    expect(m.sessions).not.toContain('2024-07-04'); // Independence Day, NYSE closed
    expect(m.sessions).not.toContain('2025-01-09'); // national day of mourning (President Carter), NYSE closed
  });

  it('shows splits as a raw drop with a continuous adj_close', () => {
    const series = allSeries({ symbols: 60, from: '2011-01-01', to: '2020-12-31', seed: 3 });
    const splits = series.flatMap((s) => s.splits.filter((e) => e.ratio > 1).map((e) => ({ s, e })));
    expect(splits.length, 'a 10-year, 60-symbol market has forward splits').toBeGreaterThan(2);
    for (const { s, e } of splits) {
      const k = s.dates.indexOf(e.date);
      if (k <= 0) continue; // the split fell on a missing session
      const raw = (s.close[k] as number) / (s.close[k - 1] as number);
      const adj = (s.adjClose[k] as number) / (s.adjClose[k - 1] as number);
      expect(raw, `${s.profile.symbol} ${e.date} ${e.ratio}:1 raw close drops`).toBeLessThan(0.8);
      expect(raw * e.ratio, 'the drop is the ratio, give or take a day move').toBeGreaterThan(0.6);
      expect(Math.abs(adj - 1), `${s.profile.symbol} ${e.date} adj_close continuous`).toBeLessThan(0.4);
      expect(adj / raw, 'adj_close undoes the split').toBeCloseTo(e.ratio, 0);
    }
  });

  it('puts adj_close below close before dividends and equal to it on the last bar', () => {
    const series = allSeries({ symbols: 40, from: '2021-01-01', to: '2025-12-31', seed: 5 });
    const payers = series.filter((s) => s.dividends.length > 4 && s.splits.length === 0);
    expect(payers.length, 'some stocks pay dividends and never split').toBeGreaterThan(2);
    for (const s of payers) {
      const last = s.dates.length - 1;
      expect(s.adjClose[last]).toBeCloseTo(s.close[last] as number, 9);
      expect((s.adjClose[0] as number) / (s.close[0] as number), s.profile.symbol).toBeLessThan(1);
    }
  });

  it('has annualised volatility in the 15-60% band, fat tails and volatility clustering', () => {
    const series = allSeries({ symbols: 40, from: '2016-01-01', to: '2025-12-31', seed: 11 });
    const index = series[0] as SymbolSeries;
    const indexVol = annualisedVol(index.adjClose);
    expect(indexVol, 'market index near its 17% target').toBeGreaterThan(0.1);
    expect(indexVol).toBeLessThan(0.26);
    for (const s of series.slice(12)) {
      if (s.dates.length < 250) continue;
      const vol = annualisedVol(s.adjClose);
      expect(vol, `${s.profile.symbol} target ${s.profile.annualVol.toFixed(2)}`).toBeGreaterThan(0.1);
      expect(vol, s.profile.symbol).toBeLessThan(0.85);
      expect(vol / s.profile.annualVol, s.profile.symbol).toBeGreaterThan(0.6);
      expect(vol / s.profile.annualVol, s.profile.symbol).toBeLessThan(1.6);
    }
    const r = dailyReturns(index.adjClose);
    const mean = r.reduce((a, b) => a + b, 0) / r.length;
    const m2 = r.reduce((a, b) => a + (b - mean) ** 2, 0) / r.length;
    const m4 = r.reduce((a, b) => a + (b - mean) ** 4, 0) / r.length;
    expect(m4 / (m2 * m2), 'kurtosis above the normal 3: fat tails').toBeGreaterThan(4);
    const sq = r.map((x) => (x - mean) ** 2);
    const sqMean = sq.reduce((a, b) => a + b, 0) / sq.length;
    let num = 0;
    let den = 0;
    for (let k = 0; k < sq.length; k++) {
      den += ((sq[k] as number) - sqMean) ** 2;
      if (k > 0) num += ((sq[k] as number) - sqMean) * ((sq[k - 1] as number) - sqMean);
    }
    expect(num / den, 'squared returns autocorrelate: volatility clusters').toBeGreaterThan(0.05);
  });

  it('lists some stocks late, delists some early and leaves gaps, but never the indexes', () => {
    const m = syntheticMarket({ symbols: 100, from: '2016-01-01', to: '2025-12-31', seed: 42 });
    const stocks = Array.from({ length: 88 }, (_, i) => m.series(12 + i));
    const n = m.sessions.length;
    expect(
      stocks.some((s) => s.dates[0] !== m.sessions[0]),
      'late listings',
    ).toBe(true);
    expect(
      stocks.some((s) => s.dates.at(-1) !== m.sessions[n - 1]),
      'early delistings',
    ).toBe(true);
    const gappy = stocks.filter((s) => {
      const first = m.sessions.indexOf(s.dates[0] as (typeof m.sessions)[number]);
      const last = m.sessions.indexOf(s.dates.at(-1) as (typeof m.sessions)[number]);
      return last - first + 1 > s.dates.length;
    });
    expect(gappy.length, 'occasional missing sessions').toBeGreaterThan(0);
  });

  it('rejects impossible options', () => {
    expect(() => syntheticMarket({ ...SMALL, symbols: 0 })).toThrow(RangeError);
    expect(() => syntheticMarket({ ...SMALL, from: '2025-12-27', to: '2025-12-28' })).toThrow(/fewer than 2/);
  });
});

describe('parseGenerateArgs', () => {
  it('reads the documented command line, guessing parquet from the extension', () => {
    expect(
      parseGenerateArgs([
        '--symbols',
        '3000',
        '--from',
        '2001-01-02',
        '--to',
        '2025-12-31',
        '--out',
        '/tmp/u.csv',
      ]),
    ).toEqual({
      symbols: 3000,
      from: '2001-01-02',
      to: '2025-12-31',
      seed: 42,
      out: '/tmp/u.csv',
      format: 'csv',
    });
    expect(parseGenerateArgs(['--out', '/tmp/u.parquet'])).toMatchObject({ format: 'parquet' });
  });

  it('rejects bad flags with a usage error', () => {
    expect(() => parseGenerateArgs([])).toThrow(/--out FILE is required/);
    expect(() => parseGenerateArgs(['--out', 'x', '--symbols', '2.5'])).toThrow(/positive whole number/);
    expect(() => parseGenerateArgs(['--out', 'x', '--from', '2025-02-30'])).toThrow(/date/);
    expect(() => parseGenerateArgs(['--out', 'x', '--format', 'xlsx'])).toThrow(/csv or parquet/);
    expect(() => parseGenerateArgs(['--out', 'x', '--bogus'])).toThrow(/bogus/);
  });
});
