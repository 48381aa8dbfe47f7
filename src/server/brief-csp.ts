import { createHash } from 'node:crypto';

/**
 * The Content-Security-Policy of a brief's HTML page (`rotation brief` writes one self-contained file: its CSS in
 * `<style>` elements, its charts as inline SVG, no script). The app-wide policy allows no inline style, so the page
 * would render unstyled: this policy allows exactly the page's own stylesheets, by their SHA-256 hashes, and
 * nothing else (no script of any kind, no style attribute, no other origin). `frameAncestors` is `'self'` for the
 * answer the dashboard frames, `'none'` for the page read on its own.
 */
export function briefCsp(html: string, frameAncestors: "'self'" | "'none'"): string {
  const hashes = [...html.matchAll(/<style(?:\s[^>]*)?>([\s\S]*?)<\/style>/gi)].map(
    (m) =>
      `'sha256-${createHash('sha256')
        .update(m[1] ?? '')
        .digest('base64')}'`,
  );
  const styles = hashes.length > 0 ? [...new Set(hashes)].join(' ') : "'none'";
  return `default-src 'none'; style-src ${styles}; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors ${frameAncestors}`;
}
