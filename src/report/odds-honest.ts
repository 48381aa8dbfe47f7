import { honestOddsOf, INTERVAL_CONFIDENCE } from '../data/analytics/odds-honest.js';
import type { RaceHistoryRun } from '../data/race-history.js';
import type { BriefFact, FactRegistry } from './facts/registry.js';
import type { Block } from './model.js';
import { num, t, type Text } from './narrative/text.js';

/**
 * "Will it last, honestly": the conditional hit rate beside the unconditional base rate for the same horizon
 * (every earlier year, from the close of the year-start window to the year's last close), the difference, 95%
 * Wilson intervals for both, a plain sentence on whether that is an edge given the sample, and what happened
 * since the condition was met this year. The figures come from data/analytics/odds-honest (`rotation odds …
 * --base-rate` prints the same facts); this renders them.
 *
 * An edge is claimed only when the conditional interval excludes the base rate: with 8 cases the interval is about
 * ±30 points wide, so most differences are not one.
 */
export function honestOdds(
  reg: FactRegistry,
  h: RaceHistoryRun,
  o: { oid: string; leader: 'a' | 'b'; hits: number; n: number; rate: BriefFact; first: number },
): Block[] {
  const r = honestOddsOf(h, { ...o, rate: o.rate.value as number });
  if (!r) return [];
  const { lead, lag } = r;
  const baseRate = reg.add(r.baseRate);
  const baseN = reg.add(r.baseN);
  const diff = reg.add(r.difference);
  const nC = reg.get(`${o.oid}.n`);
  const conf = reg.add({
    id: 'odds.interval-confidence',
    value: INTERVAL_CONFIDENCE,
    unit: 'fraction',
    label: 'confidence of the Wilson intervals',
    inputs: [],
    asOf: h.asOf,
    method: 'z = 1.96 (two-sided 95%)',
  });
  const cell = (w: HonestInterval): Text =>
    w ? t`${num(reg.add(w.low), 'rate')} to ${num(reg.add(w.high), 'rate')}` : ['n/a'];
  const blocks: Block[] = [
    {
      kind: 'table',
      caption: `${lead} beating ${lag} over the rest of the year: after the condition and in every year`,
      head: ['', 'After the condition', 'Every year (base rate)'],
      rows: [
        [['Hit rate'], [num(o.rate, 'rate')], [num(baseRate, 'rate')]],
        [['Years'], [num(nC)], [num(baseN)]],
        [t`${num(conf, 'rate')} interval (Wilson)`, cell(r.conditional), cell(r.base)],
      ],
    },
    {
      kind: 'p',
      text: r.edge
        ? t`The difference from the base rate is ${num(diff, 'rate-diff')} (${num(o.rate, 'rate')} vs ${num(baseRate, 'rate')}), and the base rate lies outside the conditional ${num(conf, 'rate')} interval: an edge, though on only ${num(nC)} years.`
        : t`The difference from the base rate is ${num(diff, 'rate-diff')} (${num(o.rate, 'rate')} vs ${num(baseRate, 'rate')}), and the base rate lies inside the conditional ${num(conf, 'rate')} interval: with ${num(nC)} years that is not an edge, just the usual odds.`,
    },
  ];
  // what happened since the condition was met this year (the close of the year-start window)
  if (r.since) {
    const since = reg.add(r.since.move);
    const metOn = reg.add(r.since.metOn);
    blocks.push({
      kind: 'p',
      text: t`Since the condition was met this year (the ${num(metOn, 'date')} close), ${lead} minus ${lag} is ${num(since, 'pp')}${(since.value as number) > 0 ? ': so far it holds' : ': so far it has not held'}.`,
    });
  }
  return blocks;
}

type HonestInterval = { low: BriefFact; high: BriefFact } | null;
