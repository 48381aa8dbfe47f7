import type { Command } from 'commander';
import { basketIndex } from '../../core/basket.js';
import { barValues, findBasket } from '../../data/load.js';
import { NotFoundError } from '../../shared/errors.js';
import { withStore } from '../context.js';
import { formatNumber, writeRows, type Column } from '../output.js';
import { addCommonFlags, parseCommon, type AnalyticsFlags } from './analytics-options.js';

type BasketRow = {
  id: string;
  name: string;
  members: string[];
  weighting: string;
  rebalance: string;
  missing: string[];
  partialFrom: string | null;
  fullFrom: string | null;
  lastDate: string | null;
  lastLevel: number | null;
};

const columns: Column<BasketRow>[] = [
  { header: 'id', get: (r) => r.id },
  { header: 'name', get: (r) => r.name },
  { header: 'members', get: (r) => r.members.join(' ') },
  { header: 'weighting', get: (r) => r.weighting },
  { header: 'rebalance', get: (r) => r.rebalance },
  { header: 'full_from', get: (r) => r.fullFrom },
  { header: 'last_date', get: (r) => r.lastDate },
  {
    header: 'last_level',
    get: (r) => r.lastLevel,
    show: (r) => formatNumber(r.lastLevel, 2),
    align: 'right',
  },
  { header: 'missing', get: (r) => r.missing.join(' ') },
];

export function registerBasket(program: Command): void {
  addCommonFlags(
    program
      .command('basket')
      .description('list the baskets (MAG7 and those in rotation.config.json), or show one with its coverage')
      .argument('[id]', 'a basket id (MAG7); case-insensitive'),
  )
    .addHelpText(
      'after',
      `
A basket is an index (100 at its start) of its members' closes (--basis total: adjusted closes), weighted equally
or by the configured weights and rebalanced daily, monthly or quarterly at the last close of each period. Members
that list later join at the next rebalance; analytics use a basket only from the date all members are held
(full_from). Use the id anywhere a symbol goes: rotation race IWM MAG7.

Examples:
  rotation basket
  rotation basket mag7 --basis total --as-of 2026-06-30
  rotation basket --format json`,
    )
    .action(async function (this: Command, id: string | undefined) {
      const opts = this.optsWithGlobals<AnalyticsFlags>();
      const common = await parseCommon(opts);
      const entries = id
        ? (() => {
            const f = findBasket(common.config, id);
            if (!f)
              throw new NotFoundError(
                `unknown basket "${id}"`,
                `baskets: ${Object.keys(common.config.baskets).join(', ')}; define more in rotation.config.json`,
              );
            return [f];
          })()
        : Object.entries(common.config.baskets).map(([bid, basket]) => ({ id: bid, basket }));
      const rows = await withStore(opts, async (store) => {
        const out: BasketRow[] = [];
        for (const { id: bid, basket } of entries) {
          const members = [];
          const missing: string[] = [];
          for (const m of basket.members) {
            const sym = await store.resolveSymbol(m);
            const bars = sym ? await store.loadCloses(sym, common.asOf ? { to: common.asOf } : {}) : null;
            if (!sym || !bars || bars.dates.length === 0) missing.push(m);
            else
              members.push({
                symbol: sym,
                dates: bars.dates.slice(),
                values: barValues(bars, common.basis).values,
              });
          }
          const idx = members.length > 0 ? basketIndex(members, basket) : null;
          const full = idx ? idx.held.findIndex((h) => h === basket.members.length) : -1;
          out.push({
            id: bid,
            name: basket.name,
            members: basket.members,
            weighting: basket.weighting,
            rebalance: basket.rebalance,
            missing,
            partialFrom: idx?.dates[0] ?? null,
            fullFrom: idx && full >= 0 ? (idx.dates[full > 0 ? full - 1 : 0] ?? null) : null,
            lastDate: idx?.dates.at(-1) ?? null,
            lastLevel:
              idx && full >= 0
                ? ((idx.values.at(-1) as number) / (idx.values[full > 0 ? full - 1 : 0] as number)) * 100
                : null,
          });
        }
        return out;
      });
      writeRows(common.format, columns, rows);
      if (common.format === 'table')
        process.stdout.write(`\nlast_level: the basket rebased to 100 at full_from, ${common.basis} basis\n`);
    });
}
