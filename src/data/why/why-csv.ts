import { z } from 'zod';
import { parseIsoDate } from '../../shared/dates.js';
import { InputError } from '../../shared/errors.js';
import type { CsvTable } from './csv.js';

/** The kinds of rows a "why" inputs file holds. */
export const WHY_ROW_KINDS = ['earnings', 'flows', 'positioning', 'macro', 'market'] as const;
export type WhyRowKind = (typeof WHY_ROW_KINDS)[number];

/** Units a row may carry (DESIGN.md "Observation" plus the ones flows and positioning need). */
export const WHY_UNITS = [
  'fraction',
  'percent',
  'percent-points',
  'usd',
  'points',
  'index',
  'contracts',
  'z-score',
  'ratio',
  'count',
] as const;
export type WhyUnit = (typeof WHY_UNITS)[number];

export const WHY_COLUMNS = ['kind', 'group', 'period', 'metric', 'value', 'unit', 'as_of', 'source'] as const;
export const WHY_OPTIONAL_COLUMNS = ['note'] as const;

const PERIOD = /^(\d{4})(Q[1-4]|H[12])?$|^\d{4}-(0[1-9]|1[0-2])$|^\d{4}-\d{2}-\d{2}$/;
const SLUG = /^[a-z0-9][a-z0-9_.&:+-]*$/;

/** One validated row of a "why" inputs file. */
export const WhyRow = z.object({
  kind: z.enum(WHY_ROW_KINDS),
  group: z
    .string()
    .transform((s) => s.trim().toLowerCase())
    .pipe(
      z
        .string()
        .regex(SLUG, 'lowercase letters, digits and - _ . : & + only (e.g. sp500:information-technology)'),
    ),
  period: z
    .string()
    .trim()
    .refine((s) => PERIOD.test(s) && (s.length !== 10 || parseIsoDate(s) !== null), {
      message: 'a period is YYYY, YYYYQ1..Q4, YYYYH1/H2, YYYY-MM or a date YYYY-MM-DD',
    }),
  metric: z
    .string()
    .transform((s) => s.trim().toLowerCase())
    .pipe(
      z
        .string()
        .regex(/^[a-z0-9][a-z0-9_.-]*$/, 'lowercase letters, digits and - _ . only (e.g. growth_yoy)'),
    ),
  unit: z.enum(WHY_UNITS),
  as_of: z
    .string()
    .trim()
    .refine((s) => parseIsoDate(s) !== null, {
      message: 'as_of is the date the figure was known, YYYY-MM-DD',
    }),
  source: z.string().trim().min(1, 'name the source (e.g. BofA, FactSet, LSEG I/B/E/S, EPFR, BLS)'),
  note: z.string().trim().optional(),
});
export type WhyRow = z.infer<typeof WhyRow>;

const SCALE: Record<string, number> = { k: 1e3, m: 1e6, mn: 1e6, b: 1e9, bn: 1e9, t: 1e12, tn: 1e12 };

/**
 * Parses a value cell. Accepted: `0.20`, `-63`, `1,234.5` (thousands commas), `20%` (with unit fraction it becomes
 * 0.20; with unit percent or percent-points it stays 20), `$8.3B`, `-0.9bn`, `+250M` (usd, contracts or count:
 * K, M/mn, B/bn, T/tn multiply). Anything else, or a `%` with a unit it cannot mean, is an error message.
 */
export function parseWhyValue(text: string, unit: WhyUnit): { value: number } | { error: string } {
  let s = text.trim().replace(/\s+/g, '');
  if (s === '') return { error: 'empty value' };
  let sign = 1;
  if (s.startsWith('+')) s = s.slice(1);
  else if (s.startsWith('-') || s.startsWith('−')) {
    sign = -1;
    s = s.slice(1);
  }
  if (s.startsWith('$')) {
    if (unit !== 'usd') return { error: `"$" in a value needs unit usd (unit is ${unit})` };
    s = s.slice(1);
  }
  let factor = 1;
  if (s.endsWith('%')) {
    s = s.slice(0, -1);
    if (unit === 'fraction') factor = 0.01;
    else if (unit !== 'percent' && unit !== 'percent-points')
      return { error: `"%" in a value needs unit fraction, percent or percent-points (unit is ${unit})` };
  } else {
    const m = /^(.*?)(k|m|mn|b|bn|t|tn)$/i.exec(s);
    if (m) {
      if (unit !== 'usd' && unit !== 'contracts' && unit !== 'count')
        return { error: `a K/M/B/T suffix needs unit usd, contracts or count (unit is ${unit})` };
      s = m[1] as string;
      factor = SCALE[(m[2] as string).toLowerCase()] as number;
    }
  }
  if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) s = s.replace(/,/g, '');
  if (!/^(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) return { error: `"${text}" is not a number` };
  const v = sign * Number(s) * factor;
  if (!Number.isFinite(v)) return { error: `"${text}" is not a finite number` };
  return { value: v };
}

