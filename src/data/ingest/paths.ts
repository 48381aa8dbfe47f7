import { existsSync, readdirSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { InputError } from '../../shared/errors.js';

/**
 * The file types `rotation import` reads; anything else in a folder (README.md, …) is skipped silently. `.xls` is
 * read only as ICI's weekly flow workbooks (data/why/ici-flows.ts).
 */
export const IMPORTABLE_EXTENSIONS = new Set(['.csv', '.tsv', '.txt', '.parquet', '.json', '.xls']);

const isImportable = (p: string): boolean => IMPORTABLE_EXTENSIONS.has(extname(p).toLowerCase());

/** Every importable file below a folder, recursively (hidden entries skipped). */
function walk(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const p = join(dir, entry.name);
    if (entry.isDirectory()) walk(p, out);
    else if (entry.isFile() && isImportable(p)) out.push(p);
  }
}

/** A glob pattern as a regular expression over a whole path: `**` any folders, `*` and `?` within one name. */
export function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        if (pattern[i + 1] === '/' || pattern[i + 1] === sep) {
          i++;
          re += '(?:.*/)?';
        } else re += '.*';
      } else re += '[^/]*';
    } else if (ch === '?') re += '[^/]';
    else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

const hasGlob = (p: string): boolean => /[*?]/.test(p);

/**
 * Expands files, folders (recursively) and globs into a sorted, de-duplicated list of absolute paths.
 * A path that matches nothing is an error naming it.
 */
export function expandPaths(paths: readonly string[]): string[] {
  const out = new Set<string>();
  for (const p of paths) {
    if (hasGlob(p)) {
      const abs = resolve(p).split(sep).join('/');
      const firstGlob = abs.search(/[*?]/);
      const root = abs.slice(0, abs.lastIndexOf('/', firstGlob) + 1) || '/';
      const re = globToRegExp(abs);
      const found: string[] = [];
      if (existsSync(root) && statSync(root).isDirectory()) walk(root, found);
      const matched = found.filter((f) => re.test(f.split(sep).join('/')));
      if (matched.length === 0) throw new InputError(`no importable file matches "${p}"`);
      matched.forEach((f) => out.add(f));
      continue;
    }
    const abs = resolve(p);
    if (!existsSync(abs)) throw new InputError(`no such file or folder: "${p}"`);
    if (statSync(abs).isDirectory()) {
      const found: string[] = [];
      walk(abs, found);
      found.forEach((f) => out.add(f));
    } else out.add(abs);
  }
  return [...out].sort();
}
