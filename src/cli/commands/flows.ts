import type { Command } from 'commander';
import type { WhyFact } from '../../core/why/fact.js';
import { flowSummary, techVsRest } from '../../core/why/flows.js';
import { loadAsKnown, loadSeriesIds } from '../../data/why/load.js';
import { NotFoundError } from '../../shared/errors.js';
import { withStore } from '../context.js';
import { idPart, splitSeries, whyFlags, writeFacts } from './why-output.js';

const isTech = (group: string) => /(^|:)(tech|information-technology|technology)$/.test(group);

export function registerFlows(program: Command): void {
  program
    .command('flows')
    .description(
      'weekly fund flows by sector or category: the week, the 4-week sum, a z-score against the trailing 52 weeks, ' +
        '"largest inflow since …", and tech vs everything else',
    )
    .option('--as-of <date>', 'use only flows known at this date (YYYY-MM-DD); default today')
    .option('--group <prefix>', 'only groups starting with this (e.g. sector:, ici:)')
    .option('--format <format>', 'table | json | csv', 'table')
    .addHelpText(
      'after',
      `
Reads weekly series flows:<group>:net_flow (usd, period = week-ending date) from "why" inputs files and the
ICI weekly file (flows:ici:<category>:net_flow; rows after ICI's 2022 format change are refused at import).

Examples:
  rotation flows --as-of 2026-01-12                 # tech funds -$0.9B, other sectors +$8.3B
  rotation flows --group ici: --as-of 2019-12-31    # ICI mutual fund categories, end of 2019
  rotation flows --format csv > flows.csv`,
    )
    .action(async function (this: Command) {
      const { opts, format, asOf } = whyFlags(this);
      const prefix = this.opts<{ group?: string }>().group;
      await withStore(opts, async (store) => {
        const ids = (await loadSeriesIds(store, 'flows:')).filter(
          (s) => s.endsWith(':net_flow') && (!prefix || splitSeries(s).group.startsWith(prefix)),
        );
        if (ids.length === 0)
          throw new NotFoundError(
            'no weekly flow series stored',
            'import a "why" inputs file or the ICI weekly file first',
          );
        const facts: WhyFact[] = [];
        const latestWeek: { group: string; week: string; value: number }[] = [];
        for (const series of ids) {
          const { group } = splitSeries(series);
          const { obs, laterVintage } = await loadAsKnown(store, series, asOf);
          const s = flowSummary(
            obs.map((o) => ({ period: o.period, value: o.value })),
            asOf,
          );
          if (!s) continue;
          latestWeek.push({ group, week: s.week, value: s.latest });
          const g = idPart(group);
          const vintageNote = laterVintage
            ? `values from the ${laterVintage} vintage (no earlier one stored)`
            : undefined;
          const base = { inputs: [series], asOf: s.week, ...(vintageNote ? { note: vintageNote } : {}) };
          facts.push({
            ...base,
            id: `flows.${g}.week`,
            value: s.latest,
            unit: 'usd',
            label: `${group} net flow, week ending ${s.week}`,
            window: s.week,
            method: 'net flow of the latest week on or before as-of',
            note:
              [
                vintageNote,
                s.largestSince
                  ? `largest ${s.latest >= 0 ? 'inflow' : 'outflow'} since ${s.largestSince}`
                  : obs.length > 1
                    ? `largest ${s.latest >= 0 ? 'inflow' : 'outflow'} since records began (${s.recordSince})`
                    : undefined,
              ]
                .filter(Boolean)
                .join('; ') || undefined,
          } as WhyFact);
          if (s.sum4w !== null)
            facts.push({
              ...base,
              id: `flows.${g}.sum4w`,
              value: s.sum4w,
              unit: 'usd',
              label: `${group} net flow, 4 weeks to ${s.week}`,
              window: 'trailing:4w',
              method: 'sum of the last 4 weekly flows',
            });
          if (s.z52 !== null)
            facts.push({
              ...base,
              id: `flows.${g}.z52`,
              value: s.z52,
              unit: 'z-score',
              label: `${group} week vs trailing 52 weeks`,
              window: 'trailing:52w',
              method: '(week − mean of the 52 prior weeks) / their sample standard deviation',
            });
        }
        // Tech vs everything else on the latest week that has a tech group.
        const techWeeks = latestWeek
          .filter((w) => isTech(w.group))
          .map((w) => w.week)
          .sort();
        const week = techWeeks.at(-1);
        if (week) {
          const same = latestWeek.filter((w) => w.week === week && !w.group.startsWith('ici:'));
          const t = techVsRest(same, isTech);
          if (t)
            facts.push({
              id: 'flows.tech-vs-rest.week',
              value: t.difference,
              unit: 'usd',
              label: `tech ${t.tech < 0 ? 'outflow' : 'inflow'} vs everything else, week ending ${week}`,
              inputs: same.map((w) => `flows:${w.group}:net_flow`),
              window: week,
              asOf: week,
              method: `tech groups (${same
                .filter((w) => isTech(w.group))
                .map((w) => w.group)
                .join(', ')}) minus the other groups: ${t.tech} − ${t.rest} usd`,
            });
        }
        writeFacts(format, facts, { asOf });
      });
    });
}
