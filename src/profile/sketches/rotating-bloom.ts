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
  insert(bloom, first, step);
  return true;
}

/**
 * Learns a key and says whether it was new: bloomHas then bloomAdd (copying forward a key only the
 * previous generation has) with the key's two hashes computed once.
 */
export function bloomLearn(bloom: RotatingBloom, keyHash: number): boolean {
  const first = mixHash(keyHash);
  const step = mixHash(keyHash ^ SECOND_HASH_SALT) | 1;
  if (generationHas(bloom.current, first, step)) return false;
  const isNew = !generationHas(bloom.previous, first, step);
  insert(bloom, first, step);
  return isNew;
}

/**
 * Keeps a key that is already known: true (and copied forward if only the previous generation has
 * it) when either generation has it; false, adding nothing, when neither does.
 */
export function bloomRefresh(bloom: RotatingBloom, keyHash: number): boolean {
  const first = mixHash(keyHash);
  const step = mixHash(keyHash ^ SECOND_HASH_SALT) | 1;
  if (generationHas(bloom.current, first, step)) return true;
  if (!generationHas(bloom.previous, first, step)) return false;
  insert(bloom, first, step);
  return true;
}

/** Sets the key's bits in the current generation, rotating first if it is full. */
function insert(bloom: RotatingBloom, first: number, step: number): void {
  if (bloom.currentKeys >= generationCapacity(bloom)) rotate(bloom);
  const mask = bloom.current.length * 32 - 1;
  for (let probe = 0; probe < PROBES; probe++) {
    const bit = (first + probe * step) & mask;
    const word = bit >>> 5;
    bloom.current[word] = (bloom.current[word] ?? 0) | (1 << (bit & 31));
  }
  bloom.currentKeys++;
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

/**
 * JSON: one base64 string, both generations' words (int32, little-endian) then `currentKeys`
 * (uint32): 176 characters for 2 × 512 bits. A Warden 0.1.0 checkpoint's object form
 * ({current, previous, currentKeys}, each generation its own base64 string) is read too.
 */
export function rotatingBloomSchema(bitsPerGeneration: number) {
  const words = bitsPerGeneration / 32;
  const capacity = Math.floor(bitsPerGeneration / BITS_PER_KEY);
  const byteLength = (2 * words + 1) * 4;
  const stored = z.base64().refine((text) => Buffer.byteLength(text, 'base64') === byteLength, {
    message: `expected a rotating bloom of 2 × ${bitsPerGeneration} bits (${byteLength} bytes)`,
  });
  const inMemory = z
    .object({ current: z.array(z.number().int()).length(words), previous: z.array(z.number().int()).length(words), currentKeys: z.number().int().min(0) })
    .refine((bloom) => bloom.currentKeys <= capacity, { message: `currentKeys is above the generation capacity ${capacity}`, path: ['currentKeys'] });
  return z.codec(z.codec(z.unknown(), stored, { decode: (json) => upgradeObjectForm(json, words) as string, encode: (text) => text }), inMemory, {
    decode: (text): RotatingBloom => {
      const bytes = Buffer.from(text, 'base64');
      const current = new Array<number>(words);
      const previous = new Array<number>(words);
      for (let i = 0; i < words; i++) {
        current[i] = bytes.readInt32LE(i * 4);
        previous[i] = bytes.readInt32LE((words + i) * 4);
      }
      return { current, previous, currentKeys: bytes.readUInt32LE(2 * words * 4) };
    },
    encode: (bloom) => {
      const bytes = Buffer.alloc(byteLength);
      for (let i = 0; i < words; i++) {
        bytes.writeInt32LE(bloom.current[i] ?? 0, i * 4);
        bytes.writeInt32LE(bloom.previous[i] ?? 0, (words + i) * 4);
      }
      bytes.writeUInt32LE(bloom.currentKeys, 2 * words * 4);
      return bytes.toString('base64');
    },
  });
}

/** Warden 0.1.0 wrote {current, previous, currentKeys}; anything malformed is left for the check to refuse. */
function upgradeObjectForm(json: unknown, words: number): unknown {
  if (json === null || typeof json !== 'object') return json;
  const { current, previous, currentKeys } = json as Record<string, unknown>;
  if (typeof current !== 'string' || typeof previous !== 'string' || typeof currentKeys !== 'number') return json;
  const currentBytes = Buffer.from(current, 'base64');
  const previousBytes = Buffer.from(previous, 'base64');
  if (currentBytes.length !== words * 4 || previousBytes.length !== words * 4 || !Number.isInteger(currentKeys) || currentKeys < 0) return json;
  const keys = Buffer.alloc(4);
  keys.writeUInt32LE(currentKeys);
  return Buffer.concat([currentBytes, previousBytes, keys]).toString('base64');
}
