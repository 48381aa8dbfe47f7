import type { Command } from 'commander';
import type { AppliedMigration } from '../../data/store/store.js';
import { withStore, type GlobalOptions } from '../context.js';
import { parseFormat, writeRows, type Column } from '../output.js';

const columns: Column<AppliedMigration>[] = [
  { header: 'version', get: (r) => r.version, align: 'right' },
  { header: 'name', get: (r) => r.name },
  { header: 'applied_at', get: (r) => r.appliedAt },
];

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description(
      'apply pending schema migrations to the store (DuckDB file or PostgreSQL) and report its version',
    )
    .option('--format <format>', 'table | json | csv', 'table')
    .addHelpText(
      'after',
      '\nExamples:\n  rotation migrate\n  rotation migrate --db postgres://desk@127.0.0.1:5432/rotation --format json',
    )
    .action(async function (this: Command) {
      const opts = this.optsWithGlobals<GlobalOptions & { format: string }>();
      const format = parseFormat(opts.format);
      // Opening the store for writing applies what is pending (one process at a time on PostgreSQL).
      const report = await withStore(
        opts,
        async (store) => ({
          engine: store.engine,
          location: store.location,
          schemaVersion: await store.schemaVersion(),
          migrations: await store.migrations(),
        }),
        { write: true },
      );
      if (format === 'table')
        process.stdout.write(
          `schema version ${report.schemaVersion} (${report.engine}, ${report.location})\n`,
        );
      writeRows(format, columns, report.migrations, report);
    });
}
