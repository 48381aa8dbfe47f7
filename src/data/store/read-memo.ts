import type { MarketStore } from './market-store.js';

/** The reads that only read: calling one leaves the memo as it is; any other method (a write) empties it. */
const READS = new Set<string>([
  'listSymbols',
  'isEmpty',
  'resolveSymbol',
  'getInstrument',
  'loadBars',
  'loadCloses',
  'loadCloseBasis',
  'loadCloseRanges',
  'barSpan',
  'barDateFromEnd',
  'loadCorporateActions',
  'loadObservations',
  'loadVintages',
  'loadNotes',
  'seriesIds',
  'importLog',
  'schemaVersion',
  'migrations',
  'duplicateBars',
]);

/** The memoized reads: one symbol's bars, its closes, and its close-basis runs, over one date range. */
const MEMOIZED = new Set<string>(['loadBars', 'loadCloses', 'loadCloseRanges']);

/** Rows (loadBars, loadCloseRanges) frozen with each row; columns (loadCloses) with each column. */
function deepFreeze<T>(out: T): T {
  for (const part of Object.values(out as object)) Object.freeze(part);
  return Object.freeze(out);
}

/**
 * `store` with a memo of `loadBars`, `loadCloses` and `loadCloseRanges` (keyed by the method, the symbol and the
 * range): one caller that reads the same series many times (a brief: ~137 bar reads of 24 series) queries each
 * once. The memoized rows are the stored rows, frozen (a caller that changed them would change every other
 * caller's), so results are those of the store itself. A call of any method that is not a read empties the memo; a failed read
 * is not kept. Meant for one unit of work (`buildBrief`), not a long-lived store: the memo sees no other
 * process's writes.
 */
export function withReadMemo<S extends MarketStore>(store: S): S {
  const memo = new Map<string, Promise<unknown>>();
  return new Proxy(store, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof key !== 'string' || typeof value !== 'function') return value;
      const fn = value as (...args: unknown[]) => unknown;
      if (MEMOIZED.has(key))
        return (symbol: string, range?: { from?: string; to?: string }) => {
          const k = JSON.stringify([key, symbol, range?.from ?? null, range?.to ?? null]);
          let pending = memo.get(k);
          if (!pending) {
            pending = (fn.call(target, symbol, range) as Promise<object>).then(deepFreeze);
            memo.set(k, pending);
            pending.catch(() => {
              if (memo.get(k) === pending) memo.delete(k);
            });
          }
          return pending;
        };
      if (READS.has(key)) return fn.bind(target);
      return (...args: unknown[]) => {
        memo.clear();
        const out = fn.apply(target, args);
        // and once the write is done: a read made while it ran may hold rows from before it
        if (out instanceof Promise) return out.finally(() => memo.clear());
        memo.clear();
        return out;
      };
    },
  });
}
