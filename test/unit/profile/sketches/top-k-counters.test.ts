import { describe, expect, it } from 'vitest';
import {
  createTopKCounters,
  TOP_K_CAPACITY,
  topKCount,
  topKCountersSchema,
  topKIncrement,
  topKMassAtMost,
  topKSmallestCount,
} from '../../../../src/profile/sketches/top-k-counters.js';

function countAll(keys: number[]) {
  const counters = createTopKCounters();
  for (const key of keys) topKIncrement(counters, key);
  return counters;
}

describe('Space-Saving top-K counters', () => {
  it('counts exactly while there are at most 32 distinct keys', () => {
    const counters = countAll([1, 2, 2, 3, 3, 3]);
    expect([topKCount(counters, 1), topKCount(counters, 2), topKCount(counters, 3), topKCount(counters, 4)]).toEqual([1, 2, 3, 0]);
    expect(counters.total).toBe(6);
    expect(topKSmallestCount(counters)).toBe(0); // not full yet: an untracked key may have count 0
  });

  it('gives a new key the least-counted slot and that count + 1', () => {
    const keys: number[] = [];
    for (let key = 0; key < TOP_K_CAPACITY; key++) for (let i = 0; i <= key; i++) keys.push(key); // key k seen k+1 times
    const counters = countAll([...keys, 999]);
    expect(topKCount(counters, 0)).toBe(0); // evicted (it had the smallest count, 1)
    expect(topKCount(counters, 999)).toBe(2);
    expect(counters.keys).toHaveLength(TOP_K_CAPACITY);
    expect(counters.total).toBe(keys.length + 1);
  });

  it('keeps a heavy hitter through any amount of churn', () => {
    const keys: number[] = [];
    for (let i = 0; i < 5000; i++) keys.push(i % 2 === 0 ? 7 : 1000 + i);
    expect(topKCount(countAll(keys), 7)).toBeGreaterThanOrEqual(2500);
  });

  it('sums the mass of keys at most as frequent as a given count', () => {
    const counters = countAll([1, 2, 2, 3, 3, 3, 4, 4, 4, 4]);
    expect(topKMassAtMost(counters, 2)).toBe(3);
    expect(topKMassAtMost(counters, 4)).toBe(10);
  });

  it('halves all counts (rounding up) when the total reaches 65,536', () => {
    const counters = createTopKCounters();
    for (let i = 0; i < 65_535; i++) topKIncrement(counters, 1);
    topKIncrement(counters, 2);
    expect(topKCount(counters, 1)).toBe(32_768);
    expect(topKCount(counters, 2)).toBe(1);
    expect(counters.total).toBe(32_769);
  });

  it('round-trips through 8 base64 characters a slot, recomputing the total', () => {
    const counters = countAll([5, 5, 0xffffffff]);
    const json = topKCountersSchema.encode(counters) as string;
    expect(json).toHaveLength(16); // 2 slots × 6 bytes
    expect(topKCountersSchema.decode(json)).toEqual(counters);
    expect(topKCountersSchema.safeDecode(json.slice(0, 10)).success).toBe(false);
  });

  it('reads the object form Warden 0.1.0 checkpointed and rejects counts that do not add up', () => {
    const counters = countAll([5, 5, 0xffffffff]);
    const keys = Buffer.from(Uint32Array.from(counters.keys).buffer).toString('base64');
    expect(topKCountersSchema.decode({ keys, counts: counters.counts, total: 3 })).toEqual(counters);
    expect(topKCountersSchema.safeDecode({ keys, counts: counters.counts, total: 99 }).success).toBe(false);
  });
});
