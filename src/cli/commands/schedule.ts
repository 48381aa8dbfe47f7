import type { Command } from 'commander';
import { loadPublishConfig } from '../../publish/config.js';
import { nextScheduledRun } from '../../publish/session.js';
import { UsageError } from '../../shared/errors.js';
import { reportError } from '../errors.js';
import type { GlobalOptions } from '../context.js';
import { runDailyCommand } from './run.js';

type Flags = GlobalOptions & { time?: string; sync: boolean; config?: string; publishConfig?: string };

export function registerSchedule(program: Command): void {
  program
    .command('schedule')
    .description(
      'stay running and start the daily run every NYSE session at a New York time (after the close)',
    )
    .option(
      '--time <HH:MM>',
      'New York time of the run (default: schedule.time of the publish config, else 17:30)',
    )
    .option('--no-sync', 'skip the sync step')
    .option('--config <path>', 'config file')
    .option('--publish-config <path>', 'publish settings (default ./rotation.publish.json)')
    .addHelpText(
      'after',
      `
Holidays and weekends are skipped; on an early close a time before the close runs at the close. A run that fails is
reported and retried at the next session's run (it resumes where it stopped). Ctrl-C stops. The cron and systemd
alternatives are in docs/publish.md. Example:
  rotation schedule --time 17:30`,
    )
    .action(async function (this: Command) {
      const opts = this.optsWithGlobals<Flags>();
      const time = opts.time ?? loadPublishConfig(opts.publishConfig).schedule.time;
      if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(time))
        throw new UsageError(`--time "${time}" is not HH:MM`, 'e.g. --time 17:30');
      let stop = false;
      let wake: (() => void) | null = null;
      const onSignal = () => {
        stop = true;
        wake?.();
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      while (!stop) {
        const next = nextScheduledRun(Date.now(), time);
        process.stderr.write(
          `schedule: next run for ${next.session} at ${new Date(next.atMs).toISOString()} (${time} New York)\n`,
        );
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, Math.max(0, next.atMs - Date.now()));
          wake = () => {
            clearTimeout(t);
            resolve();
          };
        });
        if (stop) break;
        try {
          const out = await runDailyCommand({ ...opts, daily: true, date: next.session });
          process.stderr.write(
            `schedule: ${next.session}: ${out.ok ? 'done' : 'stopped at a failed step'}\n`,
          );
        } catch (e) {
          reportError(e);
        }
      }
      process.stderr.write('schedule: stopped\n');
    });
}
