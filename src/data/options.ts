import type { Condition } from '../core/precedents.js';
import { parseWindow } from '../core/window.js';
import { UsageError } from '../shared/errors.js';

/**
 * Option parsers shared by the CLI and the server (both top floor; neither imports the other). Errors name the
 * CLI flag (`--years`); the server maps a flag to its query parameter (`years`) in its error handler.
 */

/** `1988-2026` or `2019` or `2019,2021,2026`. */
export function parseYears(text: string): number[] {
  const out: number[] = [];
  for (const part of text.split(',')) {
    const m = /^\s*(\d{4})\s*(?:(?:-|\.\.)\s*(\d{4}))?\s*$/.exec(part);
    if (!m)
      throw new UsageError(
        `--years "${text}" is not a year list`,
        'write --years 1988-2026 or --years 2019,2023,2026',
      );
    const from = Number(m[1]);
    const to = m[2] ? Number(m[2]) : from;
    if (to < from) throw new UsageError(`--years "${part.trim()}" ends before it starts`);
    for (let y = from; y <= to; y++) out.push(y);
  }
  return out;
}

export function parseYear(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{4}$/.test(text.trim()))
    throw new UsageError(`${flag} "${text}" is not a year`, `write ${flag} 2026`);
  return Number(text);
}

/** Flags that state a condition (precedents, odds). */
export type ConditionFlags = {
  beats?: string[];
  window?: string;
  minSpread?: string;
  extreme?: string;
  side?: string;
  lookback?: string;
};

export function parseCondition(opts: ConditionFlags): Condition {
  if (opts.beats && opts.extreme) throw new UsageError('give one condition: --beats A B or --extreme SYMBOL');
  if (opts.beats) {
    if (opts.beats.length !== 2)
      throw new UsageError(
        `--beats needs two symbols, got ${opts.beats.length}`,
        'e.g. --beats IWM QQQ --window first:7',
      );
    const minSpread = opts.minSpread === undefined ? undefined : Number(opts.minSpread);
    if (minSpread !== undefined && (opts.minSpread?.trim() === '' || !Number.isFinite(minSpread)))
      throw new UsageError(
        `--min-spread "${opts.minSpread}" is not a number`,
        'a fraction: 0.02 means 2 percentage points',
      );
    return {
      kind: 'beats',
      a: opts.beats[0] as string,
      b: opts.beats[1] as string,
      window: parseWindow(opts.window ?? 'first:7'),
      ...(minSpread !== undefined ? { minSpread } : {}),
    };
  }
  if (opts.extreme) {
    const side = (opts.side ?? 'high').toLowerCase();
    if (side !== 'high' && side !== 'low') throw new UsageError(`--side "${opts.side}" is not high or low`);
    const lookback = Number(opts.lookback ?? '252');
    if (opts.lookback?.trim() === '' || !Number.isInteger(lookback) || lookback < 2)
      throw new UsageError(`--lookback "${opts.lookback}" is not a whole number of sessions >= 2`);
    return { kind: 'extreme', symbol: opts.extreme, side, lookback };
  }
  throw new UsageError(
    'no condition given',
    'use --beats A B [--window first:7] or --extreme SYMBOL [--side high] [--lookback 252]',
  );
}