/** A parsed row ready for the store, with the file line it came from. */
export type WhyRecord = {
  line: number;
  series: string;
  kind: WhyRowKind;
  group: string;
  metric: string;
  period: string;
  value: number;
  unit: WhyUnit;
  asOf: string;
  source: string;
  note: string | null;
};

/** The store series id of a row: `<kind>:<group>:<metric>`, e.g. `earnings:sp500:ex-tech:growth_yoy`. */
export const whySeriesId = (kind: string, group: string, metric: string): string =>
  `${kind}:${group}:${metric}`;

/** True when a header line is the "why" layout: the eight columns in any order, optionally `note`. */
export function isWhyHeader(header: readonly string[]): boolean {
  const h = header.map((c) => c.trim().toLowerCase());
  return WHY_COLUMNS.every((c) => h.includes(c));
}

/**
 * Validates every row of a "why" inputs file. Throws InputError naming file, line and field on the first bad
 * row, on an unknown column, on an as-of date after `today` (a vintage cannot come from the future) and on two
 * rows giving different values for the same series, period and as-of.
 */
export function parseWhyTable(table: CsvTable, file: string, today: string): WhyRecord[] {
  const header = table.header.map((c) => c.trim().toLowerCase());
  const allowed = new Set<string>([...WHY_COLUMNS, ...WHY_OPTIONAL_COLUMNS]);
  header.forEach((h, i) => {
    if (!allowed.has(h))
      throw new InputError(
        `unknown column "${table.header[i] ?? h}"; expected ${[...WHY_COLUMNS, ...WHY_OPTIONAL_COLUMNS].join(',')}`,
        { file, line: 1, field: table.header[i] ?? h },
      );
  });
  for (const c of WHY_COLUMNS)
    if (!header.includes(c)) throw new InputError(`missing column "${c}"`, { file, line: 1, field: c });
  const out: WhyRecord[] = [];
  const seen = new Map<string, WhyRecord>();
  const units = new Map<string, { unit: string; line: number }>();
  for (const rec of table.records) {
    if (rec.cells.length > header.length)
      throw new InputError(`${rec.cells.length} cells but the header has ${header.length} columns`, {
        file,
        line: rec.line,
      });
    const raw: Record<string, string> = {};
    header.forEach((h, i) => {
      const cell = rec.cells[i];
      if (cell !== undefined && !(h === 'note' && cell.trim() === '')) raw[h] = cell;
    });
    const parsed = WhyRow.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue ? String(issue.path[0] ?? '') : '';
      const given = raw[field];
      throw new InputError(
        `${issue?.message ?? 'invalid row'}${given !== undefined ? ` (got "${given}")` : ''}`,
        {
          file,
          line: rec.line,
          field,
        },
      );
    }
    const row = parsed.data;
    const v = parseWhyValue(raw['value'] ?? '', row.unit);
    if ('error' in v) throw new InputError(v.error, { file, line: rec.line, field: 'value' });
    if (row.as_of > today)
      throw new InputError(
        `as_of ${row.as_of} is after today (${today}): a vintage cannot come from the future`,
        {
          file,
          line: rec.line,
          field: 'as_of',
        },
      );
    const r: WhyRecord = {
      line: rec.line,
      series: whySeriesId(row.kind, row.group, row.metric),
      kind: row.kind,
      group: row.group,
      metric: row.metric,
      period: row.period,
      value: v.value,
      unit: row.unit,
      asOf: row.as_of,
      source: row.source,
      note: row.note && row.note !== '' ? row.note : null,
    };
    const unitOf = units.get(r.series);
    if (unitOf && unitOf.unit !== r.unit)
      throw new InputError(`${r.series} is in ${unitOf.unit} on line ${unitOf.line} but in ${r.unit} here`, {
        file,
        line: rec.line,
        field: 'unit',
      });
    if (!unitOf) units.set(r.series, { unit: r.unit, line: rec.line });
    const key = `${r.series}|${r.period}|${r.asOf}`;
    const prev = seen.get(key);
    if (prev && (prev.value !== r.value || prev.unit !== r.unit))
      throw new InputError(
        `${r.series} ${r.period} as of ${r.asOf} is ${r.value} here but ${prev.value} on line ${prev.line}`,
        { file, line: rec.line, field: 'value' },
      );
    if (!prev) {
      seen.set(key, r);
      out.push(r);
    }
  }
  return out;
}
