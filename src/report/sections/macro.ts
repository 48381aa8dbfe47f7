import { sessionsBetween } from '../../core/calendar/calendar.js';
import { MIN_SAMPLE } from '../../core/precedents.js';
import {
  loadMacroFigures,
  releasePeriodId,
  surpriseHistoryFromId,
  type DateFact,
  type ReleaseRow,
} from '../../data/why/figures.js';
import { futuresFigures, ROLL_CAVEAT } from '../../data/why/futures.js';
import { macroCalendar } from '../../data/why/macro-run.js';
import { addDays, dayOfWeek, epochDay } from '../../shared/dates.js';
import type { Style } from '../format.js';
import type { Block, Section, SeriesUse } from '../model.js';
import { join, num, t, type Text } from '../narrative/text.js';
import type { HeadlineCandidate } from '../news.js';
import { missing } from './context.js';
import { dateSeg, n, reg, toUse, type WhyCtx } from './why-common.js';

/** Section 7: CPI and its consensus, the Fed path, the yield curve, index futures and the calendar. */
export async function macroSection(
  ctx: WhyCtx,
): Promise<{ section: Section; used: SeriesUse[]; news: HeadlineCandidate[] }> {
  const blocks: Block[] = [];
  const news: HeadlineCandidate[] = [];
  const m = await loadMacroFigures(ctx.store, { asOf: ctx.asOf });
  const d = (id: string) => dateSeg(ctx, m.dates, id);
  const vintage = (note: string | undefined): Text =>
    note && /vintage/.test(note)
      ? t` (values from a later vintage: no earlier one stored, so they may include later revisions)`
      : [];
  if (m.cpi) {
    blocks.push({
      kind: 'p',
      text: t`Consumer prices (${m.cpi === m.cpiSa ? 'CPI-U, seasonally adjusted' : 'CPI-U, not seasonally adjusted'}: ${m.cpi.series}) rose ${n(ctx, m.cpi.fact, 'pct-unsigned')} in the year to ${d(`${m.cpi.fact.id}.month`)}, the latest month released by ${ctx.asOf} (public by ${d(`${m.cpi.fact.id}.${m.cpi.fact.knownAt !== undefined ? 'known-at' : 'as-of'}`)})${vintage(m.cpi.fact.note)}${m.cpiSa && m.cpiSa !== m.cpi ? t`; seasonally adjusted ${n(ctx, m.cpiSa.fact, 'pct-unsigned')} (${m.cpiSa.series}, ${d(`${m.cpiSa.fact.id}.month`)})` : []}${m.cpiCore ? t`; core ${n(ctx, m.cpiCore.fact, 'pct-unsigned')} (${m.cpiCore.series}, ${d(`${m.cpiCore.fact.id}.month`)})` : []}.`,
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
    if (con) parts.push(t`consensus ${n(ctx, con, style)} (known on ${d(`${con.id}.as-of`)})`);
    if (act) parts.push(t`actual ${n(ctx, act, style)} (published ${d(`${act.id}.as-of`)})`);
    if (prior) parts.push(t`prior ${n(ctx, prior, style)}`);
    const surprise = r.surprise
      ? t`: ${r.surprise.value > 0 ? 'hotter' : r.surprise.value < 0 ? 'cooler' : 'no different'} than expected by ${n(ctx, r.surprise, 'pp-source-abs')}`
      : act
        ? []
        : t`; no actual figure is stored as of ${ctx.asOf}`;
    const old = con && epochDay(ctx.asOf) - epochDay(con.asOf) > 14 ? ' (the latest release stored)' : '';
    blocks.push({
      kind: 'p',
      text: t`${what}, for ${d(releasePeriodId(r))}${old}: ${join(parts, ', ')}${surprise}.`,
    });
    const c = surpriseNews(ctx, r, style, m.dates);
    if (c) news.push(c);
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
    const from = reg(ctx, m.fed.from);
    const to = reg(ctx, m.fed.to);
    const cuts = reg(ctx, m.fed.cuts);
    const ch = reg(ctx, m.fed.fact);
    const prefix = m.fed.fact.id.replace(/\.change12m$/, '');
    const monthly = /FEDFUNDS/i.test(s);
    const dir = p.change < 0 ? 'down' : p.change > 0 ? 'up' : 'unchanged';
    const cutText: Text =
      p.cuts === 0
        ? ['no cut']
        : t`${monthly ? 'about ' : ''}${num(cuts, 'count')} cut${p.cuts === 1 ? '' : 's'}`;
    blocks.push({
      kind: 'p',
      text: t`The fed funds rate (${s}${monthly ? ', monthly average' : ''}) is ${dir === 'unchanged' ? 'unchanged' : t`${dir} ${num(ch, 'level-abs')} points`} over twelve months, from ${num(from, 'percent-level')} (${d(`${prefix}.from.period`)}) to ${num(to, 'percent-level')} (${d(`${prefix}.to.period`)}), with ${cutText} in that time${vintage(m.fed.fact.note)}.`,
    });
  } else
    blocks.push(missing('No policy-rate series (FEDFUNDS) stored: add it with `rotation sync FEDFUNDS`.'));
  if (m.curve) {
    const c = m.curve;
    blocks.push({
      kind: 'p',
      text: t`On ${d(`${c.spread.id}.as-of`)} the ten-year Treasury yielded ${n(ctx, c.tenYear, 'percent-level')} and the two-year ${n(ctx, c.twoYear, 'percent-level')}: the curve is ${c.spread.value < 0 ? 'inverted' : 'positively sloped'} by ${n(ctx, c.spread, 'level-abs')} points.`,
    });
  } else
    blocks.push(
      missing('No Treasury yields (DGS10, DGS2) stored: add them with `rotation sync DGS10 DGS2`.'),
    );
  const fut = await futuresFigures(ctx.store, { asOf: ctx.asOf });
  if (fut.rows.length > 0) {
    const items = fut.rows.map(
      (r) =>
        t`${r.name} ${n(ctx, r.points, 'signed-level')} points (${n(ctx, r.change, 'pct')}, ${dateSeg(ctx, fut.dates, `${r.points.id}.as-of`)})`,
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
      m.dates,
    ),
  );
  blocks.push(calendarBlock(ctx));
  return {
    section: { id: 'macro', title: 'Macro and the calendar', blocks },
    used: m.read.map((r) => toUse(r)),
    news,
  };
}

/** Earlier releases a surprise must be ranked against before it can be news (core/precedents MIN_SAMPLE). */
const MIN_RELEASES = MIN_SAMPLE;

/**
 * A CPI surprise as a headline candidate: a release published within the last six days with a consensus stored,
 * scored by the share of earlier releases (actual and consensus both stored) whose surprise was smaller in
 * magnitude. The consensus is a reported figure, so the headline says who reported it.
 */
function surpriseNews(
  ctx: WhyCtx,
  r: ReleaseRow,
  style: Style,
  dates: readonly DateFact[],
): HeadlineCandidate | null {
  const act = r.metrics.get('actual');
  const con = r.metrics.get('consensus');
  if (!r.surprise || !act || !con || !/cpi/.test(r.group)) return null;
  if (epochDay(ctx.asOf) - epochDay(act.asOf) > 6) return null;
  if (r.pastSurprises.length < MIN_RELEASES || !r.surpriseRank) return null;
  const score = reg(ctx, r.surpriseRank.score);
  const nPast = reg(ctx, r.surpriseRank.historyN);
  const source = /source: ([^)]+)\)/.exec(con.method)?.[1] ?? 'the press';
  const dir = r.surprise.value > 0 ? 'hotter' : r.surprise.value < 0 ? 'cooler' : 'in line with';
  return {
    kind: 'cpi-surprise',
    score: r.surpriseRank.score.value,
    headline: t`CPI for ${dateSeg(ctx, dates, releasePeriodId(r))} comes in ${dir}${dir === 'in line with' ? '' : ' than'} the consensus: ${n(ctx, act, style)} against ${n(ctx, con, style)} as reported by ${source}`,
    unusual: t`The surprise of ${n(ctx, r.surprise, 'pp-source-abs')} is wider than ${num(score, 'rate')} of the ${num(nPast)} earlier releases with a consensus stored (since ${dateSeg(ctx, dates, surpriseHistoryFromId(r))}).`,
  };
}

