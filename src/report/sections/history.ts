import { parseClaim, type Claim } from '../../core/claim.js';
import { formatWindow, type Window } from '../../core/window.js';
import { runCheck, runPrecedents } from '../../data/analytics.js';
import { renderChart } from '../charts/render.js';
import { yearBarsSpec } from '../charts/specs.js';
import type { BriefFact } from '../facts/registry.js';
import type { Block } from '../model.js';
import { num, t, type Text } from '../narrative/text.js';
import { idOf, sourceLine, type Ctx } from './context.js';

/** Year-start history and the "first time since" precedent, only as far as the claim check supports it. */
export async function precedentText(
  ctx: Ctx,
  A: string,
  B: string,
  win: Window,
  year: number,
  nFirst: BriefFact,
): Promise<{ lede: Text[]; blocks: Block[] }> {
  const lede: Text[] = [];
  const blocks: Block[] = [];
  const p = (
    await runPrecedents(
      ctx.store,
      { kind: 'beats', a: A, b: B, window: win },
      { asOf: ctx.asOf, config: ctx.config },
    )
  ).precedents;
  const pid = `precedents.${idOf(A)}-${idOf(B)}.${formatWindow(win).replace(':', '')}`;
  const firstYear = p.periods.find((r) => r.complete)?.year;
  const count = ctx.count(
    `${pid}.count`,
    p.count,
    `years ${A} beat ${B} over ${formatWindow(win)}`,
    [A, B],
    'complete year-start windows with spread > 0',
    formatWindow(win),
  );
  const tested = ctx.count(
    `${pid}.tested`,
    p.tested,
    'complete years tested',
    [A, B],
    'years with a complete window in the common data',
    formatWindow(win),
  );
  const years = ctx.fact({
    id: `${pid}.years`,
    value: p.occurrences.map((o) => o.year).join(', ') || 'none',
    unit: 'year',
    label: `years ${A} beat ${B} over ${formatWindow(win)}`,
    inputs: [A, B],
    window: formatWindow(win),
    asOf: ctx.asOf,
    method: 'complete year-start windows with spread > 0',
  });
  blocks.push({
    kind: 'p',
    text: t`Since ${firstYear !== undefined ? String(firstYear) : 'the start of the data'}, ${A} beat ${B} over the first ${num(nFirst)} sessions in ${num(count)} of ${num(tested)} complete years (${num(years)}).`,
  });
  blocks.push({
    kind: 'chart',
    id: 'year-start',
    title: `First sessions of each year: ${A} minus ${B}`,
    ...(await renderChart((narrow) =>
      yearBarsSpec(
        p.periods.map((r) => ({ year: String(r.year), spread: r.spread, winner: r.spread > 0 ? A : B })),
        {
          narrow,
          title: `First ${formatWindow(win).split(':')[1]} sessions of each year: ${A} minus ${B}`,
          source: sourceLine(ctx, [A, B]),
          winnerTitle: 'Won by',
        },
      ),
    )),
    caption: t`Spread of returns from the last close of the previous year to the close of the session ending the window; bars on the positive side of the spread axis are years ${A} won.`,
  });
  const latest = p.latest;
  if (latest && latest.year === year && latest.complete && latest.hit) {
    if (p.lastBefore) {
      const since = p.lastBefore.year;
      const claim: Claim = { a: A, b: B, window: win, year, firstSince: since, aText: A, bText: B };
      const check = await runCheck(ctx.store, claim, { asOf: ctx.asOf, config: ctx.config });
      const sinceF = ctx.year(
        `${pid}.last-before`,
        since,
        `last year before ${year} that ${A} beat ${B} over ${formatWindow(win)}`,
        [A, B],
        'the latest earlier complete year with spread > 0',
      );
      const holds = ctx.count(
        `check.${pid}.holds`,
        check.holds,
        'definitions under which the precedent holds',
        [A, B],
        'rotation check: index/ETF twins, Big Tech proxies, year-start windows, price and total',
        formatWindow(win),
      );
      const measured = ctx.count(
        `check.${pid}.measured`,
        check.holds + check.fails,
        'definitions with data',
        [A, B],
        'definitions that hold or fail (pending and no data excluded)',
        formatWindow(win),
      );
      lede.push(
        t`By this definition (${A} vs ${B}, first ${num(nFirst)} sessions, stored closes) it is the first time since ${num(sinceF)}; the precedent holds under ${num(holds)} of ${num(measured)} definitions checked${check.holds < check.holds + check.fails ? ', so it depends on the measure' : ''}.`,
      );
      blocks.push(...counterExamples(ctx, check.rows, `${pid}`, 3, sinceF));
    } else if (firstYear !== undefined) {
      lede.push(
        t`By this definition it had not happened before in the stored history, which starts in ${String(firstYear)}.`,
      );
    }
  }
  for (const [i, sentence] of ctx.claims.entries()) blocks.push(...(await claimBlocks(ctx, sentence, i + 1)));
  return { lede, blocks };
}

/**
 * The reason a definition breaks "first time since S": the last earlier year under it is later than S (it also
 * happened after S) or earlier (it did not happen in S).
 */
