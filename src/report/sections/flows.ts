import { loadFlowsFigures, loadPositioningFigures } from '../../data/why/figures.js';
import { loadAsKnown, loadNotes, loadSeriesIds } from '../../data/why/load.js';
import { percentileUnusualness, zScoreUnusualness } from '../../core/news-candidates.js';
import type { TradingDate } from '../../shared/brand.js';
import { epochDay } from '../../shared/dates.js';
import type { BriefFact } from '../facts/registry.js';
import type { Block, Section, SeriesUse } from '../model.js';
import { join, num, t } from '../narrative/text.js';
import type { HeadlineCandidate } from '../news.js';
import { missing } from './context.js';
import { groupName, n, printable, reg, toUse, type WhyCtx } from './why-common.js';

/** ICI's headline categories in the brief: equity and bond mutual funds, equity and bond ETFs. */
const ICI_HEADLINE = new Set([
  'ici:total-equity',
  'ici:total-bond',
  'ici:etf:total-equity',
  'ici:etf:total-bond',
]);

export async function flowsSection(
  ctx: WhyCtx,
): Promise<{ section: Section; used: SeriesUse[]; news: HeadlineCandidate[] }> {
  const blocks: Block[] = [];
  const used: SeriesUse[] = [];
  const f = await loadFlowsFigures(ctx.store, { asOf: ctx.asOf, strict: true });
  // ICI rows only when current (a synced or imported weekly workbook): the old ICI CSV stops in 2020 and is
  // described by iciNote instead. Current = a week that ended within the last 14 days and is not stale.
  // Of ICI's many categories, the headline ones (`rotation flows` lists every one).
  const currentIci = (r: (typeof f.rows)[number]) =>
    ICI_HEADLINE.has(r.group) && !r.latest.stale && epochDay(ctx.asOf) - epochDay(r.week) <= 14;
  const rows = f.rows.filter((r) => !r.group.startsWith('ici:') || currentIci(r));
  const iciShown = rows.some((r) => r.group.startsWith('ici:'));
  if (f.techVsRest) {
    const s = f.techVsRest;
    const tech = reg(ctx, s.tech);
    const rest = reg(ctx, s.rest);
    const flow = (x: BriefFact) => (Number(x.value) < 0 ? 'net outflows of' : 'net inflows of');
    const stale =
      epochDay(ctx.asOf) - epochDay(s.week) > 14 ? ' (the latest week stored; nothing newer is known)' : '';
    blocks.push({
      kind: 'p',
      text: t`In the week ending ${s.week}${stale}, ${join(
        s.techGroups.map((g) => [groupName(g)]),
        ', ',
        ' and ',
      )} had ${flow(tech)} ${num(tech, 'usd-bn-abs')} while ${join(
        s.restGroups.map((g) => [groupName(g)]),
        ', ',
        ' and ',
      )} had ${flow(rest)} ${num(rest, 'usd-bn-abs')}: tech ${s.difference.value < 0 ? 'trailed' : 'led'} the rest by ${n(ctx, s.difference, 'usd-bn-abs')}.`,
    });
  }
  const news: HeadlineCandidate[] = [];
  for (const r of rows) {
    // a headline is this week's news: a z-score of a week ending within the last seven days, not a stale one
    if (!r.z52 || r.z52.value === null || r.latest.stale || epochDay(ctx.asOf) - epochDay(r.week) > 6)
      continue;
    const z = Number(r.z52.value);
    const score = zScoreUnusualness(z);
    const scoreF = ctx.reg.add({
      id: `news.flows.${r.group.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.score`,
      value: score,
      unit: 'fraction',
      label: `share of a normal distribution closer to the mean than this week's z-score (${r.group})`,
      inputs: [r.series],
      asOf: r.week as TradingDate,
      method: 'core/news-candidates zScoreUnusualness: erf(|z| / √2)',
    });
    const dir = Number(r.latest.value) >= 0 ? 'inflow' : 'outflow';
    news.push({
      kind: 'flows-extreme',
      score,
      headline: t`${groupName(r.group)[0]?.toUpperCase() ?? ''}${groupName(r.group).slice(1)} take a net ${dir} of ${n(ctx, r.latest, 'usd-bn-abs')} in the week ending ${r.week}, ${n(ctx, r.z52, 'level-abs')} standard deviations ${z >= 0 ? 'above' : 'below'} the prior year’s weeks`,
      unusual: t`A week that far from its mean is more extreme than ${num(scoreF, 'rate')} of a normal distribution (the z-score is against the ${num(ctx.reg.add({ id: 'flows.params.z-weeks', value: 52, unit: 'count', label: 'weeks in the z-score baseline', inputs: [], asOf: ctx.asOf, method: 'core/why flowSummary: the 52 weeks before the latest' }), 'count')} weeks before it).`,
    });
  }
  if (rows.length > 0) {
    blocks.push({
      kind: 'table',
      caption: `Weekly net flows known on ${ctx.asOf}`,
      head: ['Group', 'Net flow', 'Week ending', 'Four weeks', 'z vs prior year', 'Note'],
      rows: rows.map((r) => {
        const way = r.latest.value >= 0 ? 'inflow' : 'outflow';
        const largest = r.largestSince
          ? `largest ${way} since ${r.largestSince}`
          : r.recordSince < r.week
            ? r.gapAfter
              ? `largest ${way} of the weeks stored without a gap since ${r.recordSince}`
              : `largest ${way} since records began (${r.recordSince})`
            : '';
        return [
          [groupName(r.group)],
          [n(ctx, r.latest, 'usd-bn-signed')],
          [r.week],
          r.sum4w ? [n(ctx, r.sum4w, 'usd-bn-signed')] : ['–'],
          r.z52 ? [n(ctx, r.z52, 'signed-level')] : ['–'],
          [largest],
        ];
      }),
    });
    if (rows.every((r) => !r.sum4w && !r.z52))
      blocks.push({
        kind: 'p',
        text: t`Too few weeks are stored for sums over ${num(ctx.reg.add({ id: 'flows.params.sum-weeks', value: 4, unit: 'count', label: 'weeks in the flow sum', inputs: [], asOf: ctx.asOf, method: 'core/why flowSummary: sum of the last 4 weeks' }), 'count')} weeks, z-scores against the ${num(ctx.reg.add({ id: 'flows.params.z-weeks', value: 52, unit: 'count', label: 'weeks in the z-score baseline', inputs: [], asOf: ctx.asOf, method: 'core/why flowSummary: the 52 weeks before the latest' }), 'count')} weeks before or "largest since" comparisons.`,
      });
    for (const x of await assumedNotes(
      ctx,
      rows.map((r) => r.series),
    ))
      blocks.push({ kind: 'p', text: [`Input note: ${x}.`] });
    const shownSeries = new Set(rows.map((r) => r.series));
    used.push(
      ...f.read
        .filter((r) => !r.series.startsWith('flows:ici:') || shownSeries.has(r.series))
        .map((r) => toUse(r)),
    );
  } else {
    const stored = (await loadSeriesIds(ctx.store, 'flows:')).filter(
      (x) => x.endsWith(':net_flow') && !x.startsWith('flows:ici:'),
    );
    blocks.push(
      missing(
        stored.length > 0
          ? `Weekly fund flows are stored, but none was known on ${ctx.asOf} (they were reported later): see \`rotation flows --as-of\`.`
          : 'No current weekly fund flows stored. ICI\u2019s weekly estimated long-term fund flows and ETF net issuance are free (ici.org): fetch them with `rotation sync ici`, or import a saved workbook with `rotation import flows_data_2026.xls`; sector fund flows (LSEG Lipper, EPFR) are paid: fill `examples/sector-flows-template.csv` and `rotation import` it; see `rotation flows --help`.',
      ),
    );
  }
  const ici = iciShown ? null : await iciNote(ctx);
  if (ici) blocks.push(ici);
  const p = await loadPositioningFigures(ctx.store, { asOf: ctx.asOf, lookback: 52, strict: true });
  if (p.seriesCount === 0)
    blocks.push(
      missing(
        'No futures positioning stored: fetch the CFTC Traders in Financial Futures report (free) with `rotation sync cftc:rty cftc:nq cftc:es`, or import its published file (`rotation import fut_fin_txt_2025.csv`); see `rotation positioning --help`.',
      ),
    );
  else if (p.rows.length === 0)
    blocks.push(
      missing(
        `Positioning series are stored, but none has a year of weekly reports released by ${ctx.asOf}: see \`rotation positioning --lookback\`.`,
      ),
    );
  else {
    for (const r of p.rows) {
      // a report within the last ten days (CFTC: Tuesday's positions, released on Friday) is this week's news
      if (epochDay(ctx.asOf) - epochDay(r.date) > 10 || r.percentile.value === null) continue;
      const lookback = 52;
      const score = percentileUnusualness(Number(r.percentile.value) / 100, lookback);
      const scoreF = ctx.reg.add({
        id: `news.${r.percentile.id}.score`,
        value: score,
        unit: 'fraction',
        label: `how unusual the reading is against its ${lookback} weekly reports`,
        inputs: [r.series],
        asOf: r.date as TradingDate,
        method: 'core/news-candidates percentileUnusualness: 1 − the doubled tail at least as extreme',
      });
      const high = Number(r.percentile.value) >= 50;
      const reportF = ctx.reg.add({
        id: `news.${r.percentile.id}.report-date`,
        value: r.date,
        unit: 'date',
        label: 'the report date (positions as of that Tuesday) of the reading in the headline',
        inputs: [r.series],
        asOf: r.date as TradingDate,
        method: 'data/why/figures/positioning: the latest report released by the as-of date',
      });
      // "highest since D": the date is a fact too (the headline is checked for loose dates, the table is not yet)
      const since = r.extreme?.match(/^(highest|lowest) since (\d{4}-\d{2}-\d{2})$/);
      const extremeText = since
        ? t`: ${since[1]!} since ${num(
            ctx.reg.add({
              id: `news.${r.percentile.id}.extreme-since`,
              value: since[2]!,
              unit: 'date',
              label: `the last report with a reading ${since[1] === 'highest' ? 'as high' : 'as low'} as this one`,
              inputs: [r.series],
              asOf: r.date as TradingDate,
              method: 'core/why positioningReading: the latest earlier report at least as extreme',
            }),
            'date',
          )}`
        : r.extreme
          ? `: ${r.extreme}`
          : '';
      news.push({
        kind: 'positioning-extreme',
        score,
        headline: t`${r.group} ${r.metric.replace(/_/g, ' ')} at percentile ${n(ctx, r.percentile, 'count')} of a year of reports${extremeText} (${num(reportF, 'date')})`,
        unusual: t`A reading that ${high ? 'high' : 'low'} is more extreme than ${num(scoreF, 'rate')} of the year's weekly reports, counting both sides.`,
      });
    }
    blocks.push({
      kind: 'table',
      caption: `Futures positioning (COT index over a year of weekly reports) known on ${ctx.asOf}`,
      head: [
        'Series',
        'Report date',
        'Reading',
        'Week change',
        'COT index, year',
        'COT index, three years',
        'Percentile',
        'Note',
      ],
      rows: p.rows.map((r) => [
        [`${r.group} ${r.metric.replace(/_/g, ' ')}`],
        [r.date],
        [n(ctx, r.value, 'count')],
        r.change ? [n(ctx, r.change, 'signed-level')] : ['–'],
        r.cotIndex ? [n(ctx, r.cotIndex, 'count')] : ['flat'],
        r.cotIndex3y ? [n(ctx, r.cotIndex3y, 'count')] : ['–'],
        [n(ctx, r.percentile, 'count')],
        [r.extreme ?? ''],
      ]),
    });
    if (p.rows.some((r) => r.group.startsWith('cftc-tff:')))
      blocks.push({
        kind: 'p',
        text: [
          'CFTC positions are as of each Tuesday and public on the Friday release. A bank\u2019s positioning gauge is proprietary; CFTC futures positioning is the nearest computable proxy for it, a proxy, not the gauge.',
        ],
      });
    used.push(...p.read.map((r) => toUse(r)));
  }
  return { section: { id: 'flows', title: 'Flows and positioning', blocks }, used, news };
}

