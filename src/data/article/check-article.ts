import type { TradingDate } from '../../shared/brand.js';
import { definitionsVerdict, shownOf, type Claim, type Verdict } from '../../core/claim.js';
import { readArticle, type ArticleFormat, type ArticleSentence } from '../../core/claims/article.js';
import { checkExtreme, checkLargestSince, figureMatches } from '../../core/claims/evaluate.js';
import { describePrecedent } from '../../core/claims/precedent.js';
import { describeReading, readSentence, type Reading, type Span } from '../../core/claims/read.js';
import { symbolId, type Fact } from '../../core/fact.js';
import { resolveWindow, windowId } from '../../core/window.js';
import type { Config } from '../config.js';
import { runCheck, runPrecedents } from '../analytics.js';
import { loadSeriesOrNull, type LoadedSeries } from '../load.js';
import type { Store } from '../store/store.js';
import { loadSeriesIds, loadVintages } from '../why/load.js';

/** One definition a claim was checked under, as printed (the list is always complete). */
export type DefinitionLine = {
  label: string;
  asStated: boolean;
  status: string;
  /** The spread (A - B) or the computed figure, as a fact id in `facts`; null without data. */
  factId: string | null;
  lastBefore: number | null;
  reason: string;
};

/** One claim of an article, checked. */
export type ClaimCheck = {
  /** 1-based, in the article's order. */
  n: number;
  sentence: ArticleSentence;
  span: Span;
  reading: Reading;
  /** The claim as understood, in words. */
  understood: string;
  legs: string[];
  window: string | null;
  year: number | null;
  assertion: string;
  definitions: DefinitionLine[];
  verdict: Verdict;
  reason: string;
  /** For "needs data": what is missing and the command that adds it. */
  needs: { what: string; command: string }[];
  notes: string[];
  facts: Fact[];
};

export type ArticleCheck = {
  format: ArticleFormat;
  /** The article's date: --date, else its dateline, else null (relative windows then cannot be read). */
  date: TradingDate | null;
  dateSource: 'flag' | 'dateline' | 'none';
  datelineText: string | null;
  /** What the check may read: --as-of, else the article date, else everything stored. */
  asOf: TradingDate | null;
  sentences: number;
  claims: ClaimCheck[];
  counts: Partial<Record<Verdict, number>>;
};

export type ArticleOptions = {
  date?: TradingDate | undefined;
  asOf?: TradingDate | undefined;
  format?: ArticleFormat | undefined;
  config?: Config | undefined;
};

/** Where each kind of figure is computed, when the article check does not compute it itself. */
const TOPIC_VERBS: Readonly<Record<string, string>> = {
  earnings: 'rotation earnings',
  cpi: 'rotation macro',
  fed: 'rotation macro',
  yields: 'rotation macro',
  jobs: 'rotation macro',
  flows: 'rotation flows',
  positioning: 'rotation positioning',
  futures: 'rotation macro',
};

/** Stored reported series a figure of a topic can be compared with (imported why-inputs, e.g. examples/). */
const TOPIC_PREFIXES: Readonly<Record<string, string>> = {
  earnings: 'earnings:',
  cpi: 'macro:us:cpi',
  flows: 'flows:sector:',
  futures: 'market:futures:',
};

const needsCommand = (symbol: string) => `rotation sync ${symbol} (or rotation import FILE with its closes)`;

/**
 * Checks every claim of an article against the store, claim by claim in the article's order. Relative claims go
 * through runCheck (the same definitions and verdicts as `rotation check`); level extremes and moves of one leg
 * through loadSeries; third-party figures are "reported" and compared with the stored reported figures of the
 * same topic. Nothing after the as-of date is read.
 */
