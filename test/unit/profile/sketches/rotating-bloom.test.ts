import { describe, expect, it } from 'vitest';
import { hashText } from '../../../../src/profile/sketches/hash.js';
import { bloomAdd, bloomHas, createRotatingBloom, generationCapacity, rotatingBloomSchema } from '../../../../src/profile/sketches/rotating-bloom.js';

const key = (text: string) => hashText(text);

describe('rotating bloom filter', () => {
  it('holds 10 bits per key: 102 keys per 1 Kbit generation', () => {
    expect(generationCapacity(createRotatingBloom(1024))).toBe(102);
    expect(generationCapacity(createRotatingBloom(512))).toBe(51);
  });

  it('never forgets a key added within the current generation (no false negatives)', () => {
    const bloom = createRotatingBloom(1024);
    for (let i = 0; i < 102; i++) bloomAdd(bloom, key(`doc-${i}`));
    for (let i = 0; i < 102; i++) expect(bloomHas(bloom, key(`doc-${i}`))).toBe(true);
  });

  it('answers "seen" for unseen keys at most ~3% of the time when both generations are full', () => {
    const bloom = createRotatingBloom(1024);
    for (let i = 0; i < 203; i++) bloomAdd(bloom, key(`doc-${i}`));
    let falsePositives = 0;
    for (let i = 0; i < 10_000; i++) if (bloomHas(bloom, key(`other-${i}`))) falsePositives++;
    // Per generation (1 - e^(-3·102/1024))^3 ≈ 1.7%; either of two ≈ 3.4%.
    expect(falsePositives / 10_000).toBeLessThan(0.05);
    expect(falsePositives).toBeGreaterThan(0);
  });

  it('reports a key as new to the current generation only once', () => {
    const bloom = createRotatingBloom(512);
    expect(bloomAdd(bloom, key('mail.send'))).toBe(true);
    expect(bloomAdd(bloom, key('mail.send'))).toBe(false);
    expect(bloom.currentKeys).toBe(1);
  });

  it('forgets keys unused for two generations but keeps keys in steady use', () => {
    const bloom = createRotatingBloom(512);
    bloomAdd(bloom, key('forgotten'));
    bloomAdd(bloom, key('kept'));
    for (let i = 0; i < 3 * 51; i++) {
      bloomAdd(bloom, key(`churn-${i}`));
      bloomAdd(bloom, key('kept'));
    }
    expect(bloomHas(bloom, key('kept'))).toBe(true);
    expect(bloomHas(bloom, key('forgotten'))).toBe(false);
  });

  it('round-trips through its JSON codec and rejects a truncated generation', () => {
    const bloom = createRotatingBloom(1024);
    for (let i = 0; i < 40; i++) bloomAdd(bloom, key(`doc-${i}`));
    const schema = rotatingBloomSchema(1024);
    const json = schema.encode(bloom);
    expect(json.current).toHaveLength(172);
    expect(schema.decode(json)).toEqual(bloom);
    expect(schema.safeDecode({ ...json, current: json.current.slice(0, 100) }).success).toBe(false);
  });

  it('refuses a generation size that is not a power of two', () => {
    expect(() => createRotatingBloom(1000)).toThrow(/power of two/);
  });
});
