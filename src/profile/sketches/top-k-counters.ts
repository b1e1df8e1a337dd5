// Bounded frequency counts: the Space-Saving algorithm (Metwally, Agrawal & El Abbadi, 2005)
// over 32-bit key hashes. At most `capacity` keys are tracked; a new key takes the slot of the
// least-counted one and inherits its count + 1, so a tracked count overestimates by at most the
// count it inherited and every key more frequent than total/capacity is guaranteed to be tracked.
// Counts are halved (rounding up) once the total reaches HALVE_AT_TOTAL, which bounds the numbers
// and makes old habits fade after ~65k events.
//
// Keys are hashes, not names, so an action name of 2 KB costs the same 4 bytes as "mail.send".
import { z } from 'zod';

export interface TopKCounters {
  /** uint32 key hashes, parallel to `counts`. */
  keys: number[];
  counts: number[];
  /** Sum of `counts`. */
  total: number;
}

export const TOP_K_CAPACITY = 32;
const HALVE_AT_TOTAL = 1 << 16;

export function createTopKCounters(): TopKCounters {
  return { keys: [], counts: [], total: 0 };
}

export function topKIncrement(counters: TopKCounters, key: number): void {
  const { keys, counts } = counters;
  let slot = keys.indexOf(key);
  if (slot < 0) {
    if (keys.length < TOP_K_CAPACITY) {
      keys.push(key);
      counts.push(0);
      slot = keys.length - 1;
    } else {
      slot = indexOfSmallest(counts);
      keys[slot] = key;
    }
  }
  counts[slot] = (counts[slot] ?? 0) + 1;
  counters.total++;
  if (counters.total >= HALVE_AT_TOTAL) halve(counters);
}

/** The key's (over-)estimated count, or 0 when it is not tracked. */
export function topKCount(counters: TopKCounters, key: number): number {
  const slot = counters.keys.indexOf(key);
  return slot < 0 ? 0 : (counters.counts[slot] ?? 0);
}

/** The smallest tracked count: an upper bound on the count of any key that is not tracked. */
export function topKSmallestCount(counters: TopKCounters): number {
  if (counters.counts.length < TOP_K_CAPACITY) return 0;
  return counters.counts[indexOfSmallest(counters.counts)] ?? 0;
}

/** Sum of the tracked counts that are ≤ `count`: the mass of keys at most as frequent. */
export function topKMassAtMost(counters: TopKCounters, count: number): number {
  let mass = 0;
  for (const tracked of counters.counts) if (tracked <= count) mass += tracked;
  return mass;
}

function indexOfSmallest(counts: number[]): number {
  let smallest = 0;
  for (let i = 1; i < counts.length; i++) if ((counts[i] ?? 0) < (counts[smallest] ?? 0)) smallest = i;
  return smallest;
}

function halve(counters: TopKCounters): void {
  let total = 0;
  for (let i = 0; i < counters.counts.length; i++) {
    const halved = Math.ceil((counters.counts[i] ?? 0) / 2);
    counters.counts[i] = halved;
    total += halved;
  }
  counters.total = total;
}

const SLOT_BYTES = 6;

/**
 * JSON: one base64 string of (uint32 key, uint16 count) slots, little-endian — 8 characters a
 * slot; `total` is their sum and is recomputed on restore. Counts fit 16 bits because they are
 * halved as soon as their total reaches HALVE_AT_TOTAL. A Warden 0.1.0 checkpoint's object form
 * ({keys, counts, total}) is read too, and refused if its total is not the sum of its counts.
 */
export const topKCountersSchema = z.codec(
  z.codec(
    z.unknown(),
    z.base64().refine((text) => {
      const bytes = Buffer.byteLength(text, 'base64');
      return bytes % SLOT_BYTES === 0 && bytes / SLOT_BYTES <= TOP_K_CAPACITY;
    }, `expected at most ${TOP_K_CAPACITY} packed (uint32 key, uint16 count) slots`),
    { decode: (json) => upgradeObjectForm(json) as string, encode: (text) => text },
  ),
  z.object({
    keys: z.array(z.number().int().min(0).max(0xffffffff)).max(TOP_K_CAPACITY),
    counts: z.array(z.number().int().min(0).max(0xffff)).max(TOP_K_CAPACITY),
    total: z.number().int().min(0),
  }),
  {
    decode: (text): TopKCounters => {
      const bytes = Buffer.from(text, 'base64');
      const slots = bytes.length / SLOT_BYTES;
      const counters = createTopKCounters();
      for (let slot = 0; slot < slots; slot++) {
        counters.keys.push(bytes.readUInt32LE(slot * SLOT_BYTES));
        const count = bytes.readUInt16LE(slot * SLOT_BYTES + 4);
        counters.counts.push(count);
        counters.total += count;
      }
      return counters;
    },
    encode: (counters) => {
      const bytes = Buffer.alloc(counters.keys.length * SLOT_BYTES);
      counters.keys.forEach((key, slot) => {
        bytes.writeUInt32LE(key, slot * SLOT_BYTES);
        bytes.writeUInt16LE(counters.counts[slot] ?? 0, slot * SLOT_BYTES + 4);
      });
      return bytes.toString('base64');
    },
  },
);

/** Warden 0.1.0 wrote {keys (base64 uint32), counts (JSON array), total}; anything inconsistent is left for the check to refuse. */
function upgradeObjectForm(json: unknown): unknown {
  if (json === null || typeof json !== 'object') return json;
  const { keys, counts, total } = json as Record<string, unknown>;
  if (typeof keys !== 'string' || !Array.isArray(counts) || typeof total !== 'number') return json;
  const keyBytes = Buffer.from(keys, 'base64');
  const valid =
    keyBytes.length === counts.length * 4 &&
    counts.every((count) => Number.isInteger(count) && (count as number) >= 0 && (count as number) <= 0xffff) &&
    counts.reduce((sum: number, count) => sum + (count as number), 0) === total;
  if (!valid) return json;
  const bytes = Buffer.alloc(counts.length * SLOT_BYTES);
  counts.forEach((count, slot) => {
    bytes.writeUInt32LE(keyBytes.readUInt32LE(slot * 4), slot * SLOT_BYTES);
    bytes.writeUInt16LE(count as number, slot * SLOT_BYTES + 4);
  });
  return bytes.toString('base64');
}
