import { UsageError } from '../shared/errors.js';
import type { Precedents } from './precedents.js';
import type { Basis } from './series/types.js';
import { checkWindow, formatWindow, parseWindow, type Window } from './window.js';
import { MONTH_NAMES } from './claims/pattern.js';

/** A claim: "A beat B over W in YEAR [for the first time since FIRST_SINCE]". */
export type Claim = {
  a: string;
  b: string;
  window: Window;
  /** The year the claim is about; null = the as-of year. */
  year: number | null;
  firstSince: number | null;
  /** The words the legs were read from, for the report ("Russell 2000"). */
  aText: string;
  bText: string;
};

type Alias = { re: RegExp; symbol: string };

/** Names people use, most specific first. The symbol is the leg's main definition (index when there is one). */
const ALIASES: readonly Alias[] = [
  { re: /^(the\s+)?(magnificent\s+(7|seven)|mag\s*-?\s*(7|seven)|mag7)$/i, symbol: 'MAG7' },
  {
    re: /^(the\s+)?(russell\s*2000|russell|small[\s-]*caps?|small[\s-]*cap\s+stocks|rut|\^rut)$/i,
    symbol: '^RUT',
  },
  { re: /^(the\s+)?(nasdaq[\s-]*100|nasdaq|ndx|\^ndx|big\s+tech|tech|mega[\s-]*caps?)$/i, symbol: '^NDX' },
  { re: /^(the\s+)?(s&p\s*500|s&p|sp500|spx|\^spx|\^gspc)$/i, symbol: '^GSPC' },
];

/** The index/ETF twin of a symbol (the same market through the other instrument), or null. */
export const TWINS: Readonly<Record<string, string>> = {
  '^RUT': 'IWM',
  IWM: '^RUT',
  '^NDX': 'QQQ',
  QQQ: '^NDX',
  '^GSPC': 'SPY',
  SPY: '^GSPC',
  '^DJI': 'DIA',
  DIA: '^DJI',
};

/** Symbols that all stand for "Big Tech" in a claim: checked together. */
export const BIG_TECH: readonly string[] = ['^NDX', 'QQQ', 'XLK', 'MAG7'];

function leg(text: string): string {
  const t = text.trim().replace(/[.,;]+$/, '');
  for (const a of ALIASES) if (a.re.test(t)) return a.symbol;
  if (/^\^?[A-Za-z0-9.=-]{1,12}$/.test(t)) return t.toUpperCase();
  throw new UsageError(
    `cannot tell which market "${text}" is`,
    'name it as Russell 2000, small caps, Nasdaq-100, Big Tech, Mag 7, or a symbol (IWM, ^NDX)',
  );
}

const MONTHS = MONTH_NAMES;

function windowOf(text: string): Window {
  const t = text.trim().toLowerCase();
  const first = /^(the\s+)?first\s+(\d+|five|seven|ten)\s+(sessions?|trading\s+days?|days?)$/.exec(t);
  if (first) {
    const words: Record<string, number> = { five: 5, seven: 7, ten: 10 };
    const n = words[first[2] as string] ?? Number(first[2]);
    // Through the window's bounds, so "the first 0 sessions" is refused here, with data or without.
    return checkWindow({ kind: 'first', sessions: n });
  }
  if (/^(the\s+)?first\s+week$/.test(t)) return { kind: 'first', sessions: 5 };
  const mi = MONTHS.findIndex((m) => t === m || t === m.slice(0, 3) || t === `the month of ${m}`);
  if (mi >= 0) return { kind: 'month', month: mi + 1 };
  if (/^(the\s+)?year(\s+to\s+date)?$|^ytd$/.test(t)) return { kind: 'ytd' };
  return parseWindow(t);
}

/**
 * Reads a claim sentence: "<A> beat <B> over|in <window> [of|in <year>] [for the first time since <year>]".
 * Tolerant: "Russell 2000"/"small caps" -> ^RUT, "Nasdaq-100"/"Big Tech"/"Nasdaq" -> ^NDX, "Magnificent 7"/"Mag 7"
 * -> MAG7; windows "first N sessions|trading days", "January" (any month), "year to date", or the window grammar.
 * Throws UsageError naming the part it could not read.
 */
