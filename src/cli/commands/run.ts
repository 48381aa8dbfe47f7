import type { Command } from 'commander';
import { loadConfig, type Config } from '../../data/config.js';
import { probeHost } from '../../data/providers/http.js';
import { createProviders } from '../../data/providers/index.js';
import type { PublishState } from '../../data/store/publish-state.js';
import type { Store } from '../../data/store/store.js';
import { syncAll } from '../../data/sync.js';
import { loadPublishConfig, webhookTargets, type PublishConfig } from '../../publish/config.js';
import { runDaily, type DailyOutcome, type StepResult } from '../../publish/daily.js';
import { messageIdOf, smtpMailer, smtpSettingsFrom, type Mailer } from '../../publish/mailer.js';
import type { PublishRouteDeps } from '../../server/publish-routes.js';
import type { SendContext } from '../../publish/outbox.js';
import { checkRunnableSession } from '../../publish/session.js';
import { secretFrom } from '../../publish/tokens.js';
import type { TradingDate } from '../../shared/brand.js';
import { UsageError } from '../../shared/errors.js';
import { writeServed } from '../../data/snapshot.js';
import {
  parseDateFlag,
  storePath,
  todayInNewYork,
  type GlobalOptions,
  lastCompletedSession,
} from '../context.js';
import { DEFAULT_OVERLAP_SESSIONS, USER_AGENT } from './sync.js';

export type RunFlags = GlobalOptions & {
  daily?: boolean;
  date?: string;
  sync: boolean;
  config?: string;
  publishConfig?: string;
};

/** The sync step: the config's universe, skipped (not failed) when no provider can be reached. */
function syncStep(
  store: Store,
  config: Config,
  env: Record<string, string | undefined>,
): () => Promise<StepResult> {
  return async () => {
    const providers = createProviders({ config, env, userAgent: USER_AGENT, cacheDir: null });
    const needed = [...providers.price, providers.fred];
    const probeMs = Math.min(3000, config.providers.timeoutMs);
    const probes = await Promise.all(
      needed.map(async (p) => ({ p, why: await probeHost(p.origin, probeMs) })),
    );
    const unreachable = new Map<string, string>();
    for (const { p, why } of probes)
      if (why) unreachable.set(p.name, `cannot reach ${new URL(p.origin).host} (${why})`);
    if (unreachable.size === needed.length)
      return {
        status: 'skipped',
        message: `offline (${[...unreachable.values()].join('; ')}): the run uses the stored data`,
      };
    const outcomes = await syncAll(store, {
      symbols: config.universe.symbols,
      series: config.universe.fred,
      price: providers.price,
      fred: providers.fred,
      today: todayInNewYork(),
      defaultFrom: '1970-01-01' as TradingDate,
      overlapSessions: DEFAULT_OVERLAP_SESSIONS,
      unreachable,
    });
    const failed = outcomes.filter((o) => o.status === 'failed');
    const updated = outcomes.filter((o) => o.status === 'updated').length;
    return failed.length > 0
      ? {
          status: 'skipped',
          message: `${updated} updated, ${failed.length} failed (${failed
            .slice(0, 5)
            .map((o) => o.symbol)
            .join(', ')}): the run uses the stored data`,
        }
      : { status: 'done', message: `${updated} of ${outcomes.length} updated` };
  };
}

/** The outbox's sending context from the environment: SMTP, webhook secrets and ROTATION_SECRET. */
export function senderFrom(
  state: PublishState,
  publish: PublishConfig,
  env: Record<string, string | undefined>,
  opened: Mailer[],
): SendContext {
  let mailer: Mailer | null = null;
  if (env['ROTATION_SMTP_HOST']) {
    mailer = smtpMailer(smtpSettingsFrom(env));
    opened.push(mailer);
  }
  return {
    state,
    mailer,
    webhooks: webhookTargets(publish, env),
    policy: publish.send,
    from: publish.from,
    baseUrl: publish.baseUrl,
    secret: secretFrom(env),
    now: () => Date.now(),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  };
}

/**
 * What `rotation serve --publish` mounts: the subscribe, confirm and unsubscribe pages over a store opened for
 * writing, confirmation mails through ROTATION_SMTP_*, links signed with ROTATION_SECRET (refused without it).
 */
