import type { Command } from 'commander';
import type { TradingDate } from '../../shared/brand.js';
import { parseBasis, type Basis } from '../../core/series/types.js';
import { loadConfig, type Config } from '../../data/config.js';
import { parseAsOf, type GlobalOptions } from '../context.js';
import { parseFormat, type Format } from '../output.js';

export { parseCondition, parseYear, parseYears, type ConditionFlags } from '../../data/options.js';

/** Flags shared by race, precedents, odds and check. */
export type AnalyticsFlags = GlobalOptions & {
  asOf?: string;
  basis?: string;
  format: string;
  config?: string;
};

/** `--config`, the same flag and words on every verb that reads benchmarks, sectors, baskets or the universe. */
export function addConfigFlag(cmd: Command): Command {
  return cmd.option(
    '--config <path>',
    'config file with benchmarks, sectors, baskets and universe (default ./rotation.config.json if present)',
  );
}

export function addCommonFlags(cmd: Command): Command {
  return addConfigFlag(
    cmd
      .option('--as-of <date>', 'use no data after this date (YYYY-MM-DD); default: the latest stored')
      .option('--basis <basis>', 'price (closes) | total (adjusted closes, dividends reinvested)', 'price'),
  ).option('--format <format>', 'table | json | csv', 'table');
}

export type CommonParsed = { asOf: TradingDate | undefined; basis: Basis; format: Format; config: Config };

export async function parseCommon(opts: AnalyticsFlags): Promise<CommonParsed> {
  const basis = parseBasis(opts.basis ?? 'price');
  return {
    asOf: parseAsOf(opts.asOf),
    basis,
    format: parseFormat(opts.format),
    config: await loadConfig(opts.config),
  };
}

export function addConditionFlags(cmd: Command): Command {
  return cmd
    .option('--beats <A B...>', 'condition: A returned more than B over --window (two symbols or baskets)')
    .option(
      '--window <window>',
      'window for --beats: first:N, jan..dec, q1..q4, ytd, year, range:A..B',
      'first:7',
    )
    .option(
      '--min-spread <fraction>',
      'with --beats: A must lead by more than this (0.02 = 2 percentage points)',
    )
    .option('--extreme <symbol>', 'condition: SYMBOL closed at a new --lookback-session high or low')
    .option('--side <side>', 'with --extreme: high | low', 'high')
    .option('--lookback <sessions>', 'with --extreme: look-back in sessions', '252');
}
