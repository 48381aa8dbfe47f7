/**
 * The claim reader's words: the names people give the legs of a race, the verbs of relative performance, and the
 * words that mark an estimate or an opinion. Phrases are patterns (see pattern.ts), matched longest first.
 */

/** A market a sentence can name: its main definition (the index when there is one) and the name we print. */
export type LegEntry = { symbol: string; name: string; patterns: readonly string[] };

export const LEGS: readonly LegEntry[] = [
  {
    symbol: 'MAG7',
    name: 'the Magnificent 7',
    patterns: ['?the magnificent 7|seven', '?the mag 7|seven', '?the mag7|mag-7'],
  },
  {
    symbol: '^RUT',
    name: 'the Russell 2000',
    patterns: [
      '?the russell 2000 ?index',
      '?the russell-2000',
      '?the small-cap russell 2000 ?index',
      '?the small-cap|smallcap index|benchmark',
      'small|small-cap cap|caps|stocks',
      'small-caps|smallcaps|small-cap',
      'small-company stocks|shares',
      'smaller companies|stocks',
      '?the rut|^rut',
      'russell',
    ],
  },
  {
    symbol: '^NDX',
    name: 'the Nasdaq-100',
    patterns: [
      '?the nasdaq-100|nasdaq100|ndx|^ndx',
      '?the nasdaq 100 ?index',
      '?the tech-heavy nasdaq-100',
      'big|large-cap tech|technology ?stocks|names|shares',
      'big-tech ?stocks',
      '?the tech titans|giants|heavyweights|megacaps',
      '?the megacaps|mega-caps|megacap|mega-cap ?tech|technology ?stocks|names',
      'mega caps|cap',
      'tech|technology stocks|shares|names',
      '?the tech|technology sector|stocks',
      'tech|technology',
    ],
  },
  {
    symbol: '^IXIC',
    name: 'the Nasdaq Composite',
    patterns: ['?the nasdaq composite ?index', '?the tech-heavy nasdaq ?composite', '?the nasdaq', '^ixic'],
  },
  {
    symbol: '^GSPC',
    name: 'the S&P 500',
    patterns: [
      '?the broad|broader|benchmark s&p 500 ?index',
      '?the s&p 500 ?index',
      '?the s&p500|sp500|spx|^spx|^gspc',
      '?the large-cap s&p 500',
    ],
  },
  // A fund named by its ticker is that fund (its index is checked beside it, as its twin), not the index.
  { symbol: 'IWM', name: 'IWM', patterns: ['?the iwm ?etf|fund'] },
  { symbol: 'QQQ', name: 'QQQ', patterns: ['?the qqq ?etf|fund'] },
  { symbol: 'SPY', name: 'SPY', patterns: ['?the spy ?etf|fund'] },
  { symbol: 'DIA', name: 'DIA', patterns: ['?the dia ?etf|fund'] },
  { symbol: 'AAPL', name: 'Apple', patterns: ['apple ?inc', 'aapl'] },
  { symbol: 'MSFT', name: 'Microsoft', patterns: ['microsoft ?corp', 'msft'] },
  { symbol: 'NVDA', name: 'Nvidia', patterns: ['nvidia ?corp', 'nvda'] },
  { symbol: 'AMZN', name: 'Amazon', patterns: ['amazon ?.com', 'amazon.com', 'amzn'] },
  { symbol: 'GOOGL', name: 'Alphabet', patterns: ['alphabet ?inc', 'google', 'googl'] },
  { symbol: 'META', name: 'Meta', patterns: ['meta platforms', 'meta'] },
  { symbol: 'TSLA', name: 'Tesla', patterns: ['tesla ?inc', 'tsla'] },
  {
    symbol: '^GSPC',
    name: 'large caps (the S&P 500)',
    patterns: ['large|large-cap caps|stocks|companies', 'large-caps|largecaps'],
  },
  { symbol: 'RSP', name: 'the equal-weight S&P 500', patterns: ['?the equal-weight|equal-weighted s&p 500'] },
  {
    symbol: '^DJI',
    name: 'the Dow',
    patterns: ['?the dow jones industrial average', '?the dow jones ?industrials', '?the dow', '^dji|djia'],
  },
  {
    symbol: 'IYT',
    name: 'transports',
    patterns: ['?the transports', '?the transportation stocks|sector|index'],
  },
  { symbol: 'ITB', name: 'homebuilders', patterns: ['?the homebuilders|homebuilding ?stocks|shares'] },
  { symbol: 'XHB', name: 'housing stocks', patterns: ['?the housing stocks|shares|sector'] },
  {
    symbol: 'SMH',
    name: 'semiconductors',
    patterns: ['?the semiconductors|chipmakers|semis ?stocks', '?the chip stocks|shares|sector'],
  },
  { symbol: 'XLF', name: 'financials', patterns: ['?the financials|banks', '?the financial sector|stocks'] },
  { symbol: 'XLE', name: 'energy', patterns: ['?the energy sector|stocks|shares'] },
  {
    symbol: 'XLV',
    name: 'health care',
    patterns: ['?the health care ?sector|stocks|shares', '?the healthcare ?sector|stocks|shares'],
  },
  { symbol: 'XLI', name: 'industrials', patterns: ['?the industrials', '?the industrial sector|stocks'] },
  { symbol: 'XLU', name: 'utilities', patterns: ['?the utilities', '?the utility sector|stocks'] },
  { symbol: 'XLP', name: 'consumer staples', patterns: ['?the consumer staples ?sector|stocks'] },
  { symbol: 'XLY', name: 'consumer discretionary', patterns: ['?the consumer discretionary ?sector|stocks'] },
  { symbol: 'XLB', name: 'materials', patterns: ['?the materials ?sector|stocks'] },
  { symbol: 'XLRE', name: 'real estate', patterns: ['?the real estate sector|stocks'] },
  { symbol: 'XLC', name: 'communication services', patterns: ['?the communication|communications services'] },
  { symbol: 'IWF', name: 'growth stocks', patterns: ['growth stocks|shares'] },
  { symbol: 'IWD', name: 'value stocks', patterns: ['value stocks|shares'] },
  { symbol: 'MDY', name: 'mid caps', patterns: ['mid|mid-cap caps|stocks', 'midcaps|mid-caps'] },
];