export async function checkArticle(
  store: Store,
  src: string,
  opts: ArticleOptions = {},
): Promise<ArticleCheck> {
  const article = readArticle(src, opts.format);
  const date = opts.date ?? article.dateline;
  const dateSource = opts.date ? 'flag' : article.dateline ? 'dateline' : 'none';
  const asOf = opts.asOf ?? date ?? null;
  const claims: ClaimCheck[] = [];
  for (const sentence of article.sentences)
    for (const reading of readSentence(sentence.text, date)) {
      // a heading without a checkable claim is a heading, not an opinion
      if (sentence.heading && reading.kind === 'opinion') continue;
      const n = claims.length + 1;
      const checked = await checkReading(store, reading, n, asOf, opts.config);
      claims.push({
        n,
        sentence,
        span: reading.span,
        reading,
        understood: describeReading(reading),
        ...checked,
      });
    }
  const counts: Partial<Record<Verdict, number>> = {};
  for (const c of claims) counts[c.verdict] = (counts[c.verdict] ?? 0) + 1;
  return {
    format: article.format,
    date,
    dateSource,
    datelineText: article.datelineText,
    asOf,
    sentences: article.sentences.length,
    claims,
    counts,
  };
}

type Checked = Omit<ClaimCheck, 'n' | 'sentence' | 'span' | 'reading' | 'understood'>;

const empty = (reading: Reading): Omit<Checked, 'verdict' | 'reason'> => ({
  legs: [],
  window: null,
  year: null,
  assertion: reading.kind,
  definitions: [],
  needs: [],
  notes: [],
  facts: [],
});

const loadOrNull = (store: Store, symbol: string, asOf: TradingDate | null, config?: Config) =>
  loadSeriesOrNull(store, symbol, { asOf: asOf ?? undefined, config });

async function checkReading(
  store: Store,
  r: Reading,
  n: number,
  asOf: TradingDate | null,
  config: Config | undefined,
): Promise<Checked> {
  const base = empty(r);
  switch (r.kind) {
    case 'opinion':
      return { ...base, verdict: 'opinion', reason: r.why };
    case 'unsure':
      return { ...base, verdict: 'unsure', reason: `the reader is not sure: ${r.why}` };
    case 'relative':
      return checkRelative(store, r, n, asOf, config);
    case 'extreme':
      return checkLevel(store, r, n, asOf, config);
    case 'move':
      return checkMove(store, r, n, asOf, config);
    case 'figure':
      return checkFigure(store, r, asOf);
  }
}