export function parseClaim(sentence: string): Claim {
  let s = sentence
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/[.!]+$/, '');
  let firstSince: number | null = null;
  const fs = /\s*,?\s*(for\s+)?the\s+first\s+time\s+since\s+(\d{4})\s*$/i.exec(s);
  if (fs) {
    firstSince = Number(fs[2]);
    s = s.slice(0, fs.index);
  }
  const verb =
    /\s+(beat|beats|outperformed|outperforms|outperform|outpaced|outpaces|led|leads|topped|tops|outran)\s+/i.exec(
      s,
    );
  if (!verb)
    throw new UsageError(
      `cannot read the claim "${sentence}"`,
      'write it as "<A> beat <B> over the first 7 sessions of 2026 [for the first time since 2019]"',
      'claim-unreadable',
    );
  const aText = s.slice(0, verb.index);
  const rest = s.slice(verb.index + verb[0].length);
  const over = /\s+(over|in|during|for)\s+/i.exec(rest);
  let bText = rest;
  let winText = 'first 7 sessions';
  let windowGiven = false;
  if (over) {
    bText = rest.slice(0, over.index);
    winText = rest.slice(over.index + over[0].length);
    windowGiven = true;
  }
  let year: number | null = null;
  const yr = /\s*(,|\bof\b|\bin\b)?\s*(\d{4})$/i.exec(winText);
  if (yr) {
    year = Number(yr[2]);
    winText = winText.slice(0, yr.index);
  }
  if (/^\d{4}$/.test(winText.trim())) {
    year = Number(winText.trim());
    winText = 'year';
  }
  if (!windowGiven)
    throw new UsageError(
      `the claim "${sentence}" names no window`,
      'say over which period, e.g. "over the first 7 sessions of 2026" or "in January 2026"',
    );
  return {
    a: leg(aText),
    b: leg(bText),
    window: windowOf(winText),
    year,
    firstSince,
    aText: aText.trim(),
    bText: bText.trim(),
  };
}

/** One way to read a claim: which instruments, which window, which basis. */
export type Definition = { a: string; b: string; window: Window; basis: Basis; asStated: boolean };

/**
 * The definitions a claim is checked under: A as given and its index/ETF twin; B as given and, when it is Big Tech,
 * every Big Tech proxy (^NDX, QQQ, XLK, MAG7), else its twin; the window as given and, for a year-start window,
 * the first 5, 7 and 10 sessions and January; price and total return.
 */
export function claimDefinitions(c: Claim): Definition[] {
  const as = uniq([c.a, TWINS[c.a]]);
  const bs = BIG_TECH.includes(c.b) ? uniq([c.b, ...BIG_TECH]) : uniq([c.b, TWINS[c.b]]);
  const yearStart = c.window.kind === 'first' || (c.window.kind === 'month' && c.window.month === 1);
  const ws: Window[] = [c.window];
  if (yearStart)
    for (const w of [
      { kind: 'first', sessions: 5 },
      { kind: 'first', sessions: 7 },
      { kind: 'first', sessions: 10 },
      { kind: 'month', month: 1 },
    ] as Window[])
      if (!ws.some((x) => formatWindow(x) === formatWindow(w))) ws.push(w);
  const out: Definition[] = [];
  for (const a of as)
    for (const b of bs)
      for (const window of ws)
        for (const basis of ['price', 'total'] as const)
          out.push({
            a,
            b,
            window,
            basis,
            asStated:
              a === c.a && b === c.b && formatWindow(window) === formatWindow(c.window) && basis === 'price',
          });
  return out;
}

function uniq(xs: readonly (string | undefined)[]): string[] {
  return [...new Set(xs.filter((x): x is string => x !== undefined))];
}

