import { restOfYearBaseRate, spreadMove } from '../core/race-history.js';
import { wilsonInterval } from '../core/stats.js';
import type { RaceHistoryRun } from '../data/race-history.js';
import type { BriefFact, FactRegistry } from './facts/registry.js';
import type { Block } from './model.js';
import { num, t, type Text } from './narrative/text.js';

/**
 * "Will it last, honestly": the conditional hit rate beside the unconditional base rate for the same horizon
 * (every earlier year, from the close of the year-start window to the year's last close), the difference, 95%
 * Wilson intervals for both, a plain sentence on whether that is an edge given the sample, and what happened
 * since the condition was met this year.
 *
 * An edge is claimed only when the conditional interval excludes the base rate: with 8 cases the interval is about
 * ±30 points wide, so most differences are not one.
 */
export function honestOdds(
  reg: FactRegistry,
  h: RaceHistoryRun,
  o: { oid: string; leader: 'a' | 'b'; hits: number; n: number; rate: BriefFact; first: number },
): Block[] {
  const [lead, lag] = o.leader === 'a' ? [h.a, h.b] : [h.b, h.a];
  const base = restOfYearBaseRate(h.history, o.first, o.leader);
  const f = (id: string, value: number, unit: 'fraction' | 'count', label: string, method: string) =>
    reg.add({
      id: `${o.oid}.${id}`,
      value,
      unit,
      label,
      inputs: [lead, lag],
      asOf: h.asOf,
      method,
      window: 'rest-of-year',
    });
  const blocks: Block[] = [];
  if (base.n === 0) return blocks;
  const baseRate = f(
    'base-rate',
    base.hits / base.n,
    'fraction',
    `share of all earlier years ${lead} beat ${lag} over the rest of the year`,
    'every earlier year, no condition: forward spread from the close of the year-start window to the last close of the year > 0',
  );
  const baseN = f(
    'base-n',
    base.n,
    'count',
    'earlier years in the base rate',
    'years with a finished rest of year',
  );
  const diff = f(
    'difference',
    (o.rate.value as number) - base.hits / base.n,
    'fraction',
    'conditional hit rate minus the base rate',
    'hit rate after the condition − unconditional base rate, same horizon',
  );
  const wc = wilsonInterval(o.hits, o.n);
  const wb = wilsonInterval(base.hits, base.n);
  const cell = (w: { low: number; high: number } | null, key: string): Text =>
    w
      ? t`${num(f(`${key}.wilson-low`, w.low, 'fraction', '95% Wilson interval, low', 'core/stats wilsonInterval, z = 1.96'), 'rate')} to ${num(f(`${key}.wilson-high`, w.high, 'fraction', '95% Wilson interval, high', 'core/stats wilsonInterval, z = 1.96'), 'rate')}`
      : ['n/a'];
  const nC = reg.get(`${o.oid}.n`);
  const conf = reg.add({
    id: 'odds.interval-confidence',
    value: 0.95,
    unit: 'fraction',
    label: 'confidence of the Wilson intervals',
    inputs: [],
    asOf: h.asOf,
    method: 'z = 1.96 (two-sided 95%)',
  });
  blocks.push({
    kind: 'table',
    caption: `${lead} beating ${lag} over the rest of the year: after the condition and in every year`,
    head: ['', 'After the condition', 'Every year (base rate)'],
    rows: [
      [['Hit rate'], [num(o.rate, 'rate')], [num(baseRate, 'rate')]],
      [['Years'], [num(nC)], [num(baseN)]],
      [t`${num(conf, 'rate')} interval (Wilson)`, cell(wc, 'conditional'), cell(wb, 'base')],
    ],
  });
  const edge = wc !== null && (base.hits / base.n < wc.low || base.hits / base.n > wc.high);
  blocks.push({
    kind: 'p',
    text: edge
      ? t`The difference from the base rate is ${num(diff, 'rate-diff')} (${num(o.rate, 'rate')} vs ${num(baseRate, 'rate')}), and the base rate lies outside the conditional ${num(conf, 'rate')} interval: an edge, though on only ${num(nC)} years.`
      : t`The difference from the base rate is ${num(diff, 'rate-diff')} (${num(o.rate, 'rate')} vs ${num(baseRate, 'rate')}), and the base rate lies inside the conditional ${num(conf, 'rate')} interval: with ${num(nC)} years that is not an edge, just the usual odds.`,
  });
  // what happened since the condition was met this year (the close of the year-start window)
  const i = h.current.spread.length - 1;
  if (i > o.first - 1) {
    const s = spreadMove(h.current, i, i - (o.first - 1)) as number;
    const since = reg.add({
      id: `${o.oid}.since-condition`,
      value: o.leader === 'a' ? s : -s,
      unit: 'fraction',
      label: `${lead} minus ${lag} since the year-start window ended`,
      inputs: [lead, lag],
      asOf: h.asOf,
      method: 'spread of returns from the close of the year-start window to the as-of close',
      window: `range:${h.current.dates[o.first - 1]}..${h.asOf}`,
    });
    const metOn = reg.add({
      id: `${o.oid}.condition-met.date`,
      value: h.current.dates[o.first - 1] as string,
      unit: 'date',
      label: 'close of the year-start window this year (the condition was met there)',
      inputs: [lead, lag],
      asOf: h.asOf,
      method: 'core/race-history: the last session of the first N sessions of the year',
    });
    blocks.push({
      kind: 'p',
      text: t`Since the condition was met this year (the ${num(metOn, 'date')} close), ${lead} minus ${lag} is ${num(since, 'pp')}${(since.value as number) > 0 ? ': so far it holds' : ': so far it has not held'}.`,
    });
  }
  return blocks;
}
