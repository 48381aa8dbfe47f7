import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { InputError } from '../../shared/errors.js';

/** Another process (or handle) holds the run lock and did not release it within the timeout. */
export class RunLockError extends InputError {
  override name = 'RunLockError';
}

export const DEFAULT_RUN_LOCK_TIMEOUT_MS = 30_000;
const POLL_MS = 100;

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** True when a process with this pid exists (EPERM: it exists but is another user's). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM';
  }
}

/**
 * The DuckDB engine's run lock: a file created exclusively beside the store file, holding the owner's pid. A file
 * left by a process that has died is removed and taken. The second caller polls until `timeoutMs`, then throws.
 */
export async function withLockFile<T>(
  lockPath: string,
  what: string,
  fn: () => Promise<T>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let fd: number | null = null;
  for (;;) {
    try {
      fd = openSync(lockPath, 'wx');
      break;
    } catch (e) {
      if ((e as { code?: string }).code !== 'EEXIST') throw e;
      let owner = NaN;
      try {
        owner = Number(readFileSync(lockPath, 'utf8').trim());
      } catch {
        // removed between open and read: try again
      }
      if (Number.isInteger(owner) && owner > 0 && !alive(owner)) {
        rmSync(lockPath, { force: true });
        continue;
      }
      if (Date.now() >= deadline)
        throw new RunLockError(
          `${what} is running in another process${Number.isInteger(owner) ? ` (PID ${owner})` : ''}; waited ${Math.round(timeoutMs / 1000)} s: let it finish, then run again`,
          { file: lockPath },
        );
      await sleep(POLL_MS);
    }
  }
  try {
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return await fn();
  } finally {
    rmSync(lockPath, { force: true });
  }
}
