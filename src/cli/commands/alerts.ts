import type { Command } from 'commander';
import { loadConfig } from '../../data/config.js';
import { evaluateAlerts } from '../../publish/alerts.js';
import { loadPublishConfig } from '../../publish/config.js';
import { dedupeKeyOf, deliveryStateOf, type DeliveryState } from '../../publish/outbox.js';
import { parsePositiveInt } from '../../core/positive-int.js';
import { NotFoundError } from '../../shared/errors.js';
import { parseDateFlag, withStore, type GlobalOptions, lastCompletedSession } from '../context.js';
import { parseFormat, renderJson, writeRows } from '../output.js';

type Flags = GlobalOptions & { publishConfig?: string; config?: string; format: string };

export function registerAlerts(program: Command): void {
  const cmd = program
    .command('alerts')
    .description(
      'alert rules of the publish config: list them, test them on the stored data, show what was sent',
    )
    .addHelpText(
      'after',
      `
Rules live in rotation.publish.json under "alerts" (kinds rrg-quadrant, race-leader, extreme, first-since,
flows-extreme, positioning-extreme); docs/publish.md.
Examples:
  rotation alerts list
  rotation alerts test --date 2026-01-12      # what the rules say on that session (nothing stored, nothing sent)
  rotation alerts history --limit 20`,
    );
  const common = (c: Command) =>
    c
      .option('--publish-config <path>', 'publish settings (default ./rotation.publish.json)')
      .option('--format <format>', 'table | json | csv', 'table');
  common(cmd.command('list').description('the configured rules')).action(async function (this: Command) {
    const opts = this.optsWithGlobals<Flags>();
    const rules = loadPublishConfig(opts.publishConfig).alerts;
    writeRows(
      parseFormat(opts.format),
      [
        { header: 'id', get: (r) => r.id },
        { header: 'kind', get: (r) => r.kind },
        { header: 'settings', get: (r) => JSON.stringify({ ...r, id: undefined, kind: undefined }) },
      ],
      rules,
    );
  });
  common(
    cmd.command('test').description('evaluate the rules on a session without storing or sending anything'),
  )
    .option('--date <date>', 'the session (default: the last completed one)')
    .option('--config <path>', 'config file with baskets')
    .action(async function (this: Command) {
      const opts = this.optsWithGlobals<Flags & { date?: string }>();
      const session = parseDateFlag('--date', opts.date) ?? lastCompletedSession();
      const publish = loadPublishConfig(opts.publishConfig);
      if (publish.alerts.length === 0)
        throw new NotFoundError(
          'no alert rules configured',
          'add "alerts" to rotation.publish.json (docs/publish.md)',
        );
      const config = await loadConfig(opts.config);
      const ev = await withStore(opts, (store) =>
        evaluateAlerts(store, store.publishState(), config, publish.alerts, session),
      );
      const format = parseFormat(opts.format);
      if (format === 'json') process.stdout.write(renderJson(ev));
      else
        writeRows(
          format,
          [
            { header: 'rule', get: (s) => s.rule },
            { header: 'subject', get: (s) => s.subject },
            { header: 'alert', get: (s) => s.title },
          ],
          ev.signals,
        );
      for (const n of ev.notes) process.stderr.write(`note: ${n}\n`);
    });
  common(
    cmd.command('history').description('alerts raised by daily runs, newest first, with their deliveries'),
  )
    .option('--limit <n>', 'how many', '50')
    .action(async function (this: Command) {
      const opts = this.optsWithGlobals<Flags & { limit: string }>();
      const limit = parsePositiveInt('--limit', opts.limit);
      const rows = await withStore(opts, async (store) => {
        const state = store.publishState();
        const events = await state.alertEvents({ limit });
        const outbox = await state.outbox();
        const inDoubt = await state.inDoubtIds();
        return events.map((e) => {
          const deliveries = outbox
            .filter((r) => r.edition === `alert:${e.id}`)
            .map((r) => ({
              channel: r.channel,
              recipient: r.recipient,
              state: deliveryStateOf(r, inDoubt),
              attempts: r.attempts,
              key: dedupeKeyOf(r),
            }));
          const count = (s: DeliveryState) => deliveries.filter((d) => d.state === s).length;
          return {
            ...e,
            sent: count('sent'),
            reSent: count('re-sent'),
            inDoubt: count('in-doubt'),
            pending: count('pending'),
            failed: count('failed'),
            deliveries,
          };
        });
      });
      // JSON carries each delivery too: its state and the Message-ID or Idempotency-Key a receiver dedupes by.
      writeRows(
        parseFormat(opts.format),
        [
          { header: 'session', get: (r) => r.session },
          { header: 'rule', get: (r) => r.rule },
          { header: 'alert', get: (r) => r.title },
          { header: 'sent', get: (r) => r.sent, align: 'right' },
          { header: 're-sent', get: (r) => r.reSent, align: 'right' },
          { header: 'in-doubt', get: (r) => r.inDoubt, align: 'right' },
          { header: 'pending', get: (r) => r.pending, align: 'right' },
          { header: 'failed', get: (r) => r.failed, align: 'right' },
        ],
        rows,
      );
    });
}
