/**
 * Writes a synthetic market file.
 *
 *   node dist/bench/generate.js --symbols 3000 --from 2001-01-02 --to 2025-12-31 --seed 42 --out /tmp/u.csv
 *   node dist/bench/generate.js --symbols 500 --from 2016-01-01 --to 2025-12-31 --out /tmp/u.parquet --format parquet
 *
 * Progress goes to stderr; one JSON summary line goes to stdout.
 */
import { parsePositiveInt } from '../core/positive-int.js';
import { runScript } from './script.js';
import { rm, stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { csvToParquet } from '../data/export/convert.js';
import { parseIsoDate } from '../shared/dates.js';
import { UsageError } from '../shared/errors.js';
import { writeSyntheticCsv, type SyntheticCsvSummary } from './synthetic-csv.js';

export type GenerateFormat = 'csv' | 'parquet';

export type GenerateOptions = {
  symbols: number;
  from: string;
  to: string;
  seed: number;
  out: string;
  format: GenerateFormat;
};

export type GenerateSummary = SyntheticCsvSummary & { format: GenerateFormat; wall_ms: number };

const USAGE = `usage: node dist/bench/generate.js --out FILE [--symbols N] [--from YYYY-MM-DD] [--to YYYY-MM-DD]
                                  [--seed N] [--format csv|parquet]

Writes a deterministic synthetic market (same options -> byte-identical CSV), long format
date,symbol,open,high,low,close,adj_close,volume sorted by symbol then date. S0000 is the market index,
S0001..S0011 the sector indexes, the rest stocks.

Defaults: --symbols 3000 --from 2001-01-02 --to 2025-12-31 --seed 42 --format csv (or parquet when --out ends
in .parquet).

Examples:
  node dist/bench/generate.js --symbols 3000 --from 2001-01-02 --to 2025-12-31 --seed 42 --out /tmp/u.csv
  node dist/bench/generate.js --symbols 50 --from 2024-01-01 --to 2025-12-31 --out /tmp/small.parquet`;

function date(text: string, flag: string): string {
  if (parseIsoDate(text) === null) throw new UsageError(`${flag} must be a date YYYY-MM-DD, got "${text}"`);
  return text;
}

/** Parses the generator's command line; throws UsageError on a bad flag. */
export function parseGenerateArgs(argv: readonly string[]): GenerateOptions | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        symbols: { type: 'string', default: '3000' },
        from: { type: 'string', default: '2001-01-02' },
        to: { type: 'string', default: '2025-12-31' },
        seed: { type: 'string', default: '42' },
        out: { type: 'string' },
        format: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (e) {
    throw new UsageError((e as Error).message, 'see --help');
  }
  const v = parsed.values;
  if (v.help) return 'help';
  if (!v.out) throw new UsageError('--out FILE is required', 'e.g. --out /tmp/u.csv');
  const format = v.format ?? (v.out.endsWith('.parquet') ? 'parquet' : 'csv');
  if (format !== 'csv' && format !== 'parquet')
    throw new UsageError(`--format must be csv or parquet, got "${format}"`);
  const seed = Number(v.seed);
  if (!Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, got "${v.seed}"`);
  const from = date(v.from, '--from');
  const to = date(v.to, '--to');
  if (from > to) throw new UsageError(`--from ${from} is after --to ${to}`);
  return { symbols: parsePositiveInt('--symbols', v.symbols), from, to, seed, out: v.out, format };
}

/** Writes the file (CSV, or CSV then Parquet via DuckDB in the data layer). */
export async function generate(
  o: GenerateOptions,
  onProgress?: (done: number, total: number) => void,
): Promise<GenerateSummary> {
  const started = performance.now();
  const csvPath = o.format === 'csv' ? o.out : `${o.out}.tmp.csv`;
  const summary = await writeSyntheticCsv({ ...o, out: csvPath, ...(onProgress ? { onProgress } : {}) });
  if (o.format === 'parquet') {
    try {
      await csvToParquet(csvPath, o.out);
    } finally {
      await rm(csvPath, { force: true });
    }
  }
  const { size } = await stat(o.out);
  return {
    ...summary,
    path: o.out,
    bytes: size,
    format: o.format,
    wall_ms: Math.round(performance.now() - started),
  };
}

runScript(import.meta.url, parseGenerateArgs, USAGE, async (opts) => {
  let lastPct = -1;
  const summary = await generate(opts, (done, total) => {
    const pct = Math.floor((done / total) * 10) * 10;
    if (pct !== lastPct) {
      lastPct = pct;
      process.stderr.write(`generate: ${done}/${total} symbols\n`);
    }
  });
  process.stdout.write(JSON.stringify(summary) + '\n');
});
