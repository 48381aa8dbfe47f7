import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/**
 * The one way a test makes a temporary folder: `tempDir('why-')` creates an empty folder under the system temp
 * folder and registers it for removal, with everything in it, after the test file's last test (this module's
 * `afterAll`, registered when a test file imports it). Call it in a test, a `beforeEach` or a `beforeAll`.
 *
 * Prove nothing is left behind with `TMPDIR=$(mktemp -d) npx vitest run` and then list that folder.
 */
const made: string[] = [];

afterAll(() => removeTempDirs());

export function tempDir(prefix = 'rotation-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Removes every folder `tempDir` made so far (the file's `afterAll` calls it; a test may call it earlier). */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}
