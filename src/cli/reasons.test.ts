import { describe, expect, it } from 'vitest';
import { IMPORT_REASONS, SYNC_REASONS } from '../shared/reasons.js';
import { importReasonText, reasonCounts, syncReasonText } from './reasons.js';

describe('the words for reason codes', () => {
  it('gives every import and sync code its own short phrase', () => {
    for (const [codes, text] of [
      [IMPORT_REASONS, importReasonText],
      [SYNC_REASONS, syncReasonText],
    ] as const) {
      const words = codes.map((c) => (text as (r: string) => string)(c));
      expect(new Set(words).size, words.join(', ')).toBe(codes.length);
      for (const w of words) expect(w).toMatch(/^[a-z][a-z ]{2,20}$/);
    }
  });

  it('counts reasons, the most frequent first', () => {
    expect(reasonCounts(['unreadable', 'bad-row', 'bad-row'] as const, importReasonText)).toBe(
      '2 bad row, 1 unreadable',
    );
    expect(reasonCounts([], importReasonText)).toBe('');
  });
});
