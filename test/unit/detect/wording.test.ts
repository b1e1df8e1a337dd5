import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, formatHourOfWeek, formatRate, formatShare } from '../../../src/detect/wording.js';

describe('wording', () => {
  it('writes sizes in decimal units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(12_000)).toBe('12 KB');
    expect(formatBytes(4_100_000)).toBe('4.1 MB');
    expect(formatBytes(2_500_000_000)).toBe('2.5 GB');
  });

  it('groups thousands without depending on the locale', () => {
    expect(formatCount(48)).toBe('48');
    expect(formatCount(10_080)).toBe('10,080');
    expect(formatCount(1_234_567.6)).toBe('1,234,568');
  });

  it('writes rates with one decimal and shares as percentages', () => {
    expect(formatRate(12)).toBe('12.0');
    expect(formatRate(0.43)).toBe('0.4');
    expect(formatShare(0.25)).toBe('25%');
    expect(formatShare(0.012)).toBe('1.2%');
    expect(formatShare(0.000049)).toBe('0.005%');
  });

  it('names an hour of the week', () => {
    expect(formatHourOfWeek(0)).toBe('Mon 00:00–01:00 UTC');
    expect(formatHourOfWeek(6 * 24 + 3)).toBe('Sun 03:00–04:00 UTC');
    expect(formatHourOfWeek(167)).toBe('Sun 23:00–00:00 UTC');
  });
});