/**
 * Relative-performance verbs. `+1`: the subject did better than the object ("beat"); `-1`: worse ("lagged").
 * `tail` is a phrase that must follow the object ("left Big Tech in the dust").
 */
export type VerbEntry = { pattern: string; direction: 1 | -1; tail?: readonly string[] };

export const RELATIVE_VERBS: readonly VerbEntry[] = [
  {
    pattern:
      'beat|beats|beating|beaten|outperformed|outperform|outperforms|outperforming|outpaced|outpace|outpaces|outpacing|topped|tops|topping|outran|outrun|outrunning|outshone|outshine|outshining|trounced|trouncing|bested|outdid|outgained|outstripped|outstripping|eclipsed|eclipsing|overtook',
    direction: 1,
  },
  { pattern: 'edged|edging out', direction: 1 },
  { pattern: 'led|leads|leading', direction: 1 },
  { pattern: 'ahead of', direction: 1 },
  {
    pattern: 'left|leave|leaving|leaves',
    direction: 1,
    tail: ['in the dust', 'far|well behind', 'behind', 'trailing'],
  },
  {
    pattern:
      'lagged|lag|lags|lagging|trailed|trail|trails|trailing|underperformed|underperform|underperforms|underperforming',
    direction: -1,
  },
  { pattern: 'fell|falling|fallen behind', direction: -1 },
  { pattern: 'behind', direction: -1 },
];

