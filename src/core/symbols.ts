/**
 * One alias table for symbols: the spellings different providers and people use for the same instrument. Yahoo
 * writes the S&P 500 `^GSPC`, Stooq and many CSV exports `^SPX`; the Dow is `^DJI` or `DJIA`; FRED's Nasdaq
 * Composite is `NASDAQCOM`. Every lookup (Store.resolveSymbol), the claim reader and import use this table, so a
 * file that stored `^SPX` is found when a user (or a claim) asks for `^GSPC`, and the other way round.
 *
 * A group lists spellings of one instrument only: an ETF that tracks an index (SPY for the S&P 500) is a different
 * instrument (a twin, see core/claim.ts), never an alias.
 */
export const SYMBOL_ALIASES: readonly (readonly string[])[] = [
  ['^GSPC', '^SPX', 'SPX', '$SPX', '.SPX', '.INX'],
  ['^DJI', '^DJIA', 'DJIA', '$DJI', '.DJI'],
  ['^IXIC', 'NASDAQCOM', '^COMP', 'COMP', '$COMPX', '.IXIC'],
  ['^NDX', 'NDX', '$NDX', '.NDX'],
  ['^RUT', 'RUT', '$RUT', '.RUT'],
  ['^VIX', 'VIX', 'VIXCLS', '$VIX', '.VIX'],
  ['^DJT', 'DJT', '$DJT', '.DJT'],
  ['BRK-B', 'BRK.B', 'BRK/B'],
  ['BRK-A', 'BRK.A', 'BRK/A'],
];

const BY_LOWER: ReadonlyMap<string, readonly string[]> = new Map(
  SYMBOL_ALIASES.flatMap((group) => group.map((s) => [s.toLowerCase(), group] as const)),
);

/**
 * Every spelling of the instrument `text` names, `text` itself first, then the group in table order (the first is
 * the canonical spelling). Case-insensitive; a symbol with no aliases returns `[text]`.
 */
export function symbolAliases(text: string): string[] {
  const group = BY_LOWER.get(text.trim().toLowerCase());
  if (!group) return [text];
  return [text, ...group.filter((s) => s.toLowerCase() !== text.trim().toLowerCase())];
}

/** The canonical spelling (first of its alias group), or the text itself when it has no aliases. */
export function canonicalSymbol(text: string): string {
  return BY_LOWER.get(text.trim().toLowerCase())?.[0] ?? text;
}

/** True when two spellings name the same instrument (case-insensitive, through the alias table). */
export function sameInstrument(x: string, y: string): boolean {
  return canonicalSymbol(x).toLowerCase() === canonicalSymbol(y).toLowerCase();
}
