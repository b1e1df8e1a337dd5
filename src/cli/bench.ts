// `warden bench`: runs the benchmark script of the source tree (test/bench/run.ts, through tsx)
// in a child process with this terminal, so `warden bench` and `npm run bench` measure the same
// thing. An installed package has no source tree, and says so.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { WardenError } from '../errors.js';
import type { Command } from './main.js';

/** dist/cli/bench.js → the repository root. */
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const benchScript = `${repoRoot}test/bench/run.ts`;

export const benchCommand: Command = {
  summary: 'measure throughput, latency, memory and state size (prints one JSON object last)',
  usage:
    'warden bench\n  (needs the source tree and its dev dependencies: runs test/bench/run.ts, like npm run bench;\n' +
    '   sizes: BENCH_EVENTS, BENCH_AGENTS, BENCH_PARTITIONS, BENCH_LOAD_RATE, BENCH_LOAD_SECONDS)',
  async run(args) {
    if (!existsSync(benchScript)) {
      throw new WardenError('USAGE', `warden bench needs Warden's source tree (${benchScript} is missing): run it from a git checkout with 'npm run bench'`);
    }
    const exitCode = await new Promise<number>((resolve, reject) => {
      // `--import tsx` is resolved from the working directory, hence cwd = the repository root.
      const child = spawn(process.execPath, ['--import', 'tsx', benchScript, ...args], { cwd: repoRoot, stdio: 'inherit' });
      const forward = (signal: NodeJS.Signals) => child.kill(signal);
      process.on('SIGINT', forward).on('SIGTERM', forward);
      child.once('error', (error) => reject(new WardenError('USAGE', `cannot run the benchmark: ${error.message}`, { cause: error })));
      child.once('exit', (code, signal) => {
        process.off('SIGINT', forward).off('SIGTERM', forward);
        resolve(code ?? (signal ? 128 : 1));
      });
    });
    // The script already printed its own one-line reason; only the exit code is left to pass on.
    if (exitCode !== 0) process.exit(exitCode);
  },
};
