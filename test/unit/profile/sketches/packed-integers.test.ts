import { describe, expect, it } from 'vitest';
import { packedIntegers, packedUint12 } from '../../../../src/profile/sketches/packed-integers.js';

describe('packed integer codec', () => {
  it('stores int32 values as little-endian base64 and restores them exactly', () => {
    const codec = packedIntegers('int32', { length: 3 });
    const values = [-1, 0, 0x7fffffff];
    const json = codec.encode(values);
    expect(json).toBe(Buffer.from([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f]).toString('base64'));
    expect(codec.decode(json)).toEqual(values);
  });

  it('accepts up to maxLength values and refuses more, or a length that is not whole values', () => {
    const codec = packedIntegers('uint16', { maxLength: 2 });
    expect(codec.decode(codec.encode([65_535]))).toEqual([65_535]);
    expect(codec.safeDecode(Buffer.alloc(6).toString('base64')).success).toBe(false);
    expect(codec.safeDecode(Buffer.alloc(3).toString('base64')).success).toBe(false);
    expect(codec.safeDecode('not base64!').success).toBe(false);
  });

  it('refuses to encode a value outside the integer type', () => {
    expect(() => packedIntegers('uint16', { length: 1 }).encode([70_000])).toThrow();
  });
});

describe('packed uint12 codec', () => {
  it('stores two values in three bytes and restores them exactly', () => {
    const codec = packedUint12(3);
    const json = codec.encode([0xabc, 0x123, 0xfff]);
    expect(json).toBe(Buffer.from([0xbc, 0x3a, 0x12, 0xff, 0x0f]).toString('base64'));
    expect(codec.decode(json)).toEqual([0xabc, 0x123, 0xfff]);
    const hours = Array.from({ length: 168 }, (_, i) => (i * 977) % 4096);
    expect(packedUint12(168).decode(packedUint12(168).encode(hours))).toEqual(hours);
    expect(packedUint12(168).encode(hours)).toHaveLength(336);
  });

  it('refuses values above 4,095 and a text of the wrong length', () => {
    expect(() => packedUint12(1).encode([4096])).toThrow();
    expect(packedUint12(3).safeDecode(Buffer.alloc(4).toString('base64')).success).toBe(false);
  });
});
