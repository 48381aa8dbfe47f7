import { escapeHtml } from '../report/narrative/text.js';

/** Where each recipient's own links go in an edition: replaced at send time (docs/publish.md). */
export const UNSUBSCRIBE_PLACEHOLDER = '%%UNSUBSCRIBE_URL%%';
export const ARCHIVE_PLACEHOLDER = '%%ARCHIVE_URL%%';

/** A mail's inline image: referenced from the HTML as `cid:<cid>`. */
export type InlinePng = { cid: string; filename: string; base64: string };

/** An edition's body with the recipient's links in place of the placeholders (HTML-escaped in HTML). */
export function fillLinks(
  body: string,
  links: { unsubscribe: string; archive: string },
  isHtml: boolean,
): string {
  const esc = (s: string) => (isHtml ? escapeHtml(s) : s);
  return body
    .split(UNSUBSCRIBE_PLACEHOLDER)
    .join(esc(links.unsubscribe))
    .split(ARCHIVE_PLACEHOLDER)
    .join(esc(links.archive));
}
