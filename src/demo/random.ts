/**
 * A small seeded PRNG for demo data. Output must be reproducible from a seed alone,
 * so nothing in src/demo may use Math.random or read the clock.
 *
 * sfc32 is fast, passes PractRand, and needs only 32-bit integer arithmetic;
 * splitmix32 spreads a small integer seed (1, 2, 3 …) into a well-mixed 128-bit state.
 */

/** One splitmix32 step: a strong 32-bit mixer, also used to hash seed parts together. */
function mix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Folds any number of non-negative integers (seed, customer index …) into one 32-bit seed. */
export function hashSeed(...parts: number[]): number {
  let h = 0x6a09e667;
  for (const part of parts) {
    // Numbers beyond 2^32 (a large seed) keep their high bits rather than wrapping silently.
    const lo = part >>> 0;
    const hi = Math.floor(Math.abs(part) / 0x1_0000_0000) >>> 0;
    h = mix32(h ^ lo);
    h = mix32(h ^ hi);
  }
  return h;
}

export type Weighted<T> = readonly (readonly [T, number])[];

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    const s = hashSeed(seed);
    this.a = mix32(s);
    this.b = mix32(this.a ^ 0x1b873593);
    this.c = mix32(this.b ^ 0xcc9e2d51);
    this.d = 1;
    // Warm-up: the first outputs of sfc32 still correlate with the seed.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 0x1_0000_0000;
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Picks a value with probability proportional to its weight; zero weights are never picked. */
  weighted<T>(items: Weighted<T>): T {
    let total = 0;
    for (const [, w] of items) total += w;
    if (!(total > 0)) throw new RangeError('weighted pick needs a positive total weight');
    let r = this.next() * total;
    for (const [value, w] of items) {
      if (r < w) return value;
      r -= w;
    }
    // Floating-point leftovers: fall back to the last positive weight.
    for (let i = items.length - 1; i >= 0; i--) {
      const item = items[i];
      if (item && item[1] > 0) return item[0];
    }
    throw new RangeError('unreachable');
  }

  /** Epoch milliseconds uniform in [startMs, endMs), rounded down to the second like real system timestamps. */
  timeBetween(startMs: number, endMs: number): number {
    if (endMs <= startMs) return startMs;
    const ms = startMs + Math.floor(this.next() * (endMs - startMs));
    return Math.max(startMs, ms - (ms % 1000));
  }

  /** ISO-8601 UTC instant uniform between two instants (ISO strings or epoch ms). */
  dateBetween(start: string | number, end: string | number): string {
    const s = typeof start === 'number' ? start : Date.parse(start);
    const e = typeof end === 'number' ? end : Date.parse(end);
    return new Date(this.timeBetween(s, e)).toISOString();
  }
}