export type ClaimStatus = 'holds' | 'fails' | 'no data' | 'pending';

export type ClaimEvaluation = {
  status: ClaimStatus;
  /** Did A beat B over the window in the claimed year (null when not measurable). */
  happened: boolean | null;
  spread: number | null;
  /** The true last year before the claimed one in which A beat B over the window. */
  lastBefore: number | null;
  /** Why, in a few words. */
  reason: string;
};

/**
 * Checks a claim against one definition's year-by-year history. Holds when A beat B in `year` and, with
 * `firstSince`, the previous year it happened was exactly `firstSince`. "No data" when the claimed year (or, for a
 * first-since claim, the years back to it) cannot be measured; never a guess.
 */
export function evaluateClaim(p: Precedents, year: number, firstSince: number | null): ClaimEvaluation {
  const row = p.periods.find((r) => r.year === year);
  if (!row)
    return {
      status: 'no data',
      happened: null,
      spread: null,
      lastBefore: null,
      reason: `no data for ${year}`,
    };
  const prior = p.occurrences.filter((o) => o.year < year);
  const lastBefore = prior[prior.length - 1]?.year ?? null;
  const base = { happened: row.hit, spread: row.spread, lastBefore };
  if (!row.complete)
    return {
      status: 'pending',
      ...base,
      reason: `window still running: figures so far, to ${row.endDate}`,
    };
  if (!row.hit) return { status: 'fails', ...base, reason: `did not happen in ${year}` };
  if (firstSince === null) return { status: 'holds', ...base, reason: `happened in ${year}` };
  if (lastBefore !== null && lastBefore > firstSince)
    return { status: 'fails', ...base, reason: `also happened in ${lastBefore}` };
  const firstYear = p.periods.find((r) => r.complete)?.year ?? year;
  if (firstYear > firstSince)
    return { status: 'no data', ...base, reason: `data start ${firstYear}, after ${firstSince}` };
  if (lastBefore === firstSince) return { status: 'holds', ...base, reason: `first since ${firstSince}` };
  return {
    status: 'fails',
    ...base,
    reason:
      lastBefore === null
        ? `never before ${year} in the data`
        : `last before was ${lastBefore}, not ${firstSince}`,
  };
}

/** The verdicts of a checked claim (an article's claims use all of them; a sentence check the first five). */
export type Verdict =
  | 'holds'
  | 'fails'
  | 'depends on definition'
  | 'pending'
  | 'needs data'
  | 'reported figure'
  | 'opinion'
  | 'unsure';

/** How many items a printed list shows: every list is complete or says "k of n shown". */
export function shownOf(k: number, n: number): string {
  return k >= n ? `all ${n}` : `${k} of ${n} shown`;
}

/**
 * One verdict from a claim's definitions. A window still running under the definition as stated makes the claim
 * "pending" (the figures so far are shown, never a verdict on an unfinished period); otherwise the definitions
 * whose windows are complete decide: all hold -> holds, none -> fails, some -> depends on definition. Definitions
 * without data never count for or against; with none measurable the verdict is "needs data".
 */
export function definitionsVerdict(rows: readonly { evaluation: ClaimEvaluation; asStated: boolean }[]): {
  verdict: Verdict;
  holds: number;
  fails: number;
  pending: number;
  noData: number;
} {
  const count = (st: ClaimStatus) => rows.filter((r) => r.evaluation.status === st).length;
  const holds = count('holds');
  const fails = count('fails');
  const pending = count('pending');
  const noData = count('no data');
  const stated = rows.find((r) => r.asStated);
  const base = { holds, fails, pending, noData };
  if (stated?.evaluation.status === 'pending' || (holds + fails === 0 && pending > 0))
    return { verdict: 'pending', ...base };
  if (holds + fails === 0) return { verdict: 'needs data', ...base };
  if (fails === 0) return { verdict: 'holds', ...base };
  if (holds === 0) return { verdict: 'fails', ...base };
  return { verdict: 'depends on definition', ...base };
}
