import type { Command } from 'commander';
import type { NextMacroEvent } from '../../core/why/macro-calendar.js';
import { loadConfig } from '../../data/config.js';
import { runMacro } from '../../data/why/macro-run.js';
import { withStore } from '../context.js';
import { addConfigFlag } from './analytics-options.js';
import { whyFlags, writeFacts } from './why-output.js';

type MacroOptions = { cpi?: string; fedFunds: string; tenYear: string; twoYear: string; config?: string };

/** One line of the macro calendar for people: the next event and its source, or how far the kept list reaches. */
function calendarLine(e: NextMacroEvent): string {
  return e.status === 'scheduled'
    ? `next ${e.name}: ${e.date}${e.reference ? ` (${e.reference})` : ''} (${e.source}, ${e.url})`
    : `next ${e.name}: not in the project's calendar, whose list ends on ${e.through}; the next date is on ${e.source} (${e.url})`;
}

export function registerMacro(program: Command): void {
  const cmd = program
    .command('macro')
    .description(
      'macro backdrop: headline CPI year over year (CPI-U NSA, the latest month released by the as-of date), ' +
        'release surprises vs consensus, the fed funds ' +
        'path over 12 months, 10-year and 2-year yields and their spread',
    )
    .option(
      '--as-of <date>',
      'use only data known at this date (YYYY-MM-DD); default the last session stored for the small-cap benchmark, as the brief',
    )
    .option(
      '--cpi <series>',
      'CPI index level series (comma list: first stored wins); default: CPI-U NSA merged across stored files, SA and core alongside',
    )
    .option('--fed-funds <series>', 'policy rate series (comma list: first stored wins)', 'DFEDTARU,FEDFUNDS')
    .option('--ten-year <series>', '10-year yield series', 'DGS10')
    .option('--two-year <series>', '2-year yield series', 'DGS2')
    .option('--format <format>', 'table | json | csv', 'table')
    .addHelpText(
      'after',
      `
Releases (actual, consensus, prior) come from "why" inputs rows: macro,<release>,<period>,<actual|consensus|prior>,…
(template: examples/macro-releases-template.csv; CPI consensus has no free source). The index futures ES=F, NQ=F,
YM=F and RTY=F (\`rotation sync ES=F NQ=F YM=F RTY=F\`) add the last session's move in points and percent. The
calendar lists the next FOMC decision, CPI release and jobs report kept in the project (sources cited).

Examples:
  rotation macro --as-of 2026-01-12                       # CPI for November 2025 (released 2025-12-18), December consensus 2.7%
  rotation macro --as-of 2022-07-31 --cpi CPIAUCSL        # CPI y/y at the 2022 peak
  rotation macro --fed-funds FEDFUNDS --format json`,
    )
    .action(async function (this: Command) {
      const { opts, format, asOf: given, asOfGiven } = whyFlags(this);
      const o = this.opts<MacroOptions>();
      const config = await loadConfig(o.config);
      await withStore(opts, async (store) => {
        const list = (x: string) => x.split(',').map((v) => v.trim());
        // Without --as-of, runMacro uses the brief's default (data/latest), not the clock.
        const { facts, warnings, calendar, dates, ...rest } = await runMacro(store, {
          asOf: asOfGiven ? given : undefined,
          config,
          ...(o.cpi !== undefined ? { cpi: list(o.cpi) } : {}),
          fedFunds: list(o.fedFunds),
          tenYear: list(o.tenYear),
          twoYear: list(o.twoYear),
        });
        for (const w of warnings) process.stderr.write(`note: ${w}\n`);
        writeFacts(format, facts, { ...rest, warnings, calendar }, dates);
        if (format === 'table') for (const e of calendar) process.stdout.write(`${calendarLine(e)}\n`);
      });
    });
  addConfigFlag(cmd);
}
