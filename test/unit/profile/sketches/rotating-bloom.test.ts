import { describe, expect, it } from 'vitest';
import { hashText } from '../../../../src/profile/sketches/hash.js';
import {
  bloomAdd,
  bloomHas,
  bloomLearn,
  createRotatingBloom,
  generationCapacity,
  rotatingBloomSchema,
} from '../../../../src/profile/sketches/rotating-bloom.js';

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

  it('learns a key and says whether it was new in either generation, copying it forward', () => {
    const bloom = createRotatingBloom(512);
    expect(bloomLearn(bloom, key('mail.send'))).toBe(true);
    expect(bloomLearn(bloom, key('mail.send'))).toBe(false);
    // Churn until the generation rotates: mail.send is then in the previous generation only.
    for (let i = 0; bloom.currentKeys !== 1 || i < 2; i++) bloomAdd(bloom, key(`churn-${i}`));
    expect(bloomLearn(bloom, key('mail.send'))).toBe(false); // not new: copied forward
    expect(bloom.currentKeys).toBe(2);
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

  it('round-trips through one base64 string and rejects a truncated one', () => {
    const bloom = createRotatingBloom(1024);
    for (let i = 0; i < 40; i++) bloomAdd(bloom, key(`doc-${i}`));
    const schema = rotatingBloomSchema(1024);
    const json = schema.encode(bloom) as string;
    // 2 × 32 words + currentKeys = 260 bytes = 348 base64 characters.
    expect(json).toHaveLength(348);
    expect(schema.decode(json)).toEqual(bloom);
    expect(schema.safeDecode(json.slice(0, 100)).success).toBe(false);
  });

  it('reads the object form Warden 0.1.0 checkpointed', () => {
    const bloom = createRotatingBloom(512);
    for (let i = 0; i < 30; i++) bloomAdd(bloom, key(`doc-${i}`));
    const words = (values: number[]) => Buffer.from(Int32Array.from(values).buffer).toString('base64');
    const schema = rotatingBloomSchema(512);
    expect(schema.decode({ current: words(bloom.current), previous: words(bloom.previous), currentKeys: 30 })).toEqual(bloom);
    expect(schema.safeDecode({ current: words(bloom.current), previous: words(bloom.previous), currentKeys: 52 }).success).toBe(false);
  });

  it('refuses a generation size that is not a power of two', () => {
    expect(() => createRotatingBloom(1000)).toThrow(/power of two/);
  });
});
