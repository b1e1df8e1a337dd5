// Resource novelty: documents, mailboxes, tables... this agent has not touched before, judged
// against how often it touches new ones (see key-novelty.ts). The key is resource type + id.
import { hashTextPair } from '../profile/sketches/hash.js';
import { createKeyNoveltyDetector } from './key-novelty.js';

export const resourceNoveltyDetector = createKeyNoveltyDetector({
  name: 'resource_novelty',
  bitsPerGeneration: 1024,
  keyHash(event) {
    const resource = event.resource;
    if (!resource || (resource.id === undefined && resource.type === undefined)) return undefined;
    return hashTextPair(resource.type ?? '', resource.id ?? '');
  },
  describeKey(event) {
    const { type, id } = event.resource ?? {};
    return `resource ${[type, id].filter((part) => part !== undefined).join(':')}`;
  },
  keysNoun: 'resources',
});
