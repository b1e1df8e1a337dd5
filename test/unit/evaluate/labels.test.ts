import { describe, expect, it } from 'vitest';
import { labelsFromLines } from '../../../src/evaluate/labels.js';

const episode = (fields: Record<string, unknown> = {}) =>
  JSON.stringify({
    episode_id: 'ep-1',
    kind: 'burst',
    agent_id: 'a',
    event_ids: ['e1', 'e2'],
    start: '2026-11-10T10:00:00Z',
    end: '2026-11-10T10:01:00Z',
    ...fields,
  });

describe('labelsFromLines', () => {
  it('indexes every labelled event id by its episode and lists kinds in order of appearance', () => {
    const labels = labelsFromLines([episode(), '', episode({ episode_id: 'ep-2', kind: 'drift', event_ids: ['e9'], start: 1_794_304_800_000 })]);
    expect(labels.kinds).toEqual(['burst', 'drift']);
    expect([...labels.episodeOfEventId]).toEqual([
      ['e1', 0],
      ['e2', 0],
      ['e9', 1],
    ]);
    expect(labels.episodes[0]?.startMs).toBe(Date.parse('2026-11-10T10:00:00Z'));
    expect(labels.episodes[1]?.startMs).toBe(1_794_304_800_000);
  });

  it('names the line and field of a bad label', () => {
    expect(() => labelsFromLines([episode(), episode({ event_ids: [] })])).toThrow(/labels line 2: field event_ids is invalid/);
    expect(() => labelsFromLines([episode({ start: 'soon' })])).toThrow(/labels line 1: field start is invalid: "soon" is not an ISO 8601 instant/);
    expect(() => labelsFromLines(['{nope'])).toThrow(/labels line 1 is not valid JSON/);
  });

  it('refuses an event labelled by two episodes and an episode id used twice', () => {
    expect(() => labelsFromLines([episode(), episode({ episode_id: 'ep-2', event_ids: ['e2'] })])).toThrow(/event e2 is already labelled by episode ep-1/);
    expect(() => labelsFromLines([episode(), episode({ event_ids: ['e3'] })])).toThrow(/episode ep-1 appears twice/);
  });
});
