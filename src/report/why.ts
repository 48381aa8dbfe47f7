import {
  CALENDAR_RANGE,
  earlyClosesBetween,
  holidaysBetween,
  sessionsBetween,
} from '../core/calendar/calendar.js';
import type { WhyFact } from '../core/why/fact.js';
import type { Store } from '../data/store/store.js';
import {
  earningsFigures,
  flowsFigures,
  macroFigures,
  positioningFigures,
  type EarningsFigures,
  type EarningsRow,
  type SeriesRead,
} from '../data/why/figures.js';
import { loadAsKnown, loadNotes, loadSeriesIds } from '../data/why/load.js';
import { futuresFigures, ROLL_CAVEAT } from '../data/why/futures.js';
import { nextMacroEvents } from '../core/why/macro-calendar.js';
import type { TradingDate } from '../shared/brand.js';
import { addDays, dayOfWeek, epochDay } from '../shared/dates.js';
import { fromWhyFact, type BriefFact, type FactRegistry } from './facts/registry.js';
import { NON_FACT_PATTERNS } from './facts/unfacted.js';
import type { Style } from './format.js';
import type { Block, Section, SeriesUse } from './model.js';
import { join, num, t, type Segment, type Text } from './narrative/text.js';

/** What the "why" sections need from the brief: the store, the as-of date and the fact registry. */
export type WhyCtx = { store: Store; asOf: TradingDate; reg: FactRegistry };

const missing = (words: string): Block => ({ kind: 'missing', text: [words] });

/** Registers a "why" fact and returns it as a brief fact (one id, one value). */
const reg = (ctx: WhyCtx, w: WhyFact): BriefFact => ctx.reg.add(fromWhyFact(w));

/** A number with a style, registered. */
const n = (ctx: WhyCtx, w: WhyFact, style: Style): Segment => num(reg(ctx, w), style);

/**
 * The phrase a source used instead of a number ("just under 10%"), from the note imported with the value: the
 * brief prints it as the fact's text, so 0.099 is never shown as if it were measured to a tenth of a point.
 */
const APPROX =
  /^(just under|just over|just below|just above|about|around|roughly|nearly|almost|close to|more than|less than|over|under)\s+\d+(\.\d+)?\s?%/i;
export function approximatePhrase(note: string | null | undefined): string | null {
  const m = note ? APPROX.exec(note.trim()) : null;
  return m ? m[0] : null;
}

/** A growth estimate as the source gave it: its approximate phrase when it had one, else input precision. */
function growthText(ctx: WhyCtx, w: WhyFact, note: string | null): Segment {
  const f = reg(ctx, w);
  const phrase = approximatePhrase(note);
  return phrase ? { fact: f.id, text: phrase, label: f.label } : num(f, 'pct-source');
}

/** A note safe to print as words: no digit outside dates, years and symbols (else it belongs in the facts file). */
function printable(note: string | null | undefined): string | null {
  if (!note) return null;
  let rest = note;
  for (const re of NON_FACT_PATTERNS) rest = rest.replace(re, ' ');
  return /\d/.test(rest) ? null : note;
}

/** `sp500:ex-tech` → "S&P 500 ex-tech", `style:growth` → "growth stocks", `sector:tech` → "tech sector funds". */
export function groupName(group: string): string {
  if (group.startsWith('sp500:')) {
    const rest = group.slice(6).replace(/-/g, ' ').replace(/^ex /, 'ex-');
    return `S&P 500 ${rest}`;
  }
  if (group.startsWith('style:')) return `${group.slice(6)} stocks`;
  if (group.startsWith('sector:')) {
    const rest = group.slice(7);
    return rest === 'ex-tech' ? 'all other sector funds' : `${rest} sector funds`;
  }
  return group;
}

/** `2025Q4` → "Q4 2025", `2026H1` → "H1 2026"; other periods unchanged (years and months are whitelisted). */
export function periodName(period: string): string {
  const m = /^(\d{4})([QH]\d)$/i.exec(period);
  return m ? `${(m[2] as string).toUpperCase()} ${m[1] as string}` : period;
}

const toUse = (r: SeriesRead, field = 'observations'): SeriesUse => ({
  symbol: r.series,
  sources: r.sources,
  first: r.first,
  last: r.last,
  field,
  note: r.laterVintage ? `vintage ${r.laterVintage}` : null,
});

// ---------------------------------------------------------------------------------------------- earnings

