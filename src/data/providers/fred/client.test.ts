import { describe, expect, it } from 'vitest';
import { parseFredApi, parseFredCsv } from './client.js';

const res = (body: string, status = 200) => ({ status, contentType: '', body, url: 'http://h' });

describe('parseFredCsv', () => {
  it('reads both header spellings and skips "."', () => {
    for (const h of ['DATE', 'observation_date'])
      expect(parseFredCsv(res(`${h},FEDFUNDS\n2024-01-01,5.33\n2024-02-01,.\n`), 'FEDFUNDS')).toEqual([
        {
          series: 'FEDFUNDS',
          period: '2024-01-01',
          value: 5.33,
          unit: 'percent',
          asOf: '2024-01-01',
          source: 'fred',
        },
      ]);
  });
  it('reports a web page (unknown series) and a malformed line', () => {
    expect(() => parseFredCsv(res('<!DOCTYPE html><html></html>'), 'NOPE')).toThrow(
      /web page instead of a CSV/,
    );
    expect(() => parseFredCsv(res('DATE,X\n2024-01-01,abc\n'), 'X')).toThrow(
      /line 2 "2024-01-01,abc" is not DATE,VALUE/,
    );
  });
});

describe('parseFredApi', () => {
  it('reports FRED errors and truncated JSON', () => {
    expect(() =>
      parseFredApi(
        res('{"error_code":400,"error_message":"Bad Request.  The series does not exist."}', 400),
        'NOPE',
      ),
    ).toThrow('NOPE: Bad Request.  The series does not exist.');
    expect(() => parseFredApi(res('{"observations":[{"date"'), 'X')).toThrow(/truncated or invalid JSON/);
  });
});
