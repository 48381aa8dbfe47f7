import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { importPaths } from '../ingest/import.js';
import { openStore, PgStore } from './store.js';
import { BRIEF_FILES, WHY_EXAMPLE } from '../../../test/support/brief-store.js';
import { runCli } from '../../../test/support/run-cli.js';
import { hasSharedData, SHARED_DATA } from '../../../test/support/shared-data.js';
import { tempDir } from '../../../test/support/tmp.js';
import { pgMissing, usePostgres } from '../../../test/support/pg.js';

/**
 * The same files imported into DuckDB and into PostgreSQL give the same facts: the verbs' JSON and the brief's
 * facts file are compared whole, engine against engine, on the real data in ../shared/data.
 */
const missing = !hasSharedData ? `../shared/data not found beside the project (${SHARED_DATA})` : pgMissing;

const pg = missing ? null : usePostgres();

if (missing)
  describe('DuckDB and PostgreSQL give the same facts', () => {
    it.skip(`skipped: ${missing}`, () => {});
  });
else
  describe('DuckDB and PostgreSQL give the same facts', () => {
    const targets: Record<'duckdb' | 'postgres', string> = { duckdb: '', postgres: '' };
    const imported: Record<string, unknown> = {};

    beforeAll(async () => {
      const dir = tempDir('engines-agree-');
      targets.duckdb = join(dir, 'agree.duckdb');
      targets.postgres = await (pg as NonNullable<typeof pg>).newDatabase();
      const files = [...BRIEF_FILES.map((f) => join(SHARED_DATA, f)), WHY_EXAMPLE];
      for (const engine of ['duckdb', 'postgres'] as const) {
        const store = await openStore(targets[engine]);
        try {
          const out = await importPaths(store, files, { today: '2026-11-24' });
          imported[engine] = out.map((o) =>
            o.ok ? [o.file, o.added, o.updated, o.unchanged] : [o.file, o.error],
          );
        } finally {
          if (store instanceof PgStore) await store.end();
          else store.close();
        }
      }
    }, 240_000);

    it('imports the same rows', () => {
      expect(imported['postgres']).toEqual(imported['duckdb']);
    });

    it.each([
      ['race', ['race', 'IWM', 'QQQ', '--window', 'first:7', '--years', '2000-2026']],
      [
        'precedents',
        ['precedents', '--beats', '^RUT', '^NDX', '--window', 'first:7', '--as-of', '2026-01-12'],
      ],
      ['rrg', ['rrg', '--as-of', '2026-07-31']],
      ['macro', ['macro', '--as-of', '2026-01-12']],
      ['symbols', ['symbols']],
    ])('%s --format json', async (_name, args) => {
      const out: Record<string, string> = {};
      for (const engine of ['duckdb', 'postgres'] as const) {
        const r = await runCli(['--db', targets[engine], ...args, '--format', 'json']);
        expect(r.code, `${engine}: ${r.err}`).toBe(0);
        out[engine] = r.out;
      }
      expect(JSON.parse(out['postgres'] as string)).toEqual(JSON.parse(out['duckdb'] as string));
    });

    it('writes the same brief facts', async () => {
      const facts: Record<string, unknown> = {};
      for (const engine of ['duckdb', 'postgres'] as const) {
        const dir = tempDir(`engines-brief-${engine}-`);
        const r = await runCli(['--db', targets[engine], 'brief', '--as-of', '2026-01-12', '--out', dir]);
        expect(r.code, `${engine}: ${r.err}`).toBe(0);
        const file = readdirSync(dir).find((f) => /^facts-.*\.json$/.test(f));
        expect(file, `${engine}: a facts file`).toBeDefined();
        facts[engine] = JSON.parse(readFileSync(join(dir, file as string), 'utf8'));
      }
      expect(facts['postgres']).toEqual(facts['duckdb']);
      expect(JSON.stringify(facts['duckdb']).length).toBeGreaterThan(1000);
    }, 120_000);
  });
