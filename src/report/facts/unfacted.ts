import type { Brief } from '../model.js';
import type { Text } from '../narrative/text.js';

/**
 * The only digit runs a brief may print without a fact (the "non-facts" whitelist; keep it tiny):
 * ISO dates and months (2026-01-12, 2026-01), calendar years, symbols and series ids with digits (MAG7, DGS10,
 * ^RUT is digit-free), index names (Russell 2000, Nasdaq-100, S&P 500, Magnificent 7) and grammar words like
 * first:7 inside backticked commands, and source names (file:folder/name.csv).
 */
export const NON_FACT_PATTERNS: readonly RegExp[] = [
  /`[^`]*`/g, // commands quoted in hints: `rotation sync DGS10 DGS2`
  /\bfile:\S+/g, // a series' source is a name, whatever digits its file name holds: file:data/u-3000x25.csv
  /\b\d{4}-\d{2}-\d{2}\b/g,
  /\b\d{4}-\d{2}\b/g,
  /Russell 2000|Nasdaq-100|S&P (500|400|600|1500)|Magnificent 7/g,
  /\b[A-Za-z^]+[A-Za-z]*\d+[A-Za-z0-9]*\b/g, // MAG7, DGS10, XLK is digit-free anyway
  /\b[A-Za-z][\w.:-]*_[\w.:-]*/g, // file-named series ids hold an underscore: CPI-U_NSA_mirror_to_2026-06
  /\b(19|20)\d{2}\b/g, // calendar years
];

/**
 * Digit runs in the brief's HTML text that are outside a `data-fact` span and not whitelisted: each is a number
 * the brief printed without a fact. SVG charts are skipped (axis ticks are drawn from the same data, not text).
 */
export function unfactedNumbers(html: string): string[] {
  let body = html.replace(/<svg[\s\S]*?<\/svg>/g, ' ').replace(/<style[\s\S]*?<\/style>/g, ' ');
  body = body.replace(/<head>[\s\S]*?<\/head>/, ' ');
  body = body.replace(/<span class="fact" data-fact="[^"]*"[^>]*>[^<]*<\/span>/g, ' ');
  let textOnly = body
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"');
  for (const re of NON_FACT_PATTERNS) textOnly = textOnly.replace(re, ' ');
  const out: string[] = [];
  const re = /[^\s]*\d[^\s]*/g;
  for (let m = re.exec(textOnly); m; m = re.exec(textOnly)) out.push(m[0]);
  return out;
}

/** The texts of a brief, each with where it sits (`headline`, `lede 2`, `section race, block 3, row 1`). */
type Located = { where: string; text: Text };

function textsOf(brief: Brief): Located[] {
  const out: Located[] = [];
  if (brief.banner) out.push({ where: 'banner', text: brief.banner });
  out.push({ where: 'headline', text: brief.headline });
  brief.lede.forEach((text, i) => out.push({ where: `lede ${i + 1}`, text }));
  for (const s of brief.sections) {
    const push = (x: Located) => out.push(x);
    // a caption is words: a date in one (other than the brief's as-of date) is refused, so a section states its
    // dates in facted text, never in a caption
    push({ where: `section ${s.id}, title`, text: [s.title] });
    s.blocks.forEach((b, i) => {
      const at = `section ${s.id}, block ${i + 1}`;
      switch (b.kind) {
        case 'p':
        case 'missing':
          push({ where: at, text: b.text });
          break;
        case 'list':
          b.items.forEach((text, k) => push({ where: `${at}, item ${k + 1}`, text }));
          break;
        case 'table':
          push({ where: `${at}, caption`, text: [b.caption] });
          push({ where: `${at}, head`, text: b.head });
          b.rows.forEach((r, k) =>
            r.forEach((text, c) => push({ where: `${at}, row ${k + 1} cell ${c + 1}`, text })),
          );
          break;
        case 'chart':
          push({ where: `${at}, chart title`, text: [b.title] });
          push({ where: `${at}, chart caption`, text: b.caption });
          break;
      }
    });
  }
  return out;
}

/**
 * The whitelist inside the brief's model: the same without ISO dates and months, since every date the brief states
 * (a race's span, a lead change, a quadrant entry, a release) is a fact of unit `date`. Calendar years stay words.
 */
export const MODEL_NON_FACT_PATTERNS: readonly RegExp[] = NON_FACT_PATTERNS.filter(
  (re) => re.source !== String.raw`\b\d{4}-\d{2}-\d{2}\b` && re.source !== String.raw`\b\d{4}-\d{2}\b`,
);

/**
 * Digit runs in the words of a text (fact segments excluded) that the model's whitelist does not allow. The brief's
 * own as-of date (its title, "as of D") is the question it answers, not a figure, and stays a word.
 */
function looseDigits(text: Text, asOf: string): string[] {
  let words = text.map((s) => (typeof s === 'string' ? s : ' ')).join('');
  words = words.split(asOf).join(' ');
  for (const re of MODEL_NON_FACT_PATTERNS) words = words.replace(re, ' ');
  return words.match(/[^\s]*\d[^\s]*/g) ?? [];
}

/**
 * Every renderer calls this before writing a brief: a number in the words of the model (not a fact segment, not
 * whitelisted) is an error naming where it sits, so no renderer can print a number without a fact.
 */
export function assertEveryNumberFacted(brief: Brief): void {
  const loose = textsOf(brief).flatMap(({ where, text }) =>
    looseDigits(text, brief.asOf).map((d) => `${where}: "${d}"`),
  );
  if (loose.length > 0)
    throw new Error(
      `the brief as of ${brief.asOf} prints ${loose.length} number(s) without a fact: ${loose.slice(0, 40).join('; ')}`,
    );
}
