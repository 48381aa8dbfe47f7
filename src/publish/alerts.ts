import { rrg, type Quadrant } from '../core/rrg.js';
import { parseWindow } from '../core/window.js';
import { runRace } from '../data/analytics.js';
import { SECTOR_SPDRS, type Config } from '../data/config.js';
import { loadSeries } from '../data/load.js';
import type { PublishState } from '../data/store/publish-state.js';
import type { Store } from '../data/store/store.js';
import type { TradingDate } from '../shared/brand.js';
import { NotFoundError } from '../shared/errors.js';
import type { AlertRule } from './config.js';

/** One alert: its id is the idempotency key of every delivery (`session:rule:subject`). */
export type AlertSignal = {
  id: string;
  rule: string;
  kind: AlertRule['kind'];
  session: TradingDate;
  subject: string;
  title: string;
  /** The figures behind the alert, unrounded, with their inputs. */
  detail: Record<string, unknown>;
};

/** The state a rule keeps between sessions: the last confirmed value per subject. */
type StateChange = { rule: string; subject: string; value: string };

export type Evaluation = { signals: AlertSignal[]; state: StateChange[]; notes: string[] };

async function quadrantRule(
  store: Store,
  config: Config,
  rule: Extract<AlertRule, { kind: 'rrg-quadrant' }>,
  session: TradingDate,
  previous: Map<string, { value: string }>,
  out: Evaluation,
): Promise<void> {
  const benchSymbol = rule.benchmark ?? 'SPY';
  const bench = await loadSeries(store, benchSymbol, { asOf: session, config });
  const members = [];
  for (const s of rule.symbols ?? SECTOR_SPDRS) {
    try {
      members.push({ symbol: s, series: await loadSeries(store, s, { asOf: session, config }) });
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
      out.notes.push(`${rule.id}: ${s} not stored`);
    }
  }
  const res = rrg({
    benchmark: { symbol: bench.symbol, series: bench },
    members,
    period: 'weekly',
    tail: rule.confirmPeriods,
    asOf: session,
  });
  for (const m of res.members) {
    const tail = m.tail.map((p) => p.quadrant).filter((q): q is Quadrant => q !== null);
    // Hysteresis: the quadrant counts only once the last `confirmPeriods` weekly points all sit in it.
    if (tail.length < rule.confirmPeriods || !tail.every((q) => q === tail[0])) continue;
    const confirmed = tail[0] as Quadrant;
    const before = previous.get(m.symbol)?.value;
    if (before !== confirmed) out.state.push({ rule: rule.id, subject: m.symbol, value: confirmed });
    if (before !== undefined && before !== confirmed)
      out.signals.push({
        id: `${session}:${rule.id}:${m.symbol}`,
        rule: rule.id,
        kind: rule.kind,
        session,
        subject: m.symbol,
        title: `${m.symbol} moved from ${before} to ${confirmed} against ${bench.symbol} (RRG, weekly, ${rule.confirmPeriods} points)`,
        detail: { from: before, to: confirmed, benchmark: bench.symbol, latest: m.latest, asOf: res.asOf },
      });
  }
}

async function leaderRule(
  store: Store,
  config: Config,
  rule: Extract<AlertRule, { kind: 'race-leader' }>,
  session: TradingDate,
  previous: Map<string, { value: string }>,
  out: Evaluation,
): Promise<void> {
  const run = await runRace(store, rule.a, rule.b, parseWindow(rule.window), { asOf: session, config });
  if (!run.race) {
    out.notes.push(`${rule.id}: no ${rule.window} race at ${session}`);
    return;
  }
  const subject = `${run.a}-${run.b}-${rule.window}`;
  const leader = run.race.winner === 'a' ? run.a : run.race.winner === 'b' ? run.b : 'tie';
  const before = previous.get(subject)?.value;
  if (before !== leader) out.state.push({ rule: rule.id, subject, value: leader });
  if (before !== undefined && before !== leader && leader !== 'tie')
    out.signals.push({
      id: `${session}:${rule.id}:${subject}`,
      rule: rule.id,
      kind: rule.kind,
      session,
      subject,
      title: `${leader} took the lead from ${before} (${run.a} vs ${run.b}, ${run.window})`,
      detail: {
        leader,
        previous: before,
        retA: run.race.retA,
        retB: run.race.retB,
        spread: run.race.spread,
        asOf: run.asOf,
        window: run.window,
      },
    });
}

async function extremeRule(
  store: Store,
  config: Config,
  rule: Extract<AlertRule, { kind: 'extreme' }>,
  session: TradingDate,
  out: Evaluation,
): Promise<void> {
  for (const s of rule.symbols) {
    const series = await loadSeries(store, s, { asOf: session, config });
    const n = series.values.length;
    if (n < rule.lookback + 1 || series.dates[n - 1] !== session) {
      out.notes.push(`${rule.id}: ${s} has no close on ${session} with ${rule.lookback} sessions before it`);
      continue;
    }
    const last = series.values[n - 1] as number;
    const prior = series.values.slice(n - 1 - rule.lookback, n - 1);
    const side = last > Math.max(...prior) ? 'high' : last < Math.min(...prior) ? 'low' : null;
    if (!side) continue;
    out.signals.push({
      id: `${session}:${rule.id}:${series.symbol}`,
      rule: rule.id,
      kind: rule.kind,
      session,
      subject: series.symbol,
      title: `${series.symbol} closed at a new ${rule.lookback}-session ${side} on ${session}`,
      detail: {
        side,
        close: last,
        lookback: rule.lookback,
        priorExtreme: side === 'high' ? Math.max(...prior) : Math.min(...prior),
      },
    });
  }
}

/**
 * Evaluates every rule for one session from the same loading functions the CLI uses (runRace, loadSeries with the
 * RRG of core). A rule's first evaluation only records its state: a change needs a value to change from.
 */
export async function evaluateAlerts(
  store: Store,
  state: PublishState,
  config: Config,
  rules: readonly AlertRule[],
  session: TradingDate,
): Promise<Evaluation> {
  const out: Evaluation = { signals: [], state: [], notes: [] };
  for (const rule of rules) {
    switch (rule.kind) {
      case 'rrg-quadrant':
        await quadrantRule(store, config, rule, session, await state.alertState(rule.id), out);
        break;
      case 'race-leader':
        await leaderRule(store, config, rule, session, await state.alertState(rule.id), out);
        break;
      case 'extreme':
        await extremeRule(store, config, rule, session, out);
        break;
    }
  }
  return out;
}

/** The JSON body of a webhook delivery. */
export function webhookBody(s: AlertSignal): string {
  return JSON.stringify({
    id: s.id,
    type: `alert.${s.kind}`,
    rule: s.rule,
    session: s.session,
    subject: s.subject,
    title: s.title,
    detail: s.detail,
  });
}
