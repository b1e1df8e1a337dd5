import { describe, expect, it } from 'vitest';
import { hashText, hashTextFrom, hashTextPair, mixHash } from '../../../../src/profile/sketches/hash.js';

describe('hashText', () => {
  it('is 32-bit FNV-1a (published test vectors)', () => {
    expect(hashText('')).toBe(0x811c9dc5);
    expect(hashText('a')).toBe(0xe40c292c);
    expect(hashText('foobar')).toBe(0xbf9cf968);
  });

  it('hashes the tail of a text without slicing it', () => {
    expect(hashTextFrom('token-0123456789', 6)).toBe(hashText('0123456789'));
    expect(hashTextFrom('abc', -4, 7)).toBe(hashText('abc', 7));
  });

  it('hashes a pair as the two parts joined by a NUL, without building the string', () => {
    expect(hashTextPair('mailbox', 'u-1/inbox')).toBe(hashText('mailbox\u0000u-1/inbox'));
    expect(hashTextPair('a', 'bc')).not.toBe(hashTextPair('ab', 'c'));
  });
});

describe('mixHash', () => {
  it('is murmur3 fmix32: 0 stays 0 and outputs are unsigned 32-bit', () => {
    expect(mixHash(0)).toBe(0);
    expect(mixHash(1)).toBe(0x514e28b7);
    expect(mixHash(0xffffffff)).toBeGreaterThanOrEqual(0);
  });
});
