import type { TradingDate } from '../../shared/brand.js';
import type { ArticleCheck, ClaimCheck } from '../../data/article/check-article.js';
import type { BriefFact } from '../facts/registry.js';
import type { Style } from '../format.js';
import type { Block, Brief, Section } from '../model.js';
import { num, t, text, type Text } from '../narrative/text.js';
import { renderHtml, renderMarkdown, renderText } from '../render/render.js';

/** The style a fact of the article report is shown in: spreads in points, returns in percent, levels and dates. */
function styleOf(f: BriefFact): Style {
  if (f.id.endsWith('.spread')) return 'pp';
  if (f.id.endsWith('.return')) return 'pct';
  if (f.id.startsWith('article.reported.'))
    return f.unit === 'fraction' ? 'pct-source' : f.unit === 'usd' ? 'usd-bn-signed' : 'signed-source';
  if (f.unit === 'points') return 'signed-source';
  if (f.unit === 'date') return 'date';
  return 'level';
}

const VERDICT_WORDS: Readonly<Record<ClaimCheck['verdict'], string>> = {
  holds: 'holds',
  fails: 'fails',
  'depends on definition': 'depends on definition',
  pending: 'pending (window not over)',
  'needs data': 'needs data',
  'reported figure': 'reported figure',
  opinion: 'opinion (not checkable)',
  unsure: 'not sure (the reader says so)',
};

function claimSection(c: ClaimCheck, facts: ReadonlyMap<string, BriefFact>): Section {
  const fact = (id: string | null): Text => {
    const f = id ? facts.get(id) : undefined;
    return f ? [num(f, styleOf(f))] : ['—'];
  };
  const blocks: Block[] = [
    { kind: 'p', text: t`Sentence ${String(c.sentence.index + 1)}: “${c.sentence.text}”` },
    { kind: 'p', text: t`Read: “${c.span.text}” — ${c.understood}.` },
  ];
  if (c.legs.length > 0 || c.window)
    blocks.push({
      kind: 'p',
      text: text(
        c.legs.length > 0 ? `Legs: ${c.legs.join(' vs ')}. ` : '',
        c.window ? `Window: ${c.window}. ` : '',
        `Assertion: ${c.assertion}.`,
      ),
    });
  blocks.push({ kind: 'p', text: t`Verdict: ${VERDICT_WORDS[c.verdict]} — ${c.reason}.` });
  if (c.definitions.length > 0)
    blocks.push({
      kind: 'table',
      caption: `Definitions checked (all ${c.definitions.length}; * as stated)`,
      head: ['Definition', 'Status', 'Figure', 'Last before', 'Why'],
      rows: c.definitions.map((d) => [
        [`${d.label}${d.asStated ? ' *' : ''}`],
        [d.status],
        fact(d.factId),
        [d.lastBefore === null ? '—' : String(d.lastBefore)],
        [d.reason],
      ]),
    });
  for (const need of c.needs) blocks.push({ kind: 'missing', text: [`Needs ${need.what}: ${need.command}`] });
  if (c.notes.length > 0) blocks.push({ kind: 'list', items: c.notes.map((n) => [n]) });
  return { id: `claim-${c.n}`, title: `Claim ${c.n}: ${c.verdict}`, blocks };
}

/** The article check as the brief's model: one section per claim, every figure a fact. */
export function articleReport(check: ArticleCheck, title: string): Brief {
  const facts = new Map<string, BriefFact>();
  for (const c of check.claims) for (const f of c.facts) facts.set(f.id, f);
  const counts = Object.entries(check.counts)
    .map(([v, k]) => `${k} ${v}`)
    .join(', ');
  const dateLine =
    check.dateSource === 'flag'
      ? `article dated ${check.date} (--date)`
      : check.dateSource === 'dateline'
        ? `article dated ${check.date} (dateline “${check.datelineText}”)`
        : 'article undated: relative windows ("this year", "last week") cannot be read; pass --date';
  return {
    asOf: (check.asOf ?? check.date ?? 'latest data') as TradingDate,
    headline: [`Fact check: ${title}`],
    banner: null,
    lede: [
      [
        `${check.claims.length} claims read in ${check.sentences} sentences (${counts}); ${dateLine}; data as of ${check.asOf ?? 'the latest stored session'}.`,
      ],
    ],
    sections: check.claims.map((c) => claimSection(c, facts)),
    facts: [...facts.values()],
    series: [],
  };
}

export type ArticleFormatOut = 'table' | 'md' | 'html';

/** Renders the article check: `table` (plain text), `md` or `html` (self-contained, numbers as data-fact spans). */
export function renderArticleCheck(check: ArticleCheck, title: string, format: ArticleFormatOut): string {
  const model = articleReport(check, title);
  // The report quotes the article's sentences, numbers and all: they are the claims under check, not its figures.
  const opts = { quotes: true };
  switch (format) {
    case 'table':
      return renderText(model, opts);
    case 'md':
      return renderMarkdown(model, opts);
    case 'html':
      return renderHtml(model, opts);
  }
}
