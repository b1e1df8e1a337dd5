// Proves the mock-cluster fixture is a Kafka broker kafkajs can rely on: keyed
// produce, consumer groups with manual commits, and recovery after a broker outage.
import { Kafka, Partitioners, type Consumer, type Producer } from 'kafkajs';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { kafkaClientConfig, startMockBroker, uniqueName, type MockBroker } from '../support/kafka-mock-broker.js';

interface ConsumedMessage {
  partition: number;
  key: string;
  value: string;
}

async function brokerForThisTest(opts: Parameters<typeof startMockBroker>[0]): Promise<MockBroker> {
  const broker = await startMockBroker(opts);
  onTestFinished(() => broker.stop());
  return broker;
}

async function connectedProducer(kafka: Kafka): Promise<Producer> {
  // Explicit partitioner: the same murmur2 key hashing Java clients use, and no v2 warning.
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  onTestFinished(() => producer.disconnect());
  return producer;
}

/**
 * A consumer that commits like Warden's Kafka source: eachBatch, no auto-resolve, no
 * auto-commit, and a commit of the batch's next offset only after its messages are handled.
 * It records a message as consumed only once its commit succeeded.
 */
async function committingConsumer(kafka: Kafka, groupId: string, topic: string, consumed: ConsumedMessage[]): Promise<Consumer> {
  const consumer = kafka.consumer({
    groupId,
    // The mock's coordinator holds a group's first join 3 s, so a session must outlive
    // that (at 2 s the JoinGroup never answers); a later join waits sessionTimeout - 1 s.
    sessionTimeout: 6_000,
    heartbeatInterval: 500,
    rebalanceTimeout: 3_000,
    maxWaitTimeInMs: 100,
  });
  onTestFinished(() => consumer.disconnect());
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  // The join event fires inside run(), so listen first. run() also resolves when the
  // first join fails (that only shows as a CRASH event), hence the explicit wait.
  const joined = joinedGroup(consumer);
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
      const handled: ConsumedMessage[] = [];
      for (const message of batch.messages) {
        handled.push({ partition: batch.partition, key: String(message.key), value: String(message.value) });
        resolveOffset(message.offset);
      }
      if (handled.length === 0) return;
      const nextOffset = (BigInt(batch.lastOffset()) + 1n).toString();
      await consumer.commitOffsets([{ topic, partition: batch.partition, offset: nextOffset }]);
      consumed.push(...handled);
      await heartbeat();
    },
  });
  await joined;
  return consumer;
}

function joinedGroup(consumer: Consumer): Promise<void> {
  return new Promise((resolve) => {
    const removeListener = consumer.on(consumer.events.GROUP_JOIN, () => {
      removeListener();
      resolve();
    });
  });
}

describe('kafka mock broker fixture', () => {
  it('delivers 1000 keyed messages to a consumer group once, keeping each key on one partition, and a new member resumes from committed offsets', async () => {
    const broker = await brokerForThisTest({});
    const topic = uniqueName('audit');
    const partitions = 4;
    await broker.createTopic(topic, partitions);
    const kafka = new Kafka(kafkaClientConfig(broker.bootstrapServers));
    const producer = await connectedProducer(kafka);

    const messageCount = 1_000;
    const messages = Array.from({ length: messageCount }, (_, seq) => ({
      key: `agent-${seq % 50}`,
      value: JSON.stringify({ seq }),
    }));
    for (let start = 0; start < messageCount; start += 250) {
      await producer.send({ topic, messages: messages.slice(start, start + 250) });
    }

    const groupId = uniqueName('group');
    const firstRun: ConsumedMessage[] = [];
    const firstConsumer = await committingConsumer(kafka, groupId, topic, firstRun);
    await vi.waitFor(() => expect(firstRun.length).toBeGreaterThanOrEqual(messageCount), {
      timeout: 20_000,
      interval: 50,
    });
    await firstConsumer.disconnect();

    const seqs = firstRun.map((message) => (JSON.parse(message.value) as { seq: number }).seq);
    expect(new Set(seqs).size).toBe(messageCount);
    expect(seqs).toHaveLength(messageCount);
    const partitionsOfKey = new Map<string, Set<number>>();
    for (const message of firstRun) {
      const seen = partitionsOfKey.get(message.key) ?? new Set<number>();
      partitionsOfKey.set(message.key, seen.add(message.partition));
    }
    expect([...partitionsOfKey.values()].every((seen) => seen.size === 1)).toBe(true);
    expect(new Set(firstRun.map((message) => message.partition)).size).toBe(partitions);

    // One marker per partition: partitions are ordered, so a member that re-read from
    // the start instead of the committed offset would meet old messages first.
    const secondRun: ConsumedMessage[] = [];
    await committingConsumer(kafka, groupId, topic, secondRun);
    await producer.send({
      topic,
      messages: Array.from({ length: partitions }, (_, partition) => ({
        partition,
        key: 'marker',
        value: `marker-${partition}`,
      })),
    });
    await vi.waitFor(() => expect(secondRun.length).toBeGreaterThanOrEqual(partitions), {
      timeout: 20_000,
      interval: 50,
    });
    expect(secondRun.map((message) => message.value).sort()).toEqual(Array.from({ length: partitions }, (_, partition) => `marker-${partition}`));
  });

  it('lets a retrying producer finish a send started while the broker was down, once it is back up', async () => {
    const topic = uniqueName('audit');
    const broker = await brokerForThisTest({ brokers: 1, topics: [{ name: topic, partitions: 1 }] });
    const kafka = new Kafka(kafkaClientConfig(broker.bootstrapServers));
    const producer = await connectedProducer(kafka);

    await producer.send({ topic, messages: [{ key: 'agent-1', value: 'before-outage' }] });
    await broker.brokerDown(1);
    const sendDuringOutage = producer.send({ topic, messages: [{ key: 'agent-1', value: 'during-outage' }] });
    let settled = false;
    void sendDuringOutage.then(
      () => (settled = true),
      () => (settled = true),
    );
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(settled).toBe(false);
    await broker.brokerUp(1);
    await sendDuringOutage;
    await producer.send({ topic, messages: [{ key: 'agent-1', value: 'after-outage' }] });

    const consumed: ConsumedMessage[] = [];
    await committingConsumer(kafka, uniqueName('group'), topic, consumed);
    await vi.waitFor(() => expect(consumed.length).toBeGreaterThanOrEqual(3), { timeout: 20_000, interval: 50 });
    expect(consumed.map((message) => message.value)).toEqual(['before-outage', 'during-outage', 'after-outage']);
  });
});
