import { ArrayMaxSize, IsOptional } from 'class-validator';
import { Arg, Args, Authorized, Directive, Field, ID, InputType, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { UserInputError } from '../errors/domain-errors';
import { ConnectionArgs, decodeCursor, encodeCursor, PageInfo, toConnection } from '../schema/connection';
import { isUuid } from '../schema/ids';
import { createLogger } from '../server/logger';
import type { EventBus, JsonValue, ParkedDelivery } from './event-bus';
import { createEventBus } from './event-bus-factory';

/** Payloads longer than this (as JSON text) are cut for display; the bus keeps the whole event. */
export const PARKED_PAYLOAD_MAX_CHARS = 4000;
/** Most events one requeue names. */
export const MAX_REQUEUE_IDS = 500;

/** Keys whose values never leave the service, wherever they appear in a payload. */
const REDACTED_KEYS = /^(password|passwordHash|secret|token|accessToken|refreshToken|apiKey|authorization|cookie)$/i;

function redact(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, REDACTED_KEYS.test(key) ? '[redacted]' : redact(inner)]));
  return value;
}

/**
 * One delivery a service's event consumer gave up on. The same type in every subgraph (`@shareable`): defined once
 * here, so the shapes can never drift apart; each subgraph resolves it only from its own root field.
 */
@Directive('@shareable')
@ObjectType({ description: 'A domain event a service could not handle and parked for an operator' })
export class ParkedEvent {
  @Field(() => ID, { description: 'The event id (the producer\'s outbox id)' })
  id!: string;

  @Field({ description: 'The consumer that parked it: the service name' })
  consumer!: string;

  @Field({ description: '<service>.<aggregate>.<what happened>' })
  topic!: string;

  @Field({ description: 'The service that published the event' })
  producer!: string;

  @Field({ description: 'When the producer wrote the event' })
  occurredAt!: Date;

  @Field({ description: 'When the consumer gave up on it' })
  parkedAt!: Date;

  @Field(() => Int, { description: 'Attempts made before parking' })
  attempts!: number;

  @Field(() => String, { nullable: true, description: 'The last error the handler raised' })
  lastError!: string | null;

  @Field({ description: `The payload as JSON text, secrets redacted, cut to ${PARKED_PAYLOAD_MAX_CHARS} characters` })
  payload!: string;

  @Field({ description: 'Whether `payload` was cut' })
  payloadTruncated!: boolean;
}

@Directive('@shareable')
@ObjectType()
export class ParkedEventEdge {
  @Field(() => ParkedEvent)
  node!: ParkedEvent;

  @Field()
  cursor!: string;
}

@Directive('@shareable')
@ObjectType({ description: 'Parked events of one service, oldest first' })
export class ParkedEventConnection {
  @Field(() => [ParkedEventEdge])
  edges!: ParkedEventEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int)
  totalCount!: number;
}

@InputType({ description: 'Which parked events to put back in the queue' })
export class RequeueParkedEventsInput {
  @Field(() => [ID], { nullable: true, description: `Event ids (at most ${MAX_REQUEUE_IDS}); leave out to requeue every parked event of the service` })
  @IsOptional()
  @ArrayMaxSize(MAX_REQUEUE_IDS, { message: `Requeue at most ${MAX_REQUEUE_IDS} events at once` })
  ids?: string[] | null;
}

@Directive('@shareable')
@ObjectType()
export class RequeueParkedEventsPayload {
  @Field(() => Int, { description: 'How many parked deliveries went back in the queue (with fresh attempts)' })
  requeued!: number;
}

/** A parked delivery as the API shows it: payload redacted and cut. */
export function toParkedEvent(delivery: ParkedDelivery): ParkedEvent {
  const text = JSON.stringify(redact(delivery.event.payload));
  const truncated = text.length > PARKED_PAYLOAD_MAX_CHARS;
  return {
    id: delivery.event.id,
    consumer: delivery.consumer,
    topic: delivery.event.topic,
    producer: delivery.event.producer,
    occurredAt: delivery.event.occurredAt,
    parkedAt: delivery.parkedAt,
    attempts: delivery.attempts,
    lastError: delivery.lastError,
    payload: truncated ? `${text.slice(0, PARKED_PAYLOAD_MAX_CHARS)}…` : text,
    payloadTruncated: truncated,
  };
}

