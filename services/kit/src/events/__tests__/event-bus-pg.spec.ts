import { createTestDatabase } from '../../testing/test-database';
import { describeEventBusContract } from '../__contract__/event-bus.contract';
import { PgEventBus } from '../pg-event-bus';

describeEventBusContract('PostgreSQL', {
  start: async (logger) => {
    const database = await createTestDatabase('bus_pg');
    return { bus: () => new PgEventBus({ url: database.url, logger }), cleanup: () => database.drop() };
  },
});
