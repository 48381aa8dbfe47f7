import type { Command } from 'commander';
import type { Cadence, Subscriber } from '../../data/store/publish-state.js';
import { parseAddress } from '../../publish/tokens.js';
import { UsageError } from '../../shared/errors.js';
import { withStore, type GlobalOptions } from '../context.js';
import { parseFormat, writeRows, type Column } from '../output.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const columns: Column<Subscriber>[] = [
  { header: 'address', get: (s) => s.address },
  { header: 'status', get: (s) => s.status },
  { header: 'cadence', get: (s) => s.cadence },
  { header: 'alerts', get: (s) => s.alerts },
  { header: 'created', get: (s) => iso(s.createdMs) },
  { header: 'confirmed', get: (s) => iso(s.confirmedMs) },
  { header: 'unsubscribed', get: (s) => iso(s.unsubscribedMs) },
];

function addressArg(text: string): string {
  const a = parseAddress(text);
  if (!a) throw new UsageError(`"${text.slice(0, 80)}" is not an email address`, 'e.g. reader@example.com');
  return a;
}

export function parseCadence(text: string): Cadence {
  if (text === 'daily' || text === 'weekly') return text;
  throw new UsageError(`--cadence "${text}" is not daily or weekly`);
}

export function registerSubscribers(program: Command): void {
  const cmd = program
    .command('subscribers')
    .description('newsletter subscribers in the store: list, add (confirmed by you), remove, export as CSV')
    .addHelpText(
      'after',
      `
Readers subscribe themselves on \`rotation serve\` (/subscribe, with a confirmation mail); \`add\` is for the operator
and stores the address as confirmed. Examples:
  rotation subscribers list
  rotation subscribers add reader@example.com --cadence weekly --alerts
  rotation subscribers remove reader@example.com
  rotation subscribers export > subscribers.csv`,
    );
  cmd
    .command('list')
    .description('every subscriber with status, cadence and dates')
    .option('--format <format>', 'table | json | csv', 'table')
    .option('--status <status>', 'only pending, active or unsubscribed')
    .action(async function (this: Command) {
      const opts = this.optsWithGlobals<GlobalOptions & { format: string; status?: string }>();
      const format = parseFormat(opts.format);
      if (opts.status && !['pending', 'active', 'unsubscribed'].includes(opts.status))
        throw new UsageError(`--status "${opts.status}" is not pending, active or unsubscribed`);
      const rows = await withStore(opts, (store) =>
        store.publishState().subscribers(opts.status as Subscriber['status'] | undefined),
      );
      writeRows(format, columns, rows);
    });
  cmd
    .command('add')
    .argument('<address>', 'email address')
    .option('--cadence <cadence>', 'daily | weekly', 'daily')
    .option('--alerts', 'also mail the alerts')
    .description('add a confirmed subscriber (or change one)')
    .action(async function (this: Command, address: string) {
      const opts = this.optsWithGlobals<GlobalOptions & { cadence: string; alerts?: boolean }>();
      const a = addressArg(address);
      const cadence = parseCadence(opts.cadence);
      await withStore(
        opts,
        async (store) => {
          const state = store.publishState();
          const now = Date.now();
          const prior = await state.subscriber(a);
          await state.putSubscriber({
            address: a,
            status: 'active',
            cadence,
            alerts: Boolean(opts.alerts),
            createdMs: prior?.createdMs ?? now,
            confirmedMs: now,
            unsubscribedMs: null,
          });
        },
        { write: true },
      );
      process.stdout.write(`${a}: active, ${cadence}${opts.alerts ? ', alerts' : ''}\n`);
    });
  cmd
    .command('remove')
    .argument('<address>', 'email address')
    .description('delete a subscriber and its state')
    .action(async function (this: Command, address: string) {
      const opts = this.optsWithGlobals<GlobalOptions>();
      const a = addressArg(address);
      const found = await withStore(opts, (store) => store.publishState().removeSubscriber(a), {
        write: true,
      });
      if (!found) throw new UsageError(`${a} is not a subscriber`, 'see `rotation subscribers list`');
      process.stdout.write(`${a}: removed\n`);
    });
  cmd
    .command('export')
    .description('every subscriber as CSV on stdout')
    .action(async function (this: Command) {
      const opts = this.optsWithGlobals<GlobalOptions>();
      const rows = await withStore(opts, (store) => store.publishState().subscribers());
      writeRows('csv', columns, rows);
    });
}
