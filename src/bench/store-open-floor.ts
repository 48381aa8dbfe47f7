/**
 * The start-up benchmark's floor for a verb that reads the store: open the store read-only exactly as every
 * verb does (`Store.open`, with its schema check), close it, print nothing.
 *
 *   node dist/cli/bundle/store-open-floor.js DB
 *
 * `npm run build` bundles it beside the CLI (scripts/build.js) so that it loads DuckDB's API from the same chunk
 * as `rotation race` does: its time is what any such verb pays before it reads a row, and `race` cannot start
 * faster than this (docs/bench.md, "The start-up benchmark").
 */
import { Store } from '../data/store/store.js';

const db = process.argv[2];
if (!db) {
  process.stderr.write('usage: node dist/cli/bundle/store-open-floor.js DB\n');
  process.exitCode = 2;
} else {
  const store = await Store.open(db, { readOnly: true });
  store.close();
}
