import { describe, expect, it } from 'vitest';
import { eventId, isoTime } from '../../../src/simulate/event-builder.js';
import { Random } from '../../../src/simulate/random.js';
import { smallFleetRun } from './fixture.js';
import { KNOWN_TOP_LEVEL_FIELDS } from '../../../src/events/audit-event.js';

describe('simulated event lines', () => {
  it('are exactly JSON.stringify of the event in the contract field order', () => {
    const { events } = smallFleetRun();
    for (const event of events.filter((_, index) => index % 97 === 0)) {
      const parsed = JSON.parse(event.line) as Record<string, unknown>;
      expect(JSON.stringify(parsed)).toBe(event.line);
      // The v1 contract's field order, as Warden's own schema lists it.
      const order = [...KNOWN_TOP_LEVEL_FIELDS];
      const keys = Object.keys(parsed);
      expect(keys).toEqual(order.filter((key) => keys.includes(key)));
    }
  });

  it('format time like Date#toISOString', () => {
    const random = new Random(5);
    for (let i = 0; i < 2_000; i += 1) {
      const timeMs = Math.floor(random.between(Date.parse('2000-01-01T00:00:00Z'), Date.parse('2099-12-31T23:59:59Z')));
      expect(isoTime(timeMs)).toBe(new Date(timeMs).toISOString());
    }
  });

  it('mint ULID event ids whose time prefix sorts with time', () => {
    const random = new Random(6);
    const early = eventId(random, Date.parse('2026-11-01T00:00:00.000Z'));
    const late = eventId(random, Date.parse('2026-11-01T00:00:00.001Z'));
    expect(early).toMatch(/^evt_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(early.slice(0, 14) < late.slice(0, 14)).toBe(true);
    expect(eventId(random, 0).slice(4, 14)).toBe('0000000000');
  });
});
