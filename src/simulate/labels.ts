// The ground truth a simulation hands to whoever evaluates a detector: one label per attack
// episode — its kind, its agent, the ids of exactly its events and when it started and ended —
// written as NDJSON, one episode per line, in order of start.
import type { PlannedEpisode } from './attacks/index.js';
import type { AttackKind } from './attacks/attack.js';

export interface EpisodeLabel {
  episode_id: string;
  kind: AttackKind;
  agent_id: string;
  /** In time order. */
  event_ids: string[];
  /** ISO instants of the episode's first and last event. */
  start: string;
  end: string;
}

/** Labels in order of start (then kind and agent), numbered in that order: `ep-0001`, ... */
export function buildLabels(episodes: readonly PlannedEpisode[]): EpisodeLabel[] {
  const ordered = [...episodes].sort(
    (a, b) => (a.events[0]?.timeMs ?? 0) - (b.events[0]?.timeMs ?? 0) || a.kind.localeCompare(b.kind) || a.agentId.localeCompare(b.agentId),
  );
  return ordered.map((episode, index) => ({
    episode_id: `ep-${String(index + 1).padStart(4, '0')}`,
    kind: episode.kind,
    agent_id: episode.agentId,
    event_ids: episode.events.map((event) => event.id),
    start: new Date(episode.events[0]?.timeMs ?? 0).toISOString(),
    end: new Date(episode.events[episode.events.length - 1]?.timeMs ?? 0).toISOString(),
  }));
}

export function labelsToNdjson(labels: readonly EpisodeLabel[]): string {
  return labels.map((label) => `${JSON.stringify(label)}\n`).join('');
}

/** Episodes per kind, every requested kind present (0 if none). */
export function episodesPerKind(labels: readonly EpisodeLabel[], kinds: readonly AttackKind[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of kinds) counts[kind] = 0;
  for (const label of labels) counts[label.kind] = (counts[label.kind] ?? 0) + 1;
  return counts;
}