function breaker(last: BriefFact, since: BriefFact | null): Text {
  if (since === null || (last.value as number) > (since.value as number))
    return t`it also happened in ${num(last)}`;
  return t`it did not happen in ${num(since)}: the last earlier time was ${num(last)}`;
}

/**
 * Up to `max` definitions under which a first-since precedent fails, each with the year that breaks it; when more
 * fail, the list says how many of how many it shows.
 */
function counterExamples(
  ctx: Ctx,
  rows: Awaited<ReturnType<typeof runCheck>>['rows'],
  pid: string,
  max: number,
  since: BriefFact | null,
): Block[] {
  const fails = rows.filter((r) => r.evaluation.status === 'fails' && r.evaluation.lastBefore !== null);
  if (fails.length === 0) return [];
  const items: Text[] = fails.slice(0, max).map((r) => {
    const id = `check.${pid}.${idOf(r.a)}-${idOf(r.b)}.${formatWindow(r.window).replace(':', '')}.${r.basis}.last-before`;
    const f = ctx.year(
      id,
      r.evaluation.lastBefore as number,
      `last year before the claimed one, ${r.a} vs ${r.b} ${r.windowText} ${r.basis}`,
      [r.a, r.b],
      'rotation check, one definition',
    );
    const w: Text =
      r.window.kind === 'first'
        ? t`first ${num(ctx.count(`window.first${r.window.sessions}.sessions`, r.window.sessions, 'sessions in a year-start window', [], 'definition checked'))} sessions`
        : [r.windowText];
    return t`${r.a} vs ${r.b}, ${w}, ${r.basis} basis: ${breaker(f, since)}`;
  });
  const shown =
    fails.length > items.length
      ? t` (${num(ctx.count(`check.${pid}.counter-examples.shown`, items.length, 'definitions listed', [], 'the first ones in rotation check order'))} of ${num(ctx.count(`check.${pid}.counter-examples.n`, fails.length, 'definitions under which it fails with an earlier year', [], 'rotation check'))} shown; \`rotation check\` lists every one)`
      : [];
  return [
    { kind: 'p', text: t`Definitions under which it is not the first time since then${shown}:` },
    { kind: 'list', items },
  ];
}

/** A claim in words, checked under every definition: what it says, and whether the data support it. */
async function claimBlocks(ctx: Ctx, sentence: string, k: number): Promise<Block[]> {
  const claim = parseClaim(sentence);
  const check = await runCheck(ctx.store, claim, { asOf: ctx.asOf, config: ctx.config });
  const cid = `claim.${k}`;
  const yearF = ctx.year(
    `${cid}.year`,
    check.year,
    'the year the claim is about',
    [],
    'as stated in the claim',
  );
  const winText: Text =
    claim.window.kind === 'first'
      ? t`the first ${num(ctx.count(`${cid}.sessions`, claim.window.sessions, 'sessions in the claimed window', [], 'as stated in the claim'))} sessions`
      : [formatWindow(claim.window)];
  const sinceF =
    claim.firstSince !== null
      ? ctx.year(
          `${cid}.first-since`,
          claim.firstSince,
          'the claimed "first since" year',
          [],
          'as stated in the claim',
        )
      : null;
  const stated = t`${claim.aText} beat ${claim.bText} over ${winText} of ${num(yearF)}${sinceF ? t` for the first time since ${num(sinceF)}` : ''}`;
  const holds = ctx.count(
    `${cid}.holds`,
    check.holds,
    'definitions under which the claim holds',
    [claim.a, claim.b],
    'rotation check',
  );
  const measured = ctx.count(
    `${cid}.measured`,
    check.holds + check.fails,
    'definitions with data',
    [claim.a, claim.b],
    'definitions that hold or fail',
  );
  const asStated = check.rows.find((r) => r.asStated);
  const verdict: Text =
    check.holds + check.fails === 0
      ? ['It cannot be checked yet: no definition has complete data.']
      : check.fails === 0
        ? t`The data support it under all ${num(holds)} definitions with data.`
        : check.holds === 0
          ? t`It fails its check under all ${num(measured)} definitions with data.`
          : t`It holds under only ${num(holds)} of ${num(measured)} definitions with data.`;
  const blocks: Block[] = [{ kind: 'p', text: t`A commonly quoted claim: “${stated}”. ${verdict}` }];
  if (
    asStated &&
    asStated.evaluation.status === 'fails' &&
    asStated.evaluation.lastBefore !== null &&
    sinceF
  ) {
    const lb = ctx.year(
      `${cid}.as-stated.last-before`,
      asStated.evaluation.lastBefore,
      'the true last year before, as stated',
      [asStated.a, asStated.b],
      'rotation check, the definition as stated',
    );
    blocks.push({
      kind: 'p',
      text: t`As stated (${asStated.a} vs ${asStated.b}, ${asStated.basis} basis) ${breaker(lb, sinceF)}.`,
    });
  }
  blocks.push(...counterExamples(ctx, check.rows, cid, 3, sinceF));
  return blocks;
}
