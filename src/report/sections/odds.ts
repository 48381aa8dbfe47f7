import { MIN_SAMPLE } from '../../core/precedents.js';
import type { Window } from '../../core/window.js';
import { restOfYearOddsId } from '../../data/analytics/odds-honest.js';
import { runOdds } from '../../data/analytics.js';
import type { RaceHistoryRun } from '../../data/race-history.js';
import type { BriefFact } from '../facts/registry.js';
import type { Block } from '../model.js';
import { t, num } from '../narrative/text.js';
import { honestOdds } from '../odds-honest.js';
import { missing, type Ctx } from './context.js';

/** Forward odds after the current year-start leader led, with the sample size and a hedge when it is small. */
export async function oddsText(
  ctx: Ctx,
  A: string,
  B: string,
  win: Window,
  winner: 'a' | 'b' | 'tie',
  nFirst: BriefFact,
  hist: RaceHistoryRun | null,
): Promise<Block[]> {
  if (winner === 'tie')
    return [{ kind: 'p', text: ['The year-start window ended level: no leader to follow.'] }];
  const [lead, lag] = winner === 'a' ? [A, B] : [B, A];
  const run = await runOdds(
    ctx.store,
    { kind: 'beats', a: lead, b: lag, window: win },
    { asOf: ctx.asOf, config: ctx.config, horizons: [{ label: 'rest-of-year', sessions: 'rest-of-year' }] },
  );
  const h = run.odds[0];
  if (!h || h.summary.n === 0)
    return [
      missing(
        `No earlier year in which ${lead} led ${lag} over the first sessions has a finished rest of year in the data.`,
      ),
    ];
  const oid = restOfYearOddsId(lead, lag, win);
  const n = ctx.count(
    `${oid}.n`,
    h.summary.n,
    'earlier years with an outcome',
    [lead, lag],
    'occurrences with a finished rest of year',
  );
  const hits = ctx.count(
    `${oid}.hits`,
    Math.round((h.summary.hitRate ?? 0) * h.summary.n),
    `years ${lead} kept outperforming`,
    [lead, lag],
    'hit rate × sample size (forward spread > 0)',
  );
  const rate = ctx.fact({
    id: `${oid}.hit-rate`,
    value: h.summary.hitRate,
    unit: 'fraction',
    label: 'share of years the leader kept outperforming',
    inputs: [lead, lag],
    asOf: ctx.asOf,
    method: 'forward spread (lead − lag) from the window close to the last close of the year > 0',
    window: 'rest-of-year',
  });
  const med = ctx.fact({
    id: `${oid}.median`,
    value: h.summary.median,
    unit: 'fraction',
    label: 'median rest-of-year spread',
    inputs: [lead, lag],
    asOf: ctx.asOf,
    method: 'median of forward spreads',
    window: 'rest-of-year',
  });
  const minS = ctx.count(
    'brief.min-sample',
    MIN_SAMPLE,
    'smallest sample reported as odds',
    [],
    'core/precedents MIN_SAMPLE',
  );
  const blocks: Block[] = [
    {
      kind: 'p',
      text: t`In the ${num(n)} earlier years in which ${lead} beat ${lag} over the first ${num(nFirst)} sessions, ${lead} ${h.summary.hitRate !== null && h.summary.hitRate >= 0.5 ? 'kept' : 'only kept'} outperforming over the rest of the year in ${num(hits)} (${num(rate, 'rate')}); the median rest-of-year spread was ${num(med, 'pp')}.`,
    },
  ];
  if (hist)
    blocks.push(
      ...honestOdds(ctx.reg, hist, {
        oid,
        leader: lead === A ? 'a' : 'b',
        hits: Math.round((h.summary.hitRate ?? 0) * h.summary.n),
        n: h.summary.n,
        rate,
        first: nFirst.value as number,
      }),
    );
  blocks.push({
    kind: 'p',
    text: h.sampleOk
      ? t`That is a sample of ${num(n)} years, enough to state but small: each year moves the rate by several points.`
      : t`That is fewer than ${num(minS)} cases: too few to call odds, read it as anecdote, not a forecast.`,
  });
  return blocks;
}
