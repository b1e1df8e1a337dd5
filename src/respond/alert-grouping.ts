// Turns an agent's risky events into alerts: a burst of risky events of one agent (gaps shorter
// than the quiet gap, in event time) is one alert. Pure: state in, state and rows out. Alert ids
// derive from the agent and the burst's first event, so replaying the same events after a crash
// reproduces the same alert instead of opening a second one.
import { createHash } from 'node:crypto';
import type { AlertRow, Severity } from '../store/rows.js';

export interface OpenAlert {
  alertId: string;
  openedAtMs: number;
  updatedAtMs: number;
  maxRisk: number;
  eventCount: number;
  /** The first events of the burst, bounded so one runaway agent cannot grow an alert row forever. */
  eventIds: string[];
  reasons: string[];
  /** Detector names behind the reasons: what feedback may suppress. Absent in older checkpoints. */
  signals?: string[];
}

export interface AlertGroupingOptions {
  riskThreshold: number;
  quietGapMs: number;
  maxEventIdsPerAlert: number;
  maxReasonsPerAlert: number;
}

export interface RiskyEvent {
  agentId: string;
  eventId: string;
  timeMs: number;
  risk: number;
  reasons: string[];
  signals: string[];
}

export interface AlertUpdate {
  alert: OpenAlert;
  opened: boolean;
}

/** Folds one scored event into the agent's open alert; undefined when the event is not risky. */
export function groupRiskyEvent(open: OpenAlert | undefined, event: RiskyEvent, options: AlertGroupingOptions): AlertUpdate | undefined {
  if (event.risk < options.riskThreshold) return undefined;
  if (open && event.timeMs - open.updatedAtMs <= options.quietGapMs) {
    open.updatedAtMs = Math.max(open.updatedAtMs, event.timeMs);
    open.maxRisk = Math.max(open.maxRisk, event.risk);
    open.eventCount += 1;
    if (open.eventIds.length < options.maxEventIdsPerAlert) open.eventIds.push(event.eventId);
    for (const reason of event.reasons) {
      if (open.reasons.length >= options.maxReasonsPerAlert) break;
      if (!open.reasons.includes(reason)) open.reasons.push(reason);
    }
    open.signals = [...new Set([...(open.signals ?? []), ...event.signals])];
    return { alert: open, opened: false };
  }
  const alert: OpenAlert = {
    alertId: alertIdFor(event.agentId, event.eventId),
    openedAtMs: event.timeMs,
    updatedAtMs: event.timeMs,
    maxRisk: event.risk,
    eventCount: 1,
    eventIds: [event.eventId],
    reasons: event.reasons.slice(0, options.maxReasonsPerAlert),
    signals: [...new Set(event.signals)],
  };
  return { alert, opened: true };
}

export function alertIdFor(agentId: string, firstEventId: string): string {
  return `alr_${createHash('sha256').update(agentId).update('\0').update(firstEventId).digest('base64url').slice(0, 22)}`;
}

export function severityOf(risk: number): Severity {
  if (risk >= 0.97) return 'critical';
  if (risk >= 0.9) return 'high';
  if (risk >= 0.75) return 'medium';
  return 'low';
}

export function toAlertRow(agentId: string, alert: OpenAlert): AlertRow {
  return {
    alert_id: alert.alertId,
    agent_id: agentId,
    opened_at: alert.openedAtMs,
    updated_at: alert.updatedAtMs,
    risk: alert.maxRisk,
    severity: severityOf(alert.maxRisk),
    reasons: alert.reasons,
    signals: alert.signals ?? [],
    event_ids: alert.eventIds,
    event_count: alert.eventCount,
    decision: 'alert',
    status: 'open',
  };
}
