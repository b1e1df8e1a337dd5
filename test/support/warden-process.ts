// Runs Warden as users do — `node dist/cli/main.js start` in its own process — so tests can
// SIGTERM it, SIGKILL it and run two of them in one consumer group. Reads its JSON log lines.
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const cliEntry = `${repoRoot}dist/cli/main.js`;
export const TEST_ADMIN_KEY = 'test-admin-key-0123456789abcdef';

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

export interface WardenProcess {
  url: string;
  pid: number;
  logs: LogLine[];
  /** Resolves with the first log line (already seen or future) that matches. */
  waitForLog(match: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** Graceful stop; resolves with the exit code. */
  stop(timeoutMs?: number): Promise<number | null>;
  /** SIGKILL: no shutdown work at all, as in a crash. */
  kill(): Promise<void>;
  exited: Promise<number | null>;
  stderr(): string;
}

/** Runs a `warden` subcommand to completion, returning its exit code and output. */
export function runWardenCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  assertBuilt();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliEntry, ...args], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

export async function startWardenProcess(env: Record<string, string>, startTimeoutMs = 60_000): Promise<WardenProcess> {
  assertBuilt();
  const child: ChildProcessByStdio<null, Readable, Readable> = spawn(process.execPath, [cliEntry, 'start'], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', WARDEN_ADMIN_KEY: TEST_ADMIN_KEY, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: LogLine[] = [];
  const waiters: { match: (line: LogLine) => boolean; resolve: (line: LogLine) => void }[] = [];
  let stderrText = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderrText = (stderrText + chunk.toString()).slice(-16_384);
  });
  createInterface({ input: child.stdout }).on('line', (text) => {
    let line: LogLine;
    try {
      line = JSON.parse(text) as LogLine;
    } catch {
      return;
    }
    logs.push(line);
    for (const waiter of [...waiters]) {
      if (waiter.match(line)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let hasExited = false;
  void exited.then(() => (hasExited = true));

  const waitForLog = (match: (line: LogLine) => boolean, timeoutMs = 30_000) => {
    const seen = logs.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise<LogLine>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `timed out waiting for a log line; last lines:\n${logs
                .slice(-8)
                .map((l) => JSON.stringify(l))
                .join('\n')}\nstderr: ${stderrText}`,
            ),
          ),
        timeoutMs,
      );
      waiters.push({ match, resolve: (line) => (clearTimeout(timer), resolve(line)) });
      void exited.then((code) => {
        clearTimeout(timer);
        reject(
          new Error(
            `warden exited (${code}) before the log line; stderr: ${stderrText}\nlast logs:\n${logs
              .slice(-8)
              .map((l) => JSON.stringify(l))
              .join('\n')}`,
          ),
        );
      });
    });
  };

  const listening = await waitForLog((line) => line.msg === 'API listening', startTimeoutMs);
  const pid = child.pid ?? -1;
  return {
    url: String(listening.url),
    pid,
    logs,
    waitForLog,
    exited,
    stderr: () => stderrText,
    async stop(timeoutMs = 30_000) {
      if (hasExited) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    async kill() {
      if (hasExited) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}

function assertBuilt(): void {
  if (!existsSync(cliEntry)) throw new Error(`${cliEntry} is missing: run 'npm run build' (npm test does it first)`);
}
