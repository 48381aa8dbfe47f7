import { bestRuleAt, type Capture } from './pattern.js';
import type { Token } from './tokens.js';

/**
 * Precedent phrases: what a sentence says about history ("for the first time since 2019", "first time in seven
 * years", "the widest margin since 2021", "its highest in nearly a year", "a record high").
 */
export type Precedent =
  | { kind: 'first-since'; year: number }
  /** "first time in N years": the last time was N years before the claimed year. */
  | { kind: 'first-in'; years: number; approx: boolean }
  | { kind: 'first-ever' }
  /** "the largest lead since 2021": no year since had a wider spread than this one; `year` had one at least as wide. */
  | { kind: 'largest-since'; year: number }
  /**
   * A level extreme of one leg: "highest in nearly a year" (months: 12, approx), "highest since 2021" (sinceYear),
   * "record high" (record).
   */
  | {
      kind: 'extreme';
      side: 'high' | 'low';
      months: number | null;
      approx: boolean;
      sinceYear: number | null;
      sinceMonth: number | null;
      record: boolean;
    };

const APPROX = 'nearly|almost|about|roughly|around|over|more|some|close';

type Rule = { patterns: readonly string[]; read: (c: Capture[], text: string) => Precedent };

const year = (c: Capture[]) => c.find((x) => x.slot === 'year')?.value as number;

const side = (text: string): 'high' | 'low' =>
  /\b(lowest|weakest|worst|low|lows)\b/i.test(text) ? 'low' : 'high';

const RULES: readonly Rule[] = [
  {
    patterns: ['?for ?the first time since <year>', '?the first such|time ?stretch|run|streak since <year>'],
    read: (c) => ({ kind: 'first-since', year: year(c) }),
  },
  {
    patterns: [
      `?for ?the first time in ?${APPROX} ?than|to ?a <count> years|year|decade|decades`,
      `?for ?the first time in ?${APPROX} ?than|to ?a decade`,
    ],
    read: (c, text) => {
      const n = c.find((x) => x.slot === 'count')?.value ?? 1;
      const years = /decade/i.test(text) ? n * 10 : n;
      return { kind: 'first-in', years, approx: new RegExp(`\\b(${APPROX})\\b`, 'i').test(text) };
    },
  },
  {
    patterns: ['?for ?the first time ever|on record', '?for ?the first time in history'],
    read: () => ({ kind: 'first-ever' }),
  },
  {
    patterns: [
      '?the|its|their largest|biggest|widest|strongest|best margin|lead|gap|spread|outperformance|edge ?of|in|for ?any|a ?year|start ?since <year>',
      '?the|its|their largest|biggest|widest by|margin ?since <year>',
      '?the|its|their largest|biggest|widest since <year>',
    ],
    read: (c) => ({ kind: 'largest-since', year: year(c) }),
  },
  {
    patterns: [
      `?at|to|hit ?the|its|their|a highest|lowest|strongest|weakest ?level|close|point|reading ?in ?${APPROX} ?than|to <count> years|year|months|month|weeks|week`,
      `?at|to|hit ?the|its|their|a highest|lowest ?level|close|point ?in ?${APPROX} ?than|to a|one year|month|decade`,
    ],
    read: (c, text) => {
      const n = c.find((x) => x.slot === 'count')?.value ?? 1;
      const unit = /decade/i.test(text) ? 120 : /year/i.test(text) ? 12 : /week/i.test(text) ? 0.25 : 1;
      return {
        kind: 'extreme',
        side: side(text),
        months: n * unit,
        approx: new RegExp(`\\b(${APPROX})\\b`, 'i').test(text),
        sinceYear: null,
        sinceMonth: null,
        record: false,
      };
    },
  },
  {
    patterns: [
      '?at|to|hit ?the|its|their|a highest|lowest ?level|close|point since ?<month> <year>',
      '?at|to|hit ?the|its|their|a highest|lowest ?level|close|point since <month>',
    ],
    read: (c, text) => ({
      kind: 'extreme',
      side: side(text),
      months: null,
      approx: false,
      sinceYear: c.find((x) => x.slot === 'year')?.value ?? null,
      sinceMonth: c.find((x) => x.slot === 'month')?.value ?? null,
      record: false,
    }),
  },
  {
    patterns: [
      '?at|to|hit ?a|an|its|their|fresh|new ?fresh|new record|all-time high|highs|low|lows|close|closing ?high',
      '?at|to|hit ?a|an|its|their ?fresh|new all time high|highs',
    ],
    read: (_c, text) => ({
      kind: 'extreme',
      side: side(text),
      months: null,
      approx: false,
      sinceYear: null,
      sinceMonth: null,
      record: true,
    }),
  },
];

/** Reads a precedent phrase at token `i`, longest first; null when none starts there. */
export function readPrecedentAt(
  tokens: readonly Token[],
  i: number,
  sentence: string,
): { end: number; text: string; precedent: Precedent } | null {
  const best = bestRuleAt(tokens, i, sentence, RULES);
  if (!best) return null;
  return { end: best.end, text: best.text, precedent: best.rule.read(best.captures, best.text) };
}

/** The precedent in words. */
export function describePrecedent(p: Precedent): string {
  switch (p.kind) {
    case 'first-since':
      return `first time since ${p.year}`;
    case 'first-in':
      return `first time in ${p.approx ? 'about ' : ''}${p.years} years`;
    case 'first-ever':
      return 'first time on record';
    case 'largest-since':
      return `widest margin since ${p.year}`;
    case 'extreme':
      return p.record
        ? `record ${p.side}`
        : p.months !== null
          ? `${p.side === 'high' ? 'highest' : 'lowest'} in ${p.approx ? 'about ' : ''}${p.months >= 12 ? `${p.months / 12} year${p.months > 12 ? 's' : ''}` : `${p.months} months`}`
          : `${p.side === 'high' ? 'highest' : 'lowest'} since ${p.sinceMonth ? `month ${p.sinceMonth} of ` : ''}${p.sinceYear ?? ''}`.trim();
  }
}
