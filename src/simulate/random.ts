// Seeded randomness for the simulator: xoshiro128** streams named by (seed, purpose, index) and
// the distributions a fleet needs. Nothing here reads Math.random or a clock, so the same seed
// gives the same fleet byte for byte, and each agent's stream is independent of every other's.

/** Murmur3's 32-bit finaliser: spreads every input bit over the whole word. */
function mix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit hash of a sequence of strings and numbers (FNV-1a over the parts, then mixed). */
export function hash32(...parts: readonly (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    if (typeof part === 'number') {
      // Two halves, so seeds beyond 2^32 stay distinct.
      h = Math.imul(h ^ (part >>> 0), 0x01000193);
      h = Math.imul(h ^ Math.floor(part / 4294967296), 0x01000193);
    } else {
      for (let i = 0; i < part.length; i += 1) h = Math.imul(h ^ part.charCodeAt(i), 0x01000193);
    }
    h = Math.imul(h ^ 0xff, 0x01000193);
  }
  return mix32(h);
}

const HEX = '0123456789abcdef';
const HEX_PAIRS = Array.from({ length: 256 }, (_, value) => (HEX[value >>> 4] as string) + (HEX[value & 15] as string));
const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';
const BASE36_PAIRS = Array.from({ length: 1296 }, (_, value) => (BASE36[Math.floor(value / 36)] as string) + (BASE36[value % 36] as string));

export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spareNormal: number | undefined;

  /** A stream named by the run's seed and any labels (`'agent', 17`): same names, same numbers. */
  constructor(seed: number, ...stream: readonly (string | number)[]) {
    // splitmix32 expands the 32-bit name hash into the 128-bit state.
    let x = hash32(seed, ...stream);
    const next = () => {
      x = (x + 0x9e3779b9) | 0;
      return mix32(x);
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next() | 1; // never the all-zero state
  }

  /** xoshiro128**: a uniform unsigned 32-bit integer. */
  uint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.uint32() / 4294967296;
  }

  /** Uniform in [min, max). */
  between(min: number, max: number): number {
    return min + (max - min) * this.float();
  }

  /** Uniform whole number in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.float() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Random.pick needs at least one item');
    return items[Math.floor(this.float() * items.length)] as T;
  }

  /** Standard normal (Box–Muller, second value kept for the next call). */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const spare = this.spareNormal;
      this.spareNormal = undefined;
      return spare;
    }
    const u = 1 - this.float(); // (0, 1]: log stays finite
    const v = this.float();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal with the given median and shape: sizes, counts and pauses are skewed like this. */
  logNormal(median: number, sigma: number): number {
    return sigma === 0 ? median : median * Math.exp(sigma * this.normal());
  }

  exponential(mean: number): number {
    return -mean * Math.log(1 - this.float());
  }

  /** Poisson count: Knuth's product method for small means, a rounded normal beyond. */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    const limit = Math.exp(-mean);
    let count = 0;
    let product = this.float();
    while (product > limit) {
      count += 1;
      product *= this.float();
    }
    return count;
  }

  hex(length: number): string {
    let out = '';
    while (out.length < length) {
      const word = this.uint32();
      out += (HEX_PAIRS[word & 255] as string) + HEX_PAIRS[(word >>> 8) & 255] + HEX_PAIRS[(word >>> 16) & 255] + HEX_PAIRS[word >>> 24];
    }
    return out.length === length ? out : out.slice(0, length);
  }

  base36(length: number): string {
    // Six characters (three table pairs) per draw: 36^6 < 2^32, so a float spreads them evenly.
    let out = '';
    while (out.length < length) {
      const value = Math.floor(this.float() * 2_176_782_336);
      out += (BASE36_PAIRS[value % 1296] as string) + BASE36_PAIRS[Math.floor(value / 1296) % 1296] + BASE36_PAIRS[Math.floor(value / 1_679_616)];
    }
    return out.length === length ? out : out.slice(0, length);
  }

  digits(length: number): string {
    let out = '';
    while (out.length < length)
      out += Math.floor(this.float() * 1e9)
        .toString()
        .padStart(9, '0');
    return out.length === length ? out : out.slice(0, length);
  }

  /** Fisher–Yates, in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i -= 1) {
      const j = Math.floor(this.float() * (i + 1));
      const held = items[i] as T;
      items[i] = items[j] as T;
      items[j] = held;
    }
    return items;
  }
}

function rotl(value: number, bits: number): number {
  return (value << bits) | (value >>> (32 - bits));
}

/** Picks from fixed weights in O(log n): the cumulative table is built once. */
export class WeightedTable<T> {
  private readonly items: T[];
  private readonly cumulative: number[];

  constructor(entries: readonly (readonly [T, number])[]) {
    this.items = [];
    this.cumulative = [];
    let total = 0;
    for (const [item, weight] of entries) {
      if (weight <= 0) continue;
      total += weight;
      this.items.push(item);
      this.cumulative.push(total);
    }
    if (this.items.length === 0) throw new Error('WeightedTable needs a positive weight');
  }

  get size(): number {
    return this.items.length;
  }

  pick(random: Random): T {
    return this.items[searchCumulative(this.cumulative, random.float() * (this.cumulative[this.cumulative.length - 1] as number), this.cumulative.length)] as T;
  }
}

/**
 * Zipf ranks 1/(rank+1)^exponent over a list that may grow: a few favourites and a long tail, like
 * real working sets. `pick(random, count)` draws a rank among the first `count`.
 */
export class ZipfRanks {
  private readonly cumulative: number[] = [];

  constructor(private readonly exponent: number) {}

  pick(random: Random, count: number): number {
    if (count <= 1) return 0;
    while (this.cumulative.length < count) {
      const rank = this.cumulative.length;
      this.cumulative.push((this.cumulative[rank - 1] ?? 0) + 1 / Math.pow(rank + 1, this.exponent));
    }
    return searchCumulative(this.cumulative, random.float() * (this.cumulative[count - 1] as number), count);
  }
}

/** The first index whose cumulative weight exceeds `target`, among the first `count`. */
function searchCumulative(cumulative: readonly number[], target: number, count: number): number {
  let low = 0;
  let high = count - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((cumulative[middle] as number) > target) high = middle;
    else low = middle + 1;
  }
  return low;
}
