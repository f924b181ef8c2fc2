/** A JSON value as events carry it between services. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** The body of a domain event: a JSON object, the contract between the producer and its consumers. */
export type EventPayload = { [key: string]: JsonValue };

/** A domain event on the bus. `id` is the outbox id: publishing the same id twice is a no-op. */
export type BusEvent = {
  id: string;
  /** `<service>.<aggregate>.<what happened>`, e.g. `identity.user.upserted`. */
  topic: string;
  /** The service that wrote the event to its outbox. */
  producer: string;
  payload: EventPayload;
  /** When the producer's transaction wrote the event. */
  occurredAt: Date;
};

/** One event handed to one consumer; `attempt` is 1 for the first try. */
export type BusDelivery = { consumer: string; attempt: number; event: BusEvent };

/** What became of a delivery: done, try again later, or give up and keep it aside for an operator. */
export type DeliveryOutcome = { kind: 'ack' } | { kind: 'retry'; delayMs: number; error: string } | { kind: 'park'; error: string };

/** A delivery a consumer gave up on, kept for inspection. */
export type ParkedDelivery = { consumer: string; attempts: number; lastError: string | null; parkedAt: Date; event: BusEvent };

/**
 * Delivery of domain events between services. Every subscribed consumer gets each event of its topics at least
 * once (consumers make that exactly-once with their inbox). The default is {@link PgEventBus}, a queue in a
 * PostgreSQL database of its own; in production {@link NatsEventBus} carries it on NATS JetStream with durable
 * consumers. {@link createEventBus} picks one by `EVENT_BUS_URL`; both pass one contract suite.
 */
export type EventBus = {
  /** Opens the bus for one user; pair every successful `connect` with one `close`. */
  connect: () => Promise<void>;
  close: () => Promise<void>;
  /** Stores events and queues a delivery per subscribed consumer; events whose id is already stored are skipped. Returns how many were new. */
  publish: (events: readonly BusEvent[]) => Promise<number>;
  /** Subscribes `consumer` to `topics`; a topic new to the consumer is backfilled with every event already stored. */
  ensureSubscription: (consumer: string, topics: readonly string[]) => Promise<void>;
  /**
   * Claims up to `limit` ready deliveries of `consumer` (several instances of one consumer never get the same
   * delivery at once) and settles each with what `handle` returns. Returns how many deliveries were claimed.
   */
  process: (consumer: string, limit: number, handle: (delivery: BusDelivery) => Promise<DeliveryOutcome>) => Promise<number>;
  /** Calls `listener` when deliveries for `consumer` may have become ready; returns the unsubscribe function. */
  onReady: (consumer: string, listener: () => void) => () => void;
  /**
   * Stored events of `topics` after position `afterSeq` ('0' for the start), in publication order, at most
   * `limit`: the history a read model is rebuilt from (see {@link replayHistory}). Returns each with its position.
   */
  history: (topics: readonly string[], afterSeq: string, limit: number) => Promise<{ seq: string; event: BusEvent }[]>;
  /** Deliveries `consumer` gave up on, oldest first. */
  parked: (consumer: string) => Promise<ParkedDelivery[]>;
  /** Puts parked deliveries of `consumer` (all, or those of `eventIds`) back in the queue, with fresh attempts; returns how many. */
  requeueParked: (consumer: string, eventIds?: readonly string[]) => Promise<number>;
};

const TOPIC = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;

/** Topics are lower-case dotted names: `<service>.<aggregate>.<what happened>`. */
export function assertTopic(topic: string): void {
  if (!TOPIC.test(topic)) throw new Error(`Invalid event topic "${topic}": use <service>.<aggregate>.<event>, lower case`);
}
