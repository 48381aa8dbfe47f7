import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { TradingDate } from '../shared/brand.js';
import { parseIsoDate } from '../shared/dates.js';
import { InputError, NotFoundError } from '../shared/errors.js';

/**
 * Index constituent lists and weights from files: the slickcharts-style weights files
 * (`#,Symbol,Weight,Price,Chg,% Chg`, Weight like `6.95%`), lists with a `Symbol` (or `Ticker`) column such as
 * sp500_constituents_gics.csv, or plain files with one symbol per line.
 */

export type Universe = {
  /** `sp500`, `ndx`, or the file name. */
  name: string;
  file: string;
  /** The snapshot date in the file name (`..._2026-06-29.csv`), null when the name has none. */
  snapshot: TradingDate | null;
  symbols: string[];
  /** Index weights as fractions (0.0695 for `6.95%`), in file order; null when the file has no Weight column. */
  weights: { symbol: string; weight: number }[] | null;
};

/** Splits one CSV line (RFC 4180 quotes, no embedded newlines: constituent files have none). */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((s) => s.trim());
}

const SYMBOL = /^[A-Za-z0-9^._:=-]{1,32}$/;

/**
 * Parses a weight: `6.95%` is a percentage (0.0695); a bare number is a fraction (0.0695). Throws InputError
 * naming file, line and field for anything else.
 */
export function parseWeight(text: string, where: { file: string; line: number }): number {
  const t = text.replace(/,/g, '').trim();
  const pct = t.endsWith('%');
  const v = Number(pct ? t.slice(0, -1) : t);
  if (t === '' || t === '%' || !Number.isFinite(v) || v < 0)
    throw new InputError(`weight "${text}" is not a number or percentage`, { ...where, field: 'Weight' });
  return pct ? v / 100 : v;
}

/** Parses a constituents file's text (see the module comment). */
export function parseUniverse(text: string, file: string, name = basename(file)): Universe {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const first = lines.findIndex((l) => l.trim() !== '');
  if (first < 0) throw new InputError('the file is empty', { file });
  const header = splitCsvLine(lines[first] as string);
  const lower = header.map((h) => h.toLowerCase());
  let symCol = lower.findIndex((h) => h === 'symbol' || h === 'ticker');
  const weightCol = lower.findIndex((h) => h === 'weight' || h === 'weight (%)');
  const weightIsPct = lower[weightCol] === 'weight (%)';
  let start = first + 1;
  if (symCol < 0) {
    if (header.length === 1 && SYMBOL.test(header[0] as string)) {
      symCol = 0; // a plain list: one symbol per line, no header
      start = first;
    } else
      throw new InputError('no Symbol or Ticker column', {
        file,
        line: first + 1,
      });
  }
  const symbols: string[] = [];
  const weights: { symbol: string; weight: number }[] = [];
  const seen = new Set<string>();
  for (let i = start; i < lines.length; i++) {
    const raw = lines[i] as string;
    if (raw.trim() === '') continue;
    const cells = splitCsvLine(raw);
    const sym = cells[symCol] ?? '';
    if (!SYMBOL.test(sym))
      throw new InputError(`"${sym}" is not a symbol`, {
        file,
        line: i + 1,
        field: header[symCol] ?? 'Symbol',
      });
    if (seen.has(sym.toUpperCase())) throw new InputError(`${sym} is listed twice`, { file, line: i + 1 });
    seen.add(sym.toUpperCase());
    symbols.push(sym);
    if (weightCol >= 0) {
      const w = parseWeight(cells[weightCol] ?? '', { file, line: i + 1 });
      weights.push({ symbol: sym, weight: weightIsPct ? w / 100 : w });
    }
  }
  if (symbols.length === 0) throw new InputError('no symbols listed', { file });
  const m = /(\d{4}-\d{2}-\d{2})/.exec(basename(file));
  return {
    name,
    file,
    snapshot: m ? parseIsoDate(m[1] as string) : null,
    symbols,
    weights: weightCol >= 0 ? weights : null,
  };
}

/** Built-in universe names and the file-name pattern of their snapshots in the constituents folder. */
export const UNIVERSE_FILES = {
  sp500: /^sp500_weights_(\d{4}-\d{2}-\d{2})\.csv$/,
  ndx: /^nasdaq100_weights_(\d{4}-\d{2}-\d{2})\.csv$/,
} as const;
export type UniverseName = keyof typeof UNIVERSE_FILES;

/** The constituents folder: `--constituents DIR`, else $ROTATION_CONSTITUENTS, else ./constituents. */
export function constituentsDir(flag?: string): string {
  return resolve(flag ?? process.env['ROTATION_CONSTITUENTS'] ?? 'constituents');
}

/**
 * Loads a universe: `sp500` / `ndx` pick the latest snapshot in `dir` dated on or before `asOf` (the latest of all
 * when every snapshot is later: index membership is not known point-in-time, and the caller should say so);
 * anything else is a file path.
 */
export function loadUniverse(spec: string, opts: { dir: string; asOf?: string | undefined }): Universe {
  const key = spec.toLowerCase();
  if (key in UNIVERSE_FILES) {
    const pattern = UNIVERSE_FILES[key as UniverseName];
    const hint = `put ${key === 'sp500' ? 'sp500_weights_YYYY-MM-DD.csv' : 'nasdaq100_weights_YYYY-MM-DD.csv'} files in ${opts.dir}, or pass --constituents DIR or --universe FILE`;
    if (!existsSync(opts.dir) || !statSync(opts.dir).isDirectory())
      throw new NotFoundError(`constituents folder ${opts.dir} not found`, hint);
    const found = readdirSync(opts.dir)
      .map((f) => ({ f, d: pattern.exec(f)?.[1] }))
      .filter((x): x is { f: string; d: string } => x.d !== undefined)
      .sort((a, b) => a.d.localeCompare(b.d));
    if (found.length === 0) throw new NotFoundError(`no ${key} weights file in ${opts.dir}`, hint);
    const usable = opts.asOf ? found.filter((x) => x.d <= (opts.asOf as string)) : found;
    const pick = (usable.length > 0 ? usable : found)[(usable.length > 0 ? usable : found).length - 1] as {
      f: string;
    };
    const file = join(opts.dir, pick.f);
    return parseUniverse(readFileSync(file, 'utf8'), file, key);
  }
  const file = resolve(spec);
  if (!existsSync(file))
    throw new NotFoundError(
      `universe file ${spec} not found`,
      'use sp500, ndx, or a CSV with a Symbol column',
    );
  return parseUniverse(readFileSync(file, 'utf8'), file);
}
