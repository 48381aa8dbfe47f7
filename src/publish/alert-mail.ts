import { escapeHtml } from '../report/narrative/text.js';
import type { AlertPayload } from './alerts.js';
import { ARCHIVE_PLACEHOLDER, UNSUBSCRIBE_PLACEHOLDER } from './links.js';
import { MAIL_STYLE as S } from './mail-style.js';

/** A detail value as a reader sees it: numbers and text as they are, anything else as compact JSON. */
function shown(v: unknown): string {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
    ? String(v)
    : JSON.stringify(v);
}

/**
 * One alert as a mail to the subscribers who opted in: the title, the figures behind it (unrounded, as the webhook
 * carries them), a link to the session's archived brief and the unsubscribe link (placeholders filled per recipient
 * at send time, like the brief's). HTML with inline styles only, and a plain-text part.
 */
export function renderAlertMail(s: AlertPayload): { subject: string; html: string; text: string } {
  const rows = Object.entries(s.detail).filter(([, v]) => v !== null && v !== undefined);
  const table = rows
    .map(
      ([k, v]) =>
        `<tr><th style="${S.cell}">${escapeHtml(k)}</th><td style="${S.cell}">${escapeHtml(shown(v))}</td></tr>`,
    )
    .join('');
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(s.title)}</title></head>
<body style="${S.body}"><div style="${S.wrap}">
<p style="${S.muted}">Rotation Desk alert, session ${escapeHtml(s.session)} · rule ${escapeHtml(s.rule)} (${escapeHtml(s.type)})</p>
<h1 style="${S.h1}">${escapeHtml(s.title)}</h1>
<div style="overflow-x:auto;"><table style="${S.table}" role="table">${table}</table></div>
<p style="${S.p}"><a href="${ARCHIVE_PLACEHOLDER}">The brief of ${escapeHtml(s.session)}</a></p>
<p style="${S.foot}">You receive the alerts because you asked for them when subscribing. <a href="${UNSUBSCRIBE_PLACEHOLDER}">Unsubscribe</a>.</p>
</div></body></html>
`;
  const text = [
    `Rotation Desk alert, session ${s.session} (rule ${s.rule}, ${s.type})`,
    '',
    s.title,
    '',
    ...rows.map(([k, v]) => `${k}: ${shown(v)}`),
    '',
    `The brief of ${s.session}: ${ARCHIVE_PLACEHOLDER}`,
    `Unsubscribe: ${UNSUBSCRIBE_PLACEHOLDER}`,
    '',
  ].join('\n');
  return { subject: `Alert: ${s.title}`, html, text };
}
