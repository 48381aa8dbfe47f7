import { pathToFileURL } from 'node:url';
import { UsageError } from '../shared/errors.js';

/**
 * The command-line edge of a bench script: runs `run` with the parsed flags when the module at `moduleUrl` is the
 * one node was started with. Bad flags print `error:` and a hint (exit 2), `--help` prints the usage, and any
 * other failure prints `error:` (exit 1).
 */
export function runScript<O>(
  moduleUrl: string,
  parse: (argv: string[]) => O | 'help',
  usage: string,
  run: (opts: O) => Promise<void>,
): void {
  if (moduleUrl !== pathToFileURL(process.argv[1] ?? '').href) return;
  const main = async (): Promise<void> => {
    let opts: O | 'help';
    try {
      opts = parse(process.argv.slice(2));
    } catch (e) {
      if (e instanceof UsageError) {
        process.stderr.write(`error: ${e.message}\nhint: ${e.hint ?? 'see --help'}\n`);
        process.exitCode = 2;
        return;
      }
      throw e;
    }
    if (opts === 'help') {
      process.stdout.write(usage + '\n');
      return;
    }
    await run(opts);
  };
  main().catch((e: unknown) => {
    process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
