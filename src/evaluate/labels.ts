// The ground truth of an evaluation: attack episodes read from a labels NDJSON file (one episode
// per line, as `warden simulate` writes them), checked once here, and the event-id → episode
// index that the replay looks every event up in. An event is malicious iff some episode lists it.
import { z } from 'zod';
import { WardenError } from '../errors.js';
import { readLines } from './read-lines.js';

export interface Episode {
  episodeId: string;
  kind: string;
  agentId: string;
  eventIds: string[];
  startMs: number;
  endMs: number;
}

export interface EpisodeLabels {
  episodes: Episode[];
  /** Attack kinds in order of first appearance. */
  kinds: string[];
  /** Event id → index into `episodes`. */
  episodeOfEventId: Map<string, number>;
}

/** ISO 8601 text or epoch milliseconds. */
const instant = z.union([z.string().min(1), z.number().finite()]).transform((value, context) => {
  const ms = typeof value === 'number' ? value : Date.parse(value);
  if (Number.isNaN(ms)) context.addIssue({ code: 'custom', message: `${JSON.stringify(value)} is not an ISO 8601 instant or epoch milliseconds` });
  return ms;
});

const episodeLineSchema = z.object({
  episode_id: z.string().min(1),
  kind: z.string().min(1),
  agent_id: z.string().min(1),
  event_ids: z.array(z.string().min(1)).min(1),
  start: instant,
  end: instant,
});

/** Builds the labels from already-split lines; `lineNumberOf(i)` names line i in errors. */
export function labelsFromLines(lines: readonly string[], lineNumberOf: (index: number) => number = (index) => index + 1): EpisodeLabels {
  const episodes: Episode[] = [];
  const kinds: string[] = [];
  const episodeOfEventId = new Map<string, number>();
  const episodeIds = new Set<string>();
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const where = `labels line ${lineNumberOf(index)}`;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (error) {
      throw new WardenError('INPUT_UNREADABLE', `${where} is not valid JSON: ${(error as Error).message}`);
    }
    const checked = episodeLineSchema.safeParse(json);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      throw new WardenError(
        'INPUT_UNREADABLE',
        `${where}: field ${issue?.path.map(String).join('.') || '(episode)'} is invalid: ${issue?.message ?? 'unknown'}`,
      );
    }
    const { episode_id, kind, agent_id, event_ids, start, end } = checked.data;
    if (episodeIds.has(episode_id)) throw new WardenError('INPUT_UNREADABLE', `${where}: episode ${episode_id} appears twice`);
    episodeIds.add(episode_id);
    const episodeIndex = episodes.length;
    for (const eventId of event_ids) {
      const earlier = episodeOfEventId.get(eventId);
      if (earlier !== undefined) {
        // One event in two episodes would make per-kind figures ambiguous; the simulator never does it.
        throw new WardenError('INPUT_UNREADABLE', `${where}: event ${eventId} is already labelled by episode ${episodes[earlier]?.episodeId ?? earlier}`);
      }
      episodeOfEventId.set(eventId, episodeIndex);
    }
    episodes.push({ episodeId: episode_id, kind, agentId: agent_id, eventIds: event_ids, startMs: start, endMs: end });
    if (!kinds.includes(kind)) kinds.push(kind);
  });
  return { episodes, kinds, episodeOfEventId };
}

export async function readLabelsFile(path: string): Promise<EpisodeLabels> {
  const lines: string[] = [];
  for await (const line of readLines(path, 'labels')) lines.push(line);
  const labels = labelsFromLines(lines);
  if (labels.episodes.length === 0) throw new WardenError('INPUT_UNREADABLE', `labels file ${path} holds no episodes`);
  return labels;
}
