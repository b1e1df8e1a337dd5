// Size limits an event must respect to be accepted; defaults are documented in README "Event limits".
export interface EventLimits {
  /** Largest raw event (one Kafka message value or one NDJSON line), in bytes. */
  maxEventBytes: number;
  /** Longest string field, in UTF-16 code units. */
  maxStringLength: number;
  /** Most items in a list field (scopes, declared actions). */
  maxArrayLength: number;
  /** How far an event's time may lie ahead of the receiving clock before it is refused. */
  maxFutureSkewMs: number;
}

export const DEFAULT_EVENT_LIMITS: EventLimits = {
  maxEventBytes: 64 * 1024,
  maxStringLength: 2048,
  maxArrayLength: 256,
  maxFutureSkewMs: 5 * 60 * 1000,
};
