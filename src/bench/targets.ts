/**
 * Issue 16's targets in one place of the report (`targets`): every ratio measured in this run with both sides'
 * figures, its target and whether it holds, gathered from the steps that measured them (import_targets,
 * startup_targets, vs_peer, brief). A target whose step did not run says so (`not_measured`).
 */
import { figure, targetRatio, type Step } from './workers.js';

const obj = (x: unknown): Step => (x && typeof x === 'object' ? (x as Step) : {});

/**
 * The analytics target: our peer workload >= 3x faster than the pandas peer's, on each format both read (the
 * primary run's, and the CSV run beside a Parquet one: `csv_run`).
 */
function analyticsTargets(report: Record<string, unknown>): Step {
  const dataset = obj(report['analytics_dataset']);
  const format = dataset['format'];
  const measuredOn = (run: Step): Step => {
    const vs = obj(run['vs_peer']);
    const ours = figure(run['analytics'], 'peer_workload_ms');
    return typeof vs['speedup_total'] === 'number' && ours !== null
      ? {
          ...targetRatio(vs['speedup_total'] * ours, ours, 3, true, {
            against: vs['against'],
            peer_total_ms: Math.round(vs['speedup_total'] * ours),
            ours_peer_workload_ms: ours,
            checksums_match: vs['checksums_match'] ?? null,
          }),
        }
      : { not_measured: vs['note'] ?? 'the analytics benchmark did not run' };
  };
  const measured = measuredOn(report);
  const other = (f: string): Step =>
    format === undefined
      ? { not_measured: 'the analytics benchmark did not run' }
      : {
          not_measured: `both sides read ${String(format)}: ${String(dataset['format_reason'] ?? '')}`,
          format: f,
        };
  const csvRun = report['csv_run'];
  return {
    vs_peer_csv: format === 'csv' ? measured : csvRun ? measuredOn(obj(csvRun)) : other('csv'),
    vs_peer_parquet: format === 'parquet' ? measured : other('parquet'),
  };
}

/**
 * The brief target: the default universe's briefs on the large store (the shared data plus the generated 3,000 x
 * 25 universe) within 20% of the same briefs on the default store (brief_ms, paired by position: 2026-01-12, then
 * the latest). The generated universe's own briefs (another config, other inputs: no macro, flows or earnings, so
 * some sections are skipped) are paired the same way for information, without a target.
 */
function briefTargets(report: Record<string, unknown>): Step {
  const brief = obj(report['brief']);
  const runs = (u: unknown): Step[] => {
    const r = obj(u)['runs'];
    return Array.isArray(r) ? (r as Step[]) : [];
  };
  const large = runs(brief['large_store']);
  const generated = runs(brief['generated_universe']);
  const fallback = runs(brief['default_universe']);
  const pair = (side: string, xs: Step[], target: boolean) =>
    xs.map((g, i) => {
      const d = fallback[i];
      const gm = figure(g, 'brief_ms');
      const dm = figure(d, 'brief_ms');
      const ratio = gm !== null && dm !== null && dm > 0 ? Math.round((gm / dm) * 1000) / 1000 : null;
      return {
        [`${side}_as_of`]: g['as_of'] ?? g['requested_as_of'] ?? null,
        default_as_of: d?.['as_of'] ?? d?.['requested_as_of'] ?? null,
        [`${side}_brief_ms`]: gm,
        default_brief_ms: dm,
        ratio,
        ...(target
          ? { target: '0.8 to 1.2', met: ratio === null ? null : ratio >= 0.8 && ratio <= 1.2 }
          : { note: 'another brief (synthetic config and inputs): not the target' }),
      };
    });
  if (fallback.length === 0) return { not_measured: 'the brief benchmark did not run on the default store' };
  return {
    large_vs_default:
      large.length > 0 ? pair('large', large, true) : { not_measured: 'the large store was not measured' },
    generated_vs_default: generated.length > 0 ? pair('generated', generated, false) : null,
  };
}

