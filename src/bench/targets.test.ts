import { describe, expect, it } from 'vitest';
import { collectTargets } from './targets.js';
import { targetRatio } from './workers.js';

describe('the targets of issue 16 in the bench report', () => {
  it('states each ratio with both sides, the target and whether it holds', () => {
    expect(targetRatio(80, 100, 0.8, true, { a: 80, b: 100 })).toEqual({
      a: 80,
      b: 100,
      ratio: 0.8,
      target: '>= 0.8',
      met: true,
    });
    expect(targetRatio(250, 100, 2, false, {})).toMatchObject({ ratio: 2.5, target: '<= 2', met: false });
    expect(targetRatio(null, 100, 2, false, {})).toMatchObject({ ratio: null, met: null });
  });

  it('states the analytics target on both formats when Parquet is read: the CSV run beside it', () => {
    const t = collectTargets({
      analytics_dataset: { format: 'parquet', format_reason: "the peer's pandas reads Parquet" },
      analytics: { peer_workload_ms: 1000 },
      vs_peer: { against: 'peer (measured here)', speedup_total: 3.5, checksums_match: true },
      csv_run: {
        analytics: { peer_workload_ms: 2000 },
        vs_peer: { against: 'peer (measured here)', speedup_total: 2.75, checksums_match: false },
      },
    });
    const analytics = t['analytics'] as Record<string, Record<string, unknown>>;
    expect(analytics['vs_peer_parquet']).toMatchObject({ ratio: 3.5, peer_total_ms: 3500, met: true });
    expect(analytics['vs_peer_csv']).toMatchObject({
      ratio: 2.75,
      peer_total_ms: 5500,
      ours_peer_workload_ms: 2000,
      checksums_match: false,
      met: false,
    });
  });

  it('gathers the steps, says which could not be measured, and pairs the briefs by position', () => {
    const t = collectTargets({
      import_targets: { reimport_speedup: { ratio: 4, met: true } },
      analytics_dataset: { format: 'csv', format_reason: 'no Parquet engine' },
      analytics: { peer_workload_ms: 1000 },
      vs_peer: { against: 'peer', speedup_total: 2.5, checksums_match: true },
      brief: {
        default_universe: {
          runs: [
            { as_of: '2026-01-12', brief_ms: 1000 },
            { as_of: 'x', brief_ms: 1000 },
          ],
        },
        generated_universe: {
          runs: [
            { as_of: '2025-01-13', brief_ms: 700 },
            { as_of: 'z', brief_ms: 1000 },
          ],
        },
        large_store: {
          runs: [
            { as_of: '2026-01-12', brief_ms: 1100 },
            { as_of: 'y', brief_ms: 1300 },
          ],
        },
      },
    });
    expect(t['import']).toEqual({ reimport_speedup: { ratio: 4, met: true } });
    expect(t['startup']).toEqual({ not_measured: 'the startup benchmark did not run' });
    const analytics = t['analytics'] as Record<string, Record<string, unknown>>;
    expect(analytics['vs_peer_csv']).toMatchObject({ ratio: 2.5, peer_total_ms: 2500, met: false });
    expect(analytics['vs_peer_parquet']?.['not_measured']).toMatch(/both sides read csv: no Parquet engine/);
    const brief = t['brief'] as Record<string, Record<string, unknown>[]>;
    expect(brief['large_vs_default']?.map((b) => [b['large_as_of'], b['ratio'], b['met']])).toEqual([
      ['2026-01-12', 1.1, true],
      ['y', 1.3, false],
    ]);
    // The generated universe's own brief is another brief: paired for information, never a target.
    expect(brief['generated_vs_default']?.map((b) => [b['ratio'], 'met' in b])).toEqual([
      [0.7, false],
      [1, false],
    ]);
    expect(
      collectTargets({ brief: { default_universe: { runs: [{ brief_ms: 1 }] } } })['brief'],
    ).toMatchObject({ large_vs_default: { not_measured: 'the large store was not measured' } });
  });

  it('states the serve targets with both sides, the cores and the load, and says when serve did not run', () => {
    expect(collectTargets({})['serve']).toEqual({ not_measured: 'the serve benchmark did not run' });
    const run = (req_per_s: number) => ({ req_per_s });
    const t = collectTargets({
      serve: {
        cores: 2,
        load_avg_1m_before: 1.5,
        load_avg_1m_after: 1.7,
        hello_world: [run(10000), run(12000)],
        cached_race: [run(8000), run(8000)],
        cached_vs_hello: 0.73,
        cached_br_vs_hello_br: 0.9,
        compared_as: { cached_vs_hello: 'both without Accept-Encoding' },
        cpu_ratio_vs_hello: { cached: 0.8, cached_br_vs_hello_br: 0.85 },
        cached_race_2000_per_s: { client: 'evenly spaced', req_per_s: 1999, latency_ms: { p50: 1, p99: 6 } },
        cached_race_2000_per_s_autocannon_bursts: { latency_ms: { p50: 2, p99: 9 } },
        uncached: { race: { requests: 20, p50_ms: 30 } },
        load_during_import: {
          seconds: 60,
          req_per_s: 500,
          errors: 0,
          timeouts: 1,
          non_2xx: 0,
          import_exit: 0,
        },
      },
    })['serve'] as Record<string, Record<string, unknown>>;
    expect(t['cached_vs_hello']).toMatchObject({
      cores: 2,
      load_avg_1m_before: 1.5,
      cached_race_req_per_s: [8000, 8000],
      hello_world_req_per_s: [10000, 12000],
      compared_as: 'both without Accept-Encoding',
      cached_br_vs_hello_br: 0.9,
      cpu_ratio_br_vs_hello_br: 0.85,
      ratio: 0.73,
      met: true,
    });
    expect(t['p99_at_2000_per_s']).toMatchObject({
      client: 'evenly spaced',
      p99_ms: 6,
      req_per_s: 1999,
      autocannon_bursts_latency_ms: { p50: 2, p99: 9 },
      met: false,
    });
    expect(t['uncached_race_p50']).toMatchObject({ p50_ms: 30, met: true });
    expect(t['load_during_import']).toMatchObject({ errors: 1, met: false });
  });
});
