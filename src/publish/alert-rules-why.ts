import { loadFlowsFigures, loadPositioningFigures } from '../data/why/figures.js';
import type { Store } from '../data/store/store.js';
import type { TradingDate } from '../shared/brand.js';
import type { AlertSignal, Evaluation } from './alerts.js';
import type { AlertRule } from './config.js';

/**
 * The alert rules on weekly "why" figures: fund flows and futures positioning, read as known on the session
 * (`strict`: a series whose only vintage was published later is left out, as in the brief). A reading counts once,
 * on the first session it is known: the rule keeps the last reading date per series, and its first evaluation only
 * records them (an old reading is not news).
 */

type Previous = Map<string, { value: string }>;

/** Records `date` as the last reading seen; true when it is new and the rule has seen the series before. */
function freshReading(
  rule: { id: string },
  series: string,
  date: string,
  previous: Previous,
  out: Evaluation,
): boolean {
  const before = previous.get(series)?.value;
  if (before === date) return false;
  out.state.push({ rule: rule.id, subject: series, value: date });
  return before !== undefined && date > before;
}

function signal(
  rule: { id: string; kind: AlertRule['kind'] },
  session: TradingDate,
  subject: string,
  title: string,
  detail: Record<string, unknown>,
): AlertSignal {
  return {
    id: `${session}:${rule.id}:${subject}`,
    rule: rule.id,
    kind: rule.kind,
    session,
    subject,
    title,
    detail,
  };
}

const usd = (v: number) => `${v < 0 ? '-' : ''}$${(Math.abs(v) / 1e9).toFixed(1)}bn`;

/** A new week whose net flow is at least `minZ` standard deviations from the mean of the 52 weeks before it. */
export async function flowsRule(
  store: Store,
  rule: Extract<AlertRule, { kind: 'flows-extreme' }>,
  session: TradingDate,
  previous: Previous,
  out: Evaluation,
): Promise<void> {
  const f = await loadFlowsFigures(store, { asOf: session, group: rule.group, strict: true });
  if (f.rows.length === 0) out.notes.push(`${rule.id}: no flow series known on ${session}`);
  for (const r of f.rows) {
    if (!freshReading(rule, r.series, r.week, previous, out)) continue;
    const z = r.z52?.value ?? null;
    if (z === null || Math.abs(z) < rule.minZ || r.latest.stale) continue;
    const way = r.latest.value >= 0 ? 'inflow' : 'outflow';
    out.signals.push(
      signal(
        rule,
        session,
        r.series,
        `${r.group}: ${usd(r.latest.value)} ${way} in the week ending ${r.week}, ${z.toFixed(1)} standard deviations from its 52-week mean${r.largestSince ? ` (the largest ${way} since ${r.largestSince})` : ''}`,
        {
          series: r.series,
          week: r.week,
          netFlow: r.latest.value,
          z52: z,
          largestSince: r.largestSince,
          facts: [r.latest.id, r.z52?.id],
        },
      ),
    );
  }
}

/** A new reading at the top or bottom of its 52-week (COT index 100 or 0) or three-year range. */
export async function positioningRule(
  store: Store,
  rule: Extract<AlertRule, { kind: 'positioning-extreme' }>,
  session: TradingDate,
  previous: Previous,
  out: Evaluation,
): Promise<void> {
  const f = await loadPositioningFigures(store, { asOf: session, group: rule.group, strict: true });
  if (f.rows.length === 0) out.notes.push(`${rule.id}: no positioning series with 52 readings on ${session}`);
  for (const r of f.rows) {
    if (!freshReading(rule, r.series, r.date, previous, out)) continue;
    if (r.value.stale) continue;
    const at = (i: number | null | undefined) => (i === 100 ? 'high' : i === 0 ? 'low' : null);
    const year = at(r.cotIndex?.value);
    const three = at(r.cotIndex3y?.value);
    const side = rule.span === '3y' ? three : (year ?? three);
    if (!side) continue;
    const span = three === side ? 'three-year' : '52-week';
    out.signals.push(
      signal(
        rule,
        session,
        r.series,
        `${r.group} ${r.metric} at a ${span} ${side} on ${r.date} (${r.value.value.toLocaleString('en-US')}${r.extreme ? `, ${r.extreme}` : ''})`,
        {
          series: r.series,
          date: r.date,
          value: r.value.value,
          side,
          span,
          cotIndex: r.cotIndex?.value ?? null,
          cotIndex3y: r.cotIndex3y?.value ?? null,
          extreme: r.extreme,
          knownAt: r.value.knownAt ?? r.date,
          facts: [r.value.id, r.cotIndex?.id, r.cotIndex3y?.id].filter(Boolean),
        },
      ),
    );
  }
}
