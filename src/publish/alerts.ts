import { rrg, type Quadrant } from '../core/rrg.js';
import { formatWindow, parseWindow } from '../core/window.js';
import { runCheck, runPrecedents, runRace } from '../data/analytics.js';
import { SECTOR_SPDRS, type Config } from '../data/config.js';
import { loadSeries } from '../data/load.js';
import type { PublishState } from '../data/store/publish-state.js';
import type { Store } from '../data/store/store.js';
import type { TradingDate } from '../shared/brand.js';
import { NotFoundError } from '../shared/errors.js';
import { flowsRule, positioningRule } from './alert-rules-why.js';
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
export type StateChange = { rule: string; subject: string; value: string };

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

/** "252-session (52-week)": the brief's words for a one-year look-back. */
function lookbackText(lookback: number): string {
  return lookback === 252 ? '252-session (52-week)' : `${lookback}-session`;
}

/**
 * A new `lookback`-session high or low on the session: the precedents' `extreme` condition (runPrecedents, as
 * `rotation precedents --kind extreme` computes it), hit on the session itself.
 */
async function extremeRule(
  store: Store,
  config: Config,
  rule: Extract<AlertRule, { kind: 'extreme' }>,
  session: TradingDate,
  out: Evaluation,
): Promise<void> {
  for (const s of rule.symbols) {
    for (const side of ['high', 'low'] as const) {
      const run = await runPrecedents(
        store,
        { kind: 'extreme', symbol: s, side, lookback: rule.lookback },
        { asOf: session, config },
      );
      const p = run.precedents;
      if (p.latest?.date !== session || p.tested === 0) {
        if (side === 'high')
          out.notes.push(
            `${rule.id}: ${s} has no close on ${session} with ${rule.lookback} sessions before it`,
          );
        break;
      }
      if (!p.latest.hit) continue;
      const symbol = run.provenance[0]?.symbol ?? s;
      const since = p.lastBefore ? ` (the first since ${p.lastBefore.date})` : '';
      out.signals.push({
        id: `${session}:${rule.id}:${symbol}`,
        rule: rule.id,
        kind: rule.kind,
        session,
        subject: symbol,
        title: `${symbol} closed at a new ${lookbackText(rule.lookback)} ${side} on ${session}${p.streak.current === 1 ? since : ''}`,
        detail: {
          side,
          close: p.latest.value,
          lookback: rule.lookback,
          streak: p.streak.current,
          lastBefore: p.lastBefore?.date ?? null,
          basis: run.basis,
        },
      });
    }
  }
}

/**
 * "A beat B over W for the first time since YEAR", on the session that ends this year's window: the precedents of
 * the `beats` condition (runPrecedents, as `rotation precedents` and the claim check read them), then the claim check
 * (`runCheck`, the same as `rotation check`) across its definitions for the detail. Once per rule and year.
 */
async function firstSinceRule(
  store: Store,
  config: Config,
  rule: Extract<AlertRule, { kind: 'first-since' }>,
  session: TradingDate,
  previous: Map<string, { value: string }>,
  out: Evaluation,
): Promise<void> {
  const window = parseWindow(rule.window);
  const run = await runPrecedents(
    store,
    { kind: 'beats', a: rule.a, b: rule.b, window },
    { asOf: session, config },
  );
  const p = run.precedents;
  const latest = p.latest;
  const a = run.provenance[0]?.symbol ?? rule.a;
  const b = run.provenance[1]?.symbol ?? rule.b;
  const subject = `${a}-${b}-${rule.window}`;
  if (!latest || latest.date !== session || !latest.complete || !latest.hit) return;
  if (previous.get(subject)?.value === String(latest.year)) return;
  const firstYear = p.periods.find((r) => r.complete)?.year ?? latest.year;
  const since = p.lastBefore?.year ?? null;
  if (since !== null && latest.year - since < rule.minYears) return;
  if (since === null && latest.year - firstYear < rule.minYears) return;
  const check = await runCheck(
    store,
    { a, b, window, year: latest.year, firstSince: since, aText: a, bText: b },
    { asOf: session, config },
  );
  out.state.push({ rule: rule.id, subject, value: String(latest.year) });
  const windowText = window.kind === 'first' ? `the first ${window.sessions} sessions` : formatWindow(window);
  out.signals.push({
    id: `${session}:${rule.id}:${subject}`,
    rule: rule.id,
    kind: rule.kind,
    session,
    subject,
    title:
      since !== null
        ? `${a} beat ${b} over ${windowText} of ${latest.year} for the first time since ${since}`
        : `${a} beat ${b} over ${windowText} of ${latest.year} for the first time in the stored years (since ${firstYear})`,
    detail: {
      spread: latest.value,
      year: latest.year,
      firstSince: since,
      dataFrom: firstYear,
      window: windowText,
      basis: run.basis,
      check: { verdict: check.verdict, holds: check.holds, fails: check.fails, noData: check.noData },
    },
  });
}

/**
 * Evaluates every rule for one session from the same loading functions the CLI uses (runRace, runPrecedents,
 * runCheck, loadSeries with the RRG of core, loadFlowsFigures and loadPositioningFigures). A change rule's first evaluation
 * only records its state: a change needs a value to change from; a weekly reading counts once, when it is new.
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
      case 'first-since':
        await firstSinceRule(store, config, rule, session, await state.alertState(rule.id), out);
        break;
      case 'flows-extreme':
        await flowsRule(store, rule, session, await state.alertState(rule.id), out);
        break;
      case 'positioning-extreme':
        await positioningRule(store, rule, session, await state.alertState(rule.id), out);
        break;
    }
  }
  return out;
}

/** The JSON body of a webhook delivery, also the stored event's payload (the alert mail is rendered from it). */
export type AlertPayload = {
  id: string;
  type: `alert.${AlertRule['kind']}`;
  rule: string;
  session: string;
  subject: string;
  title: string;
  detail: Record<string, unknown>;
};

export function webhookBody(s: AlertSignal): string {
  const body: AlertPayload = {
    id: s.id,
    type: `alert.${s.kind}`,
    rule: s.rule,
    session: s.session,
    subject: s.subject,
    title: s.title,
    detail: s.detail,
  };
  return JSON.stringify(body);
}