/**
 * Issue 13's serve targets (steps/serve.ts; each server in its own child process): cached race JSON requests/s
 * >= 0.7x hono's hello-world in the same run (both sent the same request: `compared_as`), p99 < 5 ms at a fixed
 * 2,000 req/s (evenly spaced requests; autocannon's per-second bursts beside it), uncached race p50 < 50 ms, and
 * 0 errors over the fixed-rate load while an import runs.
 */
function serveTargets(report: Record<string, unknown>): Step {
  const serve = obj(report['serve']);
  if (!('cached_race' in serve)) return { not_measured: 'the serve benchmark did not run' };
  const rps = (k: string) => {
    const runs = serve[k];
    return Array.isArray(runs) ? (runs as Step[]).map((r) => figure(r, 'req_per_s')) : [];
  };
  const machine = {
    cores: serve['cores'] ?? null,
    load_avg_1m_before: serve['load_avg_1m_before'] ?? null,
    load_avg_1m_after: serve['load_avg_1m_after'] ?? null,
  };
  const ratio = figure(serve, 'cached_vs_hello');
  const fixed = obj(serve['cached_race_2000_per_s']);
  const p99 = figure(fixed['latency_ms'], 'p99');
  const race = figure(obj(serve['uncached'])['race'], 'p50_ms');
  const during = obj(serve['load_during_import']);
  const errors = ['errors', 'timeouts', 'non_2xx'].map((k) => figure(during, k));
  const errorCount = errors.some((e) => e === null) ? null : errors.reduce((n: number, e) => n + (e ?? 0), 0);
  return {
    cached_vs_hello: {
      ...machine,
      cached_race_req_per_s: rps('cached_race'),
      hello_world_req_per_s: rps('hello_world'),
      cpu_ratio_vs_hello: obj(serve['cpu_ratio_vs_hello'])['cached'] ?? null,
      compared_as: obj(serve['compared_as'])['cached_vs_hello'] ?? null,
      client: obj(serve['compared_as'])['client'] ?? null,
      // autocannon's ratio on the same two servers: its own decoding of the answers bounds the cached side.
      autocannon_cached_vs_hello: obj(serve['autocannon'])['cached_vs_hello'] ?? null,
      // Beside the target: the same comparison with both sides sending a browser's Accept-Encoding.
      cached_br_vs_hello_br: serve['cached_br_vs_hello_br'] ?? null,
      cpu_ratio_br_vs_hello_br: obj(serve['cpu_ratio_vs_hello'])['cached_br_vs_hello_br'] ?? null,
      ratio,
      target: '>= 0.7',
      met: ratio === null ? null : ratio >= 0.7,
    },
    p99_at_2000_per_s: {
      ...machine,
      client: fixed['client'] ?? null,
      req_per_s: figure(fixed, 'req_per_s'),
      latency_ms: fixed['latency_ms'] ?? null,
      autocannon_bursts_latency_ms:
        obj(serve['cached_race_2000_per_s_autocannon_bursts'])['latency_ms'] ?? null,
      p99_ms: p99,
      target: '< 5 ms',
      met: p99 === null ? null : p99 < 5,
    },
    uncached_race_p50: {
      ...machine,
      ...obj(obj(serve['uncached'])['race']),
      target: '< 50 ms',
      met: race === null ? null : race < 50,
    },
    load_during_import: {
      ...machine,
      seconds: during['seconds'] ?? null,
      req_per_s: figure(during, 'req_per_s'),
      errors: errorCount,
      import_exit: during['import_exit'] ?? null,
      target: '0 errors',
      met: errorCount === null ? null : errorCount === 0 && during['import_exit'] === 0,
    },
  };
}

/** Every target of issue 16 measured in this run (see the file comment). */
export function collectTargets(report: Record<string, unknown>): Step {
  return {
    import: report['import_targets'] ?? { not_measured: 'the import benchmark did not run' },
    startup: report['startup_targets'] ?? { not_measured: 'the startup benchmark did not run' },
    analytics: analyticsTargets(report),
    brief: briefTargets(report),
    serve: serveTargets(report),
  };
}
