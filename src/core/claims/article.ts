import type { TradingDate } from '../../shared/brand.js';
import { monthNumber } from './pattern.js';
import { isoDate } from './windows.js';

/** The formats an article can come in. */
export type ArticleFormat = 'text' | 'markdown' | 'html';

/** One sentence of an article, in reading order. */
export type ArticleSentence = {
  index: number;
  paragraph: number;
  text: string;
  /** A heading (Markdown #, HTML h1-h6): read for claims, but never reported as an opinion. */
  heading: boolean;
};

export type ArticleText = {
  format: ArticleFormat;
  sentences: ArticleSentence[];
  /** The date found in a dateline ("NEW YORK, Jan. 12, 2026 —", "Published 2026-01-12"), else null. */
  dateline: TradingDate | null;
  /** The dateline's words, when one was found. */
  datelineText: string | null;
};

/** Guesses the format from the text: tags -> HTML, headings/emphasis/links -> Markdown, else plain text. */
export function sniffArticleFormat(text: string): ArticleFormat {
  if (/<(html|body|p|article|h[1-6]|div)\b[^>]*>/i.test(text)) return 'html';
  if (/^#{1,6}\s|\[[^\]]+\]\([^)]+\)|^\s*[-*]\s|\*\*[^*]+\*\*/m.test(text)) return 'markdown';
  return 'text';
}

const ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  mdash: '—',
  ndash: '–',
  rsquo: '’',
  lsquo: '‘',
  rdquo: '”',
  ldquo: '“',
  hellip: '…',
};

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#')
      return String.fromCodePoint(
        e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1)),
      );
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

/** Paragraphs of plain prose from an HTML page: scripts and styles dropped, blocks become paragraphs. */
function htmlParagraphs(src: string): string[] {
  const body = src
    .replace(/<h[1-6]\b[^>]*>/gi, '\n\n\u2063')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<(script|style|head|nav|footer|figure)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(
      /<\/?(p|div|h[1-6]|li|ul|ol|br|tr|table|blockquote|article|section|header|title)\b[^>]*>/gi,
      '\n\n',
    )
    .replace(/<[^>]+>/g, '');
  return decodeEntities(body)
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s+/g, ' ').trim());
}

/** Paragraphs of plain prose from Markdown: markers, emphasis and link targets dropped. */
function markdownParagraphs(src: string): string[] {
  const out: string[] = [];
  for (const block of src.replace(/\r\n?/g, '\n').split(/\n\s*\n/)) {
    if (/^```/.test(block.trim())) continue;
    // headings and list items are paragraphs of their own
    for (const line of block.split(/\n(?=\s*(?:#{1,6}\s|[-*+]\s|\d+\.\s))/)) {
      const p = line
        .replace(/^\s*#{1,6}\s+/gm, '\u2063')
        .replace(/^\s*>\s?/gm, '')
        .replace(/^\s*([-*+]|\d+\.)\s+/gm, '')
        .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
        .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
        .replace(/(\*\*|__|\*|_|`)(\S(?:.*?\S)?)\1/g, '$2')
        .replace(/\s+/g, ' ')
        .trim();
      out.push(p);
    }
  }
  return out;
}

const ABBREVIATIONS = new Set([
  'u.s',
  'u.k',
  'inc',
  'corp',
  'co',
  'ltd',
  'vs',
  'mr',
  'mrs',
  'ms',
  'dr',
  'st',
  'no',
  'e.g',
  'i.e',
  'jan',
  'feb',
  'mar',
  'apr',
  'jun',
  'jul',
  'aug',
  'sep',
  'sept',
  'oct',
  'nov',
  'dec',
  'approx',
  'est',
]);

/** Splits a paragraph into sentences: ., ! or ? then a space and a capital, digit or quote; not after "U.S." etc. */
export function splitSentences(paragraph: string): string[] {
  const out: string[] = [];
  let start = 0;
  const re = /[.!?]["”’)]*\s+(?=["“‘(]?[A-Z0-9$^])/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(paragraph))) {
    const before = paragraph.slice(start, m.index + 1);
    const word = /([A-Za-z.]+)\.$/.exec(before)?.[1]?.toLowerCase() ?? '';
    if (ABBREVIATIONS.has(word) || /^[a-z]$/.test(word)) continue;
    out.push(paragraph.slice(start, m.index + m[0].trimEnd().length).trim());
    start = m.index + m[0].length;
  }
  const rest = paragraph.slice(start).trim();
  if (rest) out.push(rest);
  return out.filter((s) => s.length > 0);
}

/**
 * Finds a dateline date in the first paragraphs: "Jan. 12, 2026", "January 12, 2026", "12 January 2026" or an ISO
 * date. Returns the date and the words it was read from.
 */
export function findDateline(paragraphs: readonly string[]): { date: TradingDate; text: string } | null {
  for (const p of paragraphs.slice(0, 3)) {
    const iso = /\b(\d{4})-(\d{2})-(\d{2})\b/.exec(p);
    const mdy = /\b([A-Z][a-z]{2,8})\.?\s+(\d{1,2}),\s+(\d{4})\b/.exec(p);
    const dmy = /\b(\d{1,2})\s+([A-Z][a-z]{2,8})\.?\s+(\d{4})\b/.exec(p);
    const cands: { at: number; date: TradingDate | null; text: string }[] = [];
    if (iso) cands.push({ at: iso.index, date: isoDate(+iso[1]!, +iso[2]!, +iso[3]!), text: iso[0] });
    if (mdy) {
      const mo = monthNumber((mdy[1] as string).toLowerCase());
      if (mo) cands.push({ at: mdy.index, date: isoDate(+mdy[3]!, mo, +mdy[2]!), text: mdy[0] });
    }
    if (dmy) {
      const mo = monthNumber((dmy[2] as string).toLowerCase());
      if (mo) cands.push({ at: dmy.index, date: isoDate(+dmy[3]!, mo, +dmy[1]!), text: dmy[0] });
    }
    const best = cands.filter((c) => c.date !== null).sort((x, y) => x.at - y.at)[0];
    if (best) return { date: best.date as TradingDate, text: best.text };
  }
  return null;
}

/** Reads an article (text, Markdown or HTML) into sentences in order, with its dateline. */
export function readArticle(src: string, format: ArticleFormat = sniffArticleFormat(src)): ArticleText {
  const paragraphs = (
    format === 'html'
      ? htmlParagraphs(src)
      : format === 'markdown'
        ? markdownParagraphs(src)
        : src
            .replace(/\r\n?/g, '\n')
            .split(/\n\s*\n/)
            .map((p) => p.replace(/\s+/g, ' ').trim())
  ).filter((p) => p.replace(/^\u2063\s*/, '').length > 0);
  const sentences: ArticleSentence[] = [];
  paragraphs.forEach((p, k) => {
    const heading = p.startsWith('\u2063');
    for (const s of splitSentences(p.replace(/^\u2063\s*/, '')))
      sentences.push({ index: sentences.length, paragraph: k, text: s, heading });
  });
  const d = findDateline(paragraphs.map((p) => p.replace(/^\u2063\s*/, '')));
  return { format, sentences, dateline: d?.date ?? null, datelineText: d?.text ?? null };
}
