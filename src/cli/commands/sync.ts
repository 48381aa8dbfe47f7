import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { syncReasonText } from '../reasons.js';
import { loadConfig } from '../../data/config.js';
import { probeHost, type HttpClientOptions } from '../../data/providers/http.js';
import { createProviders, defaultCacheDir } from '../../data/providers/index.js';
import { syncAll, type SyncOutcome } from '../../data/sync.js';
import { syncCftc } from '../../data/why/cftc-sync.js';
import { ICI_KINDS, syncIci } from '../../data/why/ici-flows.js';
import type { IciFileKind } from '../../data/providers/ici/schema.js';
import { TFF_CONTRACTS } from '../../data/why/cftc.js';
import type { TradingDate } from '../../shared/brand.js';
import { UsageError } from '../../shared/errors.js';
import { normalizeTicker, quoteName, SYMBOL_RE, SYMBOL_RULE } from '../../shared/identifiers.js';
import { parseDateFlag, storePath, todayInNewYork, type GlobalOptions } from '../context.js';
import { parseFormat, writeRows, type Column, type Format } from '../output.js';
import { Progress } from '../progress.js';
import { writeServed } from '../../data/snapshot.js';

const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

export const USER_AGENT = `rotation-desk/${pkg.version}`;

/** First date fetched for a symbol with nothing stored: everything the provider has since 1970. */
export const DEFAULT_FROM = '1970-01-01' as TradingDate;
export const DEFAULT_OVERLAP_SESSIONS = 10;

export type SyncInput = {
  args: readonly string[];
  db?: string;
  config?: string;
  format: Format;
  from?: TradingDate;
  overlap: number;
  cache: boolean;
};

/** What tests (and embedders) may replace: the environment, today's date, HTTP timing knobs. */
export type SyncDeps = {
  env?: Record<string, string | undefined>;
  today?: TradingDate;
  http?: Partial<Pick<HttpClientOptions, 'backoffBaseMs' | 'backoffMaxMs' | 'cacheTtlMs' | 'random'>>;
  probeTimeoutMs?: number;
};

const columns: Column<SyncOutcome>[] = [
  { header: 'symbol', get: (o) => o.symbol },
  { header: 'status', get: (o) => o.status },
  // Why a symbol failed, in the words of src/cli/reasons.ts (JSON carries the code as `reason`).
  { header: 'reason', get: (o) => (o.status === 'failed' ? syncReasonText(o.reason) : '') },
  { header: 'provider', get: (o) => o.provider },
  { header: 'added', get: (o) => o.counts.added, align: 'right' },
  { header: 'updated', get: (o) => o.counts.updated, align: 'right' },
  { header: 'unchanged', get: (o) => o.counts.unchanged, align: 'right' },
  { header: 'first', get: (o) => o.firstDate },
  { header: 'last', get: (o) => o.lastDate },
  { header: 'note', get: (o) => o.message },
];

/** `cftc:239742` or `cftc:rty` (a known contract's short name) → the contract code. */
function cftcCode(arg: string): string {
  const v = arg.slice(5);
  const byGroup = Object.entries(TFF_CONTRACTS).find(([, c]) => c.group === v.toLowerCase());
  if (byGroup) return byGroup[0];
  if (!/^[0-9A-Za-z]{5,6}$/.test(v))
    throw new UsageError(
      `"${arg}" is not a CFTC contract`,
      'write cftc:CODE (e.g. cftc:239742) or cftc:rty, nq, es',
    );
  return v.toUpperCase();
}

/**
 * Splits the arguments into price symbols, FRED series (`fred:ID`, or an id listed under universe.fred) and CFTC
 * contracts (`cftc:CODE`).
 */
function splitArgs(
  args: readonly string[],
  fredIds: readonly string[],
): { symbols: string[]; series: string[]; cftc: string[]; ici: IciFileKind[] } {
  const symbols: string[] = [];
  const series: string[] = [];
  const cftc: string[] = [];
  const ici: IciFileKind[] = [];
  const known = new Map(fredIds.map((id) => [id.toUpperCase(), id]));
  for (const a of args) {
    if (/^cftc:/i.test(a)) cftc.push(cftcCode(a));
    else if (/^ici(:|$)/i.test(a)) ici.push(...iciKinds(a));
    else if (/^fred:/i.test(a)) {
      const id = a.slice(5);
      if (!/^[A-Za-z0-9_]{1,40}$/.test(id))
        throw new UsageError(`"${a}" is not a FRED series id`, 'write it as fred:ID, e.g. fred:DGS10');
      series.push(id.toUpperCase());
    } else if (known.has(a.toUpperCase())) series.push(known.get(a.toUpperCase()) as string);
    else if (!SYMBOL_RE.test(a))
      throw new UsageError(
        `${quoteName(a)} is not a symbol`,
        `symbols look like IWM, ^RUT, BRK.B: ${SYMBOL_RULE}`,
      );
    else symbols.push(normalizeTicker(a));
  }
  return { symbols, series, cftc, ici: [...new Set(ici)] };
}

