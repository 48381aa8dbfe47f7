import { svgToPng } from '../report/charts/render.js';
import type { Block, Brief } from '../report/model.js';
import { escapeHtml, plain, type Text } from '../report/narrative/text.js';
import { renderText } from '../report/render/render.js';
import { ARCHIVE_PLACEHOLDER, UNSUBSCRIBE_PLACEHOLDER, type InlinePng } from './links.js';
import { MAIL_STYLE as S } from './mail-style.js';

export type MailEdition = { subject: string; html: string; text: string; attachments: InlinePng[] };

/** The HTML part must stay under this (Gmail clips messages over ~102 KB). */
export const MAX_HTML_BYTES = 100 * 1024;

/** The text without fact spans: mail clients show no tooltips, and the spans would double the size. */
function h(x: Text): string {
  return x.map((s) => escapeHtml(typeof s === 'string' ? s : s.text)).join('');
}

function blockHtml(b: Block, charts: InlinePng[]): string {
  switch (b.kind) {
    case 'p':
      return `<p style="${S.p}">${h(b.text)}</p>`;
    case 'missing':
      return `<p style="${S.missing}">${h(b.text)}</p>`;
    case 'list':
      return `<ul style="${S.p}">${b.items.map((i) => `<li>${h(i)}</li>`).join('')}</ul>`;
    case 'table':
      return `<div style="overflow-x:auto;"><table style="${S.table}" role="table"><caption style="${S.muted}">${escapeHtml(b.caption)}</caption><tr>${b.head.map((c) => `<th style="${S.cell}">${escapeHtml(c)}</th>`).join('')}</tr>${b.rows.map((r) => `<tr>${r.map((c) => `<td style="${S.cell}">${h(c)}</td>`).join('')}</tr>`).join('')}</table></div>`;
    case 'chart': {
      const cid = `${b.id.replace(/[^A-Za-z0-9-]/g, '-')}@rotation-desk`;
      charts.push({
        cid,
        filename: `${b.id.replace(/[^A-Za-z0-9-]/g, '-')}.png`,
        base64: svgToPng(b.svg, 1200).toString('base64'),
      });
      return `<p style="${S.p}"><img src="cid:${escapeHtml(cid)}" alt="${escapeHtml(b.title)}" width="600" style="${S.img}"></p><p style="${S.muted}">${h(b.caption)}</p>`;
    }
  }
}

/**
 * The brief as a mail: HTML with inline styles and the charts as inline PNG attachments (cid), and the plain-text
 * brief. Recipient links are placeholders (UNSUBSCRIBE_PLACEHOLDER, ARCHIVE_PLACEHOLDER) filled at send time.
 * Sections are dropped from the end, with a link to the archived page, when the HTML would exceed MAX_HTML_BYTES.
 */
export function renderMailEdition(
  brief: Brief,
  opts: { weekly?: readonly { session: string; headline: string }[] } = {},
): MailEdition {
  const build = (sectionCount: number) => {
    const charts: InlinePng[] = [];
    const sections = brief.sections
      .slice(0, sectionCount)
      .map(
        (s) =>
          `<h2 style="${S.h2}">${escapeHtml(s.title)}</h2>${s.blocks.map((b) => blockHtml(b, charts)).join('\n')}`,
      )
      .join('\n');
    const cut = sectionCount < brief.sections.length;
    const week = opts.weekly?.length
      ? `<h2 style="${S.h2}">This week</h2><ul style="${S.p}">${opts.weekly.map((w) => `<li>${escapeHtml(w.session)}: ${escapeHtml(w.headline)}</li>`).join('')}</ul>`
      : '';
    const body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(plain(brief.headline))}</title></head>
<body style="${S.body}"><div style="${S.wrap}">
<p style="${S.muted}">Rotation Desk brief, as of ${escapeHtml(brief.asOf)}</p>
${brief.banner ? `<p style="${S.missing}">${h(brief.banner)}</p>` : ''}<h1 style="${S.h1}">${h(brief.headline)}</h1>
${brief.lede.map((p) => `<p style="${S.p}">${h(p)}</p>`).join('')}
${week}${sections}
${cut ? `<p style="${S.p}"><a href="${ARCHIVE_PLACEHOLDER}">The rest of the brief</a> is on the archived page.</p>` : ''}
<p style="${S.foot}">Every number is a fact with its inputs in the archived brief: <a href="${ARCHIVE_PLACEHOLDER}">open it</a>. <a href="${UNSUBSCRIBE_PLACEHOLDER}">Unsubscribe</a>.</p>
</div></body></html>
`;
    return { body, charts };
  };
  let n = brief.sections.length;
  let out = build(n);
  while (Buffer.byteLength(out.body) > MAX_HTML_BYTES && n > 0) out = build(--n);
  const text = `${renderText(brief)}\n--\nArchived brief: ${ARCHIVE_PLACEHOLDER}\nUnsubscribe: ${UNSUBSCRIBE_PLACEHOLDER}\n`;
  return {
    subject: `${plain(brief.headline)} (${brief.asOf})`,
    html: out.body,
    text,
    attachments: out.charts,
  };
}

/** The summary line the feed and the archive keep: the headline and the lede, as plain text. */
export function briefSummary(brief: Brief): string {
  return brief.lede.map(plain).join(' ');
}

/** The confirmation mail of a new subscription. */
export function confirmationMail(link: string): { subject: string; html: string; text: string } {
  return {
    subject: 'Confirm your Rotation Desk subscription',
    html: `<!doctype html><html lang="en"><head><meta charset="utf-8"></head><body style="${S.body}"><div style="${S.wrap}"><p style="${S.p}">Someone (we hope you) asked to receive the Rotation Desk brief at this address.</p><p style="${S.p}"><a href="${escapeHtml(link)}">Confirm the subscription</a></p><p style="${S.muted}">The link expires in two days. If you did not ask, ignore this mail: nothing will be sent.</p></div></body></html>`,
    text: `Someone (we hope you) asked to receive the Rotation Desk brief at this address.\n\nConfirm: ${link}\n\nThe link expires in two days. If you did not ask, ignore this mail: nothing will be sent.\n`,
  };
}
