import { createLogger } from '../server/logger';
import { createEventBus } from './event-bus-factory';

/**
 * Operator commands for one consumer's deliveries on the bus: `parked` lists the deliveries it gave up on
 * (with the last error), `requeue [eventId…]` puts them (all, or the given events) back in the queue with
 * fresh attempts — after the cause was fixed, nothing is lost.
 */
export async function runEventBusCli(consumer: string, eventBusUrl: string | null, argv: readonly string[]): Promise<string> {
  if (!eventBusUrl) throw new Error('EVENT_BUS_URL is not configured');
  const bus = createEventBus({ url: eventBusUrl, logger: createLogger(`${consumer}-events-cli`, 'warn') });
  await bus.connect();
  try {
    const [command, ...ids] = argv;
    if (command === 'parked') {
      const parked = await bus.parked(consumer);
      if (!parked.length) return `${consumer}: no parked deliveries`;
      return parked.map((row) => `${row.event.id}  ${row.event.topic}  attempts ${row.attempts}  parked ${row.parkedAt.toISOString()}  ${row.lastError ?? ''}`).join('\n');
    }
    if (command === 'requeue') return `${consumer}: ${await bus.requeueParked(consumer, ids.length ? ids : undefined)} deliveries requeued`;
    throw new Error('usage: events parked | events requeue [eventId…]');
  } finally {
    await bus.close();
  }
}
