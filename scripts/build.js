// @ts-check
/**
 * `npm run build`, after `tsc -p tsconfig.build.json` has compiled src/ into dist/ module by module:
 *
 * 1. copies the files tsc does not (the bench's Python shim, the dashboard's page, script and stylesheet);
 * 2. bundles the CLI with esbuild into dist/cli/bundle/ (ESM, code splitting: each verb's chunk loads when that
 *    verb runs) and makes dist/cli/bin.js start it. Node resolves and links one file per chunk instead of several
 *    hundred modules (DuckDB's API, zod, commander each as one chunk), which is most of a command's start-up
 *    (docs/bench.md, "The start-up benchmark").
 *
 * The module-by-module dist/ stays complete (the bench and its workers run from it, and `tsc` alone still gives a
 * working dist/cli/bin.js). Inside the bundle each source module's `import.meta.url` is the URL of its twin in
 * dist/ (dist/server/dashboard.js for src/server/dashboard.ts), so paths next to a module (the dashboard's assets,
 * package.json) resolve as they do unbundled.
 */
import { build } from 'esbuild';
import { chmodSync, copyFileSync, cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'src');
const DIST = join(ROOT, 'dist');
const BUNDLE = join(DIST, 'cli/bundle');

/**
 * Packages left to Node's own loader: native addons (a `.node` file is loaded by path at run time) and optional
 * peers that are not installed (pg's `pg-native`, vega-canvas's `canvas`), which their packages require lazily
 * inside a try.
 */
const EXTERNAL = [
  '@duckdb/node-bindings',
  '@duckdb/node-bindings-*',
  '@resvg/resvg-js',
  'pg-native',
  'canvas',
];

/**
 * Bundled CommonJS packages (DuckDB's API, pg, nodemailer) call `require` for Node's modules and for the externals
 * above; an ES module has none, so each output file makes its own.
 */
const BANNER =
  "import { createRequire as __rotationCreateRequire } from 'node:module';\n" +
  'const require = __rotationCreateRequire(import.meta.url);';

/** Rewrites `import.meta.url` in each source module to its compiled twin's URL in dist/ (see the top comment). */
const distUrls = {
  name: 'dist-import-meta-url',
  /** @param {import('esbuild').PluginBuild} b */
  setup(b) {
    b.onLoad({ filter: /\/src\/.*\.ts$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return { contents: text, loader: 'ts' };
      const twin = relative(BUNDLE, join(DIST, relative(SRC, args.path))).replace(/\.ts$/, '.js');
      const url = `new URL(${JSON.stringify(twin.split('\\').join('/'))}, import.meta.url).href`;
      return { contents: text.replaceAll('import.meta.url', url), loader: 'ts' };
    });
  },
};

/**
 * `await import('pkg')` of a CommonJS package gives its exports as named exports under Node (cjs-module-lexer),
 * but only `default` when esbuild splits the package into a chunk of its own. A dynamic import of a bundled
 * package from src/ goes through an ES module that names the package's exports (read here by requiring it), so
 * `(await import('@duckdb/node-api')).DuckDBInstance` and `(await import('pg')).default` work as under Node.
 */
const cjsDynamicImports = {
  name: 'cjs-dynamic-imports',
  /** @param {import('esbuild').PluginBuild} b */
  setup(b) {
    const requireHere = createRequire(join(ROOT, 'package.json'));
    b.onResolve({ filter: /^[@a-z]/ }, (args) =>
      args.kind === 'dynamic-import' && args.importer.startsWith(SRC) && !isExternal(args.path)
        ? { path: args.path, namespace: 'cjs-dynamic-import' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'cjs-dynamic-import' }, (args) => {
      const names = Object.keys(requireHere(args.path)).filter(
        (n) => n !== 'default' && /^[A-Za-z_$][\w$]*$/.test(n),
      );
      const pkg = JSON.stringify(args.path);
      return {
        contents: [
          `import * as ns from ${pkg};`,
          names.length > 0 ? `export const { ${names.join(', ')} } = ns;` : '',
          'export default ns.default;',
        ].join('\n'),
        resolveDir: ROOT,
        loader: 'js',
      };
    });
  },
};

/** @param {string} pkg */
const isExternal = (pkg) =>
  EXTERNAL.some((e) =>
    e.endsWith('*') ? pkg.startsWith(e.slice(0, -1)) : pkg === e || pkg.startsWith(`${e}/`),
  );

copyFileSync(join(SRC, 'bench/peer-nth-shim.py'), join(DIST, 'bench/peer-nth-shim.py'));
cpSync(join(SRC, 'server/dashboard'), join(DIST, 'server/dashboard'), { recursive: true });

rmSync(BUNDLE, { recursive: true, force: true });
const result = await build({
  entryPoints: {
    bin: join(SRC, 'cli/bin.ts'),
    // The start-up benchmark's floor (src/bench/store-open-floor.ts): it shares the CLI's chunks.
    'store-open-floor': join(SRC, 'bench/store-open-floor.ts'),
  },
  outdir: BUNDLE,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: '[name]-[hash]',
  external: EXTERNAL,
  banner: { js: BANNER },
  // Source maps beside each chunk (see dist/cli/bin.js below for when Node reads them).
  sourcemap: true,
  sourcesContent: false,
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [distUrls, cjsDynamicImports],
});
if (result.errors.length > 0) process.exit(1);

// tsc compiled src/cli/bin.ts here (its map goes with it); the bundle takes its place.
rmSync(join(DIST, 'cli/bin.js.map'), { force: true });
writeFileSync(
  join(DIST, 'cli/bin.js'),
  [
    '#!/usr/bin/env node',
    '// Written by scripts/build.js: starts the bundled CLI (dist/cli/bundle/, built from src/cli/bin.ts).',
    '// Stack traces name src/ files and lines with ROTATION_DEBUG set (the CLI prints them then) or under',
    '// `node --enable-source-maps`; reading the maps otherwise would cost every command its start-up.',
    "if (process.env['ROTATION_DEBUG']) process.setSourceMapsEnabled(true);",
    "await import('./bundle/bin.js');",
    '',
  ].join('\n'),
);
// The README's `npx rotation` runs this file directly: it must be executable whatever the checkout's umask.
chmodSync(join(DIST, 'cli/bin.js'), 0o755);
