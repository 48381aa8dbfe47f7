import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { addDays } from '../shared/dates.js';
import { openBriefStore } from '../../test/support/brief-store.js';
import { runCli } from '../../test/support/run-cli.js';
import { describeWithSharedData } from '../../test/support/shared-data.js';
import { tempDir } from '../../test/support/tmp.js';

type JsonFact = { id: string; value: unknown; asOf?: string; inputs?: string[]; window?: string };

/**
 * Fact ids of the brief that no verb prints, each with the reason. The test checks this list is exact: an id that
 * appears in a brief, matches no verb and is not listed here fails, and so does a listed id that no brief prints.
 */
const EXEMPT: readonly { pattern: RegExp; why: string }[] = [
  // Settings of the brief itself, not computed figures.
  {
    pattern: /^brief\.(first-sessions|week-sessions|month-sessions|min-sample)$/,
    why: 'brief settings and core constants',
  },
  {
    pattern: /^rrg\.params\.(center|hysteresis|tail)$/,
    why: "constants of core/rrg and the brief's tail length",
  },
  { pattern: /^flows\.params\.(sum-weeks|z-weeks)$/, why: 'constants of core/why flowSummary' },
  { pattern: /^window\.first\d+\.sessions$/, why: 'the session count a definition names (as typed)' },
  {
    pattern: /^odds\.interval-confidence$/,
    why: 'the confidence level of the Wilson intervals (a constant)',
  },
  // How many counter-examples the brief lists (the count of them is compared with `rotation check`).
  {
    pattern: /^check\.precedents\.[a-z0-9-]+\.first\d+\.counter-examples\.shown$/,
    why: 'how many definitions the brief lists: a brief setting',
  },
  // Yearly earnings estimates: the brief prints the date the estimate was reported, `rotation show` the year.
  {
    pattern: /^series\.earnings(?!sp500quarterly)[a-z0-9]+\.last$/,
    why: "a yearly estimate's report date (rotation earnings prints its vintage, rotation show the year)",
  },
  // MAG7 is a basket built at read time: no stored series for `rotation show` to end.
  { pattern: /^series\.mag7\.last$/, why: "a basket's last date (computed from its members)" },
  // The week the brief covers (report/news.ts weekPhrase): sessions of a week, not a verb's figure.
  { pattern: /^calendar\.week\.\d{4}-\d{2}-\d{2}\.sessions(-done)?$/, why: "the brief's week phrase" },
];

/** The race windows the brief's ids name: `first7` → `first:7`, `rolling21` → `rolling:21`. */
const windowOf = (w: string): string => w.replace(/^(first|rolling)(\d+)$/, '$1:$2');

const NAMED: Record<string, string> = { mag7: 'MAG7', ndx: '^NDX', rut: '^RUT' };
/** A symbol from its id fragment: `rut` → ^RUT, `xlk` → XLK (plain tickers are their id in upper case). */
const symbolOf = (id: string): string => NAMED[id] ?? id.toUpperCase();