/** `ici` (all three workbooks) or `ici:mf`, `ici:etf`, `ici:combined`. */
function iciKinds(arg: string): IciFileKind[] {
  const k = arg.slice(4).toLowerCase();
  if (k === '') return [...ICI_KINDS];
  const kind = ICI_KINDS.find((x) => x === k);
  if (!kind)
    throw new UsageError(
      `"${arg}" is not an ICI workbook`,
      'write ici (all), ici:mf (long-term mutual fund flows), ici:etf (ETF net issuance) or ici:combined',
    );
  return [kind];
}

/**
 * Runs a sync and prints the per-symbol outcomes. Throws (exit 1) when a symbol failed or, before touching the
 * store, when no provider host can be reached.
 */
export async function runSync(input: SyncInput, deps: SyncDeps = {}): Promise<SyncOutcome[]> {
  const env = deps.env ?? process.env;
  const config = await loadConfig(input.config);
  const wanted =
    input.args.length > 0
      ? splitArgs(input.args, config.universe.fred)
      : {
          symbols: [...config.universe.symbols],
          series: [...config.universe.fred],
          cftc: [...config.universe.cftc],
          ici: [] as IciFileKind[],
        };
  const dbPath = storePath({ ...(input.db !== undefined ? { db: input.db } : {}) });
  const providers = createProviders({
    config,
    env,
    userAgent: USER_AGENT,
    cacheDir: input.cache ? defaultCacheDir(dbPath, env) : null,
    ...(deps.http ? { http: deps.http } : {}),
  });

  // Probe each needed host once, quickly: without network this fails in well under a second (DNS) and the
  // store is never opened.
  const needed = [
    ...(wanted.symbols.length > 0 ? providers.price : []),
    ...(wanted.series.length > 0 ? [providers.fred] : []),
    ...(wanted.cftc.length > 0 ? [providers.cftc] : []),
    ...(wanted.ici.length > 0 ? [providers.ici] : []),
  ];
  const probeMs = deps.probeTimeoutMs ?? Math.min(3000, config.providers.timeoutMs);
  const probes = await Promise.all(needed.map(async (p) => ({ p, why: await probeHost(p.origin, probeMs) })));
  const unreachable = new Map<string, string>();
  for (const { p, why } of probes)
    if (why) unreachable.set(p.name, `cannot reach ${new URL(p.origin).host} (${why})`);
  if (needed.length > 0 && unreachable.size === needed.length) {
    const hosts = probes.map(({ p, why }) => `${new URL(p.origin).host} (${why})`).join(' nor ');
    const vars = [...new Set(needed.map((p) => `ROTATION_${p.name.toUpperCase()}_URL`))].join(' / ');
    throw new Error(
      `cannot reach ${hosts}; nothing was written. Without network, load files with \`rotation import PATH\`, or point ${vars} at a mirror.`,
    );
  }

  const total = wanted.symbols.length + wanted.series.length + wanted.cftc.length + wanted.ici.length;
  const progress = new Progress('sync', total);
  // Written under the snapshot lock, then published for a server (src/data/snapshot.ts).
  const outcomes = await writeServed(
    dbPath,
    async (store) => {
      const today = deps.today ?? todayInNewYork();
      const main = await syncAll(store, {
        symbols: wanted.symbols,
        series: wanted.series,
        price: providers.price,
        fred: providers.fred,
        today,
        defaultFrom: input.from ?? DEFAULT_FROM,
        overlapSessions: input.overlap,
        unreachable,
        onProgress: (item) => progress.tick(item),
      });
      const cftc = await syncCftc(store, providers.cftc, wanted.cftc, today, unreachable.get('cftc') ?? null);
      for (const c of wanted.cftc) progress.tick(`cftc:${c}`);
      const ici = await syncIci(store, providers.ici, wanted.ici, today, unreachable.get('ici') ?? null);
      for (const k of wanted.ici) progress.tick(`ici:${k}`);
      return [
        ...main,
        ...cftc.map((c) => whyOutcome(`cftc:${c.code}`, 'cftc', c, c.message)),
        ...ici.map((c) =>
          whyOutcome(
            `ici:${c.kind}`,
            'ici',
            c,
            c.status === 'failed' ? c.message : `${c.file}: ${c.message ?? ''}`,
          ),
        ),
      ];
    },
    { publish: true },
  );
  progress.finish();
  writeRows(input.format, columns, outcomes);
  const failed = outcomes.filter((o) => o.status === 'failed');
  if (failed.length > 0)
    throw new Error(
      `${failed.length} of ${outcomes.length} failed: ${failed
        .slice(0, 5)
        .map((o) => o.symbol)
        .join(', ')}${failed.length > 5 ? ', …' : ''} (see the note column)`,
    );
  return outcomes;
}

