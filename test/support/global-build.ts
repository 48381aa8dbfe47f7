import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** The newest modification time of a file under `dir` (test files excluded: they are not built). */
function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p));
    else if (!e.name.endsWith('.test.ts')) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

/**
 * Vitest's global set-up: the tests that start the built CLI as a child process (the crash and concurrent-run
 * tests of src/publish) need dist/ as `npm run build` leaves it. It is built here once, before any test file runs,
 * when dist/cli/bin.js is missing or older than a source file, so that `npm test` works on a fresh clone and no
 * test rewrites dist/ while another one runs it.
 */
export default function setup(): void {
  const bin = join(ROOT, 'dist/cli/bin.js');
  const source = Math.max(newest(join(ROOT, 'src')), statSync(join(ROOT, 'scripts/build.js')).mtimeMs);
  if (existsSync(bin) && statSync(bin).mtimeMs >= source) return;
  // What `npm run build` runs: tsc, then the bundle (scripts/build.js).
  for (const step of [
    [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    [join(ROOT, 'scripts/build.js')],
  ]) {
    const build = spawnSync(process.execPath, step, { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
    if (build.status !== 0) throw new Error(`build for the tests failed: ${build.stdout}${build.stderr}`);
  }
}
