import type { TradingDate } from '../../shared/brand.js';
import { epochDay, parseIsoDate } from '../../shared/dates.js';
import type { Observation } from '../../shared/domain.js';
import { checkSummary, worst, type CheckSummary, type Finding, type Severity } from './findings.js';

/**
 * The doctor's checks over a non-price series (observations): coverage and staleness. Periods may be dates
 * (`2025-09-01`), months (`2025-09`), quarters (`2025Q4`) or years (`2026`); each is read as its first day.
 */

export type ObservationsReport = {
  symbol: string;
  table: 'observations';
  rows: number;
  firstDate: string | null;
  lastDate: string | null;
  severity: Severity;
  checks: CheckSummary[];
  findings: Finding[];
};

/** The first day of a period label, or null when the label is not one of the known shapes. */
export function periodStart(period: string): TradingDate | null {
  const date = parseIsoDate(period);
  if (date) return date;
  let m = /^(\d{4})-(\d{2})$/.exec(period);
  if (m) return parseIsoDate(`${m[1]}-${m[2]}-01`);
  m = /^(\d{4})-?Q([1-4])$/i.exec(period);
  if (m) return parseIsoDate(`${m[1]}-${String((Number(m[2]) - 1) * 3 + 1).padStart(2, '0')}-01`);
  m = /^(\d{4})$/.exec(period);
  if (m) return parseIsoDate(`${m[1]}-01-01`);
  return null;
}

/**
 * Stale when the as-of date is more than 2 × the series' median spacing plus a publication lag after the last
 * period's start: lag 45 days for monthly-or-slower series (CPI for July is published mid-August), 7 days for
 * daily and weekly ones. So a daily yield series is stale after ~9 days, a monthly one after ~107.
 */
export function staleAllowanceDays(medianSpacingDays: number): number {
  return 2 * medianSpacingDays + (medianSpacingDays >= 28 ? 45 : 7);
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export function checkObservations(
  symbol: string,
  observations: readonly Observation[],
  options: { asOf: TradingDate },
): ObservationsReport {
  const periods = [...new Set(observations.map((o) => o.period))].sort();
  const firstDate = periods[0] ?? null;
  const lastDate = periods[periods.length - 1] ?? null;
  const starts = periods.map(periodStart);
  const unparsed = periods.filter((_, i) => starts[i] === null);
  const days = starts.filter((d): d is TradingDate => d !== null).map(epochDay);
  const spacing = median(days.slice(1).map((d, i) => d - (days[i] as number)));

  const coverage: Finding[] = [];
  if (observations.length === 0)
    coverage.push({ symbol, check: 'coverage', severity: 'warn', detail: 'no observations stored' });
  if (unparsed.length > 0)
    coverage.push({
      symbol,
      check: 'coverage',
      severity: 'info',
      detail: `${unparsed.length} period labels are not dates, months, quarters or years (e.g. "${unparsed[0]}"): staleness uses the others`,
    });
  const values = observations
    .filter((o) => !Number.isFinite(o.value))
    .map<Finding>((o) => ({
      symbol,
      check: 'values',
      severity: 'error',
      detail: `period ${o.period} has value ${o.value}`,
    }));

  const stale: Finding[] = [];
  const lastDay = days[days.length - 1];
  let staleText = 'too few dated periods to judge';
  if (lastDay !== undefined && spacing !== null && spacing > 0) {
    const allowance = staleAllowanceDays(spacing);
    const age = epochDay(options.asOf) - lastDay;
    staleText = `last period ${lastDate} is ${age} days before ${options.asOf} (allowed ${allowance} for a ~${spacing}-day series)`;
    if (age > allowance) stale.push({ symbol, check: 'stale', severity: 'warn', detail: staleText });
  }
  const checks: CheckSummary[] = [
    checkSummary(
      'coverage',
      coverage,
      `${periods.length} periods, ${firstDate ?? '—'}..${lastDate ?? '—'}`,
      () => 'no observations stored',
    ),
    checkSummary('values', values, 'none invalid', (n) => `${n} invalid values`),
    checkSummary('stale', stale, staleText, () => staleText),
  ];
  return {
    symbol,
    table: 'observations',
    rows: periods.length,
    firstDate,
    lastDate,
    severity: worst(checks.map((c) => c.severity)),
    checks,
    findings: [...coverage, ...values, ...stale],
  };
}
