// Records per call against the agent's usual counts (see robust-volume.ts): a bulk read or export.
import { createVolumeDetector } from './robust-volume.js';
import { formatCount } from './wording.js';

export const recordsVolumeDetector = createVolumeDetector({
  name: 'records_volume',
  valueOf: (event) => event.records,
  describe: (records, usualMedian) => `${formatCount(records)} records in one call; usual median ${formatCount(usualMedian)}`,
  peerSizes: (summary) => summary.records,
});
