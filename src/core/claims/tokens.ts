/**
 * The claim reader's tokeniser: a sentence becomes words, numbers, percentages, money amounts, years and
 * punctuation, each with its character span in the sentence (so a reading can quote what it read).
 *
 * Numbers keep what the writer typed: "2.7%" is a percent token with value 0.027 and 1 decimal; "$900 million" is
 * one money token of 9e8; "63" is a number. A four-digit number from 1900 to 2099 is a year.
 */
export type TokenKind = 'word' | 'number' | 'percent' | 'money' | 'year' | 'punct';

export type Token = {
  kind: TokenKind;
  /** The text as written. */
  text: string;
  /** Lower-case, apostrophes and hyphens normalised ("S&P" -> "s&p", "small-cap" -> "small-cap"). */
  norm: string;
  start: number;
  end: number;
  /** Numbers: the value (percent as a fraction, money in dollars). */
  value?: number;
  /** Numbers: decimals as written ("2.7" -> 1), so a comparison knows the figure's precision. */
  decimals?: number;
};

const SCALE: Readonly<Record<string, number>> = {
  thousand: 1e3,
  k: 1e3,
  million: 1e6,
  mn: 1e6,
  m: 1e6,
  billion: 1e9,
  bn: 1e9,
  b: 1e9,
  trillion: 1e12,
  tn: 1e12,
};

const WORD = /[A-Za-z\u00C0-\u024F^&][A-Za-z0-9\u00C0-\u024F&'’.-]*/y;
const NUM = /[-−+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|[-−+]?\d+(?:\.\d+)?/y;
const SPACE = /\s+/y;

/** Cuts float noise from scaling ("2.7" / 100 is 0.027000000000000003): 12 significant digits are plenty. */
const clean = (x: number) => Number(x.toPrecision(12));

function decimalsOf(s: string): number {
  const i = s.indexOf('.');
  return i < 0 ? 0 : s.length - i - 1;
}

/** Splits a sentence into tokens (pure; never throws). */
export function tokenise(sentence: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const at = (re: RegExp): string | null => {
    re.lastIndex = i;
    const m = re.exec(sentence);
    return m ? m[0] : null;
  };
  while (i < sentence.length) {
    const sp = at(SPACE);
    if (sp) {
      i += sp.length;
      continue;
    }
    const ch = sentence[i] as string;
    // $900 million, $8.3B, $1.2 trillion
    if (ch === '$') {
      i++;
      const n = at(NUM);
      if (!n) {
        out.push({ kind: 'punct', text: '$', norm: '$', start: i - 1, end: i });
        continue;
      }
      const start = i - 1;
      i += n.length;
      let value = Number(n.replace(/,/g, '').replace('−', '-'));
      const digits = n;
      // a scale word directly attached (8.3B) or after a space (900 million)
      WORD.lastIndex = i;
      const attached = WORD.exec(sentence);
      let end = i;
      if (attached && SCALE[attached[0].toLowerCase()] !== undefined) {
        value *= SCALE[attached[0].toLowerCase()] as number;
        end = i + attached[0].length;
      } else {
        const rest = /\s+([A-Za-z]+)/y;
        rest.lastIndex = i;
        const m = rest.exec(sentence);
        if (m && SCALE[(m[1] as string).toLowerCase()] !== undefined && (m[1] as string).length > 1) {
          value *= SCALE[(m[1] as string).toLowerCase()] as number;
          end = i + m[0].length;
        }
      }
      i = end;
      value = clean(value);
      out.push({
        kind: 'money',
        text: sentence.slice(start, end),
        norm: sentence.slice(start, end).toLowerCase(),
        start,
        end,
        value,
        decimals: decimalsOf(digits),
      });
      continue;
    }
    const n = /[\d−+-]/.test(ch) ? at(NUM) : null;
    if (n && /\d/.test(n)) {
      const start = i;
      i += n.length;
      const raw = n.replace(/,/g, '').replace('−', '-');
      const value = Number(raw);
      const pct = /\s*(%|percent\b|per cent\b|pct\b)/y;
      pct.lastIndex = i;
      const p = pct.exec(sentence);
      if (p) {
        i += p[0].length;
        out.push({
          kind: 'percent',
          text: sentence.slice(start, i),
          norm: sentence.slice(start, i).toLowerCase(),
          start,
          end: i,
          value: clean(value / 100),
          decimals: decimalsOf(raw),
        });
        continue;
      }
      const isYear = /^\d{4}$/.test(raw) && value >= 1900 && value <= 2099;
      out.push({
        kind: isYear ? 'year' : 'number',
        text: n,
        norm: n,
        start,
        end: i,
        value,
        decimals: decimalsOf(raw),
      });
      continue;
    }
    const w = at(WORD);
    if (w) {
      // a trailing full stop belongs to the sentence, not the word, unless the word is an abbreviation (U.S.)
      let word = w;
      if (word.endsWith('.') && !/^([A-Za-z]\.)+$/.test(word)) word = word.replace(/\.+$/, '');
      out.push({
        kind: 'word',
        text: word,
        // possessives read as the noun: "caps'" -> "caps", "Russell's" -> "russell"
        norm: word.toLowerCase().replace(/’/g, "'").replace(/'s?$/, ''),
        start: i,
        end: i + word.length,
      });
      i += word.length;
      continue;
    }
    out.push({ kind: 'punct', text: ch, norm: ch, start: i, end: i + 1 });
    i++;
  }
  return out;
}
