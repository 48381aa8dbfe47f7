import { z } from 'zod';

/**
 * The CFTC Public Reporting Environment (Socrata SODA API) in its own field names: the Traders in Financial Futures,
 * futures-only dataset `gpe5-46if` (https://publicreporting.cftc.gov/resource/gpe5-46if.json). Every value arrives
 * as a string: dates as floating timestamps (`2026-01-13T00:00:00.000`), numbers as decimal text. Note the
 * dataset's own spelling: dealers' columns end in `_all`, asset managers' and leveraged funds' do not.
 * Errors are `{ code, error: true, message }` (SODA 2.x) or `{ errorCode, message }`.
 */
const Count = z.string().regex(/^-?\d+(\.\d+)?$/, 'not a whole number of contracts');

export const TffSocrataRow = z.looseObject({
  market_and_exchange_names: z.string(),
  report_date_as_yyyy_mm_dd: z.string().regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+)?$/),
  cftc_contract_market_code: z.string(),
  open_interest_all: Count,
  dealer_positions_long_all: Count,
  dealer_positions_short_all: Count,
  asset_mgr_positions_long: Count,
  asset_mgr_positions_short: Count,
  lev_money_positions_long: Count,
  lev_money_positions_short: Count,
});
export type TffSocrataRow = z.infer<typeof TffSocrataRow>;

export const SocrataError = z.looseObject({ message: z.string(), error: z.boolean().optional() });

/** The Socrata fields requested (`$select`), so an answer holds nothing the mapper does not read. */
export const SOCRATA_TFF_COLUMNS = [
  'market_and_exchange_names',
  'report_date_as_yyyy_mm_dd',
  'cftc_contract_market_code',
  'open_interest_all',
  'dealer_positions_long_all',
  'dealer_positions_short_all',
  'asset_mgr_positions_long',
  'asset_mgr_positions_short',
  'lev_money_positions_long',
  'lev_money_positions_short',
] as const;
