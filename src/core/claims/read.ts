import type { TradingDate } from '../../shared/brand.js';
import {
  HEDGES,
  LEGS,
  MOVES,
  NEGATIONS,
  RELATIVE_NOUNS,
  RELATIVE_VERBS,
  REPORTED_CUES,
  TOPICS,
  type Topic,
  type VerbEntry,
} from './lexicon.js';
import { longestAt, matchAt } from './pattern.js';
import { describePrecedent, readPrecedentAt, type Precedent } from './precedent.js';
import { tokenise, type Token } from './tokens.js';
import { isWindowProblem, readWindowAt, type WindowProblem, type WindowReading } from './windows.js';

/** A leg as read: the symbol of its main definition and the words the sentence used. */
export type LegReading = { symbol: string; name: string; text: string };

/** The part of the sentence a reading stands on (character offsets into the sentence). */
export type Span = { start: number; end: number; text: string };

/**
 * What the reader understood one claim of a sentence to say. Every kind is checkable except `opinion`; `unsure`
 * is the reader saying it saw something checkable but cannot read it with confidence (and why), so no verdict is
 * ever built on a guess.
 */
export type Reading =
  | {
      kind: 'relative';
      span: Span;
      /** The leg said to do better (after turning "A lagged B" into "B beat A"). */
      a: LegReading;
      b: LegReading;
      window: WindowReading;
      precedent: Precedent | null;
      negated: boolean;
    }
  | { kind: 'extreme'; span: Span; leg: LegReading; window: WindowReading | null; precedent: Precedent }
  | {
      kind: 'move';
      span: Span;
      leg: LegReading;
      /** Signed: "fell 63 points" is -63 points; "rose 6.2%" is +0.062. */
      value: number;
      unit: 'fraction' | 'points';
      decimals: number;
      window: WindowReading | null;
    }
  | {
      kind: 'figure';
      span: Span;
      topic: Topic | null;
      value: number;
      unit: 'fraction' | 'usd' | 'points' | 'number';
      decimals: number;
      /** Words marking someone else's estimate or count ("expected", "according to", "futures"). */
      reported: boolean;
      window: WindowReading | null;
    }
  | { kind: 'opinion'; span: Span; why: string }
  | { kind: 'unsure'; span: Span; why: string };

type Chunk =
  | { cat: 'leg'; start: number; end: number; leg: LegReading }
  | { cat: 'verb'; start: number; end: number; verb: VerbEntry; noun: boolean }
  | { cat: 'window'; start: number; end: number; reading: WindowReading | WindowProblem }
  | { cat: 'precedent'; start: number; end: number; precedent: Precedent; text: string }
  | { cat: 'neg' | 'hedge' | 'cue'; start: number; end: number }
  | { cat: 'topic'; start: number; end: number; topic: Topic }
  | { cat: 'move'; start: number; end: number; sign: 1 | -1 }
  | { cat: 'token'; start: number; end: number; token: Token };

function chunk(tokens: readonly Token[], sentence: string, date: TradingDate | null): Chunk[] {
  const out: Chunk[] = [];
  let i = 0;
  while (i < tokens.length) {
    const cands: Chunk[] = [];
    const p = readPrecedentAt(tokens, i, sentence);
    if (p) cands.push({ cat: 'precedent', start: i, end: p.end, precedent: p.precedent, text: p.text });
    const w = readWindowAt(tokens, i, sentence, date);
    if (w) cands.push({ cat: 'window', start: i, end: w.end, reading: w.reading });
    for (const l of LEGS) {
      const m = longestAt(tokens, i, l.patterns);
      if (m) {
        const text = sentence.slice((tokens[i] as Token).start, (tokens[m.end - 1] as Token).end);
        cands.push({ cat: 'leg', start: i, end: m.end, leg: { symbol: l.symbol, name: l.name, text } });
      }
    }
    const simple = (cat: 'neg' | 'hedge' | 'cue', pats: readonly string[]) => {
      const m = longestAt(tokens, i, pats);
      if (m) cands.push({ cat, start: i, end: m.end });
    };
    simple('neg', NEGATIONS);
    simple('hedge', HEDGES);
    for (const v of RELATIVE_VERBS) {
      const m = matchAt(tokens, i, v.pattern);
      if (m) cands.push({ cat: 'verb', start: i, end: m.end, verb: v, noun: false });
    }
    for (const v of RELATIVE_NOUNS) {
      const m = matchAt(tokens, i, v.pattern);
      if (m && m.end > i) cands.push({ cat: 'verb', start: i, end: m.end, verb: v, noun: true });
    }
    for (const mv of MOVES) {
      const m = matchAt(tokens, i, mv.pattern);
      if (m) cands.push({ cat: 'move', start: i, end: m.end, sign: mv.sign });
    }
    for (const t of TOPICS) {
      const m = matchAt(tokens, i, t.pattern);
      if (m) cands.push({ cat: 'topic', start: i, end: m.end, topic: t.topic });
    }
    simple('cue', REPORTED_CUES);
    // longest wins; on a tie the earlier category in the list above (precedent > window > leg > …)
    let best: Chunk | null = null;
    for (const c of cands) if (!best || c.end > best.end) best = c;
    if (best) {
      out.push(best);
      i = best.end;
    } else {
      out.push({ cat: 'token', start: i, end: i + 1, token: tokens[i] as Token });
      i++;
    }
  }
  return out;
}

