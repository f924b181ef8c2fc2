import pg from 'pg';
import * as kit from '@kartoteka/kit';
import type { EventContract, EventPayload } from '@kartoteka/kit';
import type { Stack } from './stack';

const isContract = (value: unknown): value is EventContract<unknown> =>
  typeof value === 'object' && value !== null && 'topics' in value && 'parse' in value && 'schema' in value;

/** Every kit contract by topic. */
const contractsByTopic = (): Map<string, EventContract<unknown>> => {
  const byTopic = new Map<string, EventContract<unknown>>();
  for (const value of Object.values(kit) as unknown[]) if (isContract(value)) for (const topic of value.topics) byTopic.set(topic, value);
  return byTopic;
};

export type EventContractReport = {
  /** `producer → topic → consumer` for every event published and every consumer subscribed to its topic. */
  pairs: string[];
  /** Events whose payload the consumers' contract refuses, topics published or subscribed without a contract. */
  violations: string[];
};

/**
 * The contract test of every producer/consumer pair a scenario exercised (issue #13): each event the services really
 * published on the stack's bus is parsed with the kit contract its consumers parse it with, and every topic a consumer
 * subscribes to has a contract. Call it at the end of a cross-service scenario.
 */
export async function checkPublishedEvents(stack: Stack): Promise<EventContractReport> {
  const client = new pg.Client({ connectionString: stack.eventBusUrl });
  await client.connect();
  try {
    const events = (await client.query<{ topic: string; producer: string; payload: unknown }>('select topic, producer, payload from bus_events order by seq')).rows;
    const subscriptions = (await client.query<{ consumer: string; topic: string }>('select consumer, topic from bus_subscriptions')).rows;
    const contracts = contractsByTopic();
    const violations: string[] = [];
    const pairs = new Set<string>();
    for (const event of events) {
      const contract = contracts.get(event.topic);
      if (!contract) {
        violations.push(`${event.producer} published ${event.topic}, which has no contract`);
        continue;
      }
      const parsed = contract.parse({ payload: event.payload as EventPayload });
      if (!parsed.ok) violations.push(`${event.producer} → ${event.topic}: ${parsed.error}`);
      for (const subscription of subscriptions.filter((candidate) => candidate.topic === event.topic)) pairs.add(`${event.producer} → ${event.topic} → ${subscription.consumer}`);
    }
    for (const subscription of subscriptions) {
      if (!contracts.has(subscription.topic)) violations.push(`${subscription.consumer} subscribes to ${subscription.topic}, which has no contract`);
    }
    return { pairs: [...pairs].sort(), violations };
  } finally {
    await client.end();
  }
}
