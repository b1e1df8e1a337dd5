// The agents this process owns, in memory: each agent's profile, its open alert, the Kafka
// partition that carries it, and whether it changed since its last checkpoint. Serialising for a
// checkpoint and restoring from one happen here; writing and reading rows is the store's job.
import type { AuditEvent } from '../events/audit-event.js';
import type { OpenAlert } from '../respond/alert-grouping.js';
import type { BaselineRow } from '../store/rows.js';
import { type AgentProfile, createProfile, profileFromJson, profileFromParsedJson, profileToJson, summarizeProfile } from './agent-profile.js';
import { baselineInUse, type PeerBaselines } from './peer-baselines.js';

export interface AgentEntry {
  profile: AgentProfile;
  openAlert: OpenAlert | undefined;
  kafkaPartition: number;
  /**
   * Kafka offset (of the agent's partition) through which the profile has learned, as of its
   * last checkpoint: a replay from an older commit must not teach it those events again.
   */
  learnedThroughOffset: number;
  dirty: boolean;
}

/**
 * A checkpoint row's state: the profile (its JSON embedded as JSON, not as an escaped string —
 * escaping cost ~8% of the 4 KB) and the alert in progress, which travels with it. Checkpoints
 * written before 2026-11-26 hold the profile as a string; both are read.
 */
interface CheckpointState {
  profile: unknown;
  openAlert?: OpenAlert;
}

export class AgentRegistry {
  private readonly agents = new Map<string, AgentEntry>();
  /**
   * The peer baselines agents are scored against (set by EventProcessor.refreshPeers), so each
   * checkpoint can say which baseline its agent was scored against.
   */
  peerBaselines: PeerBaselines | undefined;

  constructor(readonly source: string) {}

  get size(): number {
    return this.agents.size;
  }

  get(agentId: string): AgentEntry | undefined {
    return this.agents.get(agentId);
  }

  entries(): IterableIterator<[string, AgentEntry]> {
    return this.agents.entries();
  }

  /** The agent's entry, created from its first event when Warden has never seen it. */
  getOrCreate(event: AuditEvent, kafkaPartition: number): AgentEntry {
    let entry = this.agents.get(event.agent.id);
    if (!entry) {
      entry = { profile: createProfile(event), openAlert: undefined, kafkaPartition, learnedThroughOffset: -1, dirty: true };
      this.agents.set(event.agent.id, entry);
    }
    return entry;
  }

  /**
   * Serialises every agent that changed since its last checkpoint and marks it clean.
   * `processedThrough` gives each Kafka partition's last processed offset at this instant.
   */
  takeCheckpoint(nowMs: number, partitions?: ReadonlySet<number>, processedThrough: (partition: number) => number = () => -1): BaselineRow[] {
    const rows: BaselineRow[] = [];
    for (const [agentId, entry] of this.agents) {
      if (!entry.dirty || (partitions && !partitions.has(entry.kafkaPartition))) continue;
      const summary = summarizeProfile(entry.profile);
      const inUse = baselineInUse(entry.profile, this.peerBaselines);
      const profileJson = profileToJson(entry.profile);
      const state = entry.openAlert === undefined ? `{"profile":${profileJson}}` : `{"profile":${profileJson},"openAlert":${JSON.stringify(entry.openAlert)}}`;
      entry.learnedThroughOffset = processedThrough(entry.kafkaPartition);
      rows.push({
        agent_id: agentId,
        // Versions grow with every observed event, so the newest checkpoint always wins.
        version: entry.profile.eventsSeen,
        updated_at: nowMs,
        last_event_at: entry.profile.lastEventMs,
        events_seen: summary.eventsSeen,
        events_learned: summary.eventsLearned,
        distinct_actions: summary.distinctActions,
        usual_events_per_minute: summary.usualEventsPerMinute,
        failure_rate: summary.failureRate,
        median_bytes: summary.medianBytes,
        baseline: inUse.baseline,
        peer_group: inUse.peerGroup,
        source: this.source,
        kafka_partition: entry.kafkaPartition,
        kafka_offset: entry.learnedThroughOffset,
        state,
      });
      entry.dirty = false;
    }
    return rows;
  }

  /** Marks rows of a failed checkpoint dirty again so the next one retries them. */
  markDirty(agentIds: Iterable<string>): void {
    for (const agentId of agentIds) {
      const entry = this.agents.get(agentId);
      if (entry) entry.dirty = true;
    }
  }

  restore(agentId: string, kafkaPartition: number, learnedThroughOffset: number, stateJson: string): void {
    const state = JSON.parse(stateJson) as CheckpointState;
    const profile = typeof state.profile === 'string' ? profileFromJson(state.profile) : profileFromParsedJson(state.profile);
    this.agents.set(agentId, { profile, openAlert: state.openAlert, kafkaPartition, learnedThroughOffset, dirty: false });
  }

  /** Forgets the agents of partitions this process no longer owns. */
  dropPartitions(partitions: ReadonlySet<number>): number {
    let dropped = 0;
    for (const [agentId, entry] of this.agents) {
      if (partitions.has(entry.kafkaPartition)) {
        this.agents.delete(agentId);
        dropped += 1;
      }
    }
    return dropped;
  }
}
