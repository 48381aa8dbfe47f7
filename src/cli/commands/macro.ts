import type { Command } from 'commander';
import type { WhyFact } from '../../core/why/fact.js';
import { policyPath, surprise, yearOverYear, yieldCurve } from '../../core/why/macro.js';
import { loadAsKnown, loadSeriesIds, loadVintages } from '../../data/why/load.js';
import type { Store } from '../../data/store/store.js';
import { withStore } from '../context.js';
import { idPart, splitSeries, whyFlags, writeFacts } from './why-output.js';

type MacroOptions = { cpi: string; fedFunds: string; tenYear: string; twoYear: string };

async function firstStored(store: Store, list: string): Promise<string | null> {
  for (const s of list.split(',')) {
    const r = await store.resolveSymbol(s.trim());
    if (r) return r;
  }
  return null;
}

export function registerMacro(program: Command): void {
  program
    .command('macro')
    .description(
      'macro backdrop: CPI year over year from the index level, release surprises vs consensus, the fed funds ' +
        'path over 12 months, 10-year and 2-year yields and their spread',
    )
    .option('--as-of <date>', 'use only data known at this date (YYYY-MM-DD); default today')
    .option('--cpi <series>', 'CPI index level series (comma list: first stored wins)', 'CPIAUCSL')
    .option('--fed-funds <series>', 'policy rate series (comma list: first stored wins)', 'DFEDTARU,FEDFUNDS')
    .option('--ten-year <series>', '10-year yield series', 'DGS10')
    .option('--two-year <series>', '2-year yield series', 'DGS2')
    .option('--format <format>', 'table | json | csv', 'table')
    .addHelpText(
      'after',
      `
Releases (actual, consensus, prior) come from "why" inputs rows: macro,<release>,<period>,<actual|consensus|prior>,…

Examples:
  rotation macro --as-of 2026-01-12                       # CPI consensus 2.7% y/y for December
  rotation macro --as-of 2022-07-31 --cpi CPIAUCSL        # CPI y/y at the 2022 peak
  rotation macro --fed-funds FEDFUNDS --format json`,
    )
    .action(async function (this: Command) {
      const { opts, format, asOf } = whyFlags(this);
      const o = this.opts<MacroOptions>();
      await withStore(opts, async (store) => {
        const facts: WhyFact[] = [];
        const warnings: string[] = [];
        const vintageNote = (v: string | null) =>
          v ? `values from the ${v} vintage (no earlier one stored)` : undefined;

        const cpi = await firstStored(store, o.cpi);
        if (cpi) {
          const { obs, laterVintage } = await loadAsKnown(store, cpi, asOf);
          const last = yearOverYear(obs.map((x) => ({ period: x.period, value: x.value }))).at(-1);
          if (last) {
            const note = vintageNote(laterVintage);
            facts.push({
              id: `macro.cpi-yoy.${idPart(cpi)}`,
              value: last.value,
              unit: 'fraction',
              label: `CPI year over year, ${last.period.slice(0, 7)} (${cpi})`,
              inputs: [cpi],
              window: last.period.slice(0, 7),
              asOf: last.period,
              method: 'index level / level 12 months earlier − 1 (BLS headline uses the NSA index)',
              ...(note ? { note } : {}),
            });
          }
        } else warnings.push(`no CPI series among ${o.cpi}`);

        const ff = await firstStored(store, o.fedFunds);
        if (ff) {
          const { obs, laterVintage } = await loadAsKnown(store, ff, asOf);
          const p = policyPath(
            obs.map((x) => ({ period: x.period, value: x.value })),
            asOf,
            12,
          );
          if (p) {
            const note = [
              `${p.cuts} cut(s), ${p.hikes} hike(s)${/FEDFUNDS/i.test(ff) ? ' (monthly average: counts approximate)' : ''}`,
              vintageNote(laterVintage),
            ]
              .filter(Boolean)
              .join('; ');
            facts.push({
              id: `macro.fed-funds.${idPart(ff)}.change12m`,
              value: p.change,
              unit: 'percent-points',
              label: `fed funds ${p.from.value}% → ${p.to.value}% over 12 months (${ff})`,
              inputs: [ff],
              window: `${p.from.period}..${p.to.period}`,
              asOf: p.to.period,
              method:
                'latest reading minus the reading in force 12 months before as-of; steps ≥ 0.125 pp counted',
              note,
            });
          }
        } else warnings.push(`no policy-rate series among ${o.fedFunds}`);

        const t10 = await firstStored(store, o.tenYear);
        const t2 = await firstStored(store, o.twoYear);
        if (t10 && t2) {
          const a = await loadAsKnown(store, t10, asOf);
          const b = await loadAsKnown(store, t2, asOf);
          const c = yieldCurve(
            a.obs.map((x) => ({ period: x.period, value: x.value })),
            b.obs.map((x) => ({ period: x.period, value: x.value })),
            asOf,
          );
          if (c) {
            const note = vintageNote(a.laterVintage ?? b.laterVintage);
            const base = { inputs: [t10, t2], window: c.date, asOf: c.date, ...(note ? { note } : {}) };
            facts.push({
              ...base,
              id: 'macro.yield.10y',
              value: c.tenYear,
              unit: 'percent',
              label: `10-year Treasury yield (${t10})`,
              method: 'latest date both yields exist',
            });
            facts.push({
              ...base,
              id: 'macro.yield.2y',
              value: c.twoYear,
              unit: 'percent',
              label: `2-year Treasury yield (${t2})`,
              method: 'latest date both yields exist',
            });
            facts.push({
              ...base,
              id: 'macro.yield.10y-2y',
              value: c.spread,
              unit: 'percent-points',
              label: `10y − 2y spread${c.spread < 0 ? ' (inverted)' : ''}`,
              method: '10-year minus 2-year yield on the same date',
            });
          }
        } else warnings.push(`no yield series ${o.tenYear} and ${o.twoYear}`);

        // Releases: macro:<release>:{actual,consensus,prior}, and market moves (futures before the open).
        const releases = new Map<
          string,
          Map<string, Map<string, { value: number; unit: string; asOf: string; source: string }>>
        >();
        for (const series of [
          ...(await loadSeriesIds(store, 'macro:')),
          ...(await loadSeriesIds(store, 'market:')),
        ]) {
          const { kind, group, metric } = splitSeries(series);
          const vs = await loadVintages(store, series, asOf);
          for (const v of vs) {
            const key = `${kind}:${group}`;
            const byPeriod = releases.get(key) ?? new Map();
            const m = byPeriod.get(v.period) ?? new Map();
            const prev = m.get(metric);
            if (!prev || v.asOf > prev.asOf)
              m.set(metric, { value: v.value, unit: v.unit, asOf: v.asOf, source: v.source });
            byPeriod.set(v.period, m);
            releases.set(key, byPeriod);
          }
        }
        for (const [key, byPeriod] of releases) {
          const latestPeriod = [...byPeriod.keys()].sort().at(-1) as string;
          const m = byPeriod.get(latestPeriod)!;
          for (const [metric, v] of m)
            facts.push({
              id: `${idPart(key)}.${idPart(latestPeriod)}.${idPart(metric)}`,
              value: v.value,
              unit: v.unit,
              label: `${key} ${latestPeriod} ${metric}`,
              inputs: [`${key}:${metric}@${v.asOf}`],
              window: latestPeriod,
              asOf: v.asOf,
              method: `as published (source: ${v.source})`,
            });
          const act = m.get('actual');
          const con = m.get('consensus');
          if (act && con)
            facts.push({
              id: `${idPart(key)}.${idPart(latestPeriod)}.surprise`,
              value: surprise(act.value, con.value),
              unit: act.unit === 'fraction' ? 'fraction-points' : act.unit,
              label: `${key} ${latestPeriod}: actual minus consensus`,
              inputs: [`${key}:actual@${act.asOf}`, `${key}:consensus@${con.asOf}`],
              window: latestPeriod,
              asOf: act.asOf,
              method: 'actual − consensus (positive = higher than expected)',
            });
        }
        for (const w of warnings) process.stderr.write(`note: ${w}\n`);
        writeFacts(format, facts, { asOf, warnings });
      });
    });
}
