// Bytes per call against the agent's usual sizes (see robust-volume.ts): exfiltration in one call.
import { createVolumeDetector } from './robust-volume.js';
import { formatBytes } from './wording.js';

export const bytesVolumeDetector = createVolumeDetector({
  name: 'bytes_volume',
  valueOf: (event) => event.bytes,
  describe: (bytes, usualMedian) => `${formatBytes(bytes)} transferred in one call; usual median ${formatBytes(usualMedian)}`,
  peerSizes: (summary) => summary.bytes,
});