/** Notes of stored rows (known at as-of) that say a date was assumed, e.g. the week-ending date of a press report. */
async function assumedNotes(ctx: WhyCtx, series: readonly string[]): Promise<string[]> {
  const out = new Set<string>();
  for (const s of series)
    for (const [key, note] of await loadNotes(ctx.store, s)) {
      const p = printable(note);
      if ((key.split('|')[1] ?? '') <= ctx.asOf && p && /assum/i.test(p))
        out.add(p.replace(/^[^;]*;\s*/, ''));
    }
  return [...out];
}

/**
 * What the brief says when ICI rows are stored but none is current: the old ICI CSV stops where ICI's columns became
 * mislabelled; a weekly workbook (source `ICI <file>.xls`) stored but not current is named with its last week.
 */
async function iciNote(ctx: WhyCtx): Promise<Block | null> {
  const ids = await loadSeriesIds(ctx.store, 'flows:ici:');
  if (ids.length === 0) return null;
  let weekly = '';
  let monthly = '';
  let workbook = '';
  for (const s of ids)
    for (const v of (await loadAsKnown(ctx.store, s, ctx.asOf)).obs) {
      if (/\.xlsx?$/i.test(v.source)) workbook = v.period > workbook ? v.period : workbook;
      else if (s.endsWith(':net_flow_monthly')) monthly = v.period > monthly ? v.period : monthly;
      else weekly = v.period > weekly ? v.period : weekly;
    }
  const parts = [weekly ? `weekly to ${weekly}` : '', monthly ? `monthly to ${monthly}` : ''].filter(Boolean);
  const text: string[] = [];
  if (parts.length > 0)
    text.push(
      `ICI long-term mutual fund flows are stored ${parts.join(' and ')} only from ICI\u2019s public CSV: the public ICI files are mislabelled on later rows (monthly from the end of 2020, weekly from July 2022, where Domestic Equity, Hybrid, Taxable Bond and Total are empty and the other columns hold different series), so the importer dropped those rows with a warning.`,
    );
  if (workbook)
    text.push(
      `ICI\u2019s weekly workbook known on ${ctx.asOf} ends with the week of ${workbook}, not a current week: \`rotation sync ici\` fetches the latest.`,
    );
  else
    text.push(
      'The ICI figures say nothing about recent weeks: `rotation sync ici` fetches ICI\u2019s weekly workbooks.',
    );
  return { kind: 'p', text: [text.join(' ')] };
}

// ------------------------------------------------------------------------------------------------- macro
