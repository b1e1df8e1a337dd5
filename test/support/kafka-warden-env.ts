// One Warden deployment for a Kafka test: fresh topic, dead-letter topic, group and database on
// the shared broker and ClickHouse, and the settings that point a Warden process at them.
import type { MockBroker } from './kafka-mock-broker.js';
import { uniqueName } from './kafka-mock-broker.js';

export interface KafkaDeployment {
  topic: string;
  dlqTopic: string;
  groupId: string;
  database: string;
  env: Record<string, string>;
}

export async function kafkaDeployment(
  broker: MockBroker,
  clickHouseUrl: string,
  partitions = 4,
  extraEnv: Record<string, string> = {},
): Promise<KafkaDeployment> {
  const topic = uniqueName('audit');
  const dlqTopic = `${topic}.dlq`;
  const groupId = uniqueName('warden');
  const database = uniqueName('warden').replaceAll('-', '_');
  await broker.createTopic(topic, partitions);
  await broker.createTopic(dlqTopic, 1);
  return {
    topic,
    dlqTopic,
    groupId,
    database,
    env: {
      KAFKA_BROKERS: broker.bootstrapServers.join(','),
      KAFKA_TOPIC: topic,
      KAFKA_DLQ_TOPIC: dlqTopic,
      KAFKA_GROUP_ID: groupId,
      // The mock makes a rejoining consumer wait out the old member's session.
      KAFKA_SESSION_TIMEOUT_MS: '6000',
      CLICKHOUSE_URL: clickHouseUrl,
      CLICKHOUSE_DATABASE: database,
      WARDEN_CHECKPOINT_INTERVAL_MS: '1000',
      ...extraEnv,
    },
  };
}
