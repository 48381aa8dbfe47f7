import type { Block, Brief } from '../model.js';
import { assertEveryNumberFacted } from '../facts/unfacted.js';
import { escapeHtml, html, markdown, plain, type Text } from '../narrative/text.js';

/**
 * How a renderer checks its input: a brief (the default) refuses a number that is not a fact; a report quoting
 * text verbatim (the article check quotes the sentences it checks) says so with `quotes: true`.
 */
type RenderOptions = { quotes?: boolean };

const CSS = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 "DejaVu Sans",system-ui,sans-serif;color:#1d1d1f;background:#fff}
main{max-width:760px;margin:0 auto;padding:16px}
h1{font-size:1.6rem;line-height:1.25;margin:.4em 0}
h2{font-size:1.2rem;margin:1.6em 0 .4em;border-bottom:1px solid #ddd}
p,li{overflow-wrap:anywhere}
.asof{color:#555;font-size:.9rem}
.lede p{font-size:1.05rem}
.missing{color:#6b4e00;background:#fff8e1;padding:.4em .6em;border-left:3px solid #e0a800}
figure{margin:1em 0}
figure svg{display:block;max-width:100%;height:auto;border-radius:4px}
.chart-narrow{display:none}
figure:not(:has(.chart-narrow)) .chart-wide{display:block!important}
@media (max-width:640px){.chart-wide{display:none}.chart-narrow{display:block}}
figcaption{font-size:.85rem;color:#555}
.table{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;font-size:.9rem}
caption{text-align:left;font-size:.85rem;color:#555;padding-bottom:.2em}
th,td{padding:.25em .6em;border-bottom:1px solid #eee;text-align:left;white-space:nowrap}
td:nth-child(n+2){font-variant-numeric:tabular-nums}
.fact{border-bottom:1px dotted #999}
@media (max-width:640px){
.table table,.table thead,.table tbody,.table tr,.table td,.table caption{display:block;width:100%}
.table thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.table tr{border-bottom:1px solid #ccc;padding:.3em 0}
.table td{border:0;padding:.1em 0;white-space:normal}
.table td[data-label]:not([data-label=""])::before{content:attr(data-label) ": ";color:#555;font-size:.85em}
}
@media (prefers-color-scheme:dark){
body{color:#e8e8e8;background:#121212}
h2{border-bottom-color:#444}
.asof,figcaption,caption{color:#aaa}
.missing{color:#ffe08a;background:#3a3000;border-left-color:#e0a800}
th,td{border-bottom-color:#333}
.fact{border-bottom-color:#777}
.table td[data-label]::before{color:#aaa}
}
@media print{main{max-width:none}figure{break-inside:avoid}h2{break-after:avoid}}
`;

function blockHtml(b: Block): string {
  switch (b.kind) {
    case 'p':
      return `<p>${html(b.text)}</p>`;
    case 'missing':
      return `<p class="missing">${html(b.text)}</p>`;
    case 'list':
      return `<ul>${b.items.map((i) => `<li>${html(i)}</li>`).join('')}</ul>`;
    case 'table':
      return `<div class="table"><table><caption>${escapeHtml(b.caption)}</caption><thead><tr>${b.head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${b.rows.map((r) => `<tr>${r.map((c, i) => `<td data-label="${escapeHtml(b.head[i] ?? '')}">${html(c)}</td>`).join('')}</tr>`).join('')}</tbody></table></div>`;
    case 'chart':
      return `<figure data-chart="${escapeHtml(b.id)}"><div class="chart-wide">${b.svg}</div>${b.svgNarrow ? `<div class="chart-narrow">${b.svgNarrow}</div>` : ''}<figcaption>${html(b.caption)}</figcaption></figure>`;
  }
}

/** The brief as one self-contained HTML page (inline CSS and SVG; no scripts, no external requests). */
export function renderHtml(brief: Brief, opts: RenderOptions = {}): string {
  if (!opts.quotes) assertEveryNumberFacted(brief);
  const sections = brief.sections
    .map(
      (s) =>
        `<section id="${escapeHtml(s.id)}"><h2>${escapeHtml(s.title)}</h2>${s.blocks.map(blockHtml).join('\n')}</section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(plain(brief.headline))} — Rotation Desk brief ${brief.asOf}</title>
<style>${CSS}</style></head>
<body><main>
<p class="asof">Rotation Desk brief, as of ${brief.asOf}</p>
${brief.banner ? `<p class="missing" role="alert">${html(brief.banner)}</p>\n` : ''}<h1>${html(brief.headline)}</h1>
<div class="lede">${brief.lede.map((p) => `<p>${html(p)}</p>`).join('')}</div>
${sections}
</main></body></html>
`;
}

function tableText(head: string[], rows: Text[][], md: boolean): string {
  const cells = rows.map((r) => r.map((c) => (md ? markdown(c) : plain(c))));
  if (md)
    return [
      `| ${head.join(' | ')} |`,
      `|${head.map(() => '---').join('|')}|`,
      ...cells.map((r) => `| ${r.join(' | ')} |`),
    ].join('\n');
  const w = head.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(w[i] as number))
      .join('  ')
      .trimEnd();
  return [line(head), line(w.map((n) => '-'.repeat(n))), ...cells.map(line)].join('\n');
}

function blockText(b: Block, md: boolean): string {
  const tx = (x: Text) => (md ? markdown(x) : plain(x));
  switch (b.kind) {
    case 'p':
      return tx(b.text);
    case 'missing':
      return md ? `> ${tx(b.text)}` : `[missing] ${tx(b.text)}`;
    case 'list':
      return b.items.map((i) => `- ${tx(i)}`).join('\n');
    case 'table':
      return `${md ? `*${b.caption}*` : `${b.caption}:`}\n\n${tableText(b.head, b.rows, md)}`;
    case 'chart':
      return md ? `*Chart: ${b.title}.* ${tx(b.caption)}` : `[chart: ${b.title}] ${tx(b.caption)}`;
  }
}

/** The brief as Markdown (charts named, not embedded: the HTML carries them). */
export function renderMarkdown(brief: Brief, opts: RenderOptions = {}): string {
  if (!opts.quotes) assertEveryNumberFacted(brief);
  const out = [
    ...(brief.banner ? [`> **${markdown(brief.banner)}**`, ''] : []),
    `# ${markdown(brief.headline)}`,
    '',
    `*Rotation Desk brief, as of ${brief.asOf}*`,
    '',
    ...brief.lede.map((p) => `${markdown(p)}\n`),
  ];
  for (const s of brief.sections)
    out.push(`## ${s.title}`, '', ...s.blocks.map((b) => `${blockText(b, true)}\n`));
  return `${out.join('\n').trimEnd()}\n`;
}

/** The brief as plain text (for terminals, email bodies and golden files). */
export function renderText(brief: Brief, opts: RenderOptions = {}): string {
  if (!opts.quotes) assertEveryNumberFacted(brief);
  const h = plain(brief.headline);
  const out = [
    ...(brief.banner ? [`[stale] ${plain(brief.banner)}`, ''] : []),
    h,
    '='.repeat(h.length),
    `Rotation Desk brief, as of ${brief.asOf}`,
    '',
    ...brief.lede.map((p) => `${plain(p)}\n`),
  ];
  for (const s of brief.sections)
    out.push(s.title.toUpperCase(), '', ...s.blocks.map((b) => `${blockText(b, false)}\n`));
  return `${out.join('\n').trimEnd()}\n`;
}
