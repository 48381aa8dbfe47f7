import type { Command } from 'commander';
import type { WhyFact } from '../../core/why/fact.js';
import { positioningReading } from '../../core/why/positioning.js';
import { loadAsKnown, loadSeriesIds } from '../../data/why/load.js';
import { NotFoundError } from '../../shared/errors.js';
import { withStore } from '../context.js';
import { idPart, positiveInt, splitSeries, whyFlags, writeFacts } from './why-output.js';

/** Raw longs, shorts and open interest are inputs, not readings: only nets and provider series are scored. */
const scored = (series: string) => !/:(open_interest|[a-z_]+_long|[a-z_]+_short)$/.test(series);

export function registerPositioning(program: Command): void {
  program
    .command('positioning')
    .description(
      'positioning (CFTC TFF nets for E-mini Russell 2000 and Nasdaq-100, or any provider exposure/z-score): ' +
        'the 0-100 COT index against its trailing range, its percentile and "highest since …"',
    )
    .option('--as-of <date>', 'use only reports released by this date (YYYY-MM-DD); default today')
    .option('--lookback <weeks>', 'readings in the trailing range', '52')
    .option('--group <prefix>', 'only series whose group starts with this (e.g. cftc-tff:rty)')
    .option('--format <format>', 'table | json | csv', 'table')
    .addHelpText(
      'after',
      `
Examples:
  rotation import fut_fin_txt_2025.csv              # CFTC Traders in Financial Futures, yearly file
  rotation positioning --as-of 2026-01-16           # leveraged funds and asset managers in RTY and NQ
  rotation positioning --group cftc-tff:rty --lookback 156 --format json`,
    )
    .action(async function (this: Command) {
      const { opts, format, asOf } = whyFlags(this);
      const o = this.opts<{ lookback: string; group?: string }>();
      const lookback = positiveInt('--lookback', o.lookback);
      await withStore(opts, async (store) => {
        const ids = (await loadSeriesIds(store, 'positioning:')).filter(
          (s) => scored(s) && (!o.group || splitSeries(s).group.startsWith(o.group)),
        );
        if (ids.length === 0)
          throw new NotFoundError(
            'no positioning series stored',
            'import a CFTC TFF file or a "why" inputs file with positioning rows',
          );
        const facts: WhyFact[] = [];
        for (const series of ids) {
          const { obs, laterVintage } = await loadAsKnown(store, series, asOf);
          const r = positioningReading(
            obs.map((x) => ({ period: x.period, value: x.value })),
            asOf,
            lookback,
          );
          const { group, metric } = splitSeries(series);
          const id = `positioning.${idPart(group)}.${idPart(metric)}`;
          if (!r) continue;
          const extreme = r.highestSince
            ? `highest since ${r.highestSince}`
            : r.recordHigh
              ? 'highest on record'
              : r.lowestSince
                ? `lowest since ${r.lowestSince}`
                : r.recordLow
                  ? 'lowest on record'
                  : undefined;
          const note = [extreme, laterVintage ? `values from the ${laterVintage} vintage` : undefined]
            .filter(Boolean)
            .join('; ');
          const window = `${r.window.from}..${r.window.to}`;
          const base = { inputs: [series], asOf: r.date, window, ...(note ? { note } : {}) };
          facts.push({
            ...base,
            id: `${id}.value`,
            value: r.value,
            unit: obs[0]?.unit ?? 'contracts',
            label: `${group} ${metric} on ${r.date}`,
            method: 'latest reading on or before as-of',
          });
          if (r.index !== null)
            facts.push({
              ...base,
              id: `${id}.cot-index`,
              value: r.index,
              unit: 'index-0-100',
              label: `${group} ${metric}, COT index (${lookback} readings)`,
              method: '100 × (x − min) / (max − min) over the trailing readings including this one',
            });
          facts.push({
            ...base,
            id: `${id}.percentile`,
            value: r.percentile,
            unit: 'percentile',
            label: `${group} ${metric}, percentile (${lookback} readings)`,
            method: 'percent of trailing readings ≤ this one',
          });
        }
        if (facts.length === 0)
          throw new NotFoundError(
            `no positioning series has ${lookback} readings on or before ${asOf}`,
            'lower --lookback or import more history',
          );
        writeFacts(format, facts, { asOf, lookback });
      });
    });
}
