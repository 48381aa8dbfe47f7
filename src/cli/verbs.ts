import type { Command } from 'commander';

/** A verb of the CLI: its one-line summary for `rotation --help`, and its module, loaded only when it runs. */
export type Verb = {
  readonly name: string;
  /** The arguments as commander writes them in a usage line (`<a> <b>`, `[symbols...]`). */
  readonly args: string;
  readonly summary: string;
  readonly load: () => Promise<(program: Command) => void>;
};

/**
 * Every verb, in the order `--help` lists them: the main job first, then data in, then the questions, then the why.
 * Modules load lazily: `rotation --version` and `--help` never load DuckDB or the chart stack, and a verb loads
 * only its own module graph.
 */
export const VERBS: readonly Verb[] = [
  {
    name: 'brief',
    args: '',
    summary: 'write the market brief (HTML, Markdown, text and facts JSON)',
    load: async () => (await import('./commands/brief.js')).registerBrief,
  },
  {
    name: 'import',
    args: '<paths...>',
    summary: 'import bars and series from files, folders or globs (CSV, TSV, Parquet, JSON)',
    load: async () => (await import('./commands/import.js')).registerImport,
  },
  {
    name: 'sync',
    args: '[symbols...]',
    summary: 'fetch new daily bars (Yahoo, Stooq) and FRED series, incrementally',
    load: async () => (await import('./commands/sync.js')).registerSync,
  },
  {
    name: 'symbols',
    args: '',
    summary: 'list stored symbols and series with row counts, ranges and sources',
    load: async () => (await import('./commands/symbols.js')).registerSymbols,
  },
  {
    name: 'show',
    args: '<symbol>',
    summary: 'print the stored bars of a symbol or the observations of a series',
    load: async () => (await import('./commands/show.js')).registerShow,
  },
  {
    name: 'doctor',
    args: '[symbols...]',
    summary: 'check stored data: missing sessions, holiday bars, staleness, jumps, splits',
    load: async () => (await import('./commands/doctor.js')).registerDoctor,
  },
  {
    name: 'calendar',
    args: '',
    summary: 'NYSE sessions with close times, holidays and early closes',
    load: async () => (await import('./commands/calendar.js')).registerCalendar,
  },
  {
    name: 'race',
    args: '<a> <b>',
    summary: 'A vs B over a window: returns, spread and the ratio line',
    load: async () => (await import('./commands/race.js')).registerRace,
  },
  {
    name: 'precedents',
    args: '',
    summary: 'every past occurrence of a condition ("first time since")',
    load: async () => (await import('./commands/precedents.js')).registerPrecedents,
  },
  {
    name: 'odds',
    args: '',
    summary: 'what happened after each past occurrence of a condition',
    load: async () => (await import('./commands/odds.js')).registerOdds,
  },
  {
    name: 'outlook',
    args: '<a> <b>',
    summary: 'what would change the view: the move that hands the lead over, and the next macro dates',
    load: async () => (await import('./commands/outlook.js')).registerOutlook,
  },
  {
    name: 'check',
    args: '[claim]',
    summary: 'check a claim, or every claim of an article (--file), under every reasonable definition',
    load: async () => (await import('./commands/check.js')).registerCheck,
  },
  {
    name: 'followup',
    args: '[claim]',
    summary: 'for a dated story: what happened next to each of its computed claims',
    load: async () => (await import('./commands/followup.js')).registerFollowup,
  },
  {
    name: 'basket',
    args: '[id]',
    summary: 'list the baskets (MAG7 and the config), or show one with its coverage',
    load: async () => (await import('./commands/basket.js')).registerBasket,
  },
  {
    name: 'rrg',
    args: '[symbols...]',
    summary: 'Relative Rotation Graph: RS-Ratio, RS-Momentum, quadrants and tails',
    load: async () => (await import('./commands/rrg.js')).registerRrg,
  },
  {
    name: 'breadth',
    args: '',
    summary: 'equal vs cap weight, participation above 50/200-session averages, concentration',
    load: async () => (await import('./commands/breadth.js')).registerBreadth,
  },
  {
    name: 'regime',
    args: '[symbols...]',
    summary: 'distance from the high, correction or bear, and 50/200-session trend',
    load: async () => (await import('./commands/regime.js')).registerRegime,
  },
  {
    name: 'earnings',
    args: '',
    summary: 'earnings growth by sector, style and size as known at a date',
    load: async () => (await import('./commands/earnings.js')).registerEarnings,
  },
  {
    name: 'flows',
    args: '',
    summary: 'weekly fund flows: the week, 4-week sum, z-score, "largest since"',
    load: async () => (await import('./commands/flows.js')).registerFlows,
  },
  {
    name: 'positioning',
    args: '',
    summary: 'futures positioning: the 0-100 COT index and "highest since"',
    load: async () => (await import('./commands/positioning.js')).registerPositioning,
  },
  {
    name: 'macro',
    args: '',
    summary: 'CPI year over year, release surprises, the Fed path, yields and the curve',
    load: async () => (await import('./commands/macro.js')).registerMacro,
  },
  {
    name: 'serve',
    args: '',
    summary: 'serve the JSON API and its OpenAPI document on 127.0.0.1',
    load: async () => (await import('./commands/serve.js')).registerServe,
  },
  {
    name: 'run',
    args: '',
    summary: 'the daily run for one session: brief, archive, feed, newsletter, alerts',
    load: async () => (await import('./commands/run.js')).registerRun,
  },
  {
    name: 'schedule',
    args: '',
    summary: 'run the daily run every session at a New York time',
    load: async () => (await import('./commands/schedule.js')).registerSchedule,
  },
  {
    name: 'subscribers',
    args: '',
    summary: 'list, add, remove or export newsletter subscribers',
    load: async () => (await import('./commands/subscribers.js')).registerSubscribers,
  },
  {
    name: 'alerts',
    args: '',
    summary: 'alert rules: list, test against stored data, delivery history',
    load: async () => (await import('./commands/alerts.js')).registerAlerts,
  },
  {
    name: 'migrate',
    args: '',
    summary: 'apply pending schema migrations (DuckDB or PostgreSQL) and report the schema version',
    load: async () => (await import('./commands/migrate.js')).registerMigrate,
  },
];

/** Global options that take a value, so the verb is found after them (`rotation --db x.duckdb race …`). */
const VALUE_OPTIONS = new Set(['--db']);

/**
 * The verb an argument list runs, if any: the first word that is not an option or an option's value.
 * `rotation help race` runs `race`'s help, so `help` yields the word after it.
 */
export function verbOf(argv: readonly string[]): string | undefined {
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--') break;
    if (VALUE_OPTIONS.has(a)) {
      i++;
      continue;
    }
    if (a.startsWith('-')) continue;
    words.push(a);
    if (words[0] !== 'help' || words.length === 2) break;
  }
  return words[0] === 'help' ? words[1] : words[0];
}
