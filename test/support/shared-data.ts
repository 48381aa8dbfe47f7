import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';

/**
 * ../shared/data beside the project (present on the developers' machines and in CI, absent in a user's clone).
 * `ROTATION_SHARED_DATA` points elsewhere; CI sets it to a missing folder to prove the suite passes without the data.
 */
export const SHARED_DATA =
  process.env['ROTATION_SHARED_DATA'] ?? fileURLToPath(new URL('../../../shared/data/', import.meta.url));
export const hasSharedData = existsSync(SHARED_DATA);

/**
 * A describe block that runs only when ../shared/data exists. When it is absent, one skipped test names what is
 * missing and `fn` is never called: Vitest runs a skipped describe's body while collecting, so file reads inside it
 * would throw.
 */
export function describeWithSharedData(name: string, fn: () => void): void {
  if (!hasSharedData) {
    describe(name, () => {
      it.skip(`skipped: ../shared/data not found beside the project (${SHARED_DATA})`, () => {});
    });
    return;
  }
  describe(name, fn);
}
