// `warden bench`: placeholder replaced by the benchmark module.
import type { Command } from './main.js';
import { WardenError } from '../errors.js';

export const benchCommand: Command = {
  summary: 'measure throughput, latency, memory and state size (prints one JSON object last)',
  usage: 'warden bench',
  async run() {
    throw new WardenError('USAGE', 'bench is not built yet');
  },
};