export function publishServeDeps(
  store: Store,
  publishConfigPath: string | undefined,
  env: Record<string, string | undefined> = process.env,
): { deps: PublishRouteDeps; close: () => void } {
  const secret = secretFrom(env);
  if (!secret)
    throw new UsageError(
      'ROTATION_SECRET is not set (or shorter than 16 characters): subscription links are signed with it',
      'export ROTATION_SECRET=$(openssl rand -hex 32)',
    );
  const publish = loadPublishConfig(publishConfigPath);
  const mailer = smtpMailer(smtpSettingsFrom(env));
  const state = store.publishState();
  const deps: PublishRouteDeps = {
    withState: (fn) => fn(state),
    secret,
    baseUrl: publish.baseUrl,
    archiveDir: publish.archiveDir,
    ...(publish.trustProxy ? { trustProxy: publish.trustProxy } : {}),
    now: () => Date.now(),
    sendMail: async (to, m) => {
      const r = await mailer.send({
        from: publish.from,
        to,
        ...m,
        messageId: messageIdOf(`confirm:${to}:${Date.now()}`),
        headers: {},
        attachments: [],
      });
      if (!r.ok) throw new Error(`the confirmation mail was not sent: ${r.reason}`);
    },
  };
  return {
    deps,
    close: () => {
      void mailer.close();
    },
  };
}

/** How long a daily run waits for another one holding the store's run lock before it gives up. */
const RUN_LOCK_WAIT_MS = 10 * 60_000;

/** Runs the daily run for one session; returns the outcome (the action prints it and sets the exit code). */
export async function runDailyCommand(
  flags: RunFlags,
  env: Record<string, string | undefined> = process.env,
): Promise<DailyOutcome> {
  if (!flags.daily)
    throw new UsageError(
      'rotation run needs --daily',
      'e.g. rotation run --daily (or --daily --date 2026-01-12)',
    );
  const session = parseDateFlag('--date', flags.date) ?? lastCompletedSession();
  checkRunnableSession(session, Date.now());
  const config = await loadConfig(flags.config);
  const publish = loadPublishConfig(flags.publishConfig);
  webhookTargets(publish, env); // refuse to start with a webhook whose secret is missing
  const mailers: Mailer[] = [];
  try {
    // Written under the snapshot lock and published after, so a running `rotation serve` sees the run's brief,
    // subscribers and alert state (src/data/snapshot.ts), as after an import or a sync.
    return await writeServed(
      storePath(flags),
      async (store) => {
        const state = store.publishState();
        // One daily run at a time per store (a lock file beside a DuckDB file, an advisory lock on PostgreSQL):
        // a second run waits for the first, then finds its steps done.
        return store.withRunLock(
          'daily',
          () =>
            runDaily({
              store,
              state,
              config,
              publish,
              session,
              sync: flags.sync ? syncStep(store, config, env) : null,
              sender: () => senderFrom(state, publish, env, mailers),
              now: () => Date.now(),
              log: (line) => process.stderr.write(`run ${session}: ${line}\n`),
            }),
          { timeoutMs: RUN_LOCK_WAIT_MS },
        );
      },
      { waitMs: RUN_LOCK_WAIT_MS },
    );
  } finally {
    await Promise.all(mailers.map((m) => m.close()));
  }
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description(
      'the daily run for one NYSE session: sync → doctor → brief → archive → feed → newsletter → alerts',
    )
    .option('--daily', 'run the daily run (the only run there is)')
    .option('--date <date>', 'the session (YYYY-MM-DD, after its close); default: the last completed session')
    .option('--no-sync', 'skip the sync step (use the stored data)')
    .option('--config <path>', 'config file (default ./rotation.config.json if present)')
    .option(
      '--publish-config <path>',
      'publish settings: archive, mail, webhooks, alerts (default ./rotation.publish.json)',
    )
    .addHelpText(
      'after',
      `
Each step is recorded in the store per session; a second run for the same session does nothing more, and a run
that was stopped resumes where it stopped. Mail goes through ROTATION_SMTP_HOST/PORT/SECURE/USER/PASS (and
ROTATION_SMTP_REPLY_TIMEOUT, seconds); links are signed with ROTATION_SECRET. See docs/publish.md.

Examples:
  rotation run --daily
  rotation run --daily --date 2026-01-12 --no-sync`,
    )
    .action(async function (this: Command) {
      const outcome = await runDailyCommand(this.optsWithGlobals<RunFlags>());
      for (const s of outcome.steps)
        process.stdout.write(`${s.step.padEnd(10)} ${s.status.padEnd(8)} ${s.message}\n`);
      if (!outcome.ok) {
        const failed = outcome.steps.find((s) => s.status === 'failed');
        throw new Error(
          `the daily run of ${outcome.session} stopped at ${failed?.step ?? 'a step'}: ${failed?.message ?? ''}; run it again to resume`,
        );
      }
    });
}
