import type { Command } from 'commander';
import { earningsWeightedGrowth, estimateRevision, growthSpread } from '../../core/why/earnings.js';
import type { WhyFact } from '../../core/why/fact.js';
import { loadNotes, loadSeriesIds, loadVintages } from '../../data/why/load.js';
import type { Observation } from '../../shared/domain.js';
import { NotFoundError } from '../../shared/errors.js';
import { withStore } from '../context.js';
import { idPart, splitSeries, whyFlags, writeFacts } from './why-output.js';

type EarningsOptions = { tech: string; nonTech: string; growth: string; value: string; period?: string };

/** The latest vintage per period among `vs` (already limited to as-of). */
function latestByPeriod(vs: readonly Observation[]): Map<string, Observation> {
  const m = new Map<string, Observation>();
  for (const o of vs) {
    const prev = m.get(o.period);
    if (!prev || o.asOf > prev.asOf) m.set(o.period, o);
  }
  return m;
}

export function registerEarnings(program: Command): void {
  program
    .command('earnings')
    .description(
      'consensus earnings growth by sector, style and size as known at a date, with revisions between vintages, ' +
        'tech vs non-tech and growth vs value spreads, and an earnings-weighted aggregate',
    )
    .option('--as-of <date>', 'use only estimates known at this date (YYYY-MM-DD); default today')
    .option('--period <period>', 'only this period (2025Q4, 2026)')
    .option('--tech <group>', 'group id of tech', 'sp500:tech')
    .option('--non-tech <group>', 'group id of everything but tech', 'sp500:ex-tech')
    .option('--growth <group>', 'group id of growth stocks', 'style:growth')
    .option('--value <group>', 'group id of value stocks', 'style:value')
    .option('--format <format>', 'table | json | csv', 'table')
    .addHelpText(
      'after',
      `
Reads series earnings:<group>:growth_yoy imported from a "why" inputs file (docs/why.md).

Examples:
  rotation import examples/why-inputs-2026-01-12.csv
  rotation earnings --as-of 2026-01-12             # tech +20%, non-tech +1% (cut from +9%)
  rotation earnings --as-of 2025-12-31             # the older vintage: non-tech still +9%
  rotation earnings --period 2026 --format json    # growth vs value 2026, fractions unrounded`,
    )
    .action(async function (this: Command) {
      const { opts, format, asOf } = whyFlags(this);
      const o = this.opts<EarningsOptions>();
      await withStore(opts, async (store) => {
        const ids = (await loadSeriesIds(store, 'earnings:')).filter((s) => s.endsWith(':growth_yoy'));
        if (ids.length === 0)
          throw new NotFoundError(
            'no earnings growth estimates stored',
            'import a "why" inputs file first, e.g. `rotation import examples/why-inputs-2026-01-12.csv`',
          );
        const facts: WhyFact[] = [];
        const latest = new Map<string, Map<string, Observation>>();
        const baseEarnings = new Map<string, Map<string, Observation>>();
        for (const series of ids) {
          const { group } = splitSeries(series);
          const vs = (await loadVintages(store, series, asOf)).filter(
            (v) => !o.period || v.period === o.period,
          );
          const notes = await loadNotes(store, series);
          const byPeriod = latestByPeriod(vs);
          latest.set(group, byPeriod);
          for (const [period, ob] of byPeriod) {
            const note = notes.get(`${period}|${ob.asOf}`);
            facts.push({
              id: `earnings.growth.${idPart(group)}.${idPart(period)}`,
              value: ob.value,
              unit: ob.unit,
              label: `${group} ${period} earnings growth y/y`,
              inputs: [`${series}@${ob.asOf}`],
              window: period,
              asOf: ob.asOf,
              method: `latest estimate known at ${asOf} (source: ${ob.source})`,
              ...(note ? { note } : {}),
            });
            const rev = estimateRevision(
              vs
                .filter((v) => v.period === period)
                .map((v) => ({ value: v.value, asOf: v.asOf, source: v.source })),
              asOf,
            );
            if (rev && rev.change !== 0)
              facts.push({
                id: `earnings.revision.${idPart(group)}.${idPart(period)}`,
                value: rev.change,
                unit: 'fraction-points',
                label: `${group} ${period} growth ${rev.change < 0 ? 'cut' : 'raised'} from ${(rev.from.value * 100).toFixed(1)}% to ${(rev.to.value * 100).toFixed(1)}%`,
                inputs: [`${series}@${rev.from.asOf}`, `${series}@${rev.to.asOf}`],
                window: period,
                asOf: rev.to.asOf,
                method: `latest minus earliest of ${rev.vintages} vintages known at ${asOf}`,
              });
          }
        }
        for (const series of await loadSeriesIds(store, 'earnings:')) {
          if (!series.endsWith(':base_earnings')) continue;
          baseEarnings.set(
            splitSeries(series).group,
            latestByPeriod(await loadVintages(store, series, asOf)),
          );
        }
        const spread = (a: string, b: string, what: string) => {
          const pa = latest.get(a);
          const pb = latest.get(b);
          if (!pa || !pb) return;
          for (const [period, x] of pa) {
            const y = pb.get(period);
            if (!y) continue;
            facts.push({
              id: `earnings.spread.${idPart(a)}-vs-${idPart(b)}.${idPart(period)}`,
              value: growthSpread(x.value, y.value),
              unit: 'fraction-points',
              label: `${what} ${period}: ${a} minus ${b}`,
              inputs: [`earnings:${a}:growth_yoy@${x.asOf}`, `earnings:${b}:growth_yoy@${y.asOf}`],
              window: period,
              asOf: x.asOf > y.asOf ? x.asOf : y.asOf,
              method: 'difference of the two growth estimates (fraction points)',
            });
          }
        };
        spread(o.tech, o.nonTech, 'tech vs non-tech growth');
        spread(o.growth, o.value, 'growth vs value growth');
        // Earnings-weighted aggregate over every group that has both growth and base earnings for a period.
        const periods = new Set([...latest.values()].flatMap((m) => [...m.keys()]));
        for (const period of [...periods].sort()) {
          const parts = [...baseEarnings]
            .map(([group, m]) => ({ group, base: m.get(period), g: latest.get(group)?.get(period) }))
            .filter((p) => p.base && p.g);
          if (parts.length < 2) continue;
          const agg = earningsWeightedGrowth(
            parts.map((p) => ({ group: p.group, growth: p.g!.value, baseEarnings: p.base!.value })),
          );
          if (agg === null) continue;
          facts.push({
            id: `earnings.weighted.${idPart(period)}`,
            value: agg,
            unit: 'fraction',
            label: `earnings-weighted growth of ${parts.map((p) => p.group).join(', ')} ${period}`,
            inputs: parts.flatMap((p) => [
              `earnings:${p.group}:growth_yoy@${p.g!.asOf}`,
              `earnings:${p.group}:base_earnings@${p.base!.asOf}`,
            ]),
            window: period,
            asOf: parts
              .map((p) => p.g!.asOf)
              .sort()
              .at(-1) as string,
            method:
              "Σ(base earnings × growth) / Σ base earnings: the growth of the groups' combined earnings",
          });
        }
        writeFacts(format, facts, { asOf });
      });
    });
}