async function checkRelative(
  store: Store,
  r: Extract<Reading, { kind: 'relative' }>,
  n: number,
  asOf: TradingDate | null,
  config: Config | undefined,
): Promise<Checked> {
  const p = r.precedent;
  const notes: string[] = [];
  if (r.window.note) notes.push(r.window.note);
  let firstSince: number | null = null;
  if (p?.kind === 'first-since') firstSince = p.year;
  if (p?.kind === 'first-in') {
    firstSince = r.window.year - p.years;
    notes.push(`"first time in ${p.years} years" read as "first time since ${firstSince}"`);
  }
  const claim: Claim = {
    a: r.a.symbol,
    b: r.b.symbol,
    window: r.window.window,
    year: r.window.year,
    firstSince,
    aText: r.a.text,
    bText: r.b.text,
  };
  const run = await runCheck(store, claim, { asOf: asOf ?? undefined, config });
  const facts: Fact[] = [];
  const cid = `article.c${n}`;
  const definitions: DefinitionLine[] = run.rows.map((row) => {
    const id = `${cid}.${symbolId(row.a)}-${symbolId(row.b)}.${windowId(row.window)}.${row.basis}.spread`;
    const e = row.evaluation;
    if (e.spread !== null)
      facts.push({
        id,
        value: e.spread,
        unit: 'fraction',
        label: `${row.a} minus ${row.b}, ${row.windowText} ${run.year}${e.status === 'pending' ? ' so far' : ''}, ${row.basis} basis`,
        inputs: [row.a, row.b],
        window: row.windowText,
        basis: row.basis,
        asOf: (run.asOf ?? asOf) as TradingDate,
        method: 'return of A minus return of B over the window, from the base close to the last close in it',
      });
    return {
      label: `${stored(row.a, row.provenance[0]?.symbol)} vs ${stored(row.b, row.provenance[1]?.symbol)}, ${row.windowText}, ${row.basis}`,
      asStated: row.asStated,
      status: e.status === 'pending' ? 'pending (so far)' : e.status,
      factId: e.spread !== null ? id : null,
      lastBefore: e.lastBefore,
      reason: [e.reason, row.basisNote, row.mix, row.spanMix].filter(Boolean).join('; '),
    };
  });
  if (run.sameAsPriceWhy) notes.push(`${run.sameAsPriceWhy}; they are folded into the price rows`);
  let summary = definitionsVerdict(run.rows);
  let verdict: Verdict = summary.verdict;
  let reason = '';
  if (p?.kind === 'largest-since') {
    const stated = run.rows.find((x) => x.asStated);
    if (stated && stated.evaluation.status !== 'no data') {
      const pr = await runPrecedents(
        store,
        { kind: 'beats', a: stated.a, b: stated.b, window: stated.window },
        { asOf: asOf ?? undefined, config },
      );
      const ls = checkLargestSince(pr.precedents.periods, r.window.year, p.year);
      notes.push(`"${describePrecedent(p)}" checked under the definition as stated only: ${ls.reason}`);
      if (ls.status === 'pending') verdict = 'pending';
      else if (ls.status === 'no data') verdict = 'needs data';
      else if (ls.status === 'fails') verdict = 'fails';
    }
  }
  if (r.negated && (verdict === 'holds' || verdict === 'fails')) {
    verdict = verdict === 'holds' ? 'fails' : 'holds';
    notes.push('the sentence says it did not happen: the verdict is on that');
    summary = { ...summary, holds: summary.fails, fails: summary.holds };
  }
  const measured = summary.holds + summary.fails;
  const missing = [
    ...new Set(
      run.rows
        .filter((x) => x.evaluation.status === 'no data')
        .flatMap((x) => /^(.*) not in the store$/.exec(x.evaluation.reason)?.[1]?.split(', ') ?? []),
    ),
  ];
  if (verdict === 'pending')
    reason = `${r.window.label} is not over at ${run.asOf ?? asOf ?? 'the latest data'}: the figures are so far`;
  else if (verdict === 'needs data')
    reason = `no definition can be measured${missing.length ? `: ${missing.join(', ')} not stored` : ''}`;
  else {
    const said = r.negated ? summary.fails : summary.holds;
    const counted = said === measured || said === 0 ? `all ${measured}` : `${said} of ${measured}`;
    const word = verdict === 'depends on definition' ? 'holds' : verdict;
    const without = summary.noData;
    reason =
      `${word} under ${counted} definitions with data` +
      (summary.pending ? `; ${summary.pending} more still running (so far)` : '') +
      (without > 0 ? `; ${without} without data` : '');
  }
  return {
    legs: [r.a.symbol, r.b.symbol],
    window: r.window.label,
    year: r.window.year,
    assertion: `${r.a.name} ${r.negated ? 'did not beat' : 'beat'} ${r.b.name}${p ? `, ${describePrecedent(p)}` : ''}`,
    definitions,
    verdict,
    reason,
    needs:
      verdict === 'needs data'
        ? missing.map((m) => ({ what: `closes of ${m}`, command: needsCommand(m) }))
        : [],
    notes,
    facts,
  };
}

/** A definition's symbol, with the stored spelling when an alias found it (`^GSPC (stored as ^SPX)`). */
const stored = (symbol: string, found: string | undefined) =>
  found && found !== symbol ? `${symbol} (stored as ${found})` : symbol;

function lastIndexOnOrBefore(s: LoadedSeries, date: TradingDate | null): number {
  if (!date) return s.dates.length - 1;
  let i = s.dates.length - 1;
  while (i >= 0 && (s.dates[i] as string) > date) i--;
  return i;
}