const CURSOR_SHAPE = ['timestamp', 'uuid'] as const;
const compareParked = (a: ParkedEvent, b: ParkedEvent) => a.parkedAt.getTime() - b.parkedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export type ParkedEventsOptions = {
  /** The subgraph's name, the prefix of its root fields: `documents` → `documentsParkedEvents`, `documentsRequeueParkedEvents`. */
  service: string;
  /** The consumer name on the bus; the service name by default. */
  consumer?: string;
  /** The service's EVENT_BUS_URL; without one the list is empty and nothing is requeued. */
  eventBusUrl: string | null | undefined;
};

/**
 * The operator's view of one service's parked deliveries, as GraphQL (what `events parked` / `events requeue` of
 * the CLI do): `<service>ParkedEvents(first, after)` and `<service>RequeueParkedEvents(input)`, `events:manage`
 * only (ADMIN; never an API key scope).
 *
 * Why one root field per service: a root field defined by several subgraphs is routed to one of them only, so
 * each subgraph names its own; the object types are one `@shareable` definition (this file), identical in every
 * subgraph, so composition accepts them and clients get one type. The bus lists a consumer's parked deliveries
 * in full (they are few — a handful after an incident), so the page is cut here, by a keyset on (parkedAt, id)
 * that stays valid while others are requeued. The bus is opened per call: this is a rare operator action, and
 * no connection is held for it between calls.
 */
export function parkedEventsResolver(options: ParkedEventsOptions) {
  const { service, eventBusUrl } = options;
  const consumer = options.consumer ?? service;
  let bus: EventBus | null = null;
  const withBus = async <T>(empty: T, work: (bus: EventBus) => Promise<T>): Promise<T> => {
    if (!eventBusUrl) return empty;
    bus ??= createEventBus({ url: eventBusUrl, logger: createLogger(`${service}-parked-events`, 'warn') });
    await bus.connect();
    try {
      return await work(bus);
    } finally {
      await bus.close();
    }
  };

  @Resolver()
  class ParkedEventsResolver {
    @Authorized('events:manage')
    @Query(() => ParkedEventConnection, { name: `${service}ParkedEvents`, description: `Domain events the ${service} service could not handle and parked, oldest first (administrators)` })
    async parkedEvents(@Args() { first, after }: ConnectionArgs): Promise<ParkedEventConnection> {
      const position = after ? decodeCursor(after, CURSOR_SHAPE) : null;
      const all = (await withBus([] as ParkedDelivery[], (open) => open.parked(consumer))).map(toParkedEvent).sort(compareParked);
      const rest = position ? all.filter((row) => row.parkedAt.toISOString() > position[0] || (row.parkedAt.toISOString() === position[0] && row.id > position[1])) : all;
      return toConnection(rest.slice(0, first + 1), first, all.length, (row) => encodeCursor([row.parkedAt.toISOString(), row.id]));
    }

    @Authorized('events:manage')
    @Mutation(() => RequeueParkedEventsPayload, { name: `${service}RequeueParkedEvents`, description: `Puts parked events of the ${service} service (all, or the given ones) back in the queue with fresh attempts (administrators)` })
    async requeueParkedEvents(@Arg('input', () => RequeueParkedEventsInput) input: RequeueParkedEventsInput): Promise<RequeueParkedEventsPayload> {
      const ids = input.ids ?? null;
      if (ids) {
        if (ids.length === 0) throw new UserInputError('ids', 'Name at least one event, or leave the list out to requeue all');
        const invalid = ids.find((id) => !isUuid(id));
        if (invalid !== undefined) throw new UserInputError('ids', `Not a valid event id: ${invalid.slice(0, 60)}`);
      }
      const requeued = await withBus(0, (open) => open.requeueParked(consumer, ids ? ids.map((id) => id.toLowerCase()) : undefined));
      return { requeued };
    }
  }
  Object.defineProperty(ParkedEventsResolver, 'name', { value: `${service[0].toUpperCase()}${service.slice(1)}ParkedEventsResolver` });
  return ParkedEventsResolver;
}
