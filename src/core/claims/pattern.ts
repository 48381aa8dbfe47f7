import type { Token } from './tokens.js';

/**
 * A tiny phrase-pattern language over tokens, the grammar's building block. A pattern is space-separated
 * elements matched in order against token norms:
 *
 * - `start` a word; `start|begin|kick` any of these words;
 * - `?the` an optional element (tried present first, then absent);
 * - `<year>` a year token; `<count>` a number or a number word (one … twelve, a, an); `<month>` a month name
 *   (January, Jan); `<weekday>` a weekday name; `<pct>` a percentage; `<money>` a dollar amount; `<num>` any
 *   number; `<any>` any one token.
 *
 * Slots (`<…>`) are captured in order. Matching is case-insensitive (norms are lower-case) and anchored at a
 * token index; it returns the captures and the index after the match, or null.
 */
export type Capture = { slot: string; token: Token; value: number };

export type Match = { end: number; captures: Capture[] };

export const NUMBER_WORDS: Readonly<Record<string, number>> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  fifteen: 15,
  twenty: 20,
};

export const MONTH_NAMES: readonly string[] = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/** 1-12 for a month name or its abbreviation ("Jan", "Sept"), else null. "May" is always the month here. */
export function monthNumber(norm: string): number | null {
  const n = norm.replace(/\.$/, '');
  const i = MONTH_NAMES.findIndex((m) => n === m || (n.length >= 3 && m.startsWith(n)));
  if (i >= 0) return i + 1;
  if (n === 'sept') return 9;
  return null;
}

export const WEEKDAYS: readonly string[] = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'];

type Element = { optional: boolean; slots: readonly string[]; words: readonly string[] };

const compiled = new Map<string, Element[]>();

function compile(pattern: string): Element[] {
  let els = compiled.get(pattern);
  if (!els) {
    els = pattern
      .split(' ')
      .filter((p) => p.length > 0)
      .map((p) => {
        const optional = p.startsWith('?');
        const body = optional ? p.slice(1) : p;
        const alts = body.split('|');
        const slots = alts.flatMap((a) => /^<([a-z]+)>$/.exec(a)?.[1] ?? []);
        return { optional, slots, words: alts.filter((a) => !a.startsWith('<')) };
      });
    compiled.set(pattern, els);
  }
  return els;
}

function slotValue(slot: string, t: Token): number | null {
  switch (slot) {
    case 'year':
      return t.kind === 'year' ? (t.value as number) : null;
    case 'count':
      if (t.kind === 'number' && Number.isInteger(t.value)) return t.value as number;
      return NUMBER_WORDS[t.norm] ?? null;
    case 'month':
      return t.kind === 'word' ? monthNumber(t.norm) : null;
    case 'weekday': {
      const i = WEEKDAYS.indexOf(t.norm.replace(/s$/, ''));
      return i >= 0 ? i + 1 : null;
    }
    case 'pct':
      return t.kind === 'percent' ? (t.value as number) : null;
    case 'money':
      return t.kind === 'money' ? (t.value as number) : null;
    case 'num':
      return t.kind === 'number' || t.kind === 'year' ? (t.value as number) : null;
    case 'any':
      return 0;
    default:
      throw new Error(`unknown pattern slot <${slot}>`);
  }
}

function matchFrom(tokens: readonly Token[], i: number, els: readonly Element[], k: number): Match | null {
  if (k === els.length) return { end: i, captures: [] };
  const el = els[k] as Element;
  const t = tokens[i];
  if (t) {
    let value: number | null = null;
    let slot: string | null = null;
    if (el.words.includes(t.norm)) value = 0;
    else
      for (const s of el.slots) {
        value = slotValue(s, t);
        if (value !== null) {
          slot = s;
          break;
        }
      }
    if (value !== null) {
      const rest = matchFrom(tokens, i + 1, els, k + 1);
      if (rest) {
        if (slot) rest.captures.unshift({ slot, token: t, value });
        return rest;
      }
    }
  }
  return el.optional ? matchFrom(tokens, i, els, k + 1) : null;
}

/** Matches `pattern` at token `i`. */
export function matchAt(tokens: readonly Token[], i: number, pattern: string): Match | null {
  return matchFrom(tokens, i, compile(pattern), 0);
}

/** The longest match among `patterns` at `i`, with the index of the pattern that made it. */
export function longestAt(
  tokens: readonly Token[],
  i: number,
  patterns: readonly string[],
): (Match & { pattern: number }) | null {
  let best: (Match & { pattern: number }) | null = null;
  patterns.forEach((p, k) => {
    const m = matchAt(tokens, i, p);
    if (m && m.end > i && (!best || m.end > best.end)) best = { ...m, pattern: k };
  });
  return best;
}

/**
 * The rule whose patterns match longest at `i`, with its captures and the sentence text it spans; null when no rule
 * matches. The first rule wins a tie.
 */
export function bestRuleAt<R extends { readonly patterns: readonly string[] }>(
  tokens: readonly Token[],
  i: number,
  sentence: string,
  rules: readonly R[],
): { end: number; rule: R; captures: Capture[]; text: string } | null {
  let best: { end: number; rule: R; captures: Capture[] } | null = null;
  for (const rule of rules) {
    const m = longestAt(tokens, i, rule.patterns);
    if (m && (!best || m.end > best.end)) best = { end: m.end, rule, captures: m.captures };
  }
  if (!best) return null;
  const text = sentence.slice((tokens[i] as Token).start, (tokens[best.end - 1] as Token).end);
  return { ...best, text };
}
