import type { BriefFact } from './facts/registry.js';

/** How a fact is shown in text. */
export type Style =
  | 'pct' // signed percentage, two decimals: +4.14%
  | 'pct-unsigned' // 4.14%
  | 'pp' // signed percentage points: +4.14 pp
  | 'pp-abs' // 4.14 pp (magnitude; the sentence carries the direction)
  | 'count' // 7
  | 'year' // 2019
  | 'number' // 1.0405
  | 'rate' // a share: 62%
  | 'rate-diff' // a difference of two shares, whole points like the shares: +6 pp
  | 'level' // 100.62 (RRG coordinates, index levels)
  | 'usd-bn' // $12.3 bn
  | 'date' // 2026-01-12
  | 'percent-level' // a value already in percent (yields, rates): 4.12%
  | 'level-abs' // magnitude of a level change: 0.75
  | 'pct-source' // signed percent with no more decimals than the input had (at most two): +20%, +9.9%
  | 'pct-source-unsigned' // the same without a sign: 2.7%
  | 'pp-source-abs' // magnitude in percentage points, input precision: 8 pp
  | 'usd-bn-abs' // magnitude in billions: $0.9 bn
  | 'usd-bn-signed' // −$0.9 bn
  | 'signed-level' // +1.23, −0.40 (z-scores)
  | 'signed-source'; // a signed level with the input's precision: −63

const sign = (x: number, s: string) => (x > 0 ? `+${s}` : x < 0 ? `\u2212${s}` : s);

/**
 * A magnitude with the decimals its input had, at most two: 20, 9.9, 2.7, 0.25. Inputs such as "20%" are stored
 * as 0.2 and float noise (0.19000000000000003) is cut by the two-decimal cap, so no precision is invented.
 */
const trimmed = (x: number) =>
  Math.abs(x)
    .toFixed(2)
    .replace(/\.?0+$/, '');

/** Renders a fact's value. Rounding happens here and only here. Null renders as "n/a". */
export function formatFact(f: BriefFact, style: Style): string {
  const v = f.value;
  if (v === null) return 'n/a';
  if (typeof v === 'string') return v;
  switch (style) {
    case 'pct':
      return sign(v, `${Math.abs(v * 100).toFixed(2)}%`);
    case 'pct-unsigned':
      return `${(v * 100).toFixed(2)}%`;
    case 'pp':
      return sign(v, `${Math.abs(v * 100).toFixed(2)} pp`);
    case 'pp-abs':
      return `${Math.abs(v * 100).toFixed(2)} pp`;
    case 'count':
    case 'year':
      return String(Math.round(v));
    case 'number':
      return v.toFixed(4);
    case 'rate':
      return `${Math.round(v * 100)}%`;
    case 'rate-diff':
      return sign(Math.round(v * 100), `${Math.abs(Math.round(v * 100))} pp`);
    case 'level':
      return v.toFixed(2);
    case 'usd-bn':
      return `$${(v / 1e9).toFixed(1)} bn`;
    case 'date':
      return String(v);
    case 'percent-level':
      return `${v.toFixed(2)}%`;
    case 'level-abs':
      return Math.abs(v).toFixed(2);
    case 'pct-source':
      return sign(v, `${trimmed(v * 100)}%`);
    case 'pct-source-unsigned':
      return `${v < 0 ? '\u2212' : ''}${trimmed(v * 100)}%`;
    case 'pp-source-abs':
      return `${trimmed(v * 100)} pp`;
    case 'usd-bn-abs':
      return `$${Math.abs(v / 1e9).toFixed(1)} bn`;
    case 'usd-bn-signed':
      return sign(v, `$${Math.abs(v / 1e9).toFixed(1)} bn`);
    case 'signed-level':
      return sign(v, Math.abs(v).toFixed(2));
    case 'signed-source':
      return sign(v, trimmed(v));
  }
}

/** The default style for a unit. */
export function defaultStyle(f: BriefFact): Style {
  switch (f.unit) {
    case 'fraction':
      return 'pct';
    case 'percent-points':
      return 'level';
    case 'count':
      return 'count';
    case 'year':
      return 'year';
    case 'ratio':
      return 'number';
    case 'usd':
      return 'usd-bn';
    case 'date':
      return 'date';
    case 'index':
    case 'points':
      return 'level';
  }
}
