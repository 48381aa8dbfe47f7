/**
 * Issue 16's targets in one place of the report (`targets`): every ratio measured in this run with both sides'
 * figures, its target and whether it holds, gathered from the steps that measured them (import_targets,
 * startup_targets, vs_peer, brief). A target whose step did not run says so (`not_measured`).
 */
import { figure, targetRatio, type Step } from './workers.js';

const obj = (x: unknown): Step => (x && typeof x === 'object' ? (x as Step) : {});

/** The analytics target: our peer workload >= 3x faster than the pandas peer's, on the format both read. */
function analyticsTargets(report: Record<string, unknown>): Step {
  const dataset = obj(report['analytics_dataset']);
  const vs = obj(report['vs_peer']);
  const ours = figure(report['analytics'], 'peer_workload_ms');
  const format = dataset['format'];
  const measured =
    typeof vs['speedup_total'] === 'number' && ours !== null
      ? {
          ...targetRatio(vs['speedup_total'] * ours, ours, 3, true, {
            against: vs['against'],
            peer_total_ms: Math.round(vs['speedup_total'] * ours),
            ours_peer_workload_ms: ours,
            checksums_match: vs['checksums_match'] ?? null,
          }),
        }
      : { not_measured: vs['note'] ?? 'the analytics benchmark did not run' };
  const other = (f: string): Step =>
    format === undefined
      ? { not_measured: 'the analytics benchmark did not run' }
      : {
          not_measured: `both sides read ${String(format)}: ${String(dataset['format_reason'] ?? '')}`,
          format: f,
        };
  return {
    vs_peer_csv: format === 'csv' ? measured : other('csv'),
    vs_peer_parquet: format === 'parquet' ? measured : other('parquet'),
  };
}

/**
 * The brief target: a brief's time on the generated 3,000 x 25 store within 20% of the same brief's on the
 * default store (brief_ms, the runs paired by position: the 7th session of the last year, then the latest).
 */
function briefTargets(report: Record<string, unknown>): Step {
  const brief = obj(report['brief']);
  const runs = (u: unknown): Step[] => {
    const r = obj(u)['runs'];
    return Array.isArray(r) ? (r as Step[]) : [];
  };
  const generated = runs(brief['generated_universe']);
  const fallback = runs(brief['default_universe']);
  if (generated.length === 0 || fallback.length === 0)
    return { not_measured: 'the brief benchmark did not run on both stores' };
  return {
    generated_vs_default: generated.map((g, i) => {
      const d = fallback[i];
      const gm = figure(g, 'brief_ms');
      const dm = figure(d, 'brief_ms');
      const ratio = gm !== null && dm !== null && dm > 0 ? Math.round((gm / dm) * 1000) / 1000 : null;
      return {
        generated_as_of: g['as_of'] ?? g['requested_as_of'] ?? null,
        default_as_of: d?.['as_of'] ?? d?.['requested_as_of'] ?? null,
        generated_brief_ms: gm,
        default_brief_ms: dm,
        ratio,
        target: '0.8 to 1.2',
        met: ratio === null ? null : ratio >= 0.8 && ratio <= 1.2,
      };
    }),
  };
}

/** Every target of issue 16 measured in this run (see the file comment). */
export function collectTargets(report: Record<string, unknown>): Step {
  return {
    import: report['import_targets'] ?? { not_measured: 'the import benchmark did not run' },
    startup: report['startup_targets'] ?? { not_measured: 'the startup benchmark did not run' },
    analytics: analyticsTargets(report),
    brief: briefTargets(report),
  };
}
