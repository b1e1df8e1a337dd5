import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatCount,
  formatDuration,
  formatHourOfWeek,
  formatNameList,
  formatPeerNote,
  formatRate,
  formatShare,
  truncateText,
} from '../../../src/detect/wording.js';

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

  it('says which baseline a finding used', () => {
    expect(formatPeerNote('peers of type email-assistant', 1)).toBe(' (compared with peers of type email-assistant)');
    expect(formatPeerNote('the fleet', 0.6)).toBe(' (compared with the fleet, 60%, and its own history, 40%)');
  });

  it('cuts values from events and lists of names', () => {
    expect(truncateText('x'.repeat(80))).toBe(`${'x'.repeat(59)}…`);
    expect(truncateText('mail.read')).toBe('mail.read');
    expect(formatNameList(['a', 'b', 'c', 'd', 'e', 'f', 'g'])).toBe('a, b, c, d, e and 2 more');
    expect(formatNameList(['a', 'b'])).toBe('a, b');
  });

  it('writes durations in the largest sensible unit', () => {
    expect(formatDuration(90_000)).toBe('2 min');
    expect(formatDuration(3 * 3_600_000)).toBe('3.0 h');
    expect(formatDuration(2.58 * 86_400_000)).toBe('2.6 days');
    expect(formatDuration(12 * 86_400_000)).toBe('12 days');
  });
});