/** Noun forms: "small caps' lead over Big Tech", "the Russell's outperformance versus the Nasdaq-100". */
export const RELATIVE_NOUNS: readonly VerbEntry[] = [
  {
    pattern: '?a lead|edge|advantage|outperformance over|against|versus|vs|vs.',
    direction: 1,
  },
  { pattern: 'underperformance against|versus|vs|vs.|relative', direction: -1 },
];

/** Words that negate the verb that follows ("did not beat", "failed to outperform"). */
export const NEGATIONS: readonly string[] = [
  'not ?yet',
  "didn't|hasn't|haven't|isn't|aren't|wasn't|weren't|doesn't|don't",
  'failed|fail|fails to',
  'never',
];

/**
 * Modal and forecast words: a relative claim carrying them is a forecast or a view, i.e. opinion, not a record
 * of what happened ("could outperform", "are poised to beat", "we expect small caps to lead").
 */
export const HEDGES: readonly string[] = [
  'could|might|may|would|should|will|shall',
  'likely|unlikely|probably|possibly',
  'poised|set|expected|likely|tipped|forecast|predicted|projected to',
  'on track to',
  'we|i think|believe|expect|argue|suspect|reckon',
  'in our|my view|opinion',
  'seems|seem|appear|appears to',
  'if|unless|whether',
];

/** Words marking a third party's estimate, forecast or count: the figure is "reported", not computed by us. */
export const REPORTED_CUES: readonly string[] = [
  'expected|expect|expects|forecast|forecasts|forecasted|estimate|estimates|estimated|projected|projects|projection|consensus|seen|anticipated|predicted|sees|see|pricing|priced',
  'according to',
  'analysts|economists|strategists|traders|investors|survey|poll|polled|data|said|says|reported|reports|shows|showed|per',
  'to grow|rise|fall|increase|decline|climb',
];

/** What a figure is about, when the sentence names it. */
export type Topic = 'earnings' | 'cpi' | 'flows' | 'futures' | 'fed' | 'yields' | 'jobs' | 'positioning';

export const TOPICS: readonly { topic: Topic; pattern: string }[] = [
  { topic: 'futures', pattern: 'futures|future' },
  {
    topic: 'earnings',
    pattern: 'earnings|profits|profit|eps|earnings-per-share|revenue|revenues|sales|margins',
  },
  { topic: 'cpi', pattern: 'cpi|inflation|consumer-price|pce' },
  { topic: 'cpi', pattern: 'consumer prices|price' },
  {
    topic: 'flows',
    pattern: 'outflows|inflows|outflow|inflow|flows|redemptions|withdrew|pulled|poured|yanked|funds|fund',
  },
  { topic: 'flows', pattern: 'took|drew|taking|attracted in' },
  { topic: 'fed', pattern: 'fed|fomc|powell|rate-cut|rate-cuts' },
  { topic: 'fed', pattern: 'federal reserve|funds' },
  { topic: 'fed', pattern: 'rate|interest cut|cuts|hike|hikes' },
  { topic: 'fed', pattern: 'fedwatch|cut|cuts|hike|hikes' },
  { topic: 'yields', pattern: 'yield|yields|treasury|treasuries|bond' },
  { topic: 'jobs', pattern: 'payrolls|jobs|unemployment|jobless' },
  { topic: 'positioning', pattern: 'positioning|net-long|net-short|shorts|short|long|cot|cftc' },
  { topic: 'positioning', pattern: 'short interest' },
];

/** Movement words of a single leg ("the Russell 2000 rose 6%", "the Dow fell 63 points"). */
export const MOVES: readonly { pattern: string; sign: 1 | -1 }[] = [
  {
    pattern:
      'rose|rises|rising|risen|gained|gains|gaining|climbed|climbs|jumped|jumps|added|adds|rallied|rallies|advanced|advances|surged|surges|up|higher',
    sign: 1,
  },
  {
    pattern:
      'fell|falls|falling|fallen|dropped|drops|lost|loses|slid|slides|slipped|slips|declined|declines|sank|sinks|tumbled|down|lower',
    sign: -1,
  },
];
