import type { Bar } from '../../shared/domain.js';
import type { Finding } from './findings.js';

/**
 * The data doctor's row checks over one symbol's daily bars: each row on its own (order, duplicates, values,
 * OHLC consistency, zero volume). Pure: bars in, findings out.
 */

/** Rows whose date repeats an earlier row's date, and rows dated before the row above them. */
export function checkOrder(symbol: string, bars: readonly Bar[]): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < bars.length; i++) {
    const b = bars[i] as Bar;
    if (seen.has(b.date))
      out.push({
        symbol,
        check: 'duplicates',
        severity: 'error',
        date: b.date,
        detail: `row ${i + 1} repeats date ${b.date}`,
      });
    seen.add(b.date);
    const prev = bars[i - 1];
    if (prev && b.date < prev.date)
      out.push({
        symbol,
        check: 'order',
        severity: 'error',
        date: b.date,
        detail: `row ${i + 1} (${b.date}) comes after ${prev.date}: rows are out of date order`,
      });
  }
  return out;
}

/** Non-positive or non-finite prices, negative volume. */
export function checkValues(symbol: string, bars: readonly Bar[]): Finding[] {
  const out: Finding[] = [];
  for (const b of bars) {
    const bad: string[] = [];
    for (const [name, v] of [
      ['open', b.open],
      ['high', b.high],
      ['low', b.low],
      ['close', b.close],
      ['adj_close', b.adjClose],
    ] as const) {
      if (v !== null && !(Number.isFinite(v) && v > 0)) bad.push(`${name} ${v}`);
    }
    if (b.volume !== null && !(Number.isFinite(b.volume) && b.volume >= 0)) bad.push(`volume ${b.volume}`);
    if (bad.length > 0)
      out.push({
        symbol,
        check: 'values',
        severity: 'error',
        date: b.date,
        detail: `non-positive or invalid ${bad.join(', ')}`,
      });
  }
  return out;
}

/**
 * Zero-volume bars after volume began to be recorded. An appending updater that writes a row before the session's
 * final print leaves volume 0 and a close that may differ from the official one (the shared RUT file has 17 such
 * rows). Zero volume before the first traded volume (early index history without volume) is not a finding.
 */
export function checkZeroVolume(symbol: string, bars: readonly Bar[]): Finding[] {
  const first = bars.findIndex((b) => b.volume !== null && b.volume > 0);
  if (first < 0) return [];
  const out: Finding[] = [];
  for (let i = first + 1; i < bars.length; i++) {
    const b = bars[i] as Bar;
    if (b.volume === 0)
      out.push({
        symbol,
        check: 'zero-volume',
        severity: 'warn',
        date: b.date,
        detail: 'volume 0 after volume was recorded: the close may be a pre-final snapshot',
      });
  }
  return out;
}

/**
 * OHLC consistency: high >= max(open, close, low) and low <= min(open, close), where the fields exist. A relative
 * slack of 1e-6 absorbs float rounding in providers' exports.
 */
export function checkOhlc(symbol: string, bars: readonly Bar[]): Finding[] {
  const out: Finding[] = [];
  const slack = 1e-6;
  for (const b of bars) {
    const { open, high, low, close } = b;
    const problems: string[] = [];
    if (high !== null) {
      const top = Math.max(close, open ?? close, low ?? close);
      if (high < top * (1 - slack))
        problems.push(`high ${high} < ${top === close ? 'close' : top === open ? 'open' : 'low'} ${top}`);
    }
    if (low !== null) {
      const bottom = Math.min(close, open ?? close);
      if (low > bottom * (1 + slack))
        problems.push(`low ${low} > ${bottom === close ? 'close' : 'open'} ${bottom}`);
    }
    if (problems.length > 0)
      out.push({ symbol, check: 'ohlc', severity: 'warn', date: b.date, detail: problems.join('; ') });
  }
  return out;
}
