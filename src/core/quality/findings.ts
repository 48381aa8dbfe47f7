import type { TradingDate } from '../../shared/brand.js';

/** How bad one finding is: `info` explains, `warn` deserves a look, `error` makes numbers wrong. */
export type FindingSeverity = 'info' | 'warn' | 'error';

/** The verdict of a whole check or symbol: `ok` when nothing worse than info was found. */
export type Severity = 'ok' | 'warn' | 'error';

export type CheckName =
  | 'order'
  | 'duplicates'
  | 'values'
  | 'ohlc'
  | 'missing-sessions'
  | 'non-session-bars'
  | 'stale'
  | 'jumps'
  | 'adjusted-ratio'
  | 'zero-volume'
  | 'coverage'
  | 'release-calendar';

/** One thing the doctor found, on one date when it has one. */
export type Finding = {
  symbol: string;
  check: CheckName;
  severity: FindingSeverity;
  date?: TradingDate;
  detail: string;
};

/** The outcome of one check over one symbol: always present, so "none found" is said, not implied. */
export type CheckSummary = {
  check: CheckName;
  severity: Severity;
  /** How many problems (warn/error findings) the check found. */
  count: number;
  summary: string;
};

export function worst(severities: Iterable<FindingSeverity | Severity>): Severity {
  let out: Severity = 'ok';
  for (const s of severities) {
    if (s === 'error') return 'error';
    if (s === 'warn') out = 'warn';
  }
  return out;
}

/** One check's summary from its findings; `clean` is the text when it found no problem. */
export function checkSummary(
  check: CheckName,
  findings: readonly Finding[],
  clean: string,
  problem: (n: number) => string,
): CheckSummary {
  const problems = findings.filter((f) => f.severity !== 'info');
  return {
    check,
    severity: worst(problems.map((f) => f.severity)),
    count: problems.length,
    summary: problems.length === 0 ? clean : problem(problems.length),
  };
}
