// The engines of a Kafka integration test file: one mock broker and one shared ClickHouse for the
// file (each test makes its own topic, group and database with kafkaDeployment), plus every
// Warden process a test starts, all stopped after the file.
import { afterAll, beforeAll } from 'vitest';
import { type ClickHouseHttpServer, startClickHouseHttpServer } from './clickhouse-server-fixture.js';
import { type MockBroker, startMockBroker } from './kafka-mock-broker.js';
import { type WardenProcess, startWardenProcess } from './warden-process.js';

export interface KafkaEngines {
  broker(): MockBroker;
  clickhouse(): ClickHouseHttpServer;
  /** Starts a Warden process that is stopped after the file if the test did not stop it. */
  startWarden(env: Record<string, string>): Promise<WardenProcess>;
}

/** Call inside a describe block: registers the hooks that start and stop the engines. */
export function useKafkaEngines(): KafkaEngines {
  let broker: MockBroker | undefined;
  let clickhouse: ClickHouseHttpServer | undefined;
  const wardens: WardenProcess[] = [];
  beforeAll(async () => {
    [broker, clickhouse] = await Promise.all([startMockBroker(), startClickHouseHttpServer()]);
  });
  afterAll(async () => {
    await Promise.all(wardens.map((warden) => warden.stop()));
    await Promise.all([broker?.stop(), clickhouse?.stop()]);
  });
  const started = <T>(engine: T | undefined, name: string): T => {
    if (!engine) throw new Error(`${name} is not started: call useKafkaEngines() inside describe()`);
    return engine;
  };
  return {
    broker: () => started(broker, 'the mock broker'),
    clickhouse: () => started(clickhouse, 'ClickHouse'),
    async startWarden(env) {
      const warden = await startWardenProcess(env);
      wardens.push(warden);
      return warden;
    },
  };
}
