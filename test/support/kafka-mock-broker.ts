// Test fixture owning the real Kafka broker of integration tests: builds and runs
// kafka-mock-broker/mock-broker (librdkafka's mock cluster, the Kafka protocol over
// TCP) and drives its faults over stdin. See ARCHITECTURE.md §2 for the mock's gaps.
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rename, rm, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { logLevel, type KafkaConfig } from 'kafkajs';

const helperDir = fileURLToPath(new URL('./kafka-mock-broker/', import.meta.url));
const helperSource = `${helperDir}mock-broker.c`;
const helperBinary = `${helperDir}mock-broker`;

const startTimeoutMs = 10_000;
const commandTimeoutMs = 10_000;
const stopTimeoutMs = 5_000;
const stderrTailBytes = 8_192;

export interface MockBrokerOptions {
  /** Broker ids are 1..brokers. */
  brokers?: number;
  topics?: { name: string; partitions: number }[];
}

export interface MockBroker {
  bootstrapServers: string[];
  /** The mock has no CreateTopics API, so tests create topics through the helper. */
  createTopic(name: string, partitions: number): Promise<void>;
  /** Drops the broker's connections and refuses new ones; partition leaders do not move. */
  brokerDown(brokerId: number): Promise<void>;
  brokerUp(brokerId: number): Promise<void>;
  /** Delays every response of the broker by rttMs. */
  setRtt(brokerId: number, rttMs: number): Promise<void>;
  /**
   * The next requests with this Kafka ApiKey (any broker) fail with these error
   * codes, one per request, in order. -195 (librdkafka's __TRANSPORT) makes the
   * broker close the connection instead of answering.
   */
  pushRequestErrors(apiKey: number, errorCodes: number[]): Promise<void>;
  stop(): Promise<void>;
}

/** A fresh topic or group name, so integration tests can share one broker and run in any order. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

/** kafkajs settings that suit the mock: quiet logs, quick retries that outlast a short outage. */
export function kafkaClientConfig(bootstrapServers: string[], clientId = 'warden-test'): KafkaConfig {
  return {
    clientId,
    brokers: bootstrapServers,
    logLevel: logLevel.NOTHING,
    retry: { retries: 8, initialRetryTime: 100 },
  };
}

export async function startMockBroker(opts: MockBrokerOptions = {}): Promise<MockBroker> {
  await ensureHelperBuilt();

  const args = ['--brokers', String(opts.brokers ?? 1)];
  for (const topic of opts.topics ?? []) args.push('--topic', `${topic.name}:${topic.partitions}`);

  const child = spawn(helperBinary, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const session = new HelperSession(child);
  const bootstrapLine = await session.nextLine(startTimeoutMs, 'BOOTSTRAP line');
  if (!bootstrapLine.startsWith('BOOTSTRAP ')) {
    await session.stop();
    throw new Error(`mock broker: expected BOOTSTRAP, got "${bootstrapLine}"; stderr: ${session.stderrTail()}`);
  }
  const bootstrapServers = bootstrapLine.slice('BOOTSTRAP '.length).split(',');

  return {
    bootstrapServers,
    createTopic: (name, partitions) => session.command(`topic ${name} ${partitions}`),
    brokerDown: (brokerId) => session.command(`down ${brokerId}`),
    brokerUp: (brokerId) => session.command(`up ${brokerId}`),
    setRtt: (brokerId, rttMs) => session.command(`rtt ${brokerId} ${rttMs}`),
    pushRequestErrors: (apiKey, errorCodes) => session.command(`errors ${apiKey} ${errorCodes.join(' ')}`),
    stop: () => session.stop(),
  };
}

// One build per test process, however many brokers its tests start at once.
let helperBuild: Promise<void> | undefined;

function ensureHelperBuilt(): Promise<void> {
  helperBuild ??= buildHelperIfStale().catch((error: unknown) => {
    helperBuild = undefined; // Let the next test retry and report the error itself.
    throw error;
  });
  return helperBuild;
}

/**
 * Compiles the helper when the binary is missing or older than its source. Several
 * vitest workers (processes) may get here at once: each compiles to its own temporary
 * name and renames it into place, which is atomic, so nobody runs a half-written file.
 */
async function buildHelperIfStale(): Promise<void> {
  const [source, binary] = await Promise.all([stat(helperSource), stat(helperBinary).catch(() => undefined)]);
  if (binary && binary.mtimeMs >= source.mtimeMs) return;

  const tempBinary = `${helperBinary}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await promisify(execFile)('cc', ['-O2', '-Wall', '-o', tempBinary, helperSource, '-lrdkafka']);
    await rename(tempBinary, helperBinary);
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`mock broker: cannot compile ${helperSource} (needs cc and Debian's librdkafka-dev): ${String(error)}\n${stderr}`);
  } finally {
    await rm(tempBinary, { force: true });
  }
}

/** The helper's stdio: one reply line per command, in order, so replies queue FIFO. */
class HelperSession {
  private readonly waiting: { resolve: (line: string) => void; reject: (error: Error) => void }[] = [];
  private readonly unread: string[] = [];
  private stderrText = '';
  private exitError: Error | undefined;
  private readonly exited: Promise<void>;

  constructor(private readonly child: ChildProcessWithoutNullStreams) {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const waiter = this.waiting.shift();
      if (waiter) waiter.resolve(line);
      else this.unread.push(line);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      this.stderrText = (this.stderrText + chunk).slice(-stderrTailBytes);
    });
    // Writing to a helper that already died must fail the command, not the test process.
    child.stdin.on('error', () => {});
    this.exited = new Promise((resolve) => {
      const onGone = (reason: string): void => {
        this.exitError ??= new Error(`mock broker ${reason}; stderr: ${this.stderrTail()}`);
        for (const waiter of this.waiting.splice(0)) waiter.reject(this.exitError);
        resolve();
      };
      child.on('error', (error) => onGone(`failed: ${error.message}`));
      // 'close', not 'exit': it comes after stdout/stderr are drained, so the error
      // carries the helper's last words.
      child.on('close', (code, signal) => onGone(`exited (code ${code}, signal ${signal})`));
    });
  }

  stderrTail(): string {
    return this.stderrText.trim() || '(empty)';
  }

  nextLine(timeoutMs: number, what: string): Promise<string> {
    const line = this.unread.shift();
    if (line !== undefined) return Promise.resolve(line);
    if (this.exitError) return Promise.reject(this.exitError);
    return new Promise((resolve, reject) => {
      const waiter = {
        resolve: (text: string) => {
          clearTimeout(timer);
          resolve(text);
        },
        reject: (error: Error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        const error = new Error(`mock broker: no ${what} within ${timeoutMs} ms; stderr: ${this.stderrTail()}`);
        // A late reply would be taken as the answer to the next command: a helper
        // that stopped answering is not trusted with any more.
        this.exitError ??= error;
        this.child.kill('SIGKILL');
        reject(error);
      }, timeoutMs);
      this.waiting.push(waiter);
    });
  }

  async command(line: string): Promise<void> {
    if (this.exitError) throw this.exitError;
    const reply = this.nextLine(commandTimeoutMs, `reply to "${line}"`);
    this.child.stdin.write(`${line}\n`);
    const answer = await reply;
    if (answer !== 'OK') throw new Error(`mock broker: "${line}" failed: ${answer.replace(/^ERR /, '')}`);
  }

  /** Closing stdin is the helper's signal to shut down; SIGKILL only if it hangs. */
  async stop(): Promise<void> {
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), stopTimeoutMs);
    await this.exited;
    clearTimeout(timer);
  }
}
