import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NotFoundError } from '../shared/errors.js';

/**
 * The brief archive: the files `rotation brief --out DIR` writes (brief-DATE.html, .md, .txt and facts-DATE.json),
 * read back by date. File names are built from a checked date, never from request text, so no path leaves DIR.
 */
export type BriefFormat = 'html' | 'md' | 'txt';
export type BriefEntry = { date: string; formats: BriefFormat[]; facts: boolean };

const NAME = /^(brief|facts)-(\d{4}-\d{2}-\d{2})\.(html|md|txt|json)$/;

/** The briefs in `dir`, newest first. A missing folder is a NotFoundError naming it. */
export function listBriefs(dir: string): BriefEntry[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    throw new NotFoundError(
      `cannot read the briefs folder ${dir}: ${(e as NodeJS.ErrnoException).code ?? ''}`,
    );
  }
  const byDate = new Map<string, BriefEntry>();
  for (const name of names) {
    const m = NAME.exec(name);
    if (!m) continue;
    const [, kind, date, ext] = m as unknown as [string, string, string, string];
    const entry = byDate.get(date) ?? { date, formats: [], facts: false };
    if (kind === 'facts' && ext === 'json') entry.facts = true;
    else if (kind === 'brief' && ext !== 'json') entry.formats.push(ext as BriefFormat);
    byDate.set(date, entry);
  }
  for (const e of byDate.values()) e.formats.sort();
  return [...byDate.values()].sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
}

/** One brief's file: `date` must already be a checked YYYY-MM-DD. */
export function readBrief(dir: string, date: string, format: BriefFormat | 'facts'): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new NotFoundError(`no brief dated "${date}"`);
  const name = format === 'facts' ? `facts-${date}.json` : `brief-${date}.${format}`;
  try {
    return readFileSync(join(dir, name), 'utf8');
  } catch {
    throw new NotFoundError(`no ${name} in the briefs folder`, 'list the briefs at /api/v1/briefs');
  }
}

/** One fact by id from the brief of `date` (default: the newest brief that has a facts file), with its date. */
export function briefFact(dir: string, id: string, date?: string): { brief: string; fact: unknown } {
  const latest = listBriefs(dir).find((b) => b.facts && (date === undefined || b.date === date));
  if (!latest) throw new NotFoundError(`no facts file${date ? ` for ${date}` : ''} in the briefs folder`);
  const doc = JSON.parse(readBrief(dir, latest.date, 'facts')) as { facts?: { id?: unknown }[] };
  const fact = (doc.facts ?? []).find((f) => f.id === id);
  if (!fact) throw new NotFoundError(`no fact "${id}" in the brief of ${latest.date}`);
  return { brief: latest.date, fact };
}
