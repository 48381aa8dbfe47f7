import { describe, expect, it } from 'vitest';
import type { TradingDate } from '../../shared/brand.js';
import { formatWindow } from '../window.js';
import { readSentence, type Reading } from './read.js';

/**
 * The claim reader's corpus: sentences written in our own words in the style of market coverage, each with its
 * expected reading. A reading is summarised as one line per claim:
 *   rel A>B WINDOW YEAR [since:Y | in:N | widest:Y] [not]   relative performance (A did better)
 *   move LEG ±VALUE UNIT [WINDOW YEAR]                      a move of one market we can compute
 *   ext LEG high|low (record | months:N | since:Y[-M])      a level extreme of one market
 *   fig TOPIC ±VALUE UNIT reported|computed                 someone's figure (estimate, count, consensus)
 *   opinion | unsure                                        not checkable | the reader says it is not sure
 */
const D = '2026-01-12' as TradingDate;

function summary(r: Reading): string {
  const w = (x: { window: { window: Parameters<typeof formatWindow>[0]; year: number } | null }) =>
    x.window ? ` ${formatWindow(x.window.window)} ${x.window.year}` : '';
  switch (r.kind) {
    case 'relative': {
      const p = r.precedent;
      const ps = !p
        ? ''
        : p.kind === 'first-since'
          ? ` since:${p.year}`
          : p.kind === 'first-in'
            ? ` in:${p.years}`
            : p.kind === 'largest-since'
              ? ` widest:${p.year}`
              : ` ${p.kind}`;
      return `rel ${r.a.symbol}>${r.b.symbol}${w(r)}${ps}${r.negated ? ' not' : ''}`;
    }
    case 'move':
      return `move ${r.leg.symbol} ${r.value > 0 ? '+' : ''}${r.value} ${r.unit}${w(r)}`;
    case 'extreme': {
      const p = r.precedent;
      if (p.kind !== 'extreme') return 'ext ?';
      const what = p.record
        ? 'record'
        : p.months !== null
          ? `months:${p.months}`
          : `since:${p.sinceYear ?? ''}${p.sinceMonth ? `-${p.sinceMonth}` : ''}`;
      return `ext ${r.leg.symbol} ${p.side} ${what}`;
    }
    case 'figure':
      return `fig ${r.topic ?? '-'} ${r.value > 0 ? '+' : ''}${r.value} ${r.unit} ${r.reported ? 'reported' : 'computed'}`;
    case 'opinion':
    case 'unsure':
      return r.kind;
  }
}

