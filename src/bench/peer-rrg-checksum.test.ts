import { describe, expect, it } from 'vitest';
import { readCloseCsv } from '../../test/support/close-csv.js';
import { describeWithSharedData } from '../../test/support/shared-data.js';
import { unionMatrix } from '../core/breadth.js';
import { rrgSeries } from '../core/rrg.js';
import { peerRrgChecksum } from './peer-rrg-checksum.js';
import { weekdays, wigglyPath as path } from '../../test/support/synthetic-series.js';

describe('peerRrgChecksum', () => {
  it('equals the daily series with window 52 and lag 10 when there are no gaps', () => {
    const dates = weekdays(400);
    const b = path(400, 11);
    const a = path(400, 12);
    const c = peerRrgChecksum(b, { A: a });
    const last = rrgSeries({ dates, values: a }, { dates, values: b }, 'daily', { window: 52, lag: 10 }).at(
      -1,
    );
    expect(c.ratio['A']).toBe(last?.ratio);
    expect(c.momentum['A']).toBe(last?.momentum);
  });

  it('voids a window with a gap, as pandas rolling(min_periods=window)', () => {
    const b = path(200, 13);
    const a: (number | null)[] = path(200, 14);
    a[180] = null;
    const c = peerRrgChecksum(b, { A: a, B: path(200, 15) });
    expect(c.ratio['A']).toBeNull();
    expect(c.ratioMean).toBe(c.ratio['B']);
  });
});

const SECTORS = ['XLK', 'XLF', 'XLI', 'XLV', 'XLY', 'XLP', 'XLE', 'XLB', 'XLU', 'XLRE', 'XLC'];

describeWithSharedData('peerRrgChecksum on the shared sector SPDR files', () => {
  const spy = readCloseCsv('etf_daily/SPY.csv');
  const members = SECTORS.map((symbol) => ({ symbol, series: readCloseCsv(`etf_daily/${symbol}.csv`) }));

  it("reproduces the pandas peer's rrg checksum on the union of dates", () => {
    // Provenance: reference script section 3 (the peer's definition re-implemented in plain Python).
    const { matrix } = unionMatrix({
      SPY: spy,
      ...Object.fromEntries(members.map((m) => [m.symbol, m.series])),
    });
    const { SPY: bench, ...sectors } = matrix;
    const c = peerRrgChecksum(bench ?? [], sectors);
    expect(c.ratioMean).toBeCloseTo(100.00955183891556, 9);
    expect(c.momentumMean).toBeCloseTo(99.16060324358045, 9);
  });
});
