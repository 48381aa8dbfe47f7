import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zScoreUnusualness } from '../../core/news-candidates.js';
import { FLOW_Z_WEEKS } from '../../core/why/flows.js';
import { loadFlowsFigures } from '../../data/why/figures.js';
import type { Store } from '../../data/store/store.js';
import type { TradingDate } from '../../shared/brand.js';
import { addDays } from '../../shared/dates.js';
import { storeOfWhyInputs } from '../../../test/support/why-inputs.js';
import { buildBrief } from '../build.js';
import { plain } from '../narrative/text.js';

/**
 * Sixty weekly tech-fund flows (each week ending on a Wednesday, as reported the Monday after), between −1 and
 * +1 $bn, then a $6bn inflow: several standard deviations out, so the week is flows news once it is reported. The
 * score and the baseline's length the brief prints are the data layer's (`rotation flows` lists the score).
 */
const LAST_WEEK = '2026-01-07';
const WEEKS = 61;

describe('a flows week as headline candidate', () => {
  let store: Store;
  beforeAll(async () => {
    const rows: string[] = [];
    for (let i = 0; i < WEEKS; i++) {
      const week = addDays(LAST_WEEK, -7 * (WEEKS - 1 - i));
      const value = i === WEEKS - 1 ? 6e9 : ((i * 37) % 21) / 10 - 1;
      const usd = i === WEEKS - 1 ? value : value * 1e9;
      rows.push(`flows,sector:tech,${week},net_flow,${usd},usd,${addDays(week, 5)},LSEG Lipper,`);
    }
    store = await storeOfWhyInputs('flows-news-', rows);
  });
  afterAll(() => store?.close());

  it("scores the week from the data layer's figures: one value in the brief and in `rotation flows`", async () => {
    const asOf = '2026-01-12' as TradingDate;
    const f = await loadFlowsFigures(store, { asOf, strict: true });
    const row = f.rows.find((r) => r.group === 'sector:tech');
    expect(row?.z52?.value).toBeGreaterThan(3);
    expect(row?.unusual?.id).toBe('news.flows.sector-tech.score');
    expect(row?.unusual?.value).toBe(zScoreUnusualness(Number(row?.z52?.value)));
    expect(f.facts.some((x) => x.id === row?.unusual?.id)).toBe(true);
    expect(f.params.zWeeks.value).toBe(FLOW_Z_WEEKS);

    const b = await buildBrief(store, { asOf });
    const byId = (id: string) => b.facts.find((x) => x.id === id);
    expect(plain(b.headline)).toMatch(
      /^Tech sector funds take a net inflow of \$6\.0 bn in the week ending 2026-01-07, [0-9.]+ standard deviations above/,
    );
    expect(byId('news.flows.sector-tech.score')?.value).toBe(row?.unusual?.value);
    expect(byId('flows.params.z-weeks')?.value).toBe(FLOW_Z_WEEKS);
    expect(plain(b.lede[0] ?? [])).toMatch(
      /more extreme than [0-9.]+% of a normal distribution \(the z-score is against the 52 weeks before it\)/,
    );
  });

  it('is not news a month later', async () => {
    const b = await buildBrief(store, { asOf: '2026-02-10' as TradingDate });
    expect(plain(b.headline)).not.toMatch(/funds take a net/);
  });
});
