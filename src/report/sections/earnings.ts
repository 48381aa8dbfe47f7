import type { WhyFact } from '../../core/why/fact.js';
import { loadEarningsFigures, type EarningsFigures, type EarningsRow } from '../../data/why/figures.js';
import type { Block, Section, SeriesUse } from '../model.js';
import { join, t, type Text } from '../narrative/text.js';
import { missing } from './context.js';
import {
  approximatePhrase,
  dateSeg,
  dedupe,
  groupName,
  growthText,
  n,
  periodName,
  type WhyCtx,
} from './why-common.js';

/** The S&P workbook's figures: index and sector growth, small vs large caps, quarterly actuals, the proxy note. */
function spEarningsBlocks(
  ctx: WhyCtx,
  sp: EarningsFigures['sp'],
  dates: EarningsFigures['dates'],
): { blocks: Block[]; used: SeriesUse[] } {
  const blocks: Block[] = [];
  const used: SeriesUse[] = [];
  const d = (id: string) => dateSeg(ctx, dates, id);
  const idx = (i: string) => sp.index.find((r) => r.index === i)?.fact ?? null;
  const large = idx('sp500');
  const small = idx('sp600');
  const mid = idx('sp400');
  if (sp.year && sp.vintage && large) {
    const prev = String(Number(sp.year) - 1);
    const parts: Text[] = [t`S&P 500 operating earnings per share ${n(ctx, large, 'pct')}`];
    if (small && sp.smallVsLarge)
      parts.push(
        t`small caps (S&P 600) ${n(ctx, small, 'pct')}, ${n(ctx, sp.smallVsLarge, 'pp-abs')} ${sp.smallVsLarge.value >= 0 ? 'more' : 'less'} than large caps`,
      );
    if (mid) parts.push(t`mid caps (S&P 400) ${n(ctx, mid, 'pct')}`);
    blocks.push({
      kind: 'p',
      text: t`Expected earnings growth in ${sp.year} over ${prev}, from S&P Dow Jones Indices' workbook of ${d('earnings.sp.vintage')} (years not yet fully reported are S&P's estimates): ${join(parts, '; ')}. Each index's growth is that of its own earnings per share.`,
    });
    const ranked = sp.sectors
      .filter((r) => r.fact)
      .sort((a, b) => (b.fact?.value ?? 0) - (a.fact?.value ?? 0));
    const top = ranked[0];
    const bottom = ranked.at(-1);
    if (top?.fact && bottom?.fact && top !== bottom)
      blocks.push({
        kind: 'p',
        text: t`By sector, the fastest expected growth in the S&P 500 is ${top.name.replace(/^S&P 500 /, '')} (${n(ctx, top.fact, 'pct')}) and the slowest ${bottom.name.replace(/^S&P 500 /, '')} (${n(ctx, bottom.fact, 'pct')}).`,
      });
    if (ranked.length > 0)
      blocks.push({
        kind: 'table',
        caption: `S&P 500 sector operating EPS growth, ${sp.year} vs ${prev} (S&P Dow Jones Indices' workbook)`,
        head: ['Sector', 'Growth', 'Known on'],
        rows: ranked.map((r) => [
          [r.name.replace(/^S&P 500 /, '')],
          [n(ctx, r.fact as WhyFact, 'pct')],
          r.fact?.knownAt ? [d(`${r.fact.id}.known-at`)] : [''],
        ]),
      });
    const tech = sp.sectors.find((r) => r.sector === 'information-technology')?.fact;
    blocks.push({
      kind: 'p',
      text: tech
        ? t`Tech vs the rest: not computable from this workbook (its sector figures are per share of each sector index and cannot be added into an ex-tech total). A bank's tech/non-tech earnings split is proprietary; the nearest computable proxy here is the S&P 500 Information Technology sector's own growth, ${n(ctx, tech, 'pct')}, a proxy, not the bank's figure.`
        : [
            'Tech vs the rest: not computable from this workbook (its sector figures are per share of each sector index and cannot be added into an ex-tech total).',
          ],
    });
    for (const r of [...sp.index, ...sp.sectors])
      used.push({
        symbol: `earnings:${r.index}${r.sector ? `:${r.sector}` : ''}:eps_op`,
        sources: ['S&P Dow Jones Indices'],
        first: r.base.year,
        last: r.next.year,
        field: `operating EPS (vintage ${sp.vintage})`,
        fieldText: t`operating EPS (vintage ${d('earnings.sp.vintage')})`,
        note: null,
      });
  }
  const q = sp.quarterly;
  if (q.quarter) {
    blocks.push({
      kind: 'p',
      text: t`Reported earnings: S&P 500 operating EPS for the quarter ending ${d(`${q.quarter.id}.as-of`)} changed ${n(ctx, q.quarter, 'pct')} year over year${q.trailing ? t`; over the trailing four quarters ${n(ctx, q.trailing, 'pct')}` : []} (S&P actuals, public by ${d(`${q.quarter.id}.${q.quarter.knownAt ? 'known-at' : 'as-of'}`)}).`,
    });
    used.push({
      symbol: 'earnings:sp500-quarterly:op-eps',
      sources: ['S&P Dow Jones Indices'],
      first: q.quarter.window?.split('..')[0] ?? q.quarter.asOf,
      last: q.quarter.asOf,
      field: 'operating EPS, quarterly actuals',
      note: null,
    });
  }
  return { blocks, used };
}

