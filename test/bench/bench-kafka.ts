// The benchmark's own Kafka clients: checking what the mock broker kept of a topic, the bare
// consumer that sets the ceiling Warden is compared with, and a producer that offers a fixed load.
import { Kafka, Partitioners } from 'kafkajs';
import { kafkaClientConfig, uniqueName } from '../support/kafka-mock-broker.js';
import type { BenchRecord } from './bench-fleet.js';

/** Earliest and next offsets of every partition: the mock silently drops the oldest past ~5 MB. */
export async function topicExtent(bootstrapServers: string[], topic: string): Promise<{ partitions: number; kept: number; dropped: number }> {
  const admin = new Kafka(kafkaClientConfig(bootstrapServers, 'bench-admin')).admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    let kept = 0;
    let dropped = 0;
    for (const { low, high } of offsets) {
      kept += Number(high) - Number(low);
      dropped += Number(low);
    }
    return { partitions: offsets.length, kept, dropped };
  } finally {
    await admin.disconnect();
  }
}

export interface BareConsumerResult {
  events: number;
  seconds: number;
  eventsPerSecond: number;
  /** CPU of this process (all its threads) per event over the same span: what reading alone costs. */
  cpuMicrosPerEvent: number;
}

/**
 * A plain consumer group (fresh id) that only JSON-parses each message, reading the topic from
 * the start until `expected` messages arrived. The clock (and the CPU count) runs from the first
 * batch handed to eachBatch to the last message, so group join time is not counted (as for Warden).
 */
export async function bareConsumerThroughput(
  bootstrapServers: string[],
  topic: string,
  expected: number,
  options: { partitionsConsumedConcurrently: number; timeoutMs: number },
): Promise<BareConsumerResult> {
  const kafka = new Kafka(kafkaClientConfig(bootstrapServers, 'bench-bare-consumer'));
  const consumer = kafka.consumer({ groupId: uniqueName('bench-bare'), sessionTimeout: 6_000, heartbeatInterval: 600, maxWaitTimeInMs: 250 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let events = 0;
    let parsedFields = 0;
    let firstBatchAt = 0;
    let lastEventAt = 0;
    let cpuAtFirstBatch: NodeJS.CpuUsage | undefined;
    let cpuSpent: NodeJS.CpuUsage | undefined;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`bare consumer read ${events} of ${expected} events in ${options.timeoutMs} ms`)), options.timeoutMs);
      consumer
        .run({
          partitionsConsumedConcurrently: options.partitionsConsumedConcurrently,
          eachBatch: async ({ batch }) => {
            if (firstBatchAt === 0) {
              firstBatchAt = performance.now();
              cpuAtFirstBatch = process.cpuUsage();
            }
            for (const message of batch.messages) {
              const parsed = JSON.parse(message.value?.toString('utf8') ?? 'null') as Record<string, unknown> | null;
              if (parsed !== null) parsedFields += 1;
            }
            events += batch.messages.length;
            if (events >= expected && lastEventAt === 0) {
              lastEventAt = performance.now();
              cpuSpent = process.cpuUsage(cpuAtFirstBatch);
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
    if (parsedFields !== events) throw new Error(`bare consumer: ${events - parsedFields} messages were not JSON objects`);
    const seconds = (lastEventAt - firstBatchAt) / 1000;
    const cpuMicros = cpuSpent ? cpuSpent.user + cpuSpent.system : Number.NaN;
    return { events, seconds, eventsPerSecond: events / seconds, cpuMicrosPerEvent: cpuMicros / events };
  } finally {
    await consumer.disconnect();
  }
}

export interface OfferedLoadResult {
  sent: number;
  seconds: number;
  eventsPerSecond: number;
  /** Longest a send took to be acknowledged (acks=-1): a slow broker would distort the load. */
  slowestSendMs: number;
}

/**
 * Produces `ratePerSecond` events for `durationMs` in small sends on a timer, each tick catching up
 * to where the schedule says it should be. `nextRecord(n, timeMs)` builds record n when it is due,
 * so its event time is its send time.
 */
export async function offerFixedLoad(
  bootstrapServers: string[],
  topic: string,
  options: { ratePerSecond: number; durationMs: number; tickMs: number },
  nextRecord: (n: number, timeMs: number) => BenchRecord,
): Promise<OfferedLoadResult> {
  const kafka = new Kafka(kafkaClientConfig(bootstrapServers, 'bench-load-producer'));
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await producer.connect();
  const total = Math.round((options.ratePerSecond * options.durationMs) / 1000);
  const inFlight = new Set<Promise<void>>();
  let sent = 0;
  let slowestSendMs = 0;
  let failure: unknown;
  const startedAt = performance.now();
  try {
    while (sent < total && failure === undefined) {
      const elapsedMs = performance.now() - startedAt;
      const due = Math.min(total, Math.floor((elapsedMs * options.ratePerSecond) / 1000));
      if (due > sent) {
        const nowMs = Date.now();
        const messages: BenchRecord[] = [];
        for (; sent < due; sent += 1) messages.push(nextRecord(sent, nowMs));
        const sendStarted = performance.now();
        const send: Promise<void> = producer
          .send({ topic, acks: -1, messages })
          .then(() => {
            slowestSendMs = Math.max(slowestSendMs, performance.now() - sendStarted);
          })
          .catch((error: unknown) => {
            failure ??= error;
          })
          .finally(() => inFlight.delete(send));
        inFlight.add(send);
      }
      await new Promise((resolve) => setTimeout(resolve, options.tickMs));
    }
    await Promise.all(inFlight);
    if (failure !== undefined) throw failure;
    const seconds = (performance.now() - startedAt) / 1000;
    return { sent, seconds, eventsPerSecond: sent / seconds, slowestSendMs };
  } finally {
    await producer.disconnect();
  }
}

/** The partition kafkajs' default producer sends `key` to, for a topic of `partitions`. */
export function partitionOfKey(key: string, partitions: number): number {
  const partitioner = Partitioners.DefaultPartitioner();
  const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({
    partitionId,
    leader: 1,
    replicas: [1],
    isr: [1],
    partitionErrorCode: 0,
  }));
  return partitioner({ topic: 'any', partitionMetadata, message: { key, value: null } });
}
