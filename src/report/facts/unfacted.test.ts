import { describe, expect, it } from 'vitest';
import type { TradingDate } from '../../shared/brand.js';
import type { Brief } from '../model.js';
import { renderHtml, renderMarkdown, renderText } from '../render/render.js';
import type { BriefFact } from './registry.js';
import { num, t } from '../narrative/text.js';

const fact: BriefFact = {
  id: 'race.iwm-qqq.ytd.spread',
  value: 0.0653,
  unit: 'fraction',
  label: 'IWM minus QQQ, ytd',
  inputs: ['IWM', 'QQQ'],
  asOf: '2026-07-31' as TradingDate,
  method: 'retA − retB',
};

const brief = (words: string): Brief => ({
  asOf: '2026-07-31' as TradingDate,
  banner: null,
  headline: t`Small caps lead by ${num(fact, 'pp-abs')}`,
  lede: [['Since the 2025-12-31 close, in 2026, the Russell 2000 and MAG7 moved.']],
  sections: [{ id: 'race', title: 'The race', blocks: [{ kind: 'p', text: [words] }] }],
  facts: [fact],
  series: [],
});

describe('every renderer refuses a number without a fact', () => {
  for (const [name, render] of [
    ['html', renderHtml],
    ['md', renderMarkdown],
    ['txt', renderText],
  ] as const) {
    it(`${name}: a loose number is an error naming where it sits; facts, dates, years and symbols pass`, () => {
      expect(() => render(brief('It rose 12 points.'))).toThrow(
        /as of 2026-07-31 prints 1 number\(s\) without a fact: section race, block 1: "12"/,
      );
      expect(() => render(brief('Nothing but words, on 2026-07-31, in 2026, for DGS10.'))).not.toThrow();
      expect(render(brief('Words.'))).toContain('6.53 pp');
    });
  }

  it('a report quoting text verbatim says so and is not refused', () => {
    expect(renderText(brief('The article says 12 points.'), { quotes: true })).toContain('12 points');
  });
});
