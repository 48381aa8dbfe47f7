import { readFileSync } from 'node:fs';
import { InputError } from '../../shared/errors.js';

/** What a JSON file holds, in the shapes `rotation import` understands. */
export type JsonContent =
  | {
      kind: 'records';
      name: 'json-records' | 'json-symbol-bars';
      /** Keys of the records, in first-seen order: the "header" given to layout detection. */
      header: string[];
      /** One row of cells (text or null) per record, in header order. */
      rows: (string | null)[][];
      symbol: string | null;
    }
  | {
      kind: 'fred-cache';
      /** Rows: series, date, value (text), as-of date. */
      rows: [string, string | null, string | null, string][];
      warnings: string[];
    };

const cell = (v: unknown): string | null =>
  v === null || v === undefined ? null : typeof v === 'object' ? JSON.stringify(v) : String(v);

function recordsTable(records: unknown[], where: string): { header: string[]; rows: (string | null)[][] } {
  const header: string[] = [];
  const seen = new Set<string>();
  records.forEach((r, i) => {
    if (r === null || typeof r !== 'object' || Array.isArray(r))
      throw new InputError(`${where}[${i}] is not an object with date and close keys`);
    for (const k of Object.keys(r)) {
      if (!seen.has(k)) {
        seen.add(k);
        header.push(k);
      }
    }
  });
  const rows = records.map((r) => header.map((k) => cell((r as Record<string, unknown>)[k])));
  return { header, rows };
}

/**
 * Reads a JSON file: an array of bar records (`[{date, close, …}]`), one symbol's bars
 * (`{symbol, bars: [...]}`), or a FRED cache (`{fetched_at, observed_at: {ID: date}, series: {ID: [[date, v]]}}`).
 */
export function readJsonFile(path: string): JsonContent {
  let text = readFileSync(path, 'utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw new InputError('empty file');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new InputError(`not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (Array.isArray(doc)) {
    if (doc.length === 0) throw new InputError('no data rows (empty array)');
    return { kind: 'records', name: 'json-records', ...recordsTable(doc, 'record'), symbol: null };
  }
  if (doc !== null && typeof doc === 'object') {
    const o = doc as Record<string, unknown>;
    if (Array.isArray(o['bars'])) {
      if (o['bars'].length === 0) throw new InputError('no data rows (empty bars array)');
      const symbol = typeof o['symbol'] === 'string' ? o['symbol'] : null;
      return { kind: 'records', name: 'json-symbol-bars', ...recordsTable(o['bars'], 'bars'), symbol };
    }
    if (o['series'] !== null && typeof o['series'] === 'object' && !Array.isArray(o['series']))
      return fredCache(o);
  }
  throw new InputError(
    'unknown JSON layout: expected an array of records, {symbol, bars: [...]} or a FRED cache {series: {...}}',
  );
}

function fredCache(o: Record<string, unknown>): JsonContent {
  const series = o['series'] as Record<string, unknown>;
  const observed = (o['observed_at'] ?? {}) as Record<string, unknown>;
  const fetched = typeof o['fetched_at'] === 'string' ? o['fetched_at'].slice(0, 10) : null;
  const rows: [string, string | null, string | null, string][] = [];
  const warnings: string[] = [];
  for (const [id, points] of Object.entries(series)) {
    if (!Array.isArray(points)) throw new InputError(`series.${id} is not an array of [date, value] pairs`);
    const obs = observed[id];
    const asOf = typeof obs === 'string' ? obs.slice(0, 10) : fetched;
    if (!asOf)
      throw new InputError(`series ${id} has no observed_at date and the file no fetched_at`, {
        field: `observed_at.${id}`,
      });
    if (typeof obs !== 'string')
      warnings.push(`${id}: no observed_at; vintage taken from fetched_at (${asOf})`);
    points.forEach((p, i) => {
      if (!Array.isArray(p) || p.length < 2)
        throw new InputError(`series.${id}[${i}] is not a [date, value] pair`, {
          field: `series.${id}[${i}]`,
        });
      rows.push([id, cell(p[0]), cell(p[1]), asOf]);
    });
  }
  if (rows.length === 0) throw new InputError('no data rows (the FRED cache holds no series)');
  return { kind: 'fred-cache', rows, warnings };
}
