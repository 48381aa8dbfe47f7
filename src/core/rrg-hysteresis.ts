import type { Quadrant } from './rrg.js';

/**
 * The band around 100 (RS points) that a quadrant change must clear to be reported as news: a point that crossed
 * an axis by less is within the noise of one week's closes. 0.25 is about a quarter of the typical weekly step of
 * an RS line built from z-scores (1 point = one standard deviation over the window).
 */
export const RRG_HYSTERESIS_POINTS = 0.25;

const strongRatio = (q: Quadrant) => q === 'leading' || q === 'weakening';
const risingMomentum = (q: Quadrant) => q === 'leading' || q === 'improving';

/**
 * Whether a move from `from` to `to`, landing at (`ratio`, `momentum`), clears the band on every axis it
 * crossed: RS-Ratio for a change of strength, RS-Momentum for a change of direction.
 */
export function clearsHysteresis(
  from: Quadrant,
  to: Quadrant,
  ratio: number,
  momentum: number,
  band = RRG_HYSTERESIS_POINTS,
): boolean {
  const crossedRatio = strongRatio(from) !== strongRatio(to);
  const crossedMomentum = risingMomentum(from) !== risingMomentum(to);
  return (
    (!crossedRatio || Math.abs(ratio - 100) >= band) && (!crossedMomentum || Math.abs(momentum - 100) >= band)
  );
}
