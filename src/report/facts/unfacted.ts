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