export async function earningsSection(ctx: WhyCtx): Promise<{ section: Section; used: SeriesUse[] }> {
  const title = 'Earnings';
  const e = await loadEarningsFigures(ctx.store, { asOf: ctx.asOf, strict: true });
  const how =
    'import S&P\'s earnings files (`rotation import ../shared/data/earnings`: sector and index EPS, quarterly actuals) or a "why" inputs CSV (columns kind, group, period, metric, value, unit, as_of, source; see `examples/why-inputs-2026-01-12.csv`); `rotation earnings --help`';
  if (e.seriesCount === 0)
    return {
      section: {
        id: 'earnings',
        title,
        blocks: [missing(`No earnings data stored: ${how}.`)],
      },
      used: [],
    };
  const spPart = spEarningsBlocks(ctx, e.sp, e.dates);
  const d = (id: string) => dateSeg(ctx, e.dates, id);
  if (e.rows.length === 0 && spPart.blocks.length === 0)
    return {
      section: {
        id: 'earnings',
        title,
        blocks: [
          missing(
            `No earnings figure was known on ${ctx.asOf}: the stored vintages are all later (S&P's workbook, estimates).`,
          ),
        ],
      },
      used: [],
    };
  const blocks: Block[] = [...spPart.blocks];
  if (e.rows.length === 0) return { section: { id: 'earnings', title, blocks }, used: dedupe(spPart.used) };
  const row = (group: string, period: string) => e.rows.find((r) => r.group === group && r.period === period);
  const known = (r: EarningsRow) => t`estimate of ${d(`${r.growth.id}.as-of`)}, ${r.source}`;
  for (const s of e.spreads) {
    const a = row(s.a, s.period);
    const b = row(s.b, s.period);
    if (!a || !b) continue;
    const gap = n(ctx, s.fact, 'pp-source-abs');
    const what = s.kind === 'tech' ? 'Tech vs the rest' : 'Growth vs value';
    blocks.push({
      kind: 'p',
      text: t`${what}, ${periodName(s.period)}: expected earnings growth year over year is ${growthText(ctx, a.growth, a.note)} for ${groupName(s.a)} (${known(a)}) and ${growthText(ctx, b.growth, b.note)} for ${groupName(s.b)} (${known(b)}), ${s.fact.value >= 0 ? 'a gap of' : 'behind by'} ${gap}.`,
    });
  }
  const revisions = e.rows.filter((r) => r.revision);
  for (const r of revisions) {
    const rev = r.revision as NonNullable<EarningsRow['revision']>;
    const assumed = /assum|not given/i.test(rev.fromFact.note ?? '')
      ? ', a date assumed by the inputs because the source did not give one'
      : '';
    blocks.push({
      kind: 'p',
      text: t`Revision: ${groupName(r.group)} ${periodName(r.period)} growth was ${rev.fact.value < 0 ? 'cut' : 'raised'} from ${growthText(ctx, rev.fromFact, rev.fromFact.note ?? null)} (estimate dated ${d(`${rev.fromFact.id}.as-of`)}${assumed}) to ${growthText(ctx, r.growth, r.note)} (${d(`${rev.fact.id}.as-of`)}), ${n(ctx, rev.fact, 'pp-source-abs')} ${rev.fact.value < 0 ? 'lower' : 'higher'}.`,
    });
  }
  for (const w of e.weighted)
    blocks.push({
      kind: 'p',
      text: t`Earnings-weighted, ${w.label.replace(/^earnings-weighted growth of /, '').replace(/ \S+$/, '')} together grow ${n(ctx, w, 'pct')} in ${periodName(w.window ?? '')}.`,
    });
  blocks.push({
    kind: 'table',
    caption: `Earnings growth estimates known on ${ctx.asOf}`,
    head: ['Group', 'Growth y/y', 'Period', 'Known on', 'Source'],
    rows: e.rows.map((r) => [
      [groupName(r.group)],
      [growthText(ctx, r.growth, r.note)],
      [periodName(r.period)],
      [d(`${r.growth.id}.as-of`)],
      [r.source],
    ]),
  });
  if (e.rows.some((r) => approximatePhrase(r.note)))
    blocks.push({
      kind: 'p',
      text: [
        'Estimates given in words ("just under …") are shown in those words; the stored number behind them is in the facts file with the source\u2019s note.',
      ],
    });
  if (revisions.length === 0 && e.rows.length > 0)
    blocks.push({
      kind: 'p',
      text: [`No estimate has two vintages known on ${ctx.asOf}, so no revision can be shown.`],
    });
  const used: SeriesUse[] = e.rows.map((r) => ({
    symbol: `earnings:${r.group}:growth_yoy`,
    sources: [r.source],
    first: r.revision?.from.asOf ?? r.growth.asOf,
    last: r.growth.asOf,
    field: 'estimates (vintages)',
    note: null,
  }));
  return { section: { id: 'earnings', title, blocks }, used: dedupe([...spPart.used, ...used]) };
}
