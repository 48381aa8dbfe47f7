import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMacroFigures } from '../../data/why/figures.js';
import type { Store } from '../../data/store/store.js';
import type { TradingDate } from '../../shared/brand.js';
import { storeOfWhyInputs } from '../../../test/support/why-inputs.js';
import { buildBrief } from '../build.js';
import { plain } from '../narrative/text.js';

/**
 * Nine monthly CPI releases (actual and consensus, as the press reported them), the last one a 0.4 pp miss: wider
 * than every earlier surprise (all 0.1 pp or less), so it is the brief's news once it is public.
 */
const ROWS = [
  ['2025-04', '2.4%', '2.4%'],
  ['2025-05', '2.5%', '2.4%'],
  ['2025-06', '2.7%', '2.6%'],
  ['2025-07', '2.7%', '2.8%'],
  ['2025-08', '2.9%', '2.9%'],
  ['2025-09', '3.0%', '3.1%'],
  ['2025-10', '3.0%', '3.0%'],
  ['2025-11', '2.7%', '3.1%'],
];

describe('a CPI surprise as headline candidate', () => {
  let store: Store;
  beforeAll(async () => {
    const lines: string[] = [];
    for (const [period, actual, consensus] of ROWS) {
      const [y, m] = (period as string).split('-').map(Number) as [number, number];
      const next = `${m === 12 ? y + 1 : y}-${String(m === 12 ? 1 : m + 1).padStart(2, '0')}`;
      lines.push(`macro,us:cpi:yoy,${period},consensus,${consensus},fraction,${next}-08,Reuters poll,`);
      lines.push(`macro,us:cpi:yoy,${period},actual,${actual},fraction,${next}-12,BLS,`);
    }
    lines.push('macro,us:cpi:yoy,2025-12,consensus,2.7%,fraction,2026-01-08,Reuters poll,');
    lines.push('macro,us:cpi:yoy,2025-12,actual,3.1%,fraction,2026-01-13,BLS,');
    store = await storeOfWhyInputs('macro-news-', lines);
  });
  afterAll(() => store?.close());

  it('leads the brief the week it is published, ranked against the earlier releases, the consensus as reported', async () => {
    const b = await buildBrief(store, { asOf: '2026-01-15' as TradingDate });
    expect(plain(b.headline)).toBe(
      'CPI for 2025-12 comes in hotter than the consensus: 3.1% against 2.7% as reported by Reuters poll',
    );
    // 2025-11's 0.4 pp miss ties: 7 of the 8 earlier surprises are smaller
    expect(plain(b.lede[0] ?? [])).toBe(
      'The surprise of 0.4 pp is wider than 88% of the 8 earlier releases with a consensus stored (since 2025-04).',
    );
    expect(b.facts.find((f) => f.id.endsWith('2025-12.surprise.score'))?.value).toBe(7 / 8);
    // a third party's figure is a reported fact with its source and date; what the brief derives is computed
    const byId = (id: string) => b.facts.find((f) => f.id === id);
    expect(byId('macro-us-cpi-yoy.2025-12.consensus')).toMatchObject({
      kind: 'reported',
      source: 'Reuters poll',
      date: '2026-01-08',
    });
    expect(byId('macro-us-cpi-yoy.2025-12.actual')).toMatchObject({ kind: 'reported', source: 'BLS' });
    expect(byId('macro-us-cpi-yoy.2025-12.surprise')?.kind).toBe('computed');
    expect(b.facts.every((f) => f.kind === 'computed' || f.kind === 'reported')).toBe(true);
    // the dates the headline and lede state are facts (the release's period, the first release ranked against)
    expect(byId('macro-us-cpi-yoy.2025-12.period')).toMatchObject({ unit: 'date', value: '2025-12' });
    expect(b.lede[0]?.find((x) => typeof x !== 'string' && x.text === '2025-04')).toBeDefined();
    // the "since" date is stated by the data layer (what `rotation macro --format json` lists), not the report
    const since = byId('macro-us-cpi-yoy.2025-12.surprise.history-from');
    expect(since).toMatchObject({ unit: 'date', value: '2025-04', kind: 'computed' });
    const m = await loadMacroFigures(store, { asOf: '2026-01-15' });
    const stated = m.dates.find((d) => d.id === since?.id);
    expect(stated).toMatchObject({
      value: since?.value,
      unit: 'date',
      asOf: since?.asOf,
      method: since?.method,
    });
    // so are the score and the count the lede prints: one value in the brief and in `rotation macro`
    for (const id of ['surprise.score', 'surprise.history-n']) {
      const fid = `news.macro-us-cpi-yoy.2025-12.${id}`;
      const figure = m.facts.find((f) => f.id === fid);
      expect(figure, fid).toBeDefined();
      expect(byId(fid)?.value, fid).toBe(figure?.value);
    }
    expect(m.facts.find((f) => f.id.endsWith('history-n'))?.value).toBe(8);
  });

  it('is not news before it is published, nor weeks later', async () => {
    for (const asOf of ['2026-01-12', '2026-02-10']) {
      const b = await buildBrief(store, { asOf: asOf as TradingDate });
      expect(plain(b.headline), asOf).not.toMatch(/^CPI for/);
    }
  });
});
