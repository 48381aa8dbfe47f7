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

const base: BriefFact = {
  ...fact,
  id: 'race.iwm-qqq.ytd.from',
  value: '2025-12-31',
  unit: 'date',
  label: 'base close of ytd 2026',
};

const brief = (words: string, section = 'race'): Brief => ({
  asOf: '2026-07-31' as TradingDate,
  banner: null,
  headline: t`Small caps lead by ${num(fact, 'pp-abs')}`,
  lede: [t`Since the ${num(base, 'date')} close, in 2026, the Russell 2000 and MAG7 moved.`],
  sections: [{ id: section, title: 'The race', blocks: [{ kind: 'p', text: [words] }] }],
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

    it(`${name}: a date in words is refused in every section and caption, except the brief's own as-of`, () => {
      expect(() => render(brief('The lead changed on 2026-06-09.'))).toThrow(
        /prints 1 number\(s\) without a fact: section race, block 1: "-06-09\."/,
      );
      expect(() => render(brief('Data to 2026-07-31.'))).not.toThrow();
      expect(
        () => render(brief('Workbook of 2026-01-16.', 'earnings')),
        'the earnings section states its dates as facts',
      ).toThrow(/section earnings, block 1: "-01-16\."/);
      // the last sections whose dates were words (flows and positioning, macro and its calendar, method)
      for (const id of ['flows', 'macro', 'method'])
        expect(() => render(brief('Released on 2026-07-15.', id)), `${id} states its dates as facts`).toThrow(
          new RegExp(`section ${id}, block 1: "-07-15\\."`),
        );
      const captioned = (caption: string): Brief => ({
        ...brief('Words.', 'flows'),
        sections: [
          {
            id: 'flows',
            title: 'Flows',
            blocks: [{ kind: 'table', caption, head: ['Week'], rows: [[['words']]] }],
          },
        ],
      });
      expect(() => render(captioned('Weekly net flows to 2026-07-24'))).toThrow(
        /section flows, block 1, caption: "-07-24"/,
      );
      expect(() => render(captioned('Weekly net flows known on 2026-07-31'))).not.toThrow();
      expect(render(brief('Words.'))).toContain('2025-12-31');
    });
  }

  it('a report quoting text verbatim says so and is not refused', () => {
    expect(renderText(brief('The article says 12 points.'), { quotes: true })).toContain('12 points');
  });
});
