import { createLogger, DEMO_USERS, OutboxEvent, PgEventBus, USER_UPSERTED, type BusEvent, type Identity } from '@kartoteka/kit';
import { createTestDatabase, demoIdentity, startTestSubgraph, type TestDatabase, type TestSubgraph } from '@kartoteka/kit/testing';
import { seedIdentity } from '../../../seed/identity.seed';
import { identitySubgraph } from '../../../subgraph';
import { User } from '../user.entity';
import { scaled } from '../../../../../kit/jest.timing';

const admin: Identity = demoIdentity('admin@kartoteka.local');
const CREATE = 'mutation($input: CreateUserInput!) { createUser(input: $input) { id } }';
const UPDATE = 'mutation($input: UpdateUserInput!) { updateUser(input: $input) { id active } }';

let events: TestDatabase;
let subgraph: TestSubgraph;

beforeAll(async () => {
  events = await createTestDatabase('events');
  subgraph = await startTestSubgraph(identitySubgraph({ jwtSecret: 'test-jwt-secret', jwtTtlSeconds: 600, eventBusUrl: events.url }));
  await seedIdentity(subgraph.orm.em.fork(), { demo: true, bootstrapAdmin: null });
});
afterAll(async () => {
  await subgraph?.close();
  await events?.drop();
});

type Payload = { id: string; email: string; name: string; roles: string[]; active: boolean; updatedAt: string };

async function outbox(userId?: string): Promise<OutboxEvent[]> {
  const all = await subgraph.orm.em.fork().find(OutboxEvent, {}, { orderBy: { createdAt: 'asc', id: 'asc' } });
  return userId ? all.filter((event) => event.payload.id === userId) : all;
}

async function eventually<T>(probe: () => Promise<T | null>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + scaled(timeoutMs);
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error('condition not met before the deadline');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('identity.user.upserted', () => {
  it('is written by the demo seed for every demo user, with their fixed ids', async () => {
    const written = await outbox();
    expect(written.map((event) => event.topic)).toEqual(DEMO_USERS.map(() => USER_UPSERTED));
    expect(written.map((event) => event.payload.id)).toEqual(DEMO_USERS.map((user) => user.id));
    const ids = (await subgraph.orm.em.fork().find(User, {})).map((user) => user.id).sort();
    expect(ids).toEqual(DEMO_USERS.map((user) => user.id).sort());
    expect(written[0].payload).toMatchObject({ email: 'admin@kartoteka.local', name: DEMO_USERS[0].name, roles: ['ADMIN'], active: true });
  });

  it('is written in the transaction of createUser and updateUser, carrying the new state and a later version', async () => {
    const input = { email: 'Events.Person@kartoteka.local', name: 'Пётр Событиев', password: 'long-enough-1', roles: ['LAWYER'] };
    const created = await subgraph.request<{ createUser: { id: string } }>(CREATE, { input }, admin);
    const id = created.data!.createUser.id;
    const [first] = await outbox(id);
    expect(first.topic).toBe(USER_UPSERTED);
    expect(first.payload).toEqual({ id, email: 'events.person@kartoteka.local', name: 'Пётр Событиев', roles: ['LAWYER'], active: true, updatedAt: expect.any(String) });

    const updated = await subgraph.request(UPDATE, { input: { id, active: false, name: 'Пётр Событиев-Второй' } }, admin);
    expect(updated.errors).toBeUndefined();
    const [, second] = await outbox(id);
    expect(second.payload).toMatchObject({ id, active: false, name: 'Пётр Событиев-Второй', roles: ['LAWYER'] });
    expect(Date.parse(String(second.payload.updatedAt))).toBeGreaterThan(Date.parse(String(first.payload.updatedAt)));
    const stored = await subgraph.orm.em.fork().findOneOrFail(User, { id });
    expect(stored.updatedAt.toISOString()).toBe(second.payload.updatedAt);
  });

  it('is not written when the change fails', async () => {
    const before = (await outbox()).length;
    const refused = await subgraph.request(UPDATE, { input: { id: DEMO_USERS[0].id, active: false } }, admin);
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'active' });
    const duplicate = await subgraph.request(CREATE, { input: { email: 'admin@kartoteka.local', name: 'Двойник', password: 'long-enough-1', roles: ['VIEWER'] } }, admin);
    expect(duplicate.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'email' });
    expect(await outbox()).toHaveLength(before);
  });

  it('reaches the event bus through the outbox relay, each event once', async () => {
    const outboxIds = (await outbox()).map((event) => event.id);
    const bus = new PgEventBus({ url: events.url, logger: createLogger('identity-spec', 'silent') });
    await bus.connect();
    try {
      // A subscriber that comes later gets every earlier event too (backfill), then the rest as they arrive.
      await bus.ensureSubscription('identity-spec', [USER_UPSERTED]);
      const received: BusEvent[] = [];
      await eventually(async () => {
        await bus.process('identity-spec', 100, async (delivery) => {
          received.push(delivery.event);
          return { kind: 'ack' };
        });
        return received.length >= outboxIds.length ? received : null;
      });
      expect(received.map((event) => event.id).sort()).toEqual([...outboxIds].sort());
      expect(received.every((event) => event.producer === 'identity' && event.topic === USER_UPSERTED)).toBe(true);
      expect(await bus.process('identity-spec', 100, async () => ({ kind: 'ack' }))).toBe(0);
    } finally {
      await bus.close();
    }
    expect(await subgraph.orm.em.fork().count(OutboxEvent, { publishedAt: null })).toBe(0);
  });

  it('announces users that existed before events, once', async () => {
    await subgraph.orm.em.fork().nativeDelete(OutboxEvent, {});
    const users = await subgraph.orm.em.fork().count(User, {});
    expect(await seedIdentity(subgraph.orm.em.fork(), { demo: true, bootstrapAdmin: null })).toBe(`identity: users exist, nothing seeded; ${users} users announced to the other services`);
    expect(await outbox()).toHaveLength(users);
    expect(await seedIdentity(subgraph.orm.em.fork(), { demo: true, bootstrapAdmin: null })).toBe('identity: users exist, nothing seeded');
    expect(await outbox()).toHaveLength(users);
  });
});
