import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasSharedData, SHARED_DATA } from '../../../test/support/shared-data.js';
import { pgMissing, usePostgres } from '../../../test/support/pg.js';
import { tempDir } from '../../../test/support/tmp.js';
import { parseWindow } from '../../core/window.js';
import type { TradingDate } from '../../shared/brand.js';
import { importPaths } from '../ingest/import.js';
import { loadSeries } from '../load.js';
import { openStore, PgStore, type Store } from '../store/store.js';
import { runCheck } from './check.js';
import { runRace } from './race.js';

/**
 * IWM and QQQ as ../shared/data holds them: etf_daily (dividend-adjusted, to 2026-07-31) and etf_recent_raw (raw
 * closes, 2026-03-31 to 2026-08-21; its rows before 2026-08-03 are kept from etf_daily), each declared as the data
 * README says (examples/shared-data.config.json). The stored series knows the basis of each row range, and a
 * comparison whose window crosses 2026-07-31 says so in its row; one inside a single basis does not.
 */
const RULES = [
  { path: 'etf_daily', basis: 'adjusted' as const },
  { path: 'etf_recent_raw', basis: 'price' as const },
];
const files = ['etf_daily', 'etf_recent_raw'].flatMap((d) =>
  ['IWM', 'QQQ'].map((s) => join(SHARED_DATA, d, `${s}.csv`)),
);
const missing = !hasSharedData ? `../shared/data not found beside the project (${SHARED_DATA})` : null;
const pg = missing || pgMissing ? null : usePostgres();

for (const engine of ['duckdb', 'postgres'] as const) {
  const skip = missing ?? (engine === 'postgres' ? pgMissing : null);
  if (skip) {
    describe(`basis per row range (${engine})`, () => {
      it.skip(`skipped: ${skip}`, () => {});
    });
    continue;
  }
  describe(`basis per row range (${engine})`, () => {
    let store: Store;
    beforeAll(async () => {
      const target =
        engine === 'duckdb'
          ? join(tempDir('basis-ranges-'), 'b.duckdb')
          : await (pg as NonNullable<typeof pg>).newDatabase();
      store = await openStore(target);
      const out = await importPaths(store, files, { today: '2026-11-24', basisRules: RULES });
      expect(out.filter((o) => !o.ok)).toEqual([]);
    }, 120_000);
    afterAll(async () => {
      if (store instanceof PgStore) await store.end();
      else store.close();
    });

    it('stores the declared basis per source: IWM adjusted to 2026-07-31, price after', async () => {
      const ranges = await store.loadCloseRanges('IWM');
      expect(ranges.map((r) => [r.basis, r.first, r.last])).toEqual([
        ['adjusted', '2000-05-26', '2026-07-31'],
        ['price', '2026-08-03', '2026-08-21'],
      ]);
      expect(ranges[1]?.sessions, 'Aug 3 .. Aug 21 2026').toBe(15);
      const inside = await store.loadCloseRanges('IWM', { to: '2026-07-31' });
      expect(inside.map((r) => r.basis)).toEqual(['adjusted']);
      const s = await loadSeries(store, 'IWM', { basis: 'total' });
      expect(s.note).toMatch(/dividend-adjusted closes to 2026-07-31, price closes \(no dividends\) after/);
    });

    it('a race across 2026-07-31 says so in its row; one inside the adjusted dates does not', async () => {
      const across = await runRace(store, 'IWM', 'QQQ', parseWindow('rolling:20'), {
        asOf: '2026-08-20' as TradingDate,
      });
      expect(across.spanMix).toMatch(
        /^spans closes of more than one basis \(IWM: dividend-adjusted closes to 2026-07-31, price closes \(no dividends\) after; QQQ: /,
      );
      const before = await runRace(store, 'IWM', 'QQQ', parseWindow('first:7'), { year: 2026 });
      expect(before.spanMix, 'January 2026 lies inside the adjusted rows').toBeNull();
      const years = await runRace(store, 'IWM', 'QQQ', parseWindow('q3'), { years: [2025, 2026] });
      expect(years.spanMix).toMatch(/^2026: spans closes/);
      expect(years.spanMix).not.toMatch(/2025:/);
    });

    it("a race's leg notes describe its own window, not the whole series", async () => {
      const january = await runRace(store, 'IWM', 'QQQ', parseWindow('first:7'), { year: 2026 });
      expect(january.legNotes).toMatch(/^IWM: the closes over this window are dividend-adjusted/);
      expect(january.legNotes).toMatch(/; QQQ: the closes over this window are dividend-adjusted/);
      expect(january.legNotes, 'not the whole series').not.toMatch(/mix bases/);
      // Across 2026-07-31 no single basis holds: spanMix says it, the leg notes say nothing more.
      const across = await runRace(store, 'IWM', 'QQQ', parseWindow('rolling:20'), {
        asOf: '2026-08-20' as TradingDate,
      });
      expect(across.legNotes).toBeNull();
      const years = await runRace(store, 'IWM', 'QQQ', parseWindow('q3'), { years: [2025, 2026] });
      expect(years.legNotes).toMatch(/^2025 \(IWM: the closes over this window are dividend-adjusted/);
      expect(years.legNotes).not.toMatch(/2026/);
      const total = await runRace(store, 'IWM', 'QQQ', parseWindow('first:7'), {
        year: 2026,
        basis: 'total',
      });
      expect(total.legNotes, 'adjusted closes on the total basis need no note').toBeNull();
    });

    it('a check row of January 2026 says its closes are adjusted, not that the series mixes', async () => {
      const run = await runCheck(
        store,
        {
          a: 'IWM',
          b: 'QQQ',
          aText: 'IWM',
          bText: 'QQQ',
          window: parseWindow('first:7'),
          year: 2026,
          firstSince: null,
        },
        {},
      );
      const stated = run.rows.find((r) => r.asStated && r.b === 'QQQ');
      expect(stated?.spanMix).toBeNull();
      expect(stated?.basisNote).toMatch(/IWM: the closes over this window are dividend-adjusted/);
      expect(stated?.provenance[0]?.closes).toBe('mixed');
    });
  });
}
