import type { Command } from 'commander';
import { loadConfig } from '../../data/config.js';
import { SnapshotReader } from '../../data/snapshot.js';
import { isPostgresUrl, Store } from '../../data/store/store.js';
import { createApp } from '../../server/app.js';
import { listen } from '../../server/listen.js';
import { UsageError } from '../../shared/errors.js';
import { parsePositiveInt } from '../../core/positive-int.js';
import { lastCompletedSession, storePath, todayInNewYork, type GlobalOptions } from '../context.js';
import { publishServeDeps } from './run.js';

type ServeOptions = GlobalOptions & {
  host: string;
  port: string;
  config?: string;
  briefs?: string;
  constituents?: string;
  publish?: string | true;
};

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the JSON API (/api/v1), its OpenAPI document and reference page, on loopback')
    .option(
      '--host <host>',
      'address to bind (default loopback; anything else exposes the store)',
      '127.0.0.1',
    )
    .option('--port <port>', 'TCP port (0: any free port)', '8080')
    .option('--config <path>', 'config file with baskets (default ./rotation.config.json if present)')
    .option('--briefs <dir>', 'the folder of briefs written by `rotation brief --out DIR` (the archive)')
    .option('--constituents <dir>', 'constituents folder for breadth (default: $ROTATION_CONSTITUENTS)')
    .option(
      '--publish [path]',
      'also serve /subscribe, /confirm, /unsubscribe and the feeds (opens the store for writing; docs/publish.md)',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  rotation serve\n  rotation serve --port 9000 --db market.duckdb\n  curl http://127.0.0.1:8080/api/v1/race?a=IWM&b=QQQ&window=ytd',
    )
    .action(async function (this: Command) {
      const opts = this.optsWithGlobals<ServeOptions>();
      const port = opts.port === '0' ? 0 : parsePositiveInt('--port', opts.port);
      if (port > 65535) throw new UsageError(`--port ${port} is not a TCP port (1-65535, or 0)`);
      const config = await loadConfig(opts.config);
      const db = storePath(opts);
      if (db === ':memory:') throw new UsageError('serve answers from a store file', 'pass --db FILE');
      // Three ways to read (docs/serve.md): PostgreSQL serves every replica from the server itself; a DuckDB file is
      // read from its newest snapshot, so imports and syncs can write the live file meanwhile (answers cached per
      // snapshot id); with --publish the subscribe pages write, so the live DuckDB file is opened for writing and
      // answered from directly (no writer can run beside it then).
      const live =
        opts.publish || isPostgresUrl(db) ? await Store.open(db, { readOnly: !opts.publish }) : null;
      const snapshots = live
        ? null
        : await SnapshotReader.start(db, {
            onWait: () =>
              process.stderr.write(
                'rotation serve: an import or sync is writing the store; waiting for it\n',
              ),
          });
      const publish =
        live && opts.publish
          ? publishServeDeps(live, opts.publish === true ? undefined : opts.publish)
          : null;
      const app = createApp({
        withStore: (fn) => (snapshots ? snapshots.withStore(fn) : fn(live as Store)),
        ...(snapshots ? { version: () => snapshots.version() } : {}),
        config,
        today: () => todayInNewYork(),
        lastCompletedSession: () => lastCompletedSession(),
        maxConcurrent: 1,
        briefsDir: opts.briefs,
        constituents: opts.constituents,
        ...(publish ? { publish: publish.deps } : {}),
      });
      const server = await listen(app, opts.host, port);
      process.stdout.write(
        `rotation serve: listening on ${server.url} (API ${server.url}/api/v1, Ctrl-C stops)\n`,
      );
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          process.stdout.write(`rotation serve: ${signal}, stopping\n`);
          process.off('SIGINT', onInt);
          process.off('SIGTERM', onTerm);
          void server.close().then(() => {
            publish?.close();
            snapshots?.close();
            live?.close();
            resolve();
          });
        };
        const onInt = () => stop('SIGINT');
        const onTerm = () => stop('SIGTERM');
        process.on('SIGINT', onInt);
        process.on('SIGTERM', onTerm);
      });
    });
}