const CLAUSE_BREAK = new Set([';', ':', '—', '–']);

/** Clause boundaries: semicolons, dashes, and ", while|but|whereas|although" (a new claim starts). */
function clauses(chunks: readonly Chunk[]): Chunk[][] {
  const out: Chunk[][] = [[]];
  for (let k = 0; k < chunks.length; k++) {
    const c = chunks[k] as Chunk;
    const next = chunks[k + 1];
    const breakHere =
      c.cat === 'token' &&
      (CLAUSE_BREAK.has(c.token.text) ||
        (c.token.text === ',' &&
          next?.cat === 'token' &&
          ['while', 'but', 'whereas', 'although', 'as', 'even', 'and'].includes(next.token.norm)));
    if (breakHere) out.push([]);
    else (out[out.length - 1] as Chunk[]).push(c);
  }
  return out.filter((c) => c.length > 0);
}

/** Reads every claim in one sentence. `date` (the article's date) anchors relative windows. */
export function readSentence(sentence: string, date: TradingDate | null): Reading[] {
  const tokens = tokenise(sentence);
  const all = chunk(tokens, sentence, date);
  const spanOf = (from: number, to: number): Span => {
    const s = (tokens[from] as Token).start;
    const e = (tokens[to - 1] as Token).end;
    return { start: s, end: e, text: sentence.slice(s, e) };
  };
  const whole: Span = { start: 0, end: sentence.length, text: sentence };
  const question = /\?\s*["”']?\s*$/.test(sentence);
  const out: Reading[] = [];
  // a precedent or window can sit in another clause of the sentence ("…, the first time since 2019")
  const sentenceWindow = all.find((c) => c.cat === 'window');
  const sentencePrecedent = all.find((c) => c.cat === 'precedent');
  for (const cl of clauses(all)) {
    const hedged = question || cl.some((c) => c.cat === 'hedge');
    const verbAt = cl.findIndex((c) => c.cat === 'verb');
    const legs = cl.filter((c): c is Extract<Chunk, { cat: 'leg' }> => c.cat === 'leg');
    const win = (cl.find((c) => c.cat === 'window') ?? sentenceWindow) as
      Extract<Chunk, { cat: 'window' }> | undefined;
    const prec = (cl.find((c) => c.cat === 'precedent') ?? sentencePrecedent) as
      Extract<Chunk, { cat: 'precedent' }> | undefined;
    const first = cl[0] as Chunk;
    const last = cl[cl.length - 1] as Chunk;
    const clauseSpan = spanOf(first.start, last.end);
    const figures = cl.filter(
      (c): c is Extract<Chunk, { cat: 'token' }> =>
        c.cat === 'token' &&
        (c.token.kind === 'percent' ||
          c.token.kind === 'money' ||
          (c.token.kind === 'number' && cl.some((x) => x.cat === 'token' && /^points?$/.test(x.token.norm)))),
    );
    if (verbAt >= 0) {
      const v = cl[verbAt] as Extract<Chunk, { cat: 'verb' }>;
      const before = cl.slice(0, verbAt).filter((c) => c.cat === 'leg');
      const after = cl.slice(verbAt + 1).filter((c) => c.cat === 'leg');
      const la = before[before.length - 1] as Extract<Chunk, { cat: 'leg' }> | undefined;
      const lb = after[0] as Extract<Chunk, { cat: 'leg' }> | undefined;
      if (la && lb && la.leg.symbol !== lb.leg.symbol) {
        const span = spanOf(la.start, Math.max(lb.end, win && cl.includes(win) ? win.end : lb.end));
        if (hedged) {
          out.push({
            kind: 'opinion',
            span,
            why: question
              ? 'a question, not a statement'
              : 'a forecast or view ("could", "expected to", "we think"): not a record of what happened',
          });
        } else if (!win) {
          out.push({ kind: 'unsure', span, why: 'names no window: over which period?' });
        } else if (isWindowProblem(win.reading)) {
          out.push({ kind: 'unsure', span, why: win.reading.problem });
        } else {
          if (v.verb.tail) {
            const tail = sentence.slice((tokens[lb.end - 1] as Token).end, clauseSpan.end);
            if (!/\b(in the dust|behind|trailing)\b/i.test(tail)) {
              out.push({
                kind: 'unsure',
                span,
                why: `"${spanOf(v.start, v.end).text}" without "in the dust" or "behind"`,
              });
              continue;
            }
          }
          const negated = cl.slice(cl.indexOf(la), verbAt).some((c) => c.cat === 'neg');
          const up = v.verb.direction === 1;
          out.push({
            kind: 'relative',
            span,
            a: up ? la.leg : lb.leg,
            b: up ? lb.leg : la.leg,
            window: win.reading,
            precedent: prec && prec.precedent.kind !== 'extreme' ? prec.precedent : null,
            negated,
          });
        }
        continue;
      }
      if (hedged && figures.length === 0) {
        out.push({
          kind: 'opinion',
          span: clauseSpan,
          why: 'a forecast or view, not a record of what happened',
        });
        continue;
      }
      if (figures.length === 0 && !v.noun) {
        out.push({
          kind: 'unsure',
          span: clauseSpan,
          why: `a comparison ("${spanOf(v.start, v.end).text}") but not two markets I can name`,
        });
        continue;
      }
    }
    // a level extreme of one leg: "the Russell 2000 closed at its highest in nearly a year"
    const ext = cl.find(
      (c): c is Extract<Chunk, { cat: 'precedent' }> =>
        c.cat === 'precedent' && c.precedent.kind === 'extreme',
    );
    if (ext && legs.length > 0) {
      const leg = legs[0] as Extract<Chunk, { cat: 'leg' }>;
      const span = spanOf(leg.start, ext.end);
      if (hedged) {
        out.push({ kind: 'opinion', span, why: 'a forecast or view, not a record' });
        continue;
      }
      out.push({
        kind: 'extreme',
        span,
        leg: leg.leg,
        window: win && !isWindowProblem(win.reading) ? win.reading : null,
        precedent: ext.precedent,
      });
    }
    // figures: moves of a leg ("the Dow fell 63 points"), else someone's estimate or count
    const reportedClause =
      cl.some((c) => c.cat === 'cue' || c.cat === 'hedge') ||
      cl.some((c) => c.cat === 'topic' && (c.topic === 'futures' || c.topic === 'flows'));
    for (const f of figures) {
      const k = cl.indexOf(f);
      const topic = nearestTopic(cl, k);
      const move = [...cl.slice(0, k)].reverse().find((c) => c.cat === 'move') as
        Extract<Chunk, { cat: 'move' }> | undefined;
      let legBefore = [...cl.slice(0, k)].reverse().find((c) => c.cat === 'leg') as
        Extract<Chunk, { cat: 'leg' }> | undefined;
      // "versus 20% for the Nasdaq-100": a leg right after the figure is its subject
      const next = cl[k + 1];
      const legAfter = (
        next?.cat === 'leg'
          ? next
          : next?.cat === 'token' && next.token.norm === 'for'
            ? cl[k + 2]
            : undefined
      ) as Chunk | undefined;
      if (legAfter?.cat === 'leg') legBefore = legAfter;
      const unitPoints = f.token.kind === 'number';
      const w = win && !isWindowProblem(win.reading) ? win.reading : null;
      const after = cl[k + 1];
      const end =
        unitPoints && after?.cat === 'token' && /^points?$/.test(after.token.norm) ? after.end : f.end;
      const span = spanOf(Math.min(legBefore?.start ?? f.start, topicStart(cl, k) ?? f.start), end);
      if (legBefore && move && !reportedClause && topic === null && f.token.kind !== 'money') {
        out.push({
          kind: 'move',
          span,
          leg: legBefore.leg,
          value: move.sign * Math.abs(f.token.value as number),
          unit: unitPoints ? 'points' : 'fraction',
          decimals: f.token.decimals ?? 0,
          window: w,
        });
        continue;
      }
      if (topic === null && !reportedClause) {
        out.push({ kind: 'unsure', span, why: `a figure (${f.token.text}) whose subject I cannot tell` });
        continue;
      }
      const sign = move?.sign ?? (/outflow|withdr|pulled|yanked|redemption/i.test(clauseSpan.text) ? -1 : 1);
      out.push({
        kind: 'figure',
        span,
        topic,
        value: sign * Math.abs(f.token.value as number),
        unit:
          f.token.kind === 'percent'
            ? 'fraction'
            : f.token.kind === 'money'
              ? 'usd'
              : unitPoints
                ? 'points'
                : 'number',
        decimals: f.token.decimals ?? 0,
        // earnings, flows, futures and positioning figures are third parties' counts and estimates here
        reported:
          reportedClause ||
          topic === 'earnings' ||
          topic === 'flows' ||
          topic === 'futures' ||
          topic === 'positioning',
        window: w,
      });
    }
  }
  // a precedent the rules could not attach ("its best January since 2019") is not an opinion: say so
  const loose = all.find(
    (c, k) =>
      c.cat === 'precedent' ||
      (c.cat === 'token' &&
        c.token.norm === 'since' &&
        all[k + 1]?.cat === 'token' &&
        (all[k + 1] as Extract<Chunk, { cat: 'token' }>).token.kind === 'year'),
  );
  if (out.length === 0 && loose && !question)
    out.push({
      kind: 'unsure',
      span: whole,
      why: 'a precedent ("since …", "first time …") I cannot attach to a comparison',
    });
  if (out.length === 0)
    out.push({
      kind: 'opinion',
      span: whole,
      why: question
        ? 'a question, not a statement'
        : all.some((c) => c.cat === 'hedge' || c.cat === 'cue')
          ? 'a view or forecast with no figure or comparison to check'
          : 'no comparison, figure or precedent to check',
    });
  return out;
}

function nearestTopic(cl: readonly Chunk[], k: number): Topic | null {
  let best: { d: number; topic: Topic } | null = null;
  cl.forEach((c, j) => {
    if (c.cat !== 'topic') return;
    const d = Math.abs(j - k);
    if (!best || d < best.d) best = { d, topic: c.topic };
  });
  return (best as { d: number; topic: Topic } | null)?.topic ?? null;
}

function topicStart(cl: readonly Chunk[], k: number): number | null {
  for (let j = k - 1; j >= 0; j--) if ((cl[j] as Chunk).cat === 'topic') return (cl[j] as Chunk).start;
  return null;
}

/** The reading in a few words, for tables: "^RUT beat ^NDX, the first 7 sessions of 2026, first time since 2019". */
export function describeReading(r: Reading): string {
  switch (r.kind) {
    case 'relative':
      return `${r.a.name} ${r.negated ? 'did not beat' : 'beat'} ${r.b.name} over ${r.window.label}${r.precedent ? `, ${describePrecedent(r.precedent)}` : ''}`;
    case 'extreme':
      return `${r.leg.name} at its ${describePrecedent(r.precedent)}${r.window ? ` (${r.window.label})` : ''}`;
    case 'move':
      return `${r.leg.name} ${r.value >= 0 ? 'up' : 'down'} ${r.unit === 'points' ? `${Math.abs(r.value)} points` : `${(Math.abs(r.value) * 100).toFixed(r.decimals)}%`}${r.window ? ` over ${r.window.label}` : ''}`;
    case 'figure':
      return `${r.topic ?? 'a'} figure: ${r.unit === 'fraction' ? `${(r.value * 100).toFixed(r.decimals)}%` : r.unit === 'usd' ? usd(r.value) : `${r.value}${r.unit === 'points' ? ' points' : ''}`}${r.reported ? ' (as reported)' : ''}`;
    case 'opinion':
      return `opinion: ${r.why}`;
    case 'unsure':
      return `not sure: ${r.why}`;
  }
}

function usd(v: number): string {
  const a = Math.abs(v);
  const [d, s] = a >= 1e9 ? [1e9, ' billion'] : a >= 1e6 ? [1e6, ' million'] : [1, ''];
  return `${v < 0 ? '-' : ''}$${String(Number((a / d).toFixed(2)))}${s}`;
}
