import type { TradingDate } from '../shared/brand.js';
import { NotFoundError } from '../shared/errors.js';
import type { Config } from './config.js';
import type { Store } from './store/store.js';

/**
 * The as-of date a command uses when none is given: the last session stored for the configured small-cap
 * benchmark (else the latest bar of any symbol). The brief and `rotation macro` share it, so a fact printed by
 * both without `--as-of` has one value. Throws NotFoundError on an empty store or one without bars.
 */
export async function latestStoredSession(store: Store, config: Config): Promise<TradingDate> {
  const symbols = await store.listSymbols();
  if (symbols.length === 0)
    throw new NotFoundError(
      'the store is empty: nothing to report on',
      'fill it with `rotation sync` (downloads the default universe) or `rotation import <files or folders>`',
    );
  const s =
    symbols.find((x) => x.symbol.toLowerCase() === config.benchmarks.smallCaps.toLowerCase()) ??
    symbols.find((x) => x.table === 'bars');
  if (!s?.lastDate)
    throw new NotFoundError('no price bars stored', 'add some with `rotation sync` or `rotation import`');
  return s.lastDate as TradingDate;
}
