import type { Command } from 'commander';
import { loadConfig } from '../../data/config.js';
import { SnapshotReader } from '../../data/snapshot.js';
import { createApp } from '../../server/app.js';
import { listen } from '../../server/listen.js';
import { UsageError } from '../../shared/errors.js';
import { parsePositiveInt } from '../../core/positive-int.js';
import { storePath, todayInNewYork, type GlobalOptions } from '../context.js';

type ServeOptions = GlobalOptions & {
  host: string;
  port: string;
  config?: string;
  briefs?: string;
  constituents?: string;
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
    .addHelpText(
      'after',
      '\nExamples:\n  rotation serve\n  rotation serve --port 9000 --db market.duckdb\n  curl http://127.0.0.1:8080/api/v1/race?a=IWM&b=QQQ&window=ytd',
    )
    .action(async function (this: Command) {
      const opts = this.optsWithGlobals<ServeOptions>();
      const port = opts.port === '0' ? 0 : parsePositiveInt('--port', opts.port);
      if (port > 65535) throw new UsageError(`--port ${port} is not a TCP port (1-65535, or 0)`);
      const config = loadConfig(opts.config);
      // Answers come from the newest snapshot of the store, so imports and syncs can write the live file meanwhile;
      // the app's gate runs one query at a time, and caches answers per snapshot id (docs/serve.md).
      const db = storePath(opts);
      if (db === ':memory:') throw new UsageError('serve answers from a store file', 'pass --db FILE');
      const snapshots = await SnapshotReader.start(db);
      const app = createApp({
        withStore: (fn) => snapshots.withStore(fn),
        version: () => snapshots.version(),
        config,
        today: () => todayInNewYork(),
        maxConcurrent: 1,
        briefsDir: opts.briefs,
        constituents: opts.constituents,
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
            snapshots.close();
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