/** Index futures before the open, only when quoted in the as-of week (Monday to the as-of date). */
function futuresBlocks(
  ctx: WhyCtx,
  rows: Awaited<ReturnType<typeof loadMacroFigures>>['releases'],
  dates: readonly DateFact[],
): Block[] {
  if (rows.length === 0) return [];
  const d = (r: ReleaseRow) => dateSeg(ctx, dates, releasePeriodId(r));
  const weekStart = addDays(ctx.asOf, -((dayOfWeek(ctx.asOf) + 6) % 7)); // Monday of the as-of week
  const recent = rows.filter((r) => r.period >= weekStart && r.period <= ctx.asOf);
  if (recent.length === 0) {
    const last = [...rows].sort((a, b) => (a.period < b.period ? -1 : 1)).at(-1) as ReleaseRow;
    return [
      {
        kind: 'p',
        text: t`No index futures quote is stored for the week of ${ctx.asOf} (the latest is from ${d(last)}).`,
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
    return t`${name} ${n(ctx, ch, style)}${ch.unit === 'points' ? ' points' : ''} (${d(r)})`;
  });
  return [{ kind: 'p', text: t`Index futures before the open: ${join(items, ', ', ' and ')}.` }];
}

/** The next NYSE holiday and early close after the as-of date, and the sessions left in its year. */
function calendarBlock(ctx: WhyCtx): Block {
  const from = addDays(ctx.asOf, 1);
  const year = ctx.asOf.slice(0, 4);
  const cal = macroCalendar(ctx.asOf);
  const d = (id: string) => dateSeg(ctx, cal.dates, id);
  if (!cal.covered)
    return {
      kind: 'missing',
      text: t`The NYSE calendar covers ${d('macro.calendar.range.first')} to ${d('macro.calendar.range.last')} only.`,
    };
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
  const macro = cal.events.map((e) =>
    e.status === 'scheduled'
      ? t`the next ${e.name} is on ${d(`macro.calendar.next.${e.kind}`)}${e.kind === 'cpi' && e.reference ? t` (the ${d(`macro.calendar.next.${e.kind}.reference`)} index)` : []}`
      : t`the next ${e.name} is not in the project's calendar, which ends ${d(`macro.calendar.next.${e.kind}.through`)} (see ${e.source})`,
  );
  const { holiday: hol, early } = cal;
  return {
    kind: 'p',
    text: t`Calendar: ${hol ? t`the next NYSE holiday is ${hol.name} (${d('macro.calendar.next-holiday')})` : 'no NYSE holiday is scheduled in the next year'}; ${early ? t`the next early close is ${early.name} (${d('macro.calendar.next-early-close')})` : 'no early close is scheduled in the next year'}; ${num(f, 'count')} sessions remain in ${year} after ${ctx.asOf}. Macro: ${join(macro, '; ')}.`,
  };
}
