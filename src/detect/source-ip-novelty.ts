// Source IP novelty: calls from an address this agent has not used before (a token replayed from
// elsewhere), judged against how often it shows up from new addresses (see key-novelty.ts).
// Exact addresses only: an agent behind a large rotating pool has a high novelty share instead.
import { hashText } from '../profile/sketches/hash.js';
import { createKeyNoveltyDetector } from './key-novelty.js';

export const sourceIpNoveltyDetector = createKeyNoveltyDetector({
  name: 'source_ip_novelty',
  bitsPerGeneration: 512,
  keyHash(event) {
    const ip = event.source?.ip;
    return ip === undefined || ip === '' ? undefined : hashText(ip);
  },
  describeKey(event) {
    return `source IP ${event.source?.ip ?? ''}`;
  },
  keysNoun: 'source IPs',
});
