import { it } from 'vitest';
import { readSentence, describeReading } from './read.js';
const S = [
  'The Russell 2000 outperformed Big Tech to start 2026, the first time in seven years.',
  'Small caps have beaten the Nasdaq-100 so far this year.',
  'Small-cap stocks left the Magnificent Seven in the dust in the first week of the year.',
  'The Russell 2000 lagged the S&P 500 in 2025.',
  'Big Tech trailed small caps last week.',
  'Tech earnings are expected to grow 20% in the fourth quarter, according to BofA.',
  'Economists expect December CPI at 2.7%.',
  'Tech sector funds saw $900 million in outflows last week.',
  'Dow futures were down 63 points.',
  'The Russell 2000 closed at its highest in nearly a year.',
  'Small caps could keep outperforming if the Fed keeps cutting.',
  'Is this the year small caps finally win?',
  'The Russell 2000 rose 6.2% in the first seven sessions of the year.',
  'Small caps beat Big Tech since the election.',
  'Small caps did not beat the S&P 500 in January 2025.',
  'The S&P 500 rose 1% on Friday.',
  'Small caps beat expectations.',
];
it('try', () => {
  for (const s of S) console.log(s, '\n   ', readSentence(s, '2026-01-12' as never).map(describeReading).join(' | '));
});
