import { loadFlowsFigures, loadPositioningFigures } from '../../data/why/figures.js';
import { loadSeriesIds } from '../../data/why/load.js';
import { epochDay } from '../../shared/dates.js';
import type { BriefFact } from '../facts/registry.js';
import type { Block, Section, SeriesUse } from '../model.js';
import { join, num, t, type Text } from '../narrative/text.js';
import type { HeadlineCandidate } from '../news.js';
import { missing } from './context.js';
import { dateSeg, groupName, n, printable, reg, toUse, type WhyCtx } from './why-common.js';

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
  const d = (id: string) => dateSeg(ctx, f.dates, id);
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
      text: t`In the week ending ${d(`${s.difference.id}.as-of`)}${stale}, ${join(
        s.techGroups.map((g) => [groupName(g)]),
        ', ',
        ' and ',
      )} had ${flow(tech)} ${num(tech, 'usd-bn-abs')} while ${join(
        s.restGroups.map((g) => [groupName(g)]),
        ', ',
        ' and ',
      )} had ${flow(rest)} ${num(rest, 'usd-bn-abs')}: tech ${s.difference.value < 0 ? 'trailed' : 'led'} the rest by ${n(ctx, s.difference, 'usd-bn-abs')}${reportedBy(f.rows.filter((r) => r.week === s.week && [...s.techGroups, ...s.restGroups].includes(r.group)))}.`,
    });
  }
  const news: HeadlineCandidate[] = [];
  for (const r of rows) {
    // a headline is this week's news: a z-score of a week ending within the last seven days, not a stale one
    if (!r.z52 || r.z52.value === null || r.latest.stale || epochDay(ctx.asOf) - epochDay(r.week) > 6)
      continue;
    const z = Number(r.z52.value);
    if (!r.unusual) continue;
    const scoreF = reg(ctx, r.unusual);
    const dir = Number(r.latest.value) >= 0 ? 'inflow' : 'outflow';
    news.push({
      kind: 'flows-extreme',
      score: r.unusual.value,
      headline: t`${groupName(r.group)[0]?.toUpperCase() ?? ''}${groupName(r.group).slice(1)} take a net ${dir} of ${n(ctx, r.latest, 'usd-bn-abs')} in the week ending ${d(`${r.latest.id}.as-of`)}, ${n(ctx, r.z52, 'level-abs')} standard deviations ${z >= 0 ? 'above' : 'below'} the prior year’s weeks`,
      unusual: t`A week that far from its mean is more extreme than ${num(scoreF, 'rate')} of a normal distribution (the z-score is against the ${n(ctx, f.params.zWeeks, 'count')} weeks before it).`,
    });
  }
  if (rows.length > 0) {
    blocks.push({
      kind: 'table',
      caption: `Weekly net flows known on ${ctx.asOf}`,
      head: ['Group', 'Net flow', 'Week ending', 'Four weeks', 'z vs prior year', 'Note'],
      rows: rows.map((r) => {
        const way = r.latest.value >= 0 ? 'inflow' : 'outflow';
        const g = r.latest.id.replace(/\.week$/, '');
        const largest: Text = r.largestSince
          ? t`largest ${way} since ${d(`${r.latest.id}.largest-since`)}`
          : r.recordSince < r.week
            ? r.gapAfter
              ? t`largest ${way} of the weeks stored without a gap since ${d(`${g}.record-since`)}`
              : t`largest ${way} since records began (${d(`${g}.record-since`)})`
            : [''];
        // a week typed in from the press is the source's figure, not one computed here
        const note: Text =
          r.latest.kind === 'reported'
            ? [
                ...largest.filter((x) => x !== ''),
                `${largest.some((x) => x !== '') ? '; ' : ''}as reported (source: ${r.latest.source ?? 'not recorded'})`,
              ]
            : largest;
        return [
          [groupName(r.group)],
          [n(ctx, r.latest, 'usd-bn-signed')],
          [d(`${r.latest.id}.as-of`)],
          r.sum4w ? [n(ctx, r.sum4w, 'usd-bn-signed')] : ['–'],
          r.z52 ? [n(ctx, r.z52, 'signed-level')] : ['–'],
          note,
        ];
      }),
    });
    if (rows.every((r) => !r.sum4w && !r.z52))
      blocks.push({
        kind: 'p',
        text: t`Too few weeks are stored for sums over ${n(ctx, f.params.sumWeeks, 'count')} weeks, z-scores against the ${n(ctx, f.params.zWeeks, 'count')} weeks before or "largest since" comparisons.`,
      });
    for (const x of assumedNotes(
      ctx,
      f,
      rows.map((r) => r.series),
    ))
      blocks.push({ kind: 'p', text: t`Input note: ${x}.` });
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
  const ici = iciShown ? null : iciNote(ctx, f);
  if (ici) blocks.push(ici);
  const p = await loadPositioningFigures(ctx.store, { asOf: ctx.asOf, lookback: 52, strict: true });
  const pd = (id: string) => dateSeg(ctx, p.dates, id);
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
      const scoreF = reg(ctx, r.unusual);
      const high = Number(r.percentile.value) >= 50;
      const extremeText: Text = r.extreme ? t`: ${extremeOf(r)}` : [];
      news.push({
        kind: 'positioning-extreme',
        score: r.unusual.value,
        headline: t`${r.group} ${r.metric.replace(/_/g, ' ')} at percentile ${n(ctx, r.percentile, 'count')} of a year of reports${extremeText} (${pd(`${r.value.id}.as-of`)})`,
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
        [pd(`${r.value.id}.as-of`)],
        [n(ctx, r.value, 'count')],
        r.change ? [n(ctx, r.change, 'signed-level')] : ['–'],
        r.cotIndex ? [n(ctx, r.cotIndex, 'count')] : ['flat'],
        r.cotIndex3y ? [n(ctx, r.cotIndex3y, 'count')] : ['–'],
        [n(ctx, r.percentile, 'count')],
        r.extreme ? extremeOf(r) : [''],
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
  /** "highest since D" with D the data layer's date fact, or the words ("highest on record"). */
  function extremeOf(r: (typeof p.rows)[number]): Text {
    return r.extremeSince
      ? t`${r.extremeSince.words} ${pd(`${r.value.id.replace(/\.value$/, '')}.extreme-since`)}`
      : [r.extreme ?? ''];
  }
  return { section: { id: 'flows', title: 'Flows and positioning', blocks }, used, news };
}

/**
 * Notes of the rows shown that say a date was assumed, e.g. the week-ending date of a press report: the week the
 * note names is the data layer's date fact; a note with any other digit is left to the facts file.
 */
function assumedNotes(
  ctx: WhyCtx,
  f: Awaited<ReturnType<typeof loadFlowsFigures>>,
  series: readonly string[],
): Text[] {
  const out: Text[] = [];
  for (const a of f.assumed) {
    if (!series.includes(a.series)) continue;
    const parts = a.week && a.date ? a.note.split(a.week) : [a.note];
    if (!parts.every((p) => printable(p) !== null)) continue;
    const date = a.date ? dateSeg(ctx, f.dates, a.date.id) : null;
    out.push(parts.flatMap((p, i) => (i > 0 && date ? [date, p] : [p])));
  }
  return out;
}

/**
 * What the brief says when ICI rows are stored but none is current: the old ICI CSV stops where ICI's columns became
 * mislabelled; a weekly workbook (source `ICI <file>.xls`) stored but not current is named with its last week. The
 * dates are the data layer's (`flows.ici.weekly-to`, `…monthly-to`, `…workbook-to`).
 */
function iciNote(ctx: WhyCtx, f: Awaited<ReturnType<typeof loadFlowsFigures>>): Block | null {
  if (!f.ici) return null;
  const d = (id: string) => dateSeg(ctx, f.dates, id);
  const parts: Text[] = [];
  if (f.ici.weekly) parts.push(t`weekly to ${d('flows.ici.weekly-to')}`);
  if (f.ici.monthly) parts.push(t`monthly to ${d('flows.ici.monthly-to')}`);
  const text: Text[] = [];
  if (parts.length > 0)
    text.push(
      t`ICI long-term mutual fund flows are stored ${join(parts, ' and ')} only from ICI\u2019s public CSV: the public ICI files are mislabelled on later rows (monthly from the end of 2020, weekly from July 2022, where Domestic Equity, Hybrid, Taxable Bond and Total are empty and the other columns hold different series), so the importer dropped those rows with a warning.`,
    );
  if (f.ici.workbook)
    text.push(
      t`ICI\u2019s weekly workbook known on ${ctx.asOf} ends with the week of ${d('flows.ici.workbook-to')}, not a current week: \`rotation sync ici\` fetches the latest.`,
    );
  else
    text.push([
      'The ICI figures say nothing about recent weeks: `rotation sync ici` fetches ICI\u2019s weekly workbooks.',
    ]);
  return { kind: 'p', text: join(text, ' ') };
}

// ------------------------------------------------------------------------------------------------- macro

/**
 * " (figures as reported; source: …)" when the weekly figures behind a sentence were typed in from the press (facts of
 * kind `reported`), else "": a reported figure is rendered as reported, never as computed evidence.
 */
function reportedBy(rows: readonly { latest: { kind?: 'reported'; source?: string } }[]): string {
  const sources = [
    ...new Set(
      rows.filter((r) => r.latest.kind === 'reported').map((r) => r.latest.source ?? 'an unrecorded source'),
    ),
  ];
  return sources.length > 0 ? ` (figures as reported; source: ${sources.join('; ')})` : '';
}
