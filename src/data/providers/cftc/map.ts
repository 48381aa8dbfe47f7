import type { TffPosition } from '../../why/cftc.js';
import type { TffSocrataRow } from './schema.js';

/** A Socrata TFF row as the provider-neutral position record (the only code that knows Socrata's field names). */
export function toTffPosition(r: TffSocrataRow): TffPosition {
  return {
    code: r.cftc_contract_market_code.trim(),
    name: r.market_and_exchange_names.trim(),
    reportDate: r.report_date_as_yyyy_mm_dd.slice(0, 10),
    openInterest: Number(r.open_interest_all),
    dealerLong: Number(r.dealer_positions_long_all),
    dealerShort: Number(r.dealer_positions_short_all),
    assetMgrLong: Number(r.asset_mgr_positions_long),
    assetMgrShort: Number(r.asset_mgr_positions_short),
    levMoneyLong: Number(r.lev_money_positions_long),
    levMoneyShort: Number(r.lev_money_positions_short),
  };
}
