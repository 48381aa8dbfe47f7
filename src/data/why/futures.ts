import type { WhyFact } from '../../core/why/fact.js';
import { sessionMove, type FuturesMove } from '../../core/why/futures.js';
import type { Store } from '../store/store.js';
import { datesOf, type DateFact } from './figures/common.js';

/** The continuous index futures of the default universe (Yahoo symbols) and their names. */
export const INDEX_FUTURES = [
  ['ES=F', 'E-mini S&P 500'],
  ['NQ=F', 'E-mini Nasdaq-100'],
  ['YM=F', 'E-mini Dow'],
  ['RTY=F', 'E-mini Russell 2000'],
] as const;

export type FuturesRow = {
  symbol: string;
  name: string;
  move: FuturesMove;
  points: WhyFact;
  change: WhyFact;
};

export const ROLL_CAVEAT =
  "continuous futures (Yahoo's =F series) switch to the next quarterly contract around the roll, eight days before the " +
  'third-Friday expiry in March, June, September and December; a change across the switch mixes two contracts';

/** The last session's move of each stored index future (and its date as a fact) on or before `asOf`, in points and percent. */
export async function futuresFigures(
  store: Store,
  o: { asOf: string },
): Promise<{ rows: FuturesRow[]; facts: WhyFact[]; missing: string[]; dates: DateFact[] }> {
  const rows: FuturesRow[] = [];
  const missing: string[] = [];
  for (const [typed, name] of INDEX_FUTURES) {
    const symbol = await store.resolveSymbol(typed);
    const bars = symbol ? await store.loadBars(symbol, { to: o.asOf }) : [];
    const move = sessionMove(
      bars.slice(-2).map((b) => ({ date: b.date, close: b.close })),
      o.asOf,
    );
    if (!symbol || !move) {
      missing.push(typed);
      continue;
    }
    const id = `futures.${symbol.replace(/=F$/i, '').toLowerCase()}`;
    const base = {
      inputs: [symbol],
      window: `${move.from}..${move.to}`,
      asOf: move.to,
      ...(move.nearRoll ? { note: `near a contract roll: ${ROLL_CAVEAT}` } : {}),
    };
    const points: WhyFact = {
      ...base,
      id: `${id}.points`,
      value: move.points,
      unit: 'points',
      label: `${name} futures (${symbol}), change on ${move.to}`,
      method: 'close minus the previous session close, in index points',
    };
    const change: WhyFact = {
      ...base,
      id: `${id}.change`,
      value: move.change,
      unit: 'fraction',
      label: `${name} futures (${symbol}), change on ${move.to}`,
      method: 'close / previous session close − 1',
    };
    rows.push({ symbol, name, move, points, change });
  }
  const facts = rows.flatMap((r) => [r.points, r.change]);
  // the session each move is on: `futures.<symbol>.points.as-of` (the brief prints it)
  return { rows, facts, missing, dates: datesOf(facts) };
}
