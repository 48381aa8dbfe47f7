import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';

/**
 * PostgreSQL for tests: `ROTATION_TEST_PG` (a `postgres://` URL of a server the tests may create databases on), or
 * Debian's binaries (/usr/lib/postgresql/N/bin) started in a scratch folder on 127.0.0.1 at a free port, once per
 * test file, and stopped and removed after its last test. As root, initdb and pg_ctl run as the `postgres` user
 * (initdb refuses root). Without either, tests that need it skip by name.
 */

const FROM_ENV = process.env['ROTATION_TEST_PG'];

function pgBin(): string | null {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base)
    .filter((v) => existsSync(join(base, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(base, versions[0], 'bin') : null;
}

const BIN = FROM_ENV ? null : pgBin();
/** Why PostgreSQL tests skip, or null when they run. */
export const pgMissing: string | null =
  FROM_ENV || BIN
    ? null
    : 'no PostgreSQL: set ROTATION_TEST_PG or install postgresql (/usr/lib/postgresql/*/bin/initdb)';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** util-linux's runuser (Debian: /usr/sbin), to run the server's tools as `postgres` when the tests run as root. */
const RUNUSER = existsSync('/usr/sbin/runuser') ? '/usr/sbin/runuser' : '/sbin/runuser';
const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
function runPg(tool: string, args: string[]): void {
  const bin = join(BIN as string, tool);
  if (asRoot) execFileSync(RUNUSER, ['-u', 'postgres', '--', bin, ...args], { stdio: 'pipe' });
  else execFileSync(bin, args, { stdio: 'pipe' });
}

function reachableByPostgres(dir: string): boolean {
  try {
    execFileSync(RUNUSER, ['-u', 'postgres', '--', 'test', '-x', dir], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

type Server = { url: (db: string) => string; stop: () => void };

async function startServer(): Promise<Server> {
  if (FROM_ENV) {
    return {
      url: (db) => {
        const u = new URL(FROM_ENV);
        u.pathname = `/${db}`;
        return u.toString();
      },
      stop: () => {},
    };
  }
  // As root the server runs as `postgres`, which must reach the scratch folder: a private TMPDIR falls back to /tmp.
  const base = asRoot && !reachableByPostgres(tmpdir()) ? '/tmp' : tmpdir();
  const dir = mkdtempSync(join(base, 'rotation-pg-'));
  const data = join(dir, 'data');
  if (asRoot) {
    chmodSync(dir, 0o755);
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const port = await freePort();
  try {
    runPg('initdb', [
      '-D',
      data,
      '-U',
      'postgres',
      '-A',
      'trust',
      '-E',
      'UTF8',
      '--no-sync',
      '--no-instructions',
    ]);
    runPg('pg_ctl', [
      '-D',
      data,
      '-l',
      join(dir, 'log'),
      '-w',
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`,
      'start',
    ]);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    url: (db) => `postgres://postgres@127.0.0.1:${port}/${db}`,
    stop: () => {
      try {
        runPg('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

let dbCounter = 0;

/**
 * Registers the file's PostgreSQL server (beforeAll/afterAll) and returns `newDatabase()`, which creates an empty
 * database and returns its URL (each test gets its own). Call at the top of a describe that runs only when
 * `pgMissing` is null; a file without PostgreSQL skips a test named with `pgMissing`.
 */
export function usePostgres(): { newDatabase: () => Promise<string> } {
  let server: Server | null = null;
  const created: string[] = [];
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    if (!server) return;
    if (FROM_ENV) {
      const admin = new pg.Client({ connectionString: server.url('postgres') });
      await admin.connect();
      for (const db of created) await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      await admin.end();
    }
    server.stop();
  });
  return {
    async newDatabase() {
      if (!server) throw new Error('usePostgres: the server is not started (call it inside describe)');
      const name = `rotation_test_${process.pid}_${++dbCounter}`;
      const admin = new pg.Client({ connectionString: server.url('postgres') });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${name}`);
      } finally {
        await admin.end();
      }
      created.push(name);
      return server.url(name);
    },
  };
}