/** A why source's outcome (CFTC contract, ICI workbook) as a row of the sync table. */
function whyOutcome(
  symbol: string,
  provider: string,
  c: Pick<SyncOutcome, 'status' | 'reason' | 'counts' | 'firstDate' | 'lastDate'>,
  message: string | null,
): SyncOutcome {
  return {
    symbol,
    kind: 'observations',
    status: c.status,
    reason: c.reason,
    provider,
    counts: c.counts,
    from: null,
    to: null,
    firstDate: c.firstDate,
    lastDate: c.lastDate,
    newActions: 0,
    refetched: false,
    skipped: 0,
    message,
  };
}

export function registerSync(program: Command): void {
  program
    .command('sync')
    .description(
      'fetch new daily bars (Yahoo, then Stooq as fallback) and FRED series into the store, incrementally',
    )
    .argument(
      '[symbols...]',
      'symbols (IWM, ^RUT), FRED series (fred:DGS10), CFTC contracts (cftc:239742) and ICI workbooks (ici, ici:etf); default: the config universe',
    )
    .option('--config <path>', 'config file (default: ./rotation.config.json, else built-in defaults)')
    .option('--format <format>', 'table | json | csv', 'table')
    .option('--from <date>', 'first date for symbols with nothing stored (default: full history)')
    .option(
      '--overlap <sessions>',
      'stored sessions re-fetched to catch revisions',
      String(DEFAULT_OVERLAP_SESSIONS),
    )
    .option('--no-cache', 'do not read or write the response cache')
    .addHelpText(
      'after',
      `
Examples:
  rotation sync                          # the universe of rotation.config.json (or the defaults)
  rotation sync IWM QQQ ^RUT fred:DGS10  # just these
  rotation sync cftc:rty cftc:nq cftc:es # CFTC Traders in Financial Futures (publicreporting.cftc.gov)
  rotation sync ici                      # ICI weekly fund flows and ETF net issuance (ici.org workbooks)
  rotation sync --format json > sync.json
  ROTATION_YAHOO_URL=http://127.0.0.1:8080 rotation sync IWM   # through a mirror

Environment: ROTATION_YAHOO_URL, ROTATION_STOOQ_URL, ROTATION_FRED_URL, ROTATION_CFTC_URL, ROTATION_ICI_URL
(scheme://host[:port]),
FRED_API_KEY (vintages from the FRED API), ROTATION_CACHE_DIR. Exit code 1 when any symbol failed.
Without network: \`rotation import PATH\` loads CSV/Parquet/JSON files instead.
`,
    )
    .action(async function (this: Command, args: string[]) {
      const opts = this.optsWithGlobals<
        GlobalOptions & { config?: string; format: string; from?: string; overlap: string; cache: boolean }
      >();
      const overlap = Number(opts.overlap);
      if (!Number.isInteger(overlap) || overlap < 1 || overlap > 1000)
        throw new UsageError(
          `--overlap "${opts.overlap}" is not a whole number of sessions`,
          'e.g. --overlap 10',
        );
      const from = parseDateFlag('--from', opts.from);
      await runSync({
        args,
        ...(opts.db !== undefined ? { db: opts.db } : {}),
        ...(opts.config !== undefined ? { config: opts.config } : {}),
        format: parseFormat(opts.format),
        ...(from ? { from } : {}),
        overlap,
        cache: opts.cache,
      });
    });
}