const CORPUS: readonly [string, string[]][] = [
  // relative performance, common verbs and legs
  ['Small caps beat Big Tech to start the year.', ['rel ^RUT>^NDX first:7 2026']],
  [
    'The Russell 2000 outperformed the Nasdaq-100 to start 2026, the first time in seven years.',
    ['rel ^RUT>^NDX first:7 2026 in:7'],
  ],
  [
    'The Russell 2000 beat the Nasdaq 100 over the first five trading days of the year for the first time since 2019.',
    ['rel ^RUT>^NDX first:5 2026 since:2019'],
  ],
  [
    'Small-cap stocks have left the Magnificent Seven in the dust so far this year.',
    ['rel ^RUT>MAG7 ytd 2026'],
  ],
  ['Big Tech has lagged small caps year to date.', ['rel ^RUT>^NDX ytd 2026']],
  ['The tech titans trailed the Russell 2000 in the first week of the year.', ['rel ^RUT>^NDX first:5 2026']],
  ['Megacaps underperformed the equal-weight S&P 500 in December.', ['rel RSP>^NDX dec 2025']],
  ['The S&P 500 topped the Dow in 2025.', ['rel ^GSPC>^DJI year 2025']],
  ['Small caps outpaced the S&P 500 last week.', ['rel ^RUT>^GSPC range:2026-01-05..2026-01-09 2026']],
  [
    'Homebuilders outperformed the broader S&P 500 this month.',
    ['rel ITB>^GSPC range:2026-01-01..2026-01-12 2026'],
  ],
  [
    'Transports have beaten the Dow Jones Industrial Average since the election.',
    ['rel IYT>^DJI range:2024-11-06..2026-01-12 2026'],
  ],
  ['Housing stocks led the S&P 500 in January 2025.', ['rel XHB>^GSPC jan 2025']],
  ['Semiconductors outperformed the Nasdaq-100 in the fourth quarter of 2025.', ['rel SMH>^NDX q4 2025']],
  ['Financials beat the tech sector in 2024.', ['rel XLF>^NDX year 2024']],
  ['Energy stocks lagged the S&P 500 over the first 10 sessions of 2025.', ['rel ^GSPC>XLE first:10 2025']],
  ['The Russell 2000 is ahead of the Nasdaq-100 so far in 2026.', ['rel ^RUT>^NDX ytd 2026']],
  ['Small caps did not beat the S&P 500 in January 2025.', ['rel ^RUT>^GSPC jan 2025 not']],
  ['Small caps failed to outperform Big Tech in 2024.', ['rel ^RUT>^NDX year 2024 not']],
  [
    "The Russell 2000's lead over the Nasdaq-100 this year is the widest since 2021.",
    ['rel ^RUT>^NDX ytd 2026 widest:2021'],
  ],
  [
    'Small caps are beating the Nasdaq-100 in January by the widest margin since 2021.',
    ['rel ^RUT>^NDX jan 2026 widest:2021'],
  ],
  ['Utilities outperformed technology stocks in the first quarter of 2025.', ['rel XLU>^NDX q1 2025']],
  ['Health care trailed the S&P 500 in November.', ['rel ^GSPC>XLV nov 2025']],
  ['The Mag 7 beat the Russell 2000 in 2024.', ['rel MAG7>^RUT year 2024']],
  ['IWM beat QQQ over the first seven sessions of 2026.', ['rel IWM>QQQ first:7 2026']],
  ['SPY topped the DIA fund in 2024.', ['rel SPY>DIA year 2024']],
  ['Smaller companies outran the megacaps on Friday.', ['rel ^RUT>^NDX range:2026-01-09..2026-01-09 2026']],
  ['The Nasdaq Composite trailed the Russell 2000 so far this year.', ['rel ^RUT>^IXIC ytd 2026']],
  ['Growth stocks lagged value stocks last month.', ['rel IWD>IWF dec 2025']],
  ['Mid caps edged out large-cap tech in 2023.', ['rel MDY>^NDX year 2023']],
  // moves of one market
  [
    'The Russell 2000 rose 6.2% in the first seven sessions of the year.',
    ['move ^RUT +0.062 fraction first:7 2026'],
  ],
  ['The Dow fell 63 points on Friday.', ['move ^DJI -63 points range:2026-01-09..2026-01-09 2026']],
  ['The S&P 500 gained 1.8% last week.', ['move ^GSPC +0.018 fraction range:2026-01-05..2026-01-09 2026']],
  ['The Nasdaq-100 slipped 0.4% on Monday.', ['move ^NDX -0.004 fraction range:2026-01-12..2026-01-12 2026']],
  ['Small caps are up 6% so far this year.', ['move ^RUT +0.06 fraction ytd 2026']],
  // extremes
  ['The Russell 2000 closed at a record high.', ['ext ^RUT high record']],
  ['The Russell 2000 closed at its highest level in nearly a year.', ['ext ^RUT high months:12']],
  ['The S&P 500 hit its highest since March 2025.', ['ext ^GSPC high since:2025-3']],
  ['Homebuilders fell to their lowest in six months.', ['ext ITB low months:6']],
  ['The Nasdaq-100 touched an all-time high.', ['ext ^NDX high record']],
  // reported figures: earnings, CPI, flows, futures, positioning
  [
    'Fourth-quarter earnings for S&P 500 technology companies are expected to grow 20%, according to BofA.',
    ['fig earnings +0.2 fraction reported'],
  ],
  ['Profits for the rest of the index are seen rising just 1%.', ['fig earnings +0.01 fraction reported']],
  [
    "Growth stocks' earnings are forecast to rise 30% in 2026, versus 9% for value stocks.",
    ['fig earnings +0.3 fraction reported', 'fig earnings +0.09 fraction reported'],
  ],
  [
    'Industrials are expected to post earnings growth of 13% this year.',
    ['fig earnings +0.13 fraction reported'],
  ],
  ['Economists expect December CPI at 2.7%.', ['fig cpi +0.027 fraction reported']],
  [
    'Consumer prices are forecast to have risen 2.7% from a year earlier.',
    ['fig cpi +0.027 fraction reported'],
  ],
  [
    'Investors pulled $900 million from technology sector funds last week.',
    ['fig flows -900000000 usd reported'],
  ],
  ['Other sector funds took in $8.3 billion.', ['fig flows +8300000000 usd reported']],
  ['Dow futures were down 63 points before the open.', ['fig futures -63 points reported']],
  [
    'S&P 500 futures slipped 0.2% and Nasdaq-100 futures fell 0.3%.',
    ['fig futures -0.002 fraction reported', 'fig futures -0.003 fraction reported'],
  ],
  [
    'Traders are pricing in a 75% chance of a cut by March, according to CME FedWatch.',
    ['fig fed +0.75 fraction reported'],
  ],
  [
    'Hedge funds hold net short positions equal to 12% of open interest in Russell futures, CFTC data show.',
    ['fig positioning +0.12 fraction reported'],
  ],
  // figures we do not compute
  ['The 10-year Treasury yield rose to 4.18%.', ['fig yields +0.0418 fraction computed']],
  ['Unemployment held at 4.4%.', ['fig jobs +0.044 fraction computed']],
  // opinions and forecasts
  ['Small caps could keep outperforming if the Fed keeps cutting.', ['opinion']],
  ['We think small caps will beat Big Tech this year.', ['opinion']],
  ['Strategists say the rotation into smaller companies may have further to run.', ['opinion']],
  ['Is this finally the year of the small cap?', ['opinion']],
  ['The rally looks overextended.', ['opinion']],
  ['Traders expect the Federal Reserve to cut rates twice this year.', ['opinion']],
  ['Positioning has turned more bullish on small caps, strategists said.', ['opinion']],
  ['Investors are rotating out of crowded trades.', ['opinion']],
  ['Small caps are poised to outperform Big Tech in 2026.', ['opinion']],
  ['Big Tech may lag the Russell 2000 for the rest of the year.', ['opinion']],
  // the reader is not sure
  ['Small caps beat expectations.', ['unsure']],
  ['Small caps are beating Big Tech.', ['unsure']],
  ['Stocks rose 2%.', ['unsure']],
  ['The market outperformed.', ['unsure']],
  ['Small caps beat Big Tech in 2024, but lagged in 2025.', ['rel ^RUT>^NDX year 2024', 'unsure']],
  [
    'Small caps rose 10% in 2025 versus 20% for the Nasdaq-100.',
    ['move ^RUT +0.1 fraction year 2025', 'move ^NDX +0.2 fraction year 2025'],
  ],
  ['The Russell 2000 is on pace for its best January since 2019.', ['unsure']],
  ['Nvidia has outperformed the S&P 500 so far this year.', ['rel NVDA>^GSPC ytd 2026']],
  ['Small caps outperformed large caps in January.', ['rel ^RUT>^GSPC jan 2026']],
  ['The Russell 2000 has beaten the S&P 500 in 9 of the past 12 Januaries.', ['unsure']],
];

describe('the claim reader corpus (dated 2026-01-12)', () => {
  it(`holds at least 60 sentences (${CORPUS.length})`, () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(60);
  });
  for (const [sentence, expected] of CORPUS)
    it(`reads “${sentence}”`, () => {
      expect(readSentence(sentence, D).map(summary), sentence).toEqual(expected);
    });
});

describe('the claim reader without a date', () => {
  it('says a relative window needs the article date', () => {
    const [r] = readSentence('Small caps beat Big Tech so far this year.', null);
    expect(r?.kind).toBe('unsure');
    expect(r?.kind === 'unsure' && r.why).toMatch(/needs the article's date/);
  });
  it('reads a window with its own year', () => {
    expect(readSentence('Small caps beat Big Tech in January 2025.', null).map(summary)).toEqual([
      'rel ^RUT>^NDX jan 2025',
    ]);
  });
});
