import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbSession } from './duckdb-session.js';

describe('DuckDbSession.queryColumns', () => {
  let s: DuckDbSession;
  beforeAll(async () => {
    s = await DuckDbSession.open(':memory:');
    await s.exec(`CREATE TABLE t (b BOOLEAN, i INTEGER, n BIGINT, x DOUBLE, v VARCHAR, d DATE)`);
    await s.exec(
      `INSERT INTO t VALUES (true, 1, 9007199254740991, 1.5, 'a', DATE '2026-01-02'),
                            (NULL, NULL, NULL, NULL, NULL, NULL),
                            (false, -2, -3, -0.25, '', DATE '1970-01-01')`,
    );
  });
  afterAll(() => s.close());

  /** The same columns as `query` gives them row by row (its values are toPlain's). */
  async function asRows(sql: string): Promise<Record<string, unknown[]>> {
    const rows = await s.query(sql);
    const out: Record<string, unknown[]> = {};
    for (const r of rows) for (const [k, v] of Object.entries(r)) (out[k] ??= []).push(v);
    return out;
  }

  it('gives the plain types (BOOLEAN, INTEGER, BIGINT, DOUBLE, VARCHAR) as query does, NULLs included', async () => {
    const sql = 'SELECT b, i, n, x, v, i AS i FROM t ORDER BY i NULLS LAST';
    const cols = await s.queryColumns(sql);
    expect(cols).toEqual(await asRows(sql));
    expect(cols['n']).toEqual([-3, 9007199254740991, null]);
    expect(typeof cols['n']?.[0]).toBe('number');
    expect(cols['v']).toEqual(['', 'a', null]);
  });

  it('converts the other types (a DATE) as query does', async () => {
    const sql = 'SELECT d, x FROM t ORDER BY x NULLS LAST';
    const cols = await s.queryColumns(sql);
    expect(cols).toEqual(await asRows(sql));
    expect(cols['d']).toEqual(['1970-01-01', '2026-01-02', null]);
  });

  it('names duplicated columns as query does, and gives empty columns for no rows', async () => {
    expect(Object.keys(await s.queryColumns('SELECT i, i FROM t'))).toEqual(
      Object.keys((await s.query('SELECT i, i FROM t'))[0] ?? {}),
    );
    expect(await s.queryColumns('SELECT x, v FROM t WHERE false')).toEqual({ x: [], v: [] });
  });
});
