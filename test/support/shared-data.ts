import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';

/** ../shared/data beside the project (present on the developers' machines and in CI, absent in a user's clone). */
export const SHARED_DATA = fileURLToPath(new URL('../../../shared/data/', import.meta.url));
export const hasSharedData = existsSync(SHARED_DATA);

/** A describe block that runs only when ../shared/data exists, and says so when it skips. */
export function describeWithSharedData(name: string, fn: () => void): void {
  if (!hasSharedData) {
    describe.skip(`${name} (skipped: ../shared/data not found beside the project)`, fn);
    return;
  }
  describe(name, fn);
}
