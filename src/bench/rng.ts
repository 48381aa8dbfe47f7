/**
 * A small, fast, seeded pseudo-random generator for the synthetic market: xoshiro128** seeded through
 * splitmix32, with Box-Muller normals and Student-t draws. Same seed, same sequence, on every platform
 * (only 32-bit integer maths and IEEE doubles are involved).
 *
 * @see https://prng.di.unimi.it/xoshiro128starstar.c (Blackman & Vigna)
 */

/** splitmix32: spreads a 32-bit seed into well-mixed words (used only for seeding and hashing). */
function splitmix32(state: number): [next: number, out: number] {
  const s = (state + 0x9e3779b9) | 0;
  let z = s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  z ^= z >>> 16;
  return [s, z >>> 0];
}

/** Mixes a list of integers into one 32-bit seed: `seedOf(42, 7)` names stream 7 of seed 42. */
export function seedOf(...parts: number[]): number {
  let state = 0x2545f491;
  let out = 0;
  for (const p of parts) {
    [state] = splitmix32(state ^ (p | 0));
    [state, out] = splitmix32(state ^ Math.floor(p / 0x1_0000_0000));
  }
  return out;
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare: number | null = null;

  constructor(seed: number) {
    let s = seed | 0;
    let o: number;
    [s, o] = splitmix32(s);
    this.a = o | 0;
    [s, o] = splitmix32(s);
    this.b = o | 0;
    [s, o] = splitmix32(s);
    this.c = o | 0;
    [, o] = splitmix32(s);
    this.d = o | 0;
    if ((this.a | this.b | this.c | this.d) === 0) this.d = 1;
  }

  /** The next 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9);
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 0x1_0000_0000;
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Log-uniform in [lo, hi): as likely to fall in 10..20 as in 100..200. */
  logUniform(lo: number, hi: number): number {
    return Math.exp(this.uniform(Math.log(lo), Math.log(hi)));
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal (Box-Muller, the second value of each pair kept for the next call). */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    let u = this.next();
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /**
   * Student-t with integer `df` (> 2) degrees of freedom, scaled to unit variance: fat tails with the same
   * standard deviation as a normal draw.
   */
  studentT(df: number): number {
    let chi2 = 0;
    for (let k = 0; k < df; k++) {
      const n = this.normal();
      chi2 += n * n;
    }
    return this.normal() * Math.sqrt((df - 2) / chi2);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
