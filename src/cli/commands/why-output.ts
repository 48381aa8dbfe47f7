import type { Command } from 'commander';
import type { WhyFact } from '../../core/why/fact.js';
import type { DateFact } from '../../data/why/figures.js';
import { loadConfig } from '../../data/config.js';
import { parseAsOf, todayInNewYork, type GlobalOptions } from '../context.js';
import {
  formatNumber,
  formatPct,
  formatTrimmed,
  parseFormat,
  writeRows,
  type Column,
  type Format,
} from '../output.js';

/** Options shared by `rotation earnings|flows|positioning|macro`. */
export type WhyOptions = GlobalOptions & { asOf?: string; format: string; config?: string };

/**
 * The help of `--config` on a verb whose figures use none of the config's settings (flows, positioning, earnings):
 * the flag is accepted as on every verb, so one command line works everywhere, and the file is read and checked
 * (a bad file is the same error as on `race`); the help says that nothing in it changes these figures.
 */
export const checkedConfigHelp = (figures: string): string =>
  `config file, read and checked as on every verb (default ./rotation.config.json if present); ${figures} use none of its settings (benchmarks, sectors, baskets, universe)`;

/** Reads and checks `--config` (or ./rotation.config.json): its errors, not its settings, matter to the verb. */
export async function checkConfigFlag(opts: WhyOptions): Promise<void> {
  await loadConfig(opts.config);
}

/**
 * Renders a fact's value for people: fractions as signed percents, usd in $B/$M and percents to the precision of
 * their input ("-$900M", "2.7%", never "-$900.00M"), pp with sign.
 */
export function showValue(f: WhyFact): string {
  const v = f.value;
  switch (f.unit) {
    case 'fraction':
      return formatPct(v);
    case 'fraction-points':
      return `${v > 0 ? '+' : ''}${formatNumber(v * 100, 2)} pp`;
    case 'percent-points':
      return `${v > 0 ? '+' : ''}${formatNumber(v, 2)} pp`;
    case 'percent':
      return `${formatTrimmed(v)}%`;
    case 'usd': {
      const a = Math.abs(v);
      const [d, s] = a >= 1e9 ? [1e9, 'B'] : a >= 1e6 ? [1e6, 'M'] : [1, ''];
      return `${v < 0 ? '-' : ''}$${formatTrimmed(a / d)}${s}`;
    }
    case 'index-0-100':
    case 'percentile':
      return formatNumber(v, 1);
    case 'z-score':
      return `${v > 0 ? '+' : ''}${formatNumber(v, 2)}`;
    case 'points':
      return `${v > 0 ? '+' : ''}${formatNumber(v, 2)}`;
    default:
      return formatNumber(v, Number.isInteger(v) ? 0 : 4);
  }
}

const columns: Column<WhyFact>[] = [
  { header: 'id', get: (f) => f.id },
  { header: 'label', get: (f) => f.label },
  { header: 'value', get: (f) => f.value, show: showValue, align: 'right' },
  { header: 'unit', get: (f) => f.unit },
  { header: 'window', get: (f) => f.window ?? null },
  { header: 'as_of', get: (f) => f.asOf },
  { header: 'known_at', get: (f) => f.knownAt ?? null },
  { header: 'note', get: (f) => f.note ?? null },
];

const csvColumns: Column<WhyFact>[] = [
  ...columns,
  { header: 'inputs', get: (f) => f.inputs },
  { header: 'method', get: (f) => f.method },
];

/**
 * Writes facts: a table for people (inputs and method left to json/csv), JSON with every field, CSV with all. The
 * dates the figures state (`<id>.as-of`, report weeks, releases: facts of unit `date`, the brief prints them) are
 * in the JSON's `facts` after the figures.
 */
export function writeFacts(
  format: Format,
  facts: readonly WhyFact[],
  extra: Record<string, unknown> = {},
  dates: readonly DateFact[] = [],
): void {
  writeRows(format, format === 'csv' ? csvColumns : columns, facts, {
    ...extra,
    facts: [...facts, ...dates],
  });
}

/** Parses the shared flags: format and as-of (default today in New York). */
export function whyFlags(cmd: Command): {
  opts: WhyOptions;
  format: Format;
  asOf: string;
  asOfGiven: boolean;
} {
  const opts = cmd.optsWithGlobals<WhyOptions>();
  const format = parseFormat(opts.format);
  const given = parseAsOf(opts.asOf);
  return { opts, format, asOf: given ?? todayInNewYork(), asOfGiven: given !== undefined };
}

/** Series-id helpers live with the figures (data layer); re-exported for the commands. */
