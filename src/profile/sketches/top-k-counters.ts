// Bounded frequency counts: the Space-Saving algorithm (Metwally, Agrawal & El Abbadi, 2005)
// over 32-bit key hashes. At most `capacity` keys are tracked; a new key takes the slot of the
// least-counted one and inherits its count + 1, so a tracked count overestimates by at most the
// count it inherited and every key more frequent than total/capacity is guaranteed to be tracked.
// Counts are halved (rounding up) once the total reaches HALVE_AT_TOTAL, which bounds the numbers
// and makes old habits fade after ~65k events.
//
// Keys are hashes, not names, so an action name of 2 KB costs the same 4 bytes as "mail.send".
import { z } from 'zod';
import { packedIntegers } from './packed-integers.js';

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

export const topKCountersSchema = z
  .object({
    keys: packedIntegers('uint32', { maxLength: TOP_K_CAPACITY }),
    counts: z.array(z.number().int().min(0)).max(TOP_K_CAPACITY),
    total: z.number().int().min(0),
  })
  .refine((c) => c.keys.length === c.counts.length, { message: 'keys and counts differ in length' })
  .refine((c) => c.counts.reduce((sum, n) => sum + n, 0) === c.total, { message: 'total is not the sum of counts' });
