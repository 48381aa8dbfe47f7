import { describe, expect, it } from 'vitest';
import type { TradingDate } from '../../shared/brand.js';
import { definitionsVerdict, shownOf, type ClaimEvaluation } from '../claim.js';
import type { PeriodRow } from '../precedents.js';
import { canonicalSymbol, sameInstrument, symbolAliases } from '../symbols.js';
import { readArticle, sniffArticleFormat, splitSentences } from './article.js';
import { checkExtreme, checkLargestSince, figureMatches } from './evaluate.js';
import { matchAt } from './pattern.js';
import { tokenise } from './tokens.js';
import { ELECTION_DAYS, readWindowAt } from './windows.js';

const D = '2026-01-12' as TradingDate;

describe('tokenise', () => {
  it('keeps percentages, money and points as typed, with their precision', () => {
    const t = tokenise('CPI at 2.7%, $900 million out, $8.3B in, down 63 points in 2026');
    const pick = t.filter((x) => x.kind !== 'word' && x.kind !== 'punct');
    expect(pick.map((x) => [x.kind, x.value, x.decimals])).toEqual([
      ['percent', 0.027, 1],
      ['money', 9e8, 0],
      ['money', 8.3e9, 1],
      ['number', 63, 0],
      ['year', 2026, 0],
    ]);
  });
  it('keeps spans that quote the sentence', () => {
    const s = 'The Russell 2000’s lead';
    for (const t of tokenise(s)) expect(s.slice(t.start, t.end)).toBe(t.text);
  });
  it('reads possessives as the noun', () => {
    expect(tokenise("small caps' lead").map((t) => t.norm)).toEqual(['small', 'caps', 'lead']);
  });
});

describe('phrase patterns', () => {
  it('matches optional words and captures slots', () => {
    const t = tokenise('for the first time since 2019');
    const m = matchAt(t, 0, '?for ?the first time since <year>');
    expect(m?.end).toBe(6);
    expect(m?.captures.map((c) => c.value)).toEqual([2019]);
    expect(matchAt(tokenise('first time since 2019'), 0, '?for ?the first time since <year>')?.end).toBe(4);
  });
  it('mixes words and slots in one alternative', () => {
    expect(matchAt(tokenise('to start 2026'), 0, 'to start the|<year>')?.captures[0]?.value).toBe(2026);
    expect(matchAt(tokenise('to start the'), 0, 'to start the|<year>')?.captures).toEqual([]);
  });
  it('counts number words', () => {
    expect(matchAt(tokenise('in seven years'), 0, 'in <count> years')?.captures[0]?.value).toBe(7);
  });
});

