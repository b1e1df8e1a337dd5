// Signals an analyst muted for one agent by marking an alert a false positive. Pure lookup: the
// processor asks, per scored event, which findings still count; the store keeps the list and a
// refresher loads it into every process.
import type { SignalFinding } from '../detect/combine.js';

export interface Suppression {
  agentId: string;
  signal: string;
  /** Event time (ms) until which the signal is muted for the agent. */
  expiresAtMs: number;
}

export class SuppressionList {
  private byAgent = new Map<string, Map<string, number>>();

  /** Replaces the whole list (a refresh from storage). */
  replace(suppressions: Iterable<Suppression>): void {
    const next = new Map<string, Map<string, number>>();
    for (const suppression of suppressions) addTo(next, suppression);
    this.byAgent = next;
  }

  add(suppression: Suppression): void {
    addTo(this.byAgent, suppression);
  }

  get size(): number {
    let count = 0;
    for (const signals of this.byAgent.values()) count += signals.size;
    return count;
  }

  /** The findings without the agent's muted signals (before calibration); the same array when nothing is muted. */
  apply(agentId: string, timeMs: number, findings: readonly SignalFinding[]): readonly SignalFinding[] {
    const muted = this.byAgent.get(agentId);
    if (!muted || findings.length === 0) return findings;
    const kept = findings.filter((finding) => (muted.get(finding.signal) ?? Number.NEGATIVE_INFINITY) <= timeMs);
    return kept.length === findings.length ? findings : kept;
  }
}

function addTo(map: Map<string, Map<string, number>>, { agentId, signal, expiresAtMs }: Suppression): void {
  let signals = map.get(agentId);
  if (!signals) map.set(agentId, (signals = new Map()));
  signals.set(signal, Math.max(signals.get(signal) ?? 0, expiresAtMs));
}
