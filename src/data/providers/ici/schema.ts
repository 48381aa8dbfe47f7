import { z } from 'zod';

/**
 * ICI's weekly flow workbooks in their own words. ICI (https://www.ici.org/research/stats/flows) publishes three
 * Excel 97–2003 workbooks (BIFF8 `.xls`, `application/vnd.ms-excel`) at fixed addresses, one per calendar year, each
 * holding a rolling window of about two and a half years:
 *
 * - `flows_data_YYYY.xls`, sheet "Weekly MF Flow Estimates": Estimated Long-Term Mutual Fund Flows, with the
 *   domestic-equity, world-equity and taxable-bond subcategories;
 * - `etf_flows_data_YYYY.xls`, sheet "Weekly ETF Public Report": Estimated ETF Net Issuance;
 * - `combined_flows_data_YYYY.xls`, sheet "Weekly MF & ETF Public Report": Combined Estimated Long-Term Fund Flows
 *   and ETF Net Issuance.
 *
 * Layout (as read by public parsers of these files, e.g. datasets/investor-flow-of-funds-us `scripts/process.py`,
 * and checked on 2026-12-02 against two other public readers of the live files, which merge header rows 5-7 into
 * the same labels as ICI_LABELS and read the mutual-fund figures from columns B, D, … AN and the combined ones
 * from B … R):
 * title rows, then a header block of three rows (category, subcategory, leaf: "Equity" / "Domestic" / "Large
 * cap"), then a "Monthly" block and an "Estimated Weekly" block, each a row per period: column A the date
 * (the month end, or the Wednesday the week ended), the figures in every other column (B, D, F, …; the columns
 * between are empty spacers), in millions of dollars. Footnote rows follow.
 */

/** One cell as SheetJS hands it over with `raw: true`: a number (dates are Excel serial numbers), text or empty. */
export const IciCell = z.union([z.number(), z.string(), z.boolean(), z.null()]);
export type IciCell = z.infer<typeof IciCell>;
export const IciSheetRows = z.array(z.array(IciCell));

export const ICI_FILES = {
  mf: {
    prefix: 'flows_data',
    sheet: 'Weekly MF Flow Estimates',
    title: 'Estimated Long-Term Mutual Fund Flows',
  },
  etf: { prefix: 'etf_flows_data', sheet: 'Weekly ETF Public Report', title: 'Estimated ETF Net Issuance' },
  combined: {
    prefix: 'combined_flows_data',
    sheet: 'Weekly MF & ETF Public Report',
    title: 'Combined Estimated Long-Term Fund Flows and ETF Net Issuance',
  },
} as const;
export type IciFileKind = keyof typeof ICI_FILES;

/**
 * The categories a workbook must have (the headline table of ICI's weekly release); the subcategories of the
 * mutual-fund file are read when present.
 */
const MF_REQUIRED = [
  'total',
  'total-equity',
  'domestic-equity',
  'world-equity',
  'hybrid',
  'total-bond',
  'taxable-bond',
  'municipal-bond',
] as const;
/** ETFs (and the combined table) add commodity funds. */
const ETF_REQUIRED = [...MF_REQUIRED, 'commodity'] as const;

export const ICI_REQUIRED: Readonly<Record<IciFileKind, readonly string[]>> = {
  mf: MF_REQUIRED,
  etf: ETF_REQUIRED,
  combined: ETF_REQUIRED,
};

/** The category labels the ETF and the combined tables share (each has its own total column). */
const ETF_CATEGORY_LABELS: Readonly<Record<string, string>> = {
  'equity total': 'total-equity',
  'equity domestic': 'domestic-equity',
  'equity world': 'world-equity',
  hybrid: 'hybrid',
  'bond total': 'total-bond',
  'bond taxable': 'taxable-bond',
  'bond municipal': 'municipal-bond',
  commodity: 'commodity',
};

/**
 * Header labels (the three header rows of a column joined with spaces, lowercased) → the category id the project
 * uses. The mutual-fund ids continue the series of ICI's older eight-column files (`total-equity`, `hybrid`, …).
 */
export const ICI_LABELS: Readonly<Record<IciFileKind, Readonly<Record<string, string>>>> = {
  mf: {
    'total long-term': 'total',
    'equity total equity': 'total-equity',
    'equity domestic total domestic': 'domestic-equity',
    'equity domestic large cap': 'domestic-equity-large-cap',
    'equity domestic mid cap': 'domestic-equity-mid-cap',
    'equity domestic small cap': 'domestic-equity-small-cap',
    'equity domestic multi cap': 'domestic-equity-multi-cap',
    'equity domestic other': 'domestic-equity-other',
    'equity total world': 'world-equity',
    'equity developed markets': 'world-equity-developed',
    'equity emerging markets': 'world-equity-emerging',
    hybrid: 'hybrid',
    'bond total bond': 'total-bond',
    'bond total taxable': 'taxable-bond',
    'bond investment grade': 'taxable-bond-investment-grade',
    'bond high yield': 'taxable-bond-high-yield',
    'bond government': 'taxable-bond-government',
    'bond multisector': 'taxable-bond-multisector',
    'bond global': 'taxable-bond-global',
    municipal: 'municipal-bond',
  },
  etf: { 'total etfs': 'total', ...ETF_CATEGORY_LABELS },
  combined: { 'total lt mf and etf flows': 'total', ...ETF_CATEGORY_LABELS },
};