describe('windows anchored on the article date', () => {
  const w = (s: string, date: TradingDate | null = D) => readWindowAt(tokenise(s), 0, s, date)?.reading;
  it('reads "to start the year" in January as the sessions so far', () => {
    expect(w('to start the year')).toMatchObject({ window: { kind: 'first', sessions: 7 }, year: 2026 });
  });
  it('reads "last week" as the previous Monday to Friday', () => {
    expect(w('last week')).toMatchObject({ window: { kind: 'range', from: '2026-01-05', to: '2026-01-09' } });
  });
  it('reads "since the election" from the latest presidential election day, and says so', () => {
    const r = w('since the election');
    expect(r).toMatchObject({ window: { kind: 'range', from: '2024-11-06', to: D } });
    expect(r && 'note' in r && r.note).toMatch(/2024-11-05/);
    expect(ELECTION_DAYS).toContain('2024-11-05');
  });
  it('reads a month without a year as the latest such month up to the date', () => {
    expect(w('in December')).toMatchObject({ window: { kind: 'month', month: 12 }, year: 2025 });
    expect(w('in January')).toMatchObject({ window: { kind: 'month', month: 1 }, year: 2026 });
  });
  it('needs the date for relative windows', () => {
    expect(w('this month', null)).toMatchObject({
      problem: expect.stringMatching(/needs the article's date/),
    });
  });
});

describe('articles', () => {
  it('splits sentences but not after U.S., Jan. or inside 2.7%', () => {
    expect(splitSentences('U.S. stocks rose 2.7% on Jan. 7. Small caps led. Why? Nobody knows.')).toEqual([
      'U.S. stocks rose 2.7% on Jan. 7.',
      'Small caps led.',
      'Why?',
      'Nobody knows.',
    ]);
  });
  it('reads HTML: scripts dropped, entities decoded, headings marked, dateline found', () => {
    const html =
      '<html><head><title>x</title><script>var a = "Small caps beat Big Tech in 2024.";</script></head><body>' +
      '<h1>Small caps &amp; Big Tech</h1><p>NEW YORK, Jan. 12, 2026 &mdash; Small caps led.</p></body></html>';
    expect(sniffArticleFormat(html)).toBe('html');
    const a = readArticle(html);
    expect(a.sentences.map((s) => [s.text, s.heading])).toEqual([
      ['Small caps & Big Tech', true],
      ['NEW YORK, Jan. 12, 2026 — Small caps led.', false],
    ]);
    expect(a.dateline).toBe('2026-01-12');
  });
  it('reads Markdown: link targets and emphasis dropped, list items are paragraphs', () => {
    const md =
      '# Title\n\n*Published 2026-01-12*\n\n- Small caps **led** [the market](http://x).\n- Tech lagged.';
    const a = readArticle(md);
    expect(a.format).toBe('markdown');
    expect(a.sentences.map((s) => s.text)).toEqual([
      'Title',
      'Published 2026-01-12',
      'Small caps led the market.',
      'Tech lagged.',
    ]);
    expect(a.dateline).toBe('2026-01-12');
  });
  it('has no dateline when none is written', () => {
    expect(readArticle('Small caps led.').dateline).toBeNull();
  });
});

describe('one alias table for symbols', () => {
  it('knows ^SPX and ^GSPC are one instrument, case-insensitively', () => {
    expect(symbolAliases('^SPX')).toEqual(['^SPX', '^GSPC', 'SPX', '$SPX', '.SPX', '.INX']);
    expect(canonicalSymbol('^spx')).toBe('^GSPC');
    expect(sameInstrument('^GSPC', '^SPX')).toBe(true);
    expect(sameInstrument('DJIA', '^DJI')).toBe(true);
    expect(sameInstrument('SPY', '^GSPC')).toBe(false);
  });
  it('returns a symbol without aliases alone', () => {
    expect(symbolAliases('IWM')).toEqual(['IWM']);
  });
});

describe('checks of levels and figures', () => {
  const dates = ['2025-01-02', '2025-03-03', '2025-06-02', '2025-12-31', '2026-01-12'] as TradingDate[];
  const ext = (months: number | null, approx: boolean, record = false, sinceYear: number | null = null) =>
    ({ kind: 'extreme', side: 'high', months, approx, sinceYear, sinceMonth: null, record }) as const;
  it('finds the last close at least as high and measures the gap', () => {
    const c = checkExtreme(dates, [100, 120, 110, 105, 115], 4, ext(12, true));
    expect(c.lastBeyond).toBe('2025-03-03');
    expect(c.gapMonths).toBe(10);
    expect(c.status, 'ten months is "nearly a year"').toBe('holds');
    expect(checkExtreme(dates, [100, 120, 110, 105, 115], 4, ext(12, false)).status, 'not a full year').toBe(
      'fails',
    );
  });
  it('holds a record only without any higher close', () => {
    expect(checkExtreme(dates, [100, 120, 110, 105, 125], 4, ext(null, false, true)).status).toBe('holds');
    expect(checkExtreme(dates, [100, 120, 110, 105, 115], 4, ext(null, false, true)).status).toBe('fails');
  });
  it('checks "since YEAR" against the year of the last higher close', () => {
    expect(checkExtreme(dates, [100, 120, 110, 105, 115], 4, ext(null, false, false, 2025)).status).toBe(
      'holds',
    );
    expect(checkExtreme(dates, [100, 120, 110, 105, 115], 4, ext(null, false, false, 2024)).status).toBe(
      'fails',
    );
  });
  it('matches a figure within the rounding it was printed with', () => {
    expect(figureMatches(0.062, 0.06204, 1, 100)).toBe(true);
    expect(figureMatches(0.062, 0.0626, 1, 100)).toBe(false);
    expect(figureMatches(0.06, 0.0649, 0, 100)).toBe(true);
    expect(figureMatches(-63, -63.4, 0, 1)).toBe(true);
    expect(figureMatches(-63, 63, 0, 1), 'the sign must agree').toBe(false);
  });
  it('checks "the widest margin since YEAR" year by year', () => {
    const row = (year: number, spread: number, complete = true) =>
      ({
        year,
        spread,
        complete,
        hit: spread > 0,
        retA: 0,
        retB: 0,
        baseDate: '',
        endDate: '',
      }) as unknown as PeriodRow;
    const rows = [row(2020, 0.02), row(2021, 0.08), row(2022, 0.01), row(2025, 0.03), row(2026, 0.05)];
    expect(checkLargestSince(rows, 2026, 2021).status).toBe('holds');
    expect(checkLargestSince(rows, 2026, 2020)).toMatchObject({ status: 'fails', widerYear: 2021 });
    expect(checkLargestSince([...rows.slice(0, 4), row(2026, 0.05, false)], 2026, 2021).status).toBe(
      'pending',
    );
  });
});

describe('verdicts over definitions', () => {
  const ev = (status: ClaimEvaluation['status']): ClaimEvaluation => ({
    status,
    happened: null,
    spread: null,
    lastBefore: null,
    reason: '',
  });
  it('is pending when the window as stated is not over, whatever other windows say', () => {
    const rows = [
      { evaluation: ev('pending'), asStated: true },
      { evaluation: ev('holds'), asStated: false },
    ];
    expect(definitionsVerdict(rows).verdict).toBe('pending');
  });
  it('depends on the definition when some hold and some fail; needs data with none measurable', () => {
    expect(
      definitionsVerdict([
        { evaluation: ev('holds'), asStated: true },
        { evaluation: ev('fails'), asStated: false },
      ]).verdict,
    ).toBe('depends on definition');
    expect(definitionsVerdict([{ evaluation: ev('no data'), asStated: true }]).verdict).toBe('needs data');
  });
  it('says how much of a list is shown', () => {
    expect(shownOf(6, 11)).toBe('6 of 11 shown');
    expect(shownOf(3, 3)).toBe('all 3');
  });
});
