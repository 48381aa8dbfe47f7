import { CommanderError } from 'commander';
import { plainDuckDbCause } from '../data/store/duckdb-errors.js';
import { InputError, NotFoundError, UsageError } from '../shared/errors.js';
import { flagHint } from './hints.js';

/**
 * The CLI's one error mapper: prints `error: …` (and a hint) to stderr and returns the exit code.
 * 2 for bad usage, 1 for everything else. Unexpected errors also print their stack when ROTATION_DEBUG is set.
 */
export function reportError(e: unknown): number {
  if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
  if (e instanceof UsageError) {
    printError(e.message, flagHint(e));
    return 2;
  }
  if (e instanceof InputError) {
    printError(e.describe());
    return 1;
  }
  if (e instanceof NotFoundError) {
    printError(e.message, e.hint);
    return 1;
  }
  const message = e instanceof Error ? e.message : String(e);
  // A DuckDB error that reached the edge unmapped: its cause in our words, never "IO Error: …" raw.
  const cause = plainDuckDbCause(message);
  printError(cause ?? message.split('\n')[0] ?? message);
  if (process.env['ROTATION_DEBUG'] && e instanceof Error && e.stack) process.stderr.write(e.stack + '\n');
  return 1;
}

function printError(message: string, hint?: string): void {
  process.stderr.write(`error: ${message}\n`);
  if (hint) process.stderr.write(`hint: ${hint}\n`);
}