async function checkLevel(
  store: Store,
  r: Extract<Reading, { kind: 'extreme' }>,
  n: number,
  asOf: TradingDate | null,
  config: Config | undefined,
): Promise<Checked> {
  const base = {
    ...empty(r),
    legs: [r.leg.symbol],
    assertion: `${r.leg.name} at its ${describePrecedent(r.precedent)}`,
  };
  const s = await loadOrNull(store, r.leg.symbol, asOf, config);
  if (!s)
    return {
      ...base,
      verdict: 'needs data',
      reason: `${r.leg.symbol} is not stored`,
      needs: [{ what: `closes of ${r.leg.symbol}`, command: needsCommand(r.leg.symbol) }],
    };
  const at =
    r.window?.window.kind === 'range' ? lastIndexOnOrBefore(s, r.window.window.to) : s.dates.length - 1;
  const p = r.precedent as Extract<typeof r.precedent, { kind: 'extreme' }>;
  const c = checkExtreme(s.dates, s.values, at, p);
  const verdict: Verdict = c.status === 'holds' ? 'holds' : c.status === 'fails' ? 'fails' : 'needs data';
  const id = `article.c${n}.${symbolId(s.symbol)}.close`;
  const facts: Fact[] = [
    {
      id,
      value: c.value,
      unit: 'index',
      label: `${s.symbol} close on ${c.date}`,
      inputs: [s.symbol],
      asOf: c.date,
      method: 'stored close',
    },
  ];
  if (c.lastBeyond)
    facts.push({
      id: `${id}.last-beyond`,
      value: c.lastBeyond,
      unit: 'date',
      label: `last earlier close of ${s.symbol} at least as ${p.side}`,
      inputs: [s.symbol],
      asOf: c.date,
      method: 'latest earlier session whose close is at or beyond this one',
    });
  const stale = asOf && c.date < asOf ? [`${s.symbol}'s data end ${c.date}, before ${asOf}`] : [];
  return {
    ...base,
    window: `the session of ${c.date}`,
    year: Number(c.date.slice(0, 4)),
    definitions: [
      {
        label: `${s.symbol}, ${s.field}`,
        asStated: true,
        status: c.status,
        factId: id,
        lastBefore: null,
        reason: c.reason,
      },
    ],
    verdict: stale.length && verdict !== 'needs data' ? 'needs data' : verdict,
    reason: stale.length ? `${stale[0]}: the article's session is not stored` : c.reason,
    needs: stale.length
      ? [{ what: `closes of ${s.symbol} to ${asOf}`, command: needsCommand(s.symbol) }]
      : [],
    notes: [],
    facts,
  };
}

async function checkMove(
  store: Store,
  r: Extract<Reading, { kind: 'move' }>,
  n: number,
  asOf: TradingDate | null,
  config: Config | undefined,
): Promise<Checked> {
  const stated =
    r.unit === 'points' ? `${Math.abs(r.value)} points` : `${(Math.abs(r.value) * 100).toFixed(r.decimals)}%`;
  const base = {
    ...empty(r),
    legs: [r.leg.symbol],
    window: r.window?.label ?? null,
    year: r.window?.year ?? null,
    assertion: `${r.leg.name} ${r.value >= 0 ? 'up' : 'down'} ${stated}`,
  };
  const s = await loadOrNull(store, r.leg.symbol, asOf, config);
  if (!s)
    return {
      ...base,
      verdict: 'needs data',
      reason: `${r.leg.symbol} is not stored`,
      needs: [{ what: `closes of ${r.leg.symbol}`, command: needsCommand(r.leg.symbol) }],
    };
  const notes: string[] = [];
  const w = r.window?.window ?? { kind: 'rolling' as const, sessions: 1 };
  if (!r.window) notes.push('no window named: read as the last session to the article date');
  const rw = resolveWindow(w, s.dates, r.window?.year);
  if (!rw)
    return {
      ...base,
      verdict: 'needs data',
      reason: `${s.symbol} cannot be measured over ${r.window?.label ?? 'the last session'}`,
      needs: [{ what: `closes of ${s.symbol} over the window`, command: needsCommand(s.symbol) }],
    };
  const a = s.values[rw.baseIndex] as number;
  const b = s.values[rw.endIndex] as number;
  const computed = r.unit === 'points' ? b - a : b / a - 1;
  const id = `article.c${n}.${symbolId(s.symbol)}.${windowId(w)}.${r.unit === 'points' ? 'change' : 'return'}`;
  const ok = figureMatches(r.value, computed, r.decimals, r.unit === 'points' ? 1 : 100);
  const verdict: Verdict = !rw.complete ? 'pending' : ok ? 'holds' : 'fails';
  return {
    ...base,
    definitions: [
      {
        label: `${s.symbol}, ${rw.baseDate} close to ${rw.endDate} close, ${s.field}`,
        asStated: true,
        status: rw.complete ? (ok ? 'holds' : 'fails') : 'pending (so far)',
        factId: id,
        lastBefore: null,
        reason: ok
          ? `matches the figure as rounded in the text (${stated})`
          : `differs from ${stated} beyond its rounding`,
      },
    ],
    verdict,
    reason:
      verdict === 'pending'
        ? `${r.window?.label} is not over: the figure is so far`
        : ok
          ? `the computed move rounds to ${stated}`
          : `the computed move does not round to ${stated}`,
    notes,
    facts: [
      {
        id,
        value: computed,
        unit: r.unit === 'points' ? 'points' : 'fraction',
        label: `${s.symbol} ${r.unit === 'points' ? 'change in points' : 'return'}, ${rw.baseDate} close to ${rw.endDate} close${rw.complete ? '' : ' (so far)'}`,
        inputs: [s.symbol],
        window: `${rw.baseDate}..${rw.endDate}`,
        basis: s.basis,
        asOf: rw.endDate,
        method: r.unit === 'points' ? 'last close minus base close' : 'last close / base close - 1',
      },
    ],
  };
}

