// "Have I seen this key lately?" in a fixed number of bits: two bloom-filter generations.
//
// Keys go into the current generation; when it holds its capacity it becomes the previous one
// and a cleared generation takes its place, so the false-positive rate stays bounded (about 3%
// over both generations at capacity, with 3 probes and 10 bits per key) instead of creeping to
// 100% for an agent that touches thousands of keys. A key found only in the previous generation
// is copied forward when learned, so keys in steady use are never forgotten; keys unused for two
// generations are. No false negatives within that memory.
import { z } from 'zod';
import { mixHash } from './hash.js';
import { packedIntegers } from './packed-integers.js';

export interface RotatingBloom {
  /** Bit words (int32) of the generation being filled. */
  current: number[];
  /** Bit words of the generation before it; consulted for membership only. */
  previous: number[];
  /** Distinct keys added to `current` so far. */
  currentKeys: number;
}

const PROBES = 3;
const BITS_PER_KEY = 10;
/** Second-hash salt (the golden-ratio constant), for Kirsch–Mitzenmacher double hashing. */
const SECOND_HASH_SALT = 0x9e3779b9;

/** `bitsPerGeneration` must be a power of two, at least 32. */
export function createRotatingBloom(bitsPerGeneration: number): RotatingBloom {
  if (bitsPerGeneration < 32 || (bitsPerGeneration & (bitsPerGeneration - 1)) !== 0) {
    throw new Error(`bloom generation size must be a power of two ≥ 32 bits, got ${bitsPerGeneration}`);
  }
  const words = bitsPerGeneration / 32;
  return { current: new Array<number>(words).fill(0), previous: new Array<number>(words).fill(0), currentKeys: 0 };
}

/** Keys one generation holds before it rotates. */
export function generationCapacity(bloom: RotatingBloom): number {
  return Math.floor((bloom.current.length * 32) / BITS_PER_KEY);
}

/** True when `keyHash` (a 32-bit hash of the key) is in either generation; may be a false positive. */
export function bloomHas(bloom: RotatingBloom, keyHash: number): boolean {
  const first = mixHash(keyHash);
  const step = mixHash(keyHash ^ SECOND_HASH_SALT) | 1;
  return generationHas(bloom.current, first, step) || generationHas(bloom.previous, first, step);
}

/** Adds the key to the current generation, rotating first if it is full. Returns true if the key was not in it. */
export function bloomAdd(bloom: RotatingBloom, keyHash: number): boolean {
  const first = mixHash(keyHash);
  const step = mixHash(keyHash ^ SECOND_HASH_SALT) | 1;
  if (generationHas(bloom.current, first, step)) return false;
  if (bloom.currentKeys >= generationCapacity(bloom)) rotate(bloom);
  const mask = bloom.current.length * 32 - 1;
  for (let probe = 0; probe < PROBES; probe++) {
    const bit = (first + probe * step) & mask;
    const word = bit >>> 5;
    bloom.current[word] = (bloom.current[word] ?? 0) | (1 << (bit & 31));
  }
  bloom.currentKeys++;
  return true;
}

/** Probe i tests bit (first + i · step) mod size: two hashes stand in for all three (Kirsch–Mitzenmacher). */
function generationHas(words: number[], first: number, step: number): boolean {
  const mask = words.length * 32 - 1;
  for (let probe = 0; probe < PROBES; probe++) {
    const bit = (first + probe * step) & mask;
    if (((words[bit >>> 5] ?? 0) & (1 << (bit & 31))) === 0) return false;
  }
  return true;
}

/** Reuses the old previous generation's array so rotation allocates nothing. */
function rotate(bloom: RotatingBloom): void {
  const cleared = bloom.previous.fill(0);
  bloom.previous = bloom.current;
  bloom.current = cleared;
  bloom.currentKeys = 0;
}

export function rotatingBloomSchema(bitsPerGeneration: number) {
  const words = bitsPerGeneration / 32;
  return z.object({
    current: packedIntegers('int32', { length: words }),
    previous: packedIntegers('int32', { length: words }),
    currentKeys: z
      .number()
      .int()
      .min(0)
      .max(Math.floor(bitsPerGeneration / BITS_PER_KEY)),
  });
}
