/**
 * The bodies of the API's answers. CSV for the table endpoints (RFC 4180). A cell that a spreadsheet would run as a formula (= + - @, tab, CR) is
 * prefixed with `'`, so a symbol or a note can never become a formula; numbers are written as numbers.
 */
export function csvOf(headers: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const lines = [headers.map(cell).join(',')];
  for (const r of rows) lines.push(r.map(cell).join(','));
  return lines.join('\r\n') + '\r\n';
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  let s = typeof v === 'string' ? v : JSON.stringify(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * An API answer's JSON: compact (the value `--format json` prints, without its indentation: the race's 89 kB
 * become 61 kB, and the bytes are what a cached answer costs to send and to read), ending in a newline.
 */
export const jsonBody = (value: unknown): string => `${JSON.stringify(value)}\n`;