describeWithSharedData('one value per fact: every fact id of the brief through the CLI', () => {
  let db = '';
  beforeAll(async () => {
    const { store, dir } = await openBriefStore();
    await store.close();
    db = join(dir, 'brief.duckdb');
  }, 180_000);

  const cache = new Map<string, unknown>();
  async function json(args: string[]): Promise<unknown> {
    const key = args.join('\u0000');
    if (cache.has(key)) return cache.get(key);
    const r = await runCli(['--db', db, ...args, '--format', 'json']);
    expect(r.code, `rotation ${args.join(' ')}: ${r.err}`).toBe(0);
    const v: unknown = JSON.parse(r.out);
    cache.set(key, v);
    return v;
  }
  const factsOf = async (args: string[]): Promise<Map<string, JsonFact>> => {
    const v = (await json(args)) as { facts: JsonFact[] };
    return new Map(v.facts.map((f) => [f.id, f]));
  };

  /** The verb's value (and as-of date) for a brief fact, or null when no verb owns the id. */
  async function viaVerb(
    f: JsonFact,
    asOf: string,
    facts: readonly JsonFact[] = [],
  ): Promise<{ value: unknown; asOf?: string; inputs?: string[] } | null> {
    const id = f.id;
    const year = asOf.slice(0, 4);
    let m: RegExpMatchArray | null;
    const fromFacts = async (args: string[]) => {
      const g = (await factsOf(args)).get(id);
      return g ? { value: g.value, asOf: g.asOf as string, inputs: g.inputs ?? [] } : null;
    };
    if (/^news\.sectors\.[a-z0-9]+\.(enter|leave)-leading\./.test(id))
      // the week's sector-leading news over the weekly RRG history (data/analytics/sector-news.ts)
      return fromFacts(['rrg', '--news', '--as-of', asOf]);
    if ((m = id.match(/^outlook\.([a-z0-9]+)-([a-z0-9]+)\./)) && m[1] !== 'next')
      // the quarter-move distribution of the race (data/analytics/outlook.ts)
      return fromFacts(['outlook', symbolOf(m[1] as string), symbolOf(m[2] as string), '--as-of', asOf]);
    if (id.startsWith('outlook.next.')) {
      // the next release dates: the same for any race, so through the race the brief's outlook names
      const race = facts.find((x) => /^outlook\.[a-z0-9]+-[a-z0-9]+\.quarter/.test(x.id))?.id.split('.')[1];
      if (race === undefined) return null;
      const [a, b] = race.split('-').map((x) => symbolOf(x)) as [string, string];
      return fromFacts(['outlook', a, b, '--as-of', asOf]);
    }
    if (
      (m = id.match(
        /^odds\.([a-z0-9]+)-([a-z0-9]+)\.(first\d+)\.rest-of-year\.(base-n|base-rate|base\.wilson-(low|high)|conditional\.wilson-(low|high)|difference|since-condition|condition-met\.date)$/,
      ))
    )
      // the honest odds beside the rest-of-year odds (data/analytics/odds-honest.ts)
      return fromFacts([
        'odds',
        '--beats',
        symbolOf(m[1] as string),
        symbolOf(m[2] as string),
        '--window',
        windowOf(m[3] as string),
        '--horizons',
        'rest-of-year',
        '--base-rate',
        '--as-of',
        asOf,
      ]);
    // the headline scores of the why sections, computed with their figures (data/why/figures)
    if (id.startsWith('news.flows.')) return fromFacts(['flows', '--as-of', asOf]);
    if (id.startsWith('news.positioning.')) return fromFacts(['positioning', '--as-of', asOf]);
    if (id.startsWith('news.macro-')) return fromFacts(['macro', '--as-of', asOf]);
    if ((m = id.match(/^(history|news)\.([a-z0-9]+)-([a-z0-9]+)\./)) && m[2] !== 'sectors') {
      // the race history the brief reads (data/race-history.ts), with the brief's default --first 7
      const [a, b] = [symbolOf(m[2] as string), symbolOf(m[3] as string)];
      return fromFacts(['race', a, b, '--history', '--first', '7', '--as-of', asOf]);
    }
    if (
      (m = id.match(
        /^race\.([a-z0-9]+)-([a-z0-9]+)\.([a-z0-9]+)\.(retA|retB|spread|ratio|from|to|sessions)$/,
      ))
    ) {
      const [a, b] = [symbolOf(m[1] as string), symbolOf(m[2] as string)];
      const args = ['race', a, b, '--window', windowOf(m[3] as string), '--as-of', asOf];
      if (m[4] === 'sessions') {
        const r = (await json(args)) as { race: { sessions: number }; asOf: string };
        return { value: r.race.sessions, asOf: r.asOf };
      }
      return fromFacts(args);
    }
    if ((m = id.match(/^precedents\.iwm-qqq\.(first\d+)\.(count|tested|years|last-before)$/))) {
      const p = (await json([
        'precedents',
        '--beats',
        'IWM',
        'QQQ',
        '--window',
        windowOf(m[1] as string),
        '--as-of',
        asOf,
      ])) as {
        count: number;
        tested: number;
        occurrences: { year: number }[];
        lastBefore: { year: number } | null;
        asOf: string;
      };
      const value = {
        count: p.count,
        tested: p.tested,
        years: p.occurrences.map((o) => o.year).join(', ') || 'none',
        'last-before': p.lastBefore?.year ?? null,
      }[m[2] as 'count'];
      return { value, asOf: p.asOf };
    }
    if ((m = id.match(/^odds\.iwm-qqq\.(first\d+)\.rest-of-year\.(n|hits|hit-rate|median)$/))) {
      const o = (await json([
        'odds',
        '--beats',
        'IWM',
        'QQQ',
        '--window',
        windowOf(m[1] as string),
        '--horizons',
        'rest-of-year',
        '--as-of',
        asOf,
      ])) as {
        odds: { summary: { n: number; hitRate: number | null; median: number | null } }[];
        asOf: string;
      };
      const s = o.odds[0]?.summary;
      if (!s) return null;
      const value = {
        n: s.n,
        hits: Math.round((s.hitRate ?? 0) * s.n),
        'hit-rate': s.hitRate,
        median: s.median,
      }[m[2] as 'n'];
      return { value, asOf: o.asOf };
    }
    if ((m = id.match(/^check\.precedents\.iwm-qqq\.(first\d+)\.(.+)$/))) {
      // the brief checks its own precedent: A beat B over the window of the year, first time since last-before
      const since = (await viaVerb({ id: `precedents.iwm-qqq.${m[1]}.last-before`, value: null }, asOf))
        ?.value;
      const c = (await json([
        'check',
        '--a',
        'IWM',
        '--b',
        'QQQ',
        '--window',
        windowOf(m[1] as string),
        '--year',
        year,
        '--first-since',
        String(since),
        '--as-of',
        asOf,
      ])) as {
        holds: number;
        fails: number;
        rows: {
          a: string;
          b: string;
          basis: string;
          window: { kind: string; sessions?: number; month?: number };
          windowText: string;
          evaluation: { status: string; lastBefore: number | null };
        }[];
      };
      const rest = m[2] as string;
      if (rest === 'holds') return { value: c.holds };
      if (rest === 'counter-examples.n')
        return {
          value: c.rows.filter((r) => r.evaluation.status === 'fails' && r.evaluation.lastBefore !== null)
            .length,
        };
      if (rest === 'measured') return { value: c.holds + c.fails };
      const row = c.rows.find(
        (r) =>
          `${r.a.toLowerCase().replace(/[^a-z0-9]+/g, '')}-${r.b.toLowerCase().replace(/[^a-z0-9]+/g, '')}.${r.windowText.replace(':', '')}.${r.basis}.last-before` ===
          rest,
      );
      return row ? { value: row.evaluation.lastBefore } : null;
    }
    if (id.startsWith('rrg.params.')) {
      const r = (await json(['rrg', '--as-of', asOf])) as { params: Record<string, number> };
      const k = id.slice('rrg.params.'.length);
      return k in r.params ? { value: r.params[k] } : null;
    }
    if (id.startsWith('rrg.')) return fromFacts(['rrg', '--as-of', asOf]);
    if ((m = id.match(/^breadth\.([a-z0-9]+)-([a-z0-9]+)\./)))
      return fromFacts([
        'breadth',
        '--equal',
        symbolOf(m[1] as string),
        '--cap',
        symbolOf(m[2] as string),
        '--as-of',
        asOf,
      ]);
    if (/^series\.[a-z0-9]+\.last$/.test(id) && f.inputs?.length === 1 && f.id !== 'series.mag7.last') {
      // the last bar or observation known on the as-of date, as `rotation show` prints it
      const sym = f.inputs[0] as string;
      const r = (await json(['show', sym, '--to', asOf, '--as-of', asOf, '--last', '1'])) as {
        bars?: { date: string }[];
        observations?: { period: string }[];
      };
      const last = r.bars?.at(-1)?.date ?? r.observations?.at(-1)?.period ?? null;
      // a yearly estimate's period ("2026") is not the date the brief prints (the figure's report date)
      if (last !== null && !/^\d{4}-\d{2}-\d{2}$/.test(last)) return null;
      return { value: last, asOf: last ?? undefined, inputs: [sym] };
    }
    if (id.startsWith('earnings.')) return fromFacts(['earnings', '--as-of', asOf]);
    if (id.startsWith('flows.')) return fromFacts(['flows', '--as-of', asOf]);
    // macro figures, the calendar's dates, and the market moves `rotation macro` lists (futures before the open)
    if (id.startsWith('macro') || id.startsWith('market-')) return fromFacts(['macro', '--as-of', asOf]);
    if ((m = id.match(/^calendar\.sessions-left\.(\d{4})$/))) {
      const c = (await json(['calendar', '--from', addDays(asOf, 1), '--to', `${m[1]}-12-31`])) as {
        sessions: unknown[];
      };
      return { value: c.sessions.length };
    }
    return null;
  }

  /** Compares every fact of the brief as of `asOf`; returns the exemption patterns it used. */
  async function compareBrief(asOf: string): Promise<Set<RegExp>> {
    const out = tempDir('fact-equality-');
    const b = await runCli(['--db', db, 'brief', '--as-of', asOf, '--out', out]);
    expect(b.code, b.err).toBe(0);
    const file = join(out, `facts-${asOf}.json`);
    const facts = (JSON.parse(readFileSync(file, 'utf8')) as { facts: JsonFact[] }).facts;
    expect(facts.length, 'the brief has facts').toBeGreaterThan(100);
    const unexplained: string[] = [];
    const used = new Set<RegExp>();
    let compared = 0;
    for (const f of facts) {
      const v = await viaVerb(f, asOf, facts);
      const ex = EXEMPT.find((e) => e.pattern.test(f.id));
      if (v === null) {
        if (ex) used.add(ex.pattern);
        else unexplained.push(f.id);
        continue;
      }
      expect(ex, `${f.id} is printed by a verb: take it off the exemption list`).toBeUndefined();
      expect(v.value, `${f.id} as of ${asOf}: the verb's value equals the brief's`).toEqual(f.value);
      if (v.asOf !== undefined) expect(v.asOf, `${f.id}: the verb's as-of equals the brief's`).toBe(f.asOf);
      if (v.inputs !== undefined)
        expect([...v.inputs].sort(), `${f.id}: the verb's inputs equal the brief's`).toEqual(
          [...(f.inputs ?? [])].sort(),
        );
      compared++;
    }
    expect(unexplained, `fact ids of the ${asOf} brief no verb prints, not on the exemption list`).toEqual(
      [],
    );
    expect(compared, 'most facts are compared, not exempted').toBeGreaterThan(facts.length / 2);
    return used;
  }

  it('gives every fact of the briefs as of 2026-07-31 and 2026-01-20 the value its verb prints', async () => {
    const used = new Set<RegExp>();
    for (const asOf of ['2026-07-31', '2026-01-20']) for (const p of await compareBrief(asOf)) used.add(p);
    const unused = EXEMPT.filter((e) => !used.has(e.pattern)).map((e) => String(e.pattern));
    expect(unused, 'exemptions neither brief uses: remove them').toEqual([]);
  }, 600_000);

  it('macro without --as-of ends where the brief without --as-of ends (the last stored session, not the clock)', async () => {
    const last = ((await json(['show', 'IWM', '--last', '1'])) as { bars: { date: string }[] }).bars[0]?.date;
    expect(last).toBeDefined();
    const byDefault = await factsOf(['macro']);
    const atLast = await factsOf(['macro', '--as-of', last as string]);
    expect([...byDefault.keys()].some((k) => k.endsWith('.cuts12m'))).toBe(true);
    expect([...byDefault.entries()]).toEqual([...atLast.entries()]);
  }, 120_000);
});
