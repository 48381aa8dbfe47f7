import type { WhyFact } from '../../core/why/fact.js';
import type { DateFact, SeriesRead } from '../../data/why/figures.js';
import type { Store } from '../../data/store/store.js';
import type { TradingDate } from '../../shared/brand.js';
import { fromWhyFact, type BriefFact, type FactRegistry } from '../facts/registry.js';
import { MODEL_NON_FACT_PATTERNS } from '../facts/unfacted.js';
import type { Style } from '../format.js';
import type { SeriesUse } from '../model.js';
import { num, type Segment } from '../narrative/text.js';

/** What the "why" sections need from the brief: the store, the as-of date and the fact registry. */
export type WhyCtx = { store: Store; asOf: TradingDate; reg: FactRegistry };

/** Registers a "why" fact and returns it as a brief fact (one id, one value). */
export const reg = (ctx: WhyCtx, w: WhyFact): BriefFact => ctx.reg.add(fromWhyFact(w));

/**
 * A date the data layer stated (a figure's as-of or known-at date, a release, a report week), registered as a fact
 * of unit `date`: the brief never prints a date of these sections as a word. A missing id is a bug (the loader
 * computes every date its figures state).
 */
export function dateSeg(ctx: WhyCtx, dates: readonly DateFact[], id: string): Segment {
  const d = dates.find((x) => x.id === id);
  if (!d) throw new Error(`the data layer stated no date ${id}`);
  return num(ctx.reg.add({ ...d, asOf: d.asOf as TradingDate }), 'date');
}

/** A number with a style, registered. */
export const n = (ctx: WhyCtx, w: WhyFact, style: Style): Segment => num(reg(ctx, w), style);

/**
 * The phrase a source used instead of a number ("just under 10%"), from the note imported with the value: the
 * brief prints it as the fact's text, so 0.099 is never shown as if it were measured to a tenth of a point.
 */
const APPROX =
  /^(just under|just over|just below|just above|about|around|roughly|nearly|almost|close to|more than|less than|over|under)\s+\d+(\.\d+)?\s?%/i;
export function approximatePhrase(note: string | null | undefined): string | null {
  const m = note ? APPROX.exec(note.trim()) : null;
  return m ? m[0] : null;
}

/** A growth estimate as the source gave it: its approximate phrase when it had one, else input precision. */
export function growthText(ctx: WhyCtx, w: WhyFact, note: string | null): Segment {
  const f = reg(ctx, w);
  const phrase = approximatePhrase(note);
  return phrase ? { fact: f.id, text: phrase, label: f.label } : num(f, 'pct-source');
}

/**
 * A note safe to print as words: no digit outside years and symbols (else it belongs in the facts file; a date in
 * a note is a word, and every date the brief prints is a fact).
 */
export function printable(note: string | null | undefined): string | null {
  if (!note) return null;
  let rest = note;
  for (const re of MODEL_NON_FACT_PATTERNS) rest = rest.replace(re, ' ');
  return /\d/.test(rest) ? null : note;
}

/** `sp500:ex-tech` → "S&P 500 ex-tech", `style:growth` → "growth stocks", `sector:tech` → "tech sector funds". */
export function groupName(group: string): string {
  if (group.startsWith('sp500:')) {
    const rest = group.slice(6).replace(/-/g, ' ').replace(/^ex /, 'ex-');
    return `S&P 500 ${rest}`;
  }
  if (group.startsWith('style:')) return `${group.slice(6)} stocks`;
  if (group.startsWith('sector:')) {
    const rest = group.slice(7);
    return rest === 'ex-tech' ? 'all other sector funds' : `${rest} sector funds`;
  }
  if (group.startsWith('ici:')) {
    // ICI's categories: `ici:total-equity` (mutual funds), `ici:etf:…` (ETF net issuance), `ici:combined:…`
    const [, a, b] = group.split(':');
    const what = (x: string) => x.replace(/-/g, ' ');
    if (a === 'etf' && b) return `${what(b)} ETFs (ICI)`;
    if (a === 'combined' && b) return `${what(b)} funds and ETFs (ICI)`;
    return `${what(a ?? group)} mutual funds (ICI)`;
  }
  return group;
}

/** `2025Q4` → "Q4 2025", `2026H1` → "H1 2026"; other periods unchanged (years and months are whitelisted). */
export function periodName(period: string): string {
  const m = /^(\d{4})([QH]\d)$/i.exec(period);
  return m ? `${(m[2] as string).toUpperCase()} ${m[1] as string}` : period;
}

export const toUse = (r: SeriesRead, field = 'observations'): SeriesUse => ({
  symbol: r.series,
  sources: r.sources,
  first: r.first,
  last: r.last,
  field,
  note: r.laterVintage ? `vintage ${r.laterVintage}` : null,
});

// ---------------------------------------------------------------------------------------------- earnings

/** One row per series, the latest-ending read kept. */
export function dedupe(us: readonly SeriesUse[]): SeriesUse[] {
  const m = new Map<string, SeriesUse>();
  for (const u of us) {
    const prev = m.get(u.symbol);
    if (!prev || u.last > prev.last) m.set(u.symbol, u);
  }
  return [...m.values()];
}
