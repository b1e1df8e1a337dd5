import { describe, expect, it } from 'vitest';
import { alertIdFor, groupRiskyEvent, type OpenAlert, severityOf } from '../../../src/respond/alert-grouping.js';

const options = { riskThreshold: 0.8, quietGapMs: 60_000, maxEventIdsPerAlert: 3, maxReasonsPerAlert: 2 };
const risky = (eventId: string, timeMs: number, risk = 0.9, reasons = ['r1'], signals = ['event_rate']) => ({
  agentId: 'a',
  eventId,
  timeMs,
  risk,
  reasons,
  signals,
});

describe('groupRiskyEvent', () => {
  it('ignores events below the threshold', () => {
    expect(groupRiskyEvent(undefined, risky('e1', 0, 0.79), options)).toBeUndefined();
  });

  it('opens an alert whose id derives from the agent and first event', () => {
    const update = groupRiskyEvent(undefined, risky('e1', 1000), options);
    expect(update?.opened).toBe(true);
    expect(update?.alert.alertId).toBe(alertIdFor('a', 'e1'));
    expect(alertIdFor('a', 'e1')).not.toBe(alertIdFor('a', 'e2'));
  });

  it('folds a burst into one alert and bounds its event ids and reasons', () => {
    let open: OpenAlert | undefined;
    for (let i = 0; i < 5; i += 1) open = groupRiskyEvent(open, risky(`e${i}`, i * 10_000, 0.8 + i * 0.01, [`r${i}`]), options)?.alert ?? open;
    expect(open?.eventCount).toBe(5);
    expect(open?.eventIds).toEqual(['e0', 'e1', 'e2']);
    expect(open?.reasons).toEqual(['r0', 'r1']);
    expect(open?.maxRisk).toBeCloseTo(0.84);
    expect(open?.updatedAtMs).toBe(40_000);
  });

  it('opens a new alert after the quiet gap', () => {
    const first = groupRiskyEvent(undefined, risky('e1', 0), options)?.alert;
    const later = groupRiskyEvent(first, risky('e2', 60_001), options);
    expect(later?.opened).toBe(true);
    expect(later?.alert.alertId).not.toBe(first?.alertId);
  });

  it('maps risk to severity', () => {
    expect([0.5, 0.8, 0.92, 0.99].map(severityOf)).toEqual(['low', 'medium', 'high', 'critical']);
  });
});
