import type { BriefFact } from '../facts/registry.js';
import { defaultStyle, formatFact, type Style } from '../format.js';

/** A piece of rich text: plain words, or a number that stands for a fact (rendered with its id). */
export type Segment = string | { fact: string; text: string; label: string };
export type Text = Segment[];

/** Anything a template can interpolate: words, a fact reference, or more text. */
export type Part = string | Segment | Text | null | undefined | false;

/** A number in the text, bound to its fact. */
export function num(f: BriefFact, style?: Style): Segment {
  return { fact: f.id, text: formatFact(f, style ?? defaultStyle(f)), label: f.label };
}

/** Flattens parts into Text; null/undefined/false parts vanish (conditional phrasing). */
export function text(...parts: Part[]): Text {
  const out: Text = [];
  for (const p of parts) {
    if (p === null || p === undefined || p === false) continue;
    if (Array.isArray(p)) out.push(...p);
    else out.push(p);
  }
  return out;
}

/** Tagged template: t`IWM returned ${num(f)} ...`. */
export function t(strings: TemplateStringsArray, ...parts: Part[]): Text {
  const out: Text = [];
  strings.forEach((s, i) => {
    if (s) out.push(s);
    if (i < parts.length) out.push(...text(parts[i]));
  });
  return out;
}

/** Joins texts with a separator ("a, b and c" with `last`). */
export function join(items: readonly Text[], sep = ', ', last = sep): Text {
  const out: Text = [];
  items.forEach((it, i) => {
    if (i > 0) out.push(i === items.length - 1 ? last : sep);
    out.push(...it);
  });
  return out;
}

/** The text as plain words and numbers. */
export function plain(x: Text): string {
  return x.map((s) => (typeof s === 'string' ? s : s.text)).join('');
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The text as HTML: each number in `<span data-fact="id" title="label">`. */
export function html(x: Text): string {
  return x
    .map((s) =>
      typeof s === 'string'
        ? escapeHtml(s)
        : `<span class="fact" data-fact="${escapeHtml(s.fact)}" title="${escapeHtml(s.label)}">${escapeHtml(s.text)}</span>`,
    )
    .join('');
}

/** The text as Markdown (special characters escaped). */
export function markdown(x: Text): string {
  return plain(x).replace(/([\\`*_[\]|])/g, '\\$1');
}
