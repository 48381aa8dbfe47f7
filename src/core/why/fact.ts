/**
 * A derived figure with everything needed to check it: the shape DESIGN.md calls a Fact.
 * Defined here because src/core/fact.ts did not exist when the "why" figures were written; when a shared
 * Fact type lands, this one is structurally compatible (id, value, unit, label, inputs, window, asOf, method).
 */
export type WhyFact = {
  /** Stable, readable id, e.g. `earnings.revision.sp500-ex-tech.2025q4`. */
  id: string;
  /** The number, unrounded (fractions for growth and changes, usd for flows, 0–100 for COT indexes). */
  value: number;
  unit: string;
  /** A short human label; rendering adds rounding and signs. */
  label: string;
  /** Series ids (and vintages or dates where they matter) the figure was computed from. */
  inputs: string[];
  /** The window the figure covers: a period (`2025Q4`), a date range or `trailing:52w`. */
  window?: string;
  /** The date the figure is computed as of (latest input date or vintage used). */
  asOf: string;
  /** How it was computed, in one sentence. */
  method: string;
  /** Set when the figure's latest reading is older than its cadence allows (core/why/known-at.ts, staleness). */
  stale?: true;
  /** The day the latest input became public (its known-at date, docs/known-at.md), when it differs from asOf. */
  knownAt?: string;
  /** Optional text that belongs to the number, e.g. "highest since 2024-03-05" or "just under 10%". */
  note?: string;
  /** Set on a third party's figure stored as given (an estimate, a consensus): its `source`, reported on `asOf`. */
  kind?: 'reported';
  /** Who reported it, for a `reported` figure. */
  source?: string;
  /** The day a `reported` figure was reported, when it differs from `asOf` (a flow week reported days later). */
  reportedOn?: string;
};

/** A dated (or period-keyed) value: the plain input every "why" computation takes. */
export type Point = { period: string; value: number };

/** One vintage of an estimate: its value and the date it was known. */
export type Vintage = { value: number; asOf: string; source?: string };