async function checkFigure(
  store: Store,
  r: Extract<Reading, { kind: 'figure' }>,
  asOf: TradingDate | null,
): Promise<Checked> {
  const base = {
    ...empty(r),
    window: r.window?.label ?? null,
    year: r.window?.year ?? null,
    assertion: describeReading(r),
  };
  const topic = r.topic ?? 'figure';
  if (!r.reported)
    return {
      ...base,
      verdict: 'unsure',
      reason: `the article check does not compute ${topic} figures; see \`${TOPIC_VERBS[topic] ?? 'rotation symbols'}${asOf ? ` --as-of ${asOf}` : ''}\``,
    };
  const prefix = TOPIC_PREFIXES[topic];
  const definitions: DefinitionLine[] = [];
  const facts: Fact[] = [];
  if (prefix) {
    const unit = r.unit === 'fraction' ? 'fraction' : r.unit === 'usd' ? 'usd' : 'points';
    for (const series of await loadSeriesIds(store, prefix)) {
      const obs = (await loadVintages(store, series, asOf ?? undefined)).filter((o) => o.unit === unit);
      for (const o of obs) {
        const scale =
          r.unit === 'fraction' ? 100 : r.unit === 'usd' ? (Math.abs(r.value) >= 1e9 ? 1e-9 : 1e-6) : 1;
        const same =
          figureMatches(r.value, o.value, r.decimals, scale) ||
          figureMatches(Math.abs(r.value), Math.abs(o.value), r.decimals, scale);
        const id = `article.reported.${series.replace(/[^a-z0-9]+/gi, '-')}.${o.period}.${o.asOf}`;
        facts.push({
          id,
          value: o.value,
          unit: unit === 'usd' ? 'usd' : unit,
          label: `${series} ${o.period} as reported by ${o.source}, known ${o.asOf}`,
          inputs: [series],
          asOf: o.asOf,
          method: 'reported figure (a third party\u2019s estimate or count), as imported',
        });
        definitions.push({
          label: `${series} ${o.period} (${o.source}, known ${o.asOf})`,
          asStated: false,
          status: same ? 'same figure' : 'other figure',
          factId: id,
          lastBefore: null,
          reason: same ? 'the stored report gives the same figure' : 'a different figure of the same topic',
        });
      }
    }
  }
  const agree = definitions.filter((d) => d.status === 'same figure');
  return {
    ...base,
    definitions,
    verdict: 'reported figure',
    reason:
      `a third party's estimate or count: only another source can confirm it` +
      (prefix
        ? agree.length > 0
          ? `; ${agree.length} stored report${agree.length > 1 ? 's give' : ' gives'} the same figure (${shownOf(agree.length, agree.length)}: ${agree.map((d) => d.label).join('; ')})`
          : `; no stored report of this topic gives the same figure (${definitions.length} of that topic stored)`
        : ''),
    facts,
  };
}
