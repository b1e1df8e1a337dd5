import { describe, expect, it } from 'vitest';
import { packedIntegers } from '../../../../src/profile/sketches/packed-integers.js';

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
