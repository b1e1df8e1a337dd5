// Producing test traffic to, and reading it back from, the mock broker with plain kafkajs.
import { Kafka, type KafkaMessage, Partitioners } from 'kafkajs';
import { kafkaClientConfig, uniqueName } from './kafka-mock-broker.js';

export interface TestRecord {
  key: string | null;
  value: string;
}

/** Produces in chunks, keyed as agents' runtimes do (key = agent id). */
export async function produceRecords(bootstrapServers: string[], topic: string, records: TestRecord[], chunkSize = 1_000): Promise<void> {
  const kafka = new Kafka(kafkaClientConfig(bootstrapServers, 'test-producer'));
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await producer.connect();
  try {
    for (let start = 0; start < records.length; start += chunkSize) {
      await producer.send({ topic, acks: -1, messages: records.slice(start, start + chunkSize) });
    }
  } finally {
    await producer.disconnect();
  }
}

export function eventRecords(events: { agent: { id: string } }[]): TestRecord[] {
  return events.map((event) => ({ key: event.agent.id, value: JSON.stringify(event) }));
}

/** Reads a topic from the beginning until `count` messages arrived (or the timeout passes). */
export async function readTopic(bootstrapServers: string[], topic: string, count: number, timeoutMs = 30_000): Promise<KafkaMessage[]> {
  const kafka = new Kafka(kafkaClientConfig(bootstrapServers, 'test-reader'));
  const consumer = kafka.consumer({
    groupId: uniqueName('reader'),
    sessionTimeout: 6_000,
    heartbeatInterval: 500,
    rebalanceTimeout: 3_000,
    maxWaitTimeInMs: 100,
  });
  const messages: KafkaMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      void consumer.run({
        eachMessage: async ({ message }) => {
          messages.push(message);
          if (messages.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return messages;
}

/** The offsets a consumer group has committed, per partition (-1 = nothing committed). */
export async function committedOffsets(bootstrapServers: string[], groupId: string, topic: string): Promise<Map<number, number>> {
  const admin = new Kafka(kafkaClientConfig(bootstrapServers, 'test-admin')).admin();
  await admin.connect();
  try {
    const [topicOffsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return new Map((topicOffsets?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
  } finally {
    await admin.disconnect();
  }
}
