import { describe, expect, it } from 'vitest';
import { clearsHysteresis, RRG_HYSTERESIS_POINTS } from './rrg-hysteresis.js';

describe('clearsHysteresis', () => {
  it('counts a change only when the crossed axis is cleared by the band', () => {
    expect(RRG_HYSTERESIS_POINTS).toBe(0.25);
    // leading -> improving crosses RS-Ratio: 99.9 is within the band, 99.7 clears it
    expect(clearsHysteresis('leading', 'improving', 99.9, 101)).toBe(false);
    expect(clearsHysteresis('leading', 'improving', 99.7, 100.01)).toBe(true);
    // leading -> weakening crosses RS-Momentum only
    expect(clearsHysteresis('leading', 'weakening', 100.01, 99.8)).toBe(false);
    expect(clearsHysteresis('leading', 'weakening', 100.01, 99.7)).toBe(true);
    // a diagonal jump must clear both axes
    expect(clearsHysteresis('leading', 'lagging', 99.5, 99.9)).toBe(false);
    expect(clearsHysteresis('leading', 'lagging', 99.5, 99.5)).toBe(true);
  });
});