/** The S&P workbook's figures: index and sector growth, small vs large caps, quarterly actuals, the proxy note. */
function spEarningsBlocks(ctx: WhyCtx, sp: EarningsFigures['sp']): { blocks: Block[]; used: SeriesUse[] } {
  const blocks: Block[] = [];
  const used: SeriesUse[] = [];
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
      text: t`Expected earnings growth in ${sp.year} over ${prev}, from S&P Dow Jones Indices' workbook of ${sp.vintage} (years not yet fully reported are S&P's estimates): ${join(parts, '; ')}. Each index's growth is that of its own earnings per share.`,
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
        caption: `S&P 500 sector operating EPS growth, ${sp.year} vs ${prev} (S&P Dow Jones Indices, ${sp.vintage})`,
        head: ['Sector', 'Growth', 'Known on'],
        rows: ranked.map((r) => [
          [r.name.replace(/^S&P 500 /, '')],
          [n(ctx, r.fact as WhyFact, 'pct')],
          [r.fact?.knownAt ?? ''],
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
        note: null,
      });
  }
  const q = sp.quarterly;
  if (q.quarter) {
    blocks.push({
      kind: 'p',
      text: t`Reported earnings: S&P 500 operating EPS for the quarter ending ${q.quarter.asOf} changed ${n(ctx, q.quarter, 'pct')} year over year${q.trailing ? t`; over the trailing four quarters ${n(ctx, q.trailing, 'pct')}` : []} (S&P actuals, public by ${q.quarter.knownAt ?? q.quarter.asOf}).`,
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

async function earningsSection(ctx: WhyCtx): Promise<{ section: Section; used: SeriesUse[] }> {
  const title = 'Earnings';
  const e = await earningsFigures(ctx.store, { asOf: ctx.asOf, strict: true });
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
  const spPart = spEarningsBlocks(ctx, e.sp);
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
  const known = (r: EarningsRow) => t`estimate of ${r.growth.asOf}, ${r.source}`;
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
      text: t`Revision: ${groupName(r.group)} ${periodName(r.period)} growth was ${rev.fact.value < 0 ? 'cut' : 'raised'} from ${growthText(ctx, rev.fromFact, rev.fromFact.note ?? null)} (estimate dated ${rev.from.asOf}${assumed}) to ${growthText(ctx, r.growth, r.note)} (${rev.to.asOf}), ${n(ctx, rev.fact, 'pp-source-abs')} ${rev.fact.value < 0 ? 'lower' : 'higher'}.`,
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
      [r.growth.asOf],
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

function dedupe(us: readonly SeriesUse[]): SeriesUse[] {
  const m = new Map<string, SeriesUse>();
  for (const u of us) {
    const prev = m.get(u.symbol);
    if (!prev || u.last > prev.last) m.set(u.symbol, u);
  }
  return [...m.values()];
}

// -------------------------------------------------------------------------------------- flows, positioning

async function flowsSection(ctx: WhyCtx): Promise<{ section: Section; used: SeriesUse[] }> {
  const blocks: Block[] = [];
  const used: SeriesUse[] = [];
  const f = await flowsFigures(ctx.store, { asOf: ctx.asOf, strict: true });
  const rows = f.rows.filter((r) => !r.group.startsWith('ici:'));
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
  if (rows.length > 0) {
    blocks.push({
      kind: 'table',
      caption: `Weekly net flows known on ${ctx.asOf}`,
      head: ['Group', 'Net flow', 'Week ending', 'Four weeks', 'z vs prior year', 'Note'],
      rows: rows.map((r) => {
        const largest = r.largestSince
          ? `largest ${r.latest.value >= 0 ? 'inflow' : 'outflow'} since ${r.largestSince}`
          : r.recordSince < r.week
            ? `largest ${r.latest.value >= 0 ? 'inflow' : 'outflow'} since records began (${r.recordSince})`
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
    used.push(...f.read.filter((r) => !r.series.startsWith('flows:ici:')).map((r) => toUse(r)));
  } else {
    const stored = (await loadSeriesIds(ctx.store, 'flows:')).filter(
      (x) => x.endsWith(':net_flow') && !x.startsWith('flows:ici:'),
    );
    blocks.push(
      missing(
        stored.length > 0
          ? `Weekly fund flows are stored, but none was known on ${ctx.asOf} (they were reported later): see \`rotation flows --as-of\`.`
          : 'No current weekly fund flows stored. ICI\u2019s weekly estimated long-term fund flows are free (ici.org): import the file with `rotation import FILE`; sector fund flows (LSEG Lipper, EPFR) are paid: fill `examples/sector-flows-template.csv` and `rotation import` it; see `rotation flows --help`.',
      ),
    );
  }
  const ici = await iciNote(ctx);
  if (ici) blocks.push(ici);
  const p = await positioningFigures(ctx.store, { asOf: ctx.asOf, lookback: 52, strict: true });
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
  return { section: { id: 'flows', title: 'Flows and positioning', blocks }, used };
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

/** What the brief says when ICI files are stored: they stop where ICI's columns became mislabelled. */
async function iciNote(ctx: WhyCtx): Promise<Block | null> {
  const ids = await loadSeriesIds(ctx.store, 'flows:ici:');
  if (ids.length === 0) return null;
  let weekly = '';
  let monthly = '';
  for (const s of ids)
    for (const v of (await loadAsKnown(ctx.store, s, ctx.asOf)).obs) {
      if (s.endsWith(':net_flow_monthly')) monthly = v.period > monthly ? v.period : monthly;
      else weekly = v.period > weekly ? v.period : weekly;
    }
  const parts = [weekly ? `weekly to ${weekly}` : '', monthly ? `monthly to ${monthly}` : ''].filter(Boolean);
  return {
    kind: 'p',
    text: [
      `ICI long-term mutual fund flows are stored ${parts.join(' and ')} only: the public ICI files are mislabelled on later rows (monthly from the end of 2020, weekly from July 2022, where Domestic Equity, Hybrid, Taxable Bond and Total are empty and the other columns hold different series), so the importer dropped those rows with a warning. The ICI figures say nothing about recent weeks.`,
    ],
  };
}

// ------------------------------------------------------------------------------------------------- macro

/** Section 7: CPI and its consensus, the Fed path, the yield curve, index futures and the calendar. */
export async function macroSection(ctx: WhyCtx): Promise<{ section: Section; used: SeriesUse[] }> {
  const blocks: Block[] = [];
  const m = await macroFigures(ctx.store, { asOf: ctx.asOf });
  const vintage = (note: string | undefined): Text =>
    note && /vintage/.test(note)
      ? t` (values from a later vintage: no earlier one stored, so they may include later revisions)`
      : [];
  if (m.cpi) {
    blocks.push({
      kind: 'p',
      text: t`Consumer prices (${m.cpi === m.cpiSa ? 'CPI-U, seasonally adjusted' : 'CPI-U, not seasonally adjusted'}: ${m.cpi.series}) rose ${n(ctx, m.cpi.fact, 'pct-unsigned')} in the year to ${m.cpi.period}, the latest month released by ${ctx.asOf} (public by ${m.cpi.knownAt})${vintage(m.cpi.fact.note)}${m.cpiSa && m.cpiSa !== m.cpi ? t`; seasonally adjusted ${n(ctx, m.cpiSa.fact, 'pct-unsigned')} (${m.cpiSa.series}, ${m.cpiSa.period})` : []}${m.cpiCore ? t`; core ${n(ctx, m.cpiCore.fact, 'pct-unsigned')} (${m.cpiCore.series}, ${m.cpiCore.period})` : []}.`,
    });
  } else
    blocks.push(
      missing(
        'No CPI series (CUUR0000SA0, CPIAUCNS or CPIAUCSL) stored: add one with `rotation sync CPIAUCNS` (FRED).',
      ),
    );
  for (const r of m.releases.filter((x) => x.kind === 'macro')) {
    const con = r.metrics.get('consensus');
    const act = r.metrics.get('actual');
    const prior = r.metrics.get('prior');
    const what = /cpi:yoy$/.test(r.group) ? 'CPI, year over year' : r.group;
    const style: Style =
      con?.unit === 'fraction' || act?.unit === 'fraction' ? 'pct-source-unsigned' : 'signed-source';
    const parts: Text[] = [];
    if (con) parts.push(t`consensus ${n(ctx, con, style)} (known on ${con.asOf})`);
    if (act) parts.push(t`actual ${n(ctx, act, style)} (published ${act.asOf})`);
    if (prior) parts.push(t`prior ${n(ctx, prior, style)}`);
    const surprise = r.surprise
      ? t`: ${r.surprise.value > 0 ? 'hotter' : r.surprise.value < 0 ? 'cooler' : 'no different'} than expected by ${n(ctx, r.surprise, 'pp-source-abs')}`
      : act
        ? []
        : t`; no actual figure is stored as of ${ctx.asOf}`;
    const old = con && epochDay(ctx.asOf) - epochDay(con.asOf) > 14 ? ' (the latest release stored)' : '';
    blocks.push({ kind: 'p', text: t`${what}, for ${r.period}${old}: ${join(parts, ', ')}${surprise}.` });
  }
  if (!m.releases.some((x) => x.kind === 'macro'))
    blocks.push(
      missing(
        'No release consensus (CPI actual vs consensus) stored: add "why" inputs rows of kind macro; see `rotation macro --help`.',
      ),
    );
  if (m.fed) {
    const p = m.fed.path;
    const s = m.fed.series;
    const base = {
      inputs: [s],
      asOf: p.to.period as TradingDate,
      window: `${p.from.period}..${p.to.period}`,
    };
    const from = ctx.reg.add({
      ...base,
      id: `${m.fed.fact.id.replace(/\.change12m$/, '')}.from`,
      value: p.from.value,
      unit: 'percent-points',
      label: `fed funds, ${p.from.period}`,
      method: 'reading in force 12 months before as-of (core/why policyPath)',
    });
    const to = ctx.reg.add({
      ...base,
      id: `${m.fed.fact.id.replace(/\.change12m$/, '')}.to`,
      value: p.to.value,
      unit: 'percent-points',
      label: `fed funds, ${p.to.period}`,
      method: 'latest reading on or before as-of (core/why policyPath)',
    });
    const cuts = ctx.reg.add({
      ...base,
      id: `${m.fed.fact.id.replace(/\.change12m$/, '')}.cuts12m`,
      value: p.cuts,
      unit: 'count',
      label: 'rate cuts in the last 12 months',
      method: 'step-downs of at least 0.125 pp between readings (core/why policyPath)',
    });
    const ch = reg(ctx, m.fed.fact);
    const monthly = /FEDFUNDS/i.test(s);
    const dir = p.change < 0 ? 'down' : p.change > 0 ? 'up' : 'unchanged';
    const cutText: Text =
      p.cuts === 0
        ? ['no cut']
        : t`${monthly ? 'about ' : ''}${num(cuts, 'count')} cut${p.cuts === 1 ? '' : 's'}`;
    blocks.push({
      kind: 'p',
      text: t`The fed funds rate (${s}${monthly ? ', monthly average' : ''}) is ${dir === 'unchanged' ? 'unchanged' : t`${dir} ${num(ch, 'level-abs')} points`} over twelve months, from ${num(from, 'percent-level')} (${p.from.period}) to ${num(to, 'percent-level')} (${p.to.period}), with ${cutText} in that time${vintage(m.fed.fact.note)}.`,
    });
  } else
    blocks.push(missing('No policy-rate series (FEDFUNDS) stored: add it with `rotation sync FEDFUNDS`.'));
  if (m.curve) {
    const c = m.curve;
    blocks.push({
      kind: 'p',
      text: t`On ${c.date} the ten-year Treasury yielded ${n(ctx, c.tenYear, 'percent-level')} and the two-year ${n(ctx, c.twoYear, 'percent-level')}: the curve is ${c.spread.value < 0 ? 'inverted' : 'positively sloped'} by ${n(ctx, c.spread, 'level-abs')} points.`,
    });
  } else
    blocks.push(
      missing('No Treasury yields (DGS10, DGS2) stored: add them with `rotation sync DGS10 DGS2`.'),
    );
  const fut = await futuresFigures(ctx.store, { asOf: ctx.asOf });
  if (fut.rows.length > 0) {
    const items = fut.rows.map(
      (r) =>
        t`${r.name} ${n(ctx, r.points, 'signed-level')} points (${n(ctx, r.change, 'pct')}, ${r.move.to})`,
    );
    blocks.push({
      kind: 'p',
      text: t`Index futures on the last session: ${join(items, ', ', ' and ')}. Caveat: ${ROLL_CAVEAT}${fut.rows.some((r) => r.move.nearRoll) ? '; this session is in a roll window' : ''}.`,
    });
  } else
    blocks.push(
      missing(
        'No index futures bars stored (E-mini S&P 500, Nasdaq-100, Dow, Russell 2000): add them with `rotation sync ES=F NQ=F YM=F RTY=F` (Yahoo).',
      ),
    );
  blocks.push(
    ...futuresBlocks(
      ctx,
      m.releases.filter((x) => x.kind === 'market' && x.group.startsWith('futures:')),
    ),
  );
  blocks.push(calendarBlock(ctx));
  return {
    section: { id: 'macro', title: 'Macro and the calendar', blocks },
    used: m.read.map((r) => toUse(r)),
  };
}

/** Index futures before the open, only when quoted in the as-of week (Monday to the as-of date). */
function futuresBlocks(ctx: WhyCtx, rows: Awaited<ReturnType<typeof macroFigures>>['releases']): Block[] {
  if (rows.length === 0) return [];
  const weekStart = addDays(ctx.asOf, -((dayOfWeek(ctx.asOf) + 6) % 7)); // Monday of the as-of week
  const recent = rows.filter((r) => r.period >= weekStart && r.period <= ctx.asOf);
  if (recent.length === 0) {
    const last = rows
      .map((r) => r.period)
      .sort()
      .at(-1) as string;
    return [
      {
        kind: 'p',
        text: [`No index futures quote is stored for the week of ${ctx.asOf} (the latest is from ${last}).`],
      },
    ];
  }
  const items = recent.map((r) => {
    const ch = r.metrics.get('change');
    const name = r.group
      .replace(/^futures:/, '')
      .replace(/^dow$/, 'Dow')
      .replace(/^sp500$/, 'S&P 500')
      .replace(/^nasdaq-100$/, 'Nasdaq-100');
    if (!ch) return [`${name} futures`];
    const style: Style = ch.unit === 'fraction' ? 'pct-source' : 'signed-source';
    return t`${name} ${n(ctx, ch, style)}${ch.unit === 'points' ? ' points' : ''} (${r.period})`;
  });
  return [{ kind: 'p', text: t`Index futures before the open: ${join(items, ', ', ' and ')}.` }];
}

/** The next NYSE holiday and early close after the as-of date, and the sessions left in its year. */
function calendarBlock(ctx: WhyCtx): Block {
  const from = addDays(ctx.asOf, 1);
  const year = ctx.asOf.slice(0, 4);
  if (from > CALENDAR_RANGE.last)
    return missing(`The NYSE calendar covers ${CALENDAR_RANGE.first} to ${CALENDAR_RANGE.last} only.`);
  const horizon = addDays(ctx.asOf, 400) < CALENDAR_RANGE.last ? addDays(ctx.asOf, 400) : CALENDAR_RANGE.last;
  const hol = holidaysBetween(from, horizon)[0];
  const early = earlyClosesBetween(from, horizon)[0];
  const left = sessionsBetween(from, `${year}-12-31`).length;
  const f = ctx.reg.add({
    id: `calendar.sessions-left.${year}`,
    value: left,
    unit: 'count',
    label: `NYSE sessions after ${ctx.asOf} in ${year}`,
    inputs: ['core/calendar (NYSE rules)'],
    window: `${from}..${year}-12-31`,
    asOf: ctx.asOf,
    method: 'sessions of the NYSE calendar after the as-of date to the end of its year',
  });
  const macro = nextMacroEvents(ctx.asOf).map((e) =>
    e.status === 'scheduled'
      ? `the next ${e.name} is on ${e.date}${e.kind === 'cpi' && e.reference ? ` (the ${e.reference} index)` : ''}`
      : `the next ${e.name} is not in the project's calendar, which ends ${e.through} (see ${e.source})`,
  );
  return {
    kind: 'p',
    text: t`Calendar: ${hol ? `the next NYSE holiday is ${hol.name} (${hol.date})` : 'no NYSE holiday is scheduled in the next year'}; ${early ? `the next early close is ${early.name} (${early.date})` : 'no early close is scheduled in the next year'}; ${num(f, 'count')} sessions remain in ${year} after ${ctx.asOf}. Macro: ${macro.join('; ')}.`,
  };
}

/** Sections 5 and 6 (earnings; flows and positioning), each from the same figures as the CLI commands. */
export async function whySections(ctx: WhyCtx): Promise<{ sections: Section[]; used: SeriesUse[] }> {
  const e = await earningsSection(ctx);
  const f = await flowsSection(ctx);
  return { sections: [e.section, f.section], used: [...e.used, ...f.used] };
}
