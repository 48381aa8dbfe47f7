/**
 * The "why" figures as facts, computed once for `rotation earnings|flows|positioning|macro` and for the brief
 * (sections 5–7): each function reads the store as known at `asOf` and returns the facts in the order the
 * commands print them, plus typed handles on the same facts for the brief's sentences and tables. One file per
 * domain under `figures/`; this module is their one entry point.
 */
export { loadEarningsFigures, type EarningsFigures, type EarningsRow } from './figures/earnings.js';
export { loadFlowsFigures } from './figures/flows.js';
export { loadPositioningFigures } from './figures/positioning.js';
export {
  loadMacroFigures,
  releasePeriodId,
  surpriseHistoryFromId,
  type ReleaseRow,
} from './figures/macro.js';
export type { DateFact, SeriesRead } from './figures/common.js';
