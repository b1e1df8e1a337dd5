// Test fixture owning ClickHouse for integration tests: starts clickhouse-http-server.ts (the
// chDB engine behind ClickHouse's HTTP interface) as a child process that several Warden
// processes can share, drives its fault switch, and hands out temp dirs for in-process chDB.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

const serverScript = fileURLToPath(new URL('./clickhouse-http-server.ts', import.meta.url));
/** `--import tsx` resolves from the working directory: the repository root. */
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Loading chDB takes ~130 ms; tsx compiling the script and a cold disk take the rest. */
const startTimeoutMs = 30_000;
const stopTimeoutMs = 10_000;
const stderrTailBytes = 8_192;

export interface ClickHouseHttpServer {
  /** For `createClient({ url })` or `CLICKHOUSE_URL`. */
  url: string;
  dataDir: string;
  /** Every INSERT fails with `Code: 242 … (TABLE_IS_READ_ONLY)` for ms; 0 clears it at once. */
  refuseInserts(ms: number): Promise<void>;
  /** Stops the server (SIGTERM, SIGKILL if it hangs) and removes the data dir it created. */
  stop(): Promise<void>;
}

export interface TempChdbDir {
  path: string;
  remove(): Promise<void>;
}

/** A fresh directory for a chDB data path, under the OS temp dir. */
export async function tempChdbDir(): Promise<TempChdbDir> {
  const path = await mkdtemp(join(tmpdir(), 'warden-chdb-'));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

export async function startClickHouseHttpServer(opts: { path?: string } = {}): Promise<ClickHouseHttpServer> {
  // A directory the caller passes outlives the server (restart tests); one made here does not.
  const dir: TempChdbDir = opts.path === undefined ? await tempChdbDir() : { path: opts.path, remove: async () => {} };
  const dataDir = dir.path;

  const child = spawn(process.execPath, ['--import', 'tsx', serverScript, '--path', dataDir, '--port', '0', '--host', '127.0.0.1'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderrTail = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderrTail = (stderrTail + chunk).slice(-stderrTailBytes);
  });
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
      await exited;
      clearTimeout(timer);
    }
    await dir.remove();
  };

  let port: number;
  try {
    port = await waitForListening(child, exited, () => stderrTail.trim() || '(empty)');
  } catch (error) {
    await stop();
    throw error;
  }
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    dataDir,
    refuseInserts: async (ms) => {
      const response = await fetch(`${url}/__fault`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ refuseInsertsForMs: ms }),
      });
      if (!response.ok) throw new Error(`clickhouse http server: /__fault answered ${response.status}: ${await response.text()}`);
    },
    stop,
  };
}

function waitForListening(child: ChildProcessByStdio<null, Readable, Readable>, exited: Promise<void>, stderrTail: () => string): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`clickhouse http server: not listening within ${startTimeoutMs} ms; stderr: ${stderrTail()}`));
    }, startTimeoutMs);
    // Keeps reading stdout after LISTENING so the child never blocks on a full pipe.
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /^LISTENING (\d+)$/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      const exit = `code ${child.exitCode}, signal ${child.signalCode}`;
      reject(new Error(`clickhouse http server exited before listening (${exit}); stderr: ${stderrTail()}`));
    });
  });
}
