// Kafka sink: produces each event keyed by its agent id (ARCHITECTURE §1), in order. Sends are
// sequential: concurrent requests to one partition could reorder an agent's events.
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import { WardenError } from '../../errors.js';
import type { SimulatedEvent } from '../event-builder.js';
import type { EventSink } from './sink.js';

const MESSAGES_PER_SEND = 2_000;

export async function openKafkaSink(options: { brokers: string[]; topic: string }): Promise<EventSink> {
  const kafka = new Kafka({ clientId: 'warden-simulate', brokers: options.brokers, logLevel: logLevel.NOTHING, retry: { retries: 8, initialRetryTime: 100 } });
  // Not idempotent: Kafka mocks without a controller id refuse it, and order holds with sequential sends.
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  try {
    await producer.connect();
  } catch (error) {
    throw new WardenError('KAFKA_UNAVAILABLE', `cannot connect to Kafka at ${options.brokers.join(',')}`, { cause: error });
  }
  let produced = 0;
  return {
    name: 'kafka',
    async write(events: readonly SimulatedEvent[]) {
      for (let offset = 0; offset < events.length; offset += MESSAGES_PER_SEND) {
        const messages = events.slice(offset, offset + MESSAGES_PER_SEND).map((event) => ({ key: event.agentId, value: event.line }));
        try {
          await producer.send({ topic: options.topic, acks: -1, messages });
        } catch (error) {
          await producer.disconnect().catch(() => undefined);
          throw new WardenError('KAFKA_UNAVAILABLE', `producing to ${options.topic} failed after ${produced} events`, { cause: error });
        }
        produced += messages.length;
      }
    },
    async close() {
      await producer.disconnect();
      return { topic: options.topic, produced };
    },
  };
}
