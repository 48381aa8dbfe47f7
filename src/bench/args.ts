/** The bench's command line: its flags, their defaults and the fixed dates a run uses (never the clock). */
import { parseArgs } from 'node:util';
import { parsePositiveInt } from '../core/positive-int.js';
import { UsageError } from '../shared/errors.js';

/** The last year of the synthetic range: fixed, so a run does not depend on the clock. */
export const END_YEAR = 2025;

/** The importer's "today" (bars after it would be rejected as future-dated). */
export const TODAY = `${END_YEAR + 1}-01-02`;

export type BenchOnly = 'import' | 'analytics' | 'brief' | 'serve' | 'startup';

/** The importer's "today" for the shared data (last row 2026-08-21): fixed, so a run does not depend on the clock. */
export const SHARED_DATA_TODAY = '2026-11-24';

export type BenchOptions = {
  symbols: number;
  years: number;
  seed: number;
  keep: string | null;
  peer: string | null;
  /** The shared data folder for the brief benchmark (default: shared/data beside the project). */
  data: string | null;
  /** Run one benchmark only (default: all three). */
  only: BenchOnly | null;
  /** The analytics universe (default 3,000 symbols x 25 years). */
  analyticsSymbols: number;
  analyticsYears: number;
  /** A PostgreSQL database (`--pg URL`, else ROTATION_BENCH_PG) for the import and brief on the second engine. */
  pg: string | null;
  /** The serve benchmark's load-during-import duration in seconds (default 60). */
  serveSeconds: number;
  /** The start-up benchmark's alternated rounds (15; 5 with --quick). */
  startupRounds: number;
};

export const USAGE = `usage: node --expose-gc dist/bench/main.js [--only import|analytics|brief|serve|startup] [--symbols N] [--years N]
                                              [--seed N] [--analytics-symbols N] [--analytics-years N]
                                              [--keep DIR] [--quick] [--peer PATH] [--data DIR] [--pg URL]
                                              [--serve-seconds N]

Benchmarks, on a deterministic synthetic market, (1) the import of 1000 symbols x 25 years (about 5.1M bars)
from CSV and Parquet, (2) the analytics (the pandas peer's workload and the product's own: race history,
precedents, odds, RRG, breadth) over 3000 symbols x 25 years (about 15M bars), side by side with the pandas peer
run on the same file when some python3 has pandas, (3) the brief (rotation brief) on the default universe
(shared/data) and on the 3000-symbol universe, (4) the server under load and (5) the CLI's start-up against a bare
node (alternated runs, medians). Prints one JSON object.

  --only WHICH            run only one benchmark: import, analytics, brief, serve or startup (default: all)
  --symbols/--years N     the import data set (default 1000 x 25)
  --analytics-symbols/--analytics-years N   the analytics universe (default 3000 x 25)
  --quick                 50 symbols x 5 years for both: a smoke test
  --keep DIR              write the files (and stores) to DIR and keep them; a universe already in DIR is reused
  --peer PATH             the peer script (default: shared/bench/peer_pandas.py beside the project)
  --data DIR              the default universe's data (default: shared/data beside the project)
  --pg URL                also import and brief on this PostgreSQL database (emptied first!), side by side with
                          DuckDB (default: $ROTATION_BENCH_PG; without it the PostgreSQL columns say skipped)

  --serve-seconds N       serve: the fixed-rate load beside an import lasts N seconds (default 60)`;

/** Parses the bench flags; throws UsageError. */
export function parseBenchArgs(argv: readonly string[]): BenchOptions | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        symbols: { type: 'string' },
        years: { type: 'string' },
        seed: { type: 'string', default: '42' },
        keep: { type: 'string' },
        quick: { type: 'boolean', default: false },
        peer: { type: 'string' },
        data: { type: 'string' },
        pg: { type: 'string' },
        only: { type: 'string' },
        'analytics-symbols': { type: 'string' },
        'analytics-years': { type: 'string' },
        'serve-seconds': { type: 'string' },
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
  const seed = Number(v.seed);
  if (!Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, got "${v.seed}"`);
  const yearsOf = (text: string | undefined, flag: string): number => {
    const y = text === undefined ? (v.quick ? 5 : 25) : parsePositiveInt(flag, text);
    if (END_YEAR - y + 1 < 1980) throw new UsageError(`${flag} ${y} reaches before the calendar (1980)`);
    return y;
  };
  const years = yearsOf(v.years, '--years');
  const analyticsYears = yearsOf(v['analytics-years'], '--analytics-years');
  if (v.only !== undefined && !['import', 'analytics', 'brief', 'serve', 'startup'].includes(v.only))
    throw new UsageError(`--only must be import, analytics, brief, serve or startup, got "${v.only}"`);
  const symbolsOf = (text: string | undefined, flag: string, full: number): number => {
    const n = text === undefined ? (v.quick ? 50 : full) : parsePositiveInt(flag, text);
    if (flag === '--analytics-symbols' && n < 13)
      throw new UsageError(`${flag} must be at least 13 (the index, 11 sectors and a stock), got ${n}`);
    return n;
  };
  const pg = v.pg ?? process.env['ROTATION_BENCH_PG'] ?? null;
  if (pg !== null && !/^postgres(ql)?:\/\//i.test(pg))
    throw new UsageError(`--pg must be a postgres:// URL, got "${pg}"`);
  return {
    symbols: symbolsOf(v.symbols, '--symbols', 1000),
    years,
    seed,
    keep: v.keep ?? null,
    peer: v.peer ?? null,
    data: v.data ?? null,
    only: (v.only as BenchOnly | undefined) ?? null,
    analyticsSymbols: symbolsOf(v['analytics-symbols'], '--analytics-symbols', 3000),
    analyticsYears,
    pg,
    serveSeconds:
      v['serve-seconds'] === undefined ? 60 : parsePositiveInt('--serve-seconds', v['serve-seconds']),
    startupRounds: v.quick ? 5 : 15,
  };
}
