/**
 * The one rule for names that enter the store, shared by every entry point (file import, sync, the why importers,
 * the config, CLI arguments). A name is plain ASCII: no quotes, spaces, control, zero-width or bidi characters, and
 * it never starts with a character a spreadsheet reads as a formula (`=`, `+`, `-`, `@`).
 */

/** Tickers and index symbols: `IWM`, `^RUT`, `BRK.B`, `ES=F`, `IWM.US`. Stored upper-cased. */
export const SYMBOL_PATTERN = '[A-Za-z0-9^][A-Za-z0-9^._:=\\-]{0,31}';
export const SYMBOL_RE = new RegExp(`^${SYMBOL_PATTERN}$`);
export const SYMBOL_RULE = 'use 1-32 letters, digits or ^ . _ : = -, starting with a letter, digit or ^';

/** Series ids: `DGS10`, `ici:equity_domestic`, `prices:a_b`. Case is kept (FRED ids are upper case already). */
export const SERIES_ID_PATTERN = '[A-Za-z0-9^][A-Za-z0-9^._:=\\-]{0,79}';
export const SERIES_ID_RE = new RegExp(`^${SERIES_ID_PATTERN}$`);
export const SERIES_ID_RULE = 'use 1-80 letters, digits or ^ . _ : = -, starting with a letter, digit or ^';

/** The stored spelling of a ticker: upper case, so `iwm` and `IWM` are one symbol. */
export const normalizeTicker = (symbol: string): string => symbol.trim().toUpperCase();

/** A name shown in an error: quoted, cut to 40 characters, with invisible characters made visible. */
export function quoteName(s: string): string {
  const shown = [...s.slice(0, 40)]
    .map((ch) => {
      const c = ch.codePointAt(0) ?? 0;
      return c < 0x20 || (c >= 0x7f && c < 0xa0) || /[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/.test(ch)
        ? `\\u{${c.toString(16)}}`
        : ch;
    })
    .join('');
  return `"${shown}${s.length > 40 ? '…' : ''}"`;
}

/**
 * A plain decimal number as text: optional sign, digits with an optional fraction, optional exponent. No hex
 * (`0x10`), no digit separators (`1_000`), no `Infinity`: what `Number()` or a SQL cast would also accept.
 */
export const DECIMAL_PATTERN = '\\s*[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?\\s*';
export const DECIMAL_RE = new RegExp(`^${DECIMAL_PATTERN}$`);

/** The number a decimal text stands for, or null when it is not a plain finite decimal. */
export function parseDecimal(text: string): number | null {
  if (!DECIMAL_RE.test(text)) return null;
  const x = Number(text);
  return Number.isFinite(x) ? x : null;
}
