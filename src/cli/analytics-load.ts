import type { AnalyticsWarning } from '../data/analytics/common.js';

export function printWarnings(warnings: readonly AnalyticsWarning[]): void {
  for (const w of warnings) process.stderr.write(`warning: ${w.message}\n`);
}
