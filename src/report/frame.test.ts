import { describe, expect, it } from 'vitest';
import type { TradingDate } from '../shared/brand.js';
import { renderSvg, svgToPng } from './charts/render.js';
import { raceLineSpec } from './charts/specs.js';
import { FactRegistry, type BriefFact } from './facts/registry.js';
import { unfactedNumbers } from './facts/unfacted.js';
import { formatFact } from './format.js';
import { html, num, plain, t } from './narrative/text.js';

const fact = (id: string, value: number, unit: BriefFact['unit'] = 'fraction'): BriefFact => ({
  id,
  value,
  unit,
  label: id,
  inputs: ['IWM', 'QQQ'],
  asOf: '2026-01-12' as TradingDate,
  method: 'test',
});

describe('facts and narrative', () => {
  it('formats fractions as signed percentages and points, rounding only here', () => {
    expect(formatFact(fact('a', 0.041449), 'pct')).toBe('+4.14%');
    expect(formatFact(fact('a', -0.0699), 'pp')).toBe('\u22126.99 pp');
    expect(formatFact(fact('a', -0.0699), 'pp-abs')).toBe('6.99 pp');
    expect(formatFact(fact('a', 0.5), 'rate')).toBe('50%');
    expect(formatFact(fact('a', 4.19, 'percent-points'), 'percent-level')).toBe('4.19%');
  });

  it('refuses one id with two values', () => {
    const reg = new FactRegistry();
    reg.add(fact('race.x', 0.1));
    reg.add(fact('race.x', 0.1));
    expect(() => reg.add(fact('race.x', 0.2))).toThrow(/registered twice/);
    expect(reg.list()).toHaveLength(1);
  });

  it('marks every number with its fact id in HTML', () => {
    const f = fact('race.iwm-qqq.ytd.spread', 0.0414);
    const x = t`IWM leads by ${num(f, 'pp-abs')} & more`;
    expect(plain(x)).toBe('IWM leads by 4.14 pp & more');
    expect(html(x)).toBe(
      'IWM leads by <span class="fact" data-fact="race.iwm-qqq.ytd.spread" title="race.iwm-qqq.ytd.spread">4.14 pp</span> &amp; more',
    );
    expect(unfactedNumbers(`<p>${html(x)}</p>`)).toEqual([]);
  });

  it('finds numbers printed without a fact, but not dates, years, symbols or index names', () => {
    const page =
      '<p>On 2026-01-12 (2025-09) the Russell 2000 and Nasdaq-100, MAG7 and DGS10 in 2019: up 4.1% over 7 sessions</p>' +
      '<svg><text>+20%</text></svg><p>run `rotation sync DGS2`</p>';
    expect(unfactedNumbers(page)).toEqual(['4.1%', '7']);
  });

  it('reads a source name with digits as a name, not a number', () => {
    expect(unfactedNumbers('<td>file:bench-2/analytics-3000x25-seed42.csv</td>')).toEqual([]);
  });
});

describe('charts', () => {
  const points = [
    { date: '2025-12-31', series: 'IWM', value: 0 },
    { date: '2026-01-02', series: 'IWM', value: 0.01 },
    { date: '2025-12-31', series: 'QQQ', value: 0 },
    { date: '2026-01-02', series: 'QQQ', value: -0.005 },
  ];

  it('renders a Vega-Lite spec to SVG in Node, dates labelled in UTC whatever the time zone', async () => {
    const svg = await renderSvg(
      raceLineSpec(points, { title: 'Year to date', source: 'Source: test', baseDate: '2025-12-31' }),
    );
    expect(svg).toMatch(/^<svg role="img" aria-label="Year to date"/);
    expect(svg).toContain('aria-roledescription="line mark"');
    expect(svg, 'the first session is labelled Dec 31 (a local-time parse would shift it)').toContain(
      'Dec 31',
    );
    expect(svg).toContain('Source: test');
  });

  it('converts a chart to PNG with resvg', async () => {
    const svg = await renderSvg(
      raceLineSpec(points, { title: 'PNG', source: 'Source: test', baseDate: '2025-12-31' }),
    );
    const png = svgToPng(svg, 800);
    expect([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
    expect(png.readUInt32BE(16), 'width fitted').toBe(800);
  });
});
