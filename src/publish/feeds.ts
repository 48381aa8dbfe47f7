import type { ArchiveEntry } from '../data/store/publish-state.js';

const esc = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');

/** The archived brief's public page: `<baseUrl>/briefs/<session>`. */
export function briefUrl(baseUrl: string, session: string): string {
  return `${baseUrl.replace(/\/$/, '')}/briefs/${session}`;
}

/** When the brief was archived (the daily run after the close): the feeds' publication time. */
function publishedAt(e: ArchiveEntry): Date {
  return new Date(e.createdMs);
}

/** RSS 2.0 of the archive (newest first), one item per session with its headline and summary. */
export function renderRss(entries: readonly ArchiveEntry[], baseUrl: string): string {
  const items = entries
    .map(
      (e) => `    <item>
      <title>${esc(e.headline)}</title>
      <link>${esc(briefUrl(baseUrl, e.session))}</link>
      <guid isPermaLink="false">rotation-desk-brief-${esc(e.session)}</guid>
      <pubDate>${publishedAt(e).toUTCString()}</pubDate>
      <description>${esc(e.summary)}</description>
    </item>`,
    )
    .join('\n');
  const updated = entries[0] ? publishedAt(entries[0]).toUTCString() : new Date(0).toUTCString();
  return `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>Rotation Desk brief</title>
    <link>${esc(baseUrl)}</link>
    <atom:link href="${esc(`${baseUrl.replace(/\/$/, '')}/feed.rss`)}" rel="self" type="application/rss+xml"/>
    <description>Who leads the US stock market, small caps or Big Tech, every NYSE session.</description>
    <language>en</language>
    <lastBuildDate>${updated}</lastBuildDate>
${items}
  </channel>
</rss>
`;
}

/** Atom 1.0 of the archive (newest first). */
export function renderAtom(entries: readonly ArchiveEntry[], baseUrl: string): string {
  const base = baseUrl.replace(/\/$/, '');
  const updated = entries[0] ? publishedAt(entries[0]).toISOString() : new Date(0).toISOString();
  const items = entries
    .map(
      (e) => `  <entry>
    <title>${esc(e.headline)}</title>
    <id>urn:rotation-desk:brief:${esc(e.session)}</id>
    <link href="${esc(briefUrl(baseUrl, e.session))}"/>
    <updated>${publishedAt(e).toISOString()}</updated>
    <summary>${esc(e.summary)}</summary>
  </entry>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Rotation Desk brief</title>
  <id>urn:rotation-desk:briefs</id>
  <link href="${esc(`${base}/feed.atom`)}" rel="self"/>
  <link href="${esc(base)}"/>
  <updated>${updated}</updated>
  <author><name>Rotation Desk</name></author>
${items}
</feed>
`;
}
