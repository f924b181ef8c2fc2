import { randomUUID } from 'node:crypto';
import { COUNTERPARTY_ARCHIVED, COUNTERPARTY_CREATED, COUNTERPARTY_RESTORED, createLogger, EventConsumer, PgEventBus, runServiceEventsCli, USER_UPSERTED, type BusEvent, type CounterpartyUpserted, type UserUpserted } from '@kartoteka/kit';
import { createTestDatabase, demoIdentity, startTestSubgraph, type TestDatabase, type TestSubgraph } from '@kartoteka/kit/testing';
import { defaultDealsSettings } from '../../../config';
import { dealsEventHandlers, dealsSubgraph } from '../../../subgraph';
import { DEALS_READ_MODELS, DEALS_REFERENCE_CHECKS } from '../counterparty-ref.readmodel';

const manager = demoIdentity('manager@kartoteka.local');
const logger = createLogger('deals-refs-spec', 'silent');

let subgraph: TestSubgraph;
let events: TestDatabase;
let bus: PgEventBus;

beforeAll(async () => {
  subgraph = await startTestSubgraph(dealsSubgraph(defaultDealsSettings(), { workers: false }));
  events = await createTestDatabase('events');
  bus = new PgEventBus({ url: events.url, logger });
  await bus.connect();
});
afterAll(async () => {
  await bus?.close();
  await subgraph?.close();
  await events?.drop();
});

async function drain(): Promise<void> {
  const worker = new EventConsumer({ consumer: 'deals', orm: subgraph.orm, bus, logger, handlers: dealsEventHandlers() });
  try {
    while ((await worker.processBatch()) > 0);
  } finally {
    await worker.stop();
  }
}

let serial = 0;
const at = (offsetMs = 0) => new Date(Date.UTC(2026, 11, 1) + offsetMs).toISOString();
function counterparty(overrides: Partial<CounterpartyUpserted> = {}): CounterpartyUpserted {
  serial += 1;
  return { id: randomUUID(), name: `ООО «Сделка ${serial}»`, shortName: `Сделка ${serial}`, inn: `78${String(serial).padStart(8, '0')}`, kpp: null, status: 'PROSPECT', updatedAt: at(), ...overrides };
}
function user(overrides: Partial<UserUpserted> = {}): UserUpserted {
  serial += 1;
  return { id: randomUUID(), email: `user${serial}@kartoteka.local`, name: `Сотрудник ${serial}`, roles: ['SALES'], active: true, updatedAt: at(), ...overrides };
}
const event = (topic: string, payload: BusEvent['payload'], producer: string): BusEvent => ({ id: randomUUID(), topic, producer, payload, occurredAt: new Date() });
const dealCount = async () => Number((await subgraph.orm.em.getConnection().execute<{ n: string }[]>('select count(*) as n from deals'))[0].n);
const CREATE = 'mutation($input: CreateDealInput!) { createDeal(input: $input) { id version owner { id } } }';
const UPDATE = 'mutation($input: UpdateDealInput!) { updateDeal(input: $input) { id version owner { id } } }';
const options = () => ({ service: 'deals', definition: dealsSubgraph(defaultDealsSettings(), { workers: false }), databaseUrl: subgraph.database.url, eventBusUrl: events.url, rebuild: DEALS_READ_MODELS, references: DEALS_REFERENCE_CHECKS });

function ok<T>(response: { data?: T | null; errors?: unknown[] }): T {
  if (response.errors?.length || !response.data) throw new Error(JSON.stringify(response.errors));
  return response.data;
}

const active = counterparty();
const archived = counterparty();
const owner = user();
const leaver = user();

beforeAll(async () => {
  await bus.publish([
    event(COUNTERPARTY_CREATED, active, 'counterparties'),
    event(COUNTERPARTY_CREATED, archived, 'counterparties'),
    event(COUNTERPARTY_ARCHIVED, { ...archived, status: 'ARCHIVED', updatedAt: at(1000) }, 'counterparties'),
    event(USER_UPSERTED, owner, 'identity'),
    event(USER_UPSERTED, leaver, 'identity'),
    // a malformed user event is parked, the others still apply
    event(USER_UPSERTED, { ...user(), roles: 'ADMIN' }, 'identity'),
  ]);
  await drain();
});

describe('references of a deal checked against the read models', () => {
  it('refuses an unknown or archived counterparty on counterpartyId, and writes nothing', async () => {
    const before = await dealCount();
    for (const counterpartyId of [randomUUID(), archived.id]) {
      const result = await subgraph.request(CREATE, { input: { title: 'Поставка', counterpartyId } }, manager);
      expect(result.data).toBeNull();
      expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'counterpartyId' });
    }
    expect(await dealCount()).toBe(before);
    // restored: usable again
    await bus.publish([event(COUNTERPARTY_RESTORED, { ...archived, updatedAt: at(2000) }, 'counterparties')]);
    await drain();
    ok(await subgraph.request(CREATE, { input: { title: 'Поставка', counterpartyId: archived.id, ownerId: owner.id } }, manager));
    expect(await dealCount()).toBe(before + 1);
  });

  it('refuses an unknown or deactivated owner on create and on update', async () => {
    const before = await dealCount();
    const unknown = await subgraph.request(CREATE, { input: { title: 'Поставка', counterpartyId: active.id, ownerId: randomUUID() } }, manager);
    expect(unknown.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'ownerId' });
    await bus.publish([event(USER_UPSERTED, { ...leaver, active: false, updatedAt: at(5000) }, 'identity')]);
    await drain();
    const gone = await subgraph.request(CREATE, { input: { title: 'Поставка', counterpartyId: active.id, ownerId: leaver.id } }, manager);
    expect(gone.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'ownerId' }, message: expect.stringMatching(/deactivated/) });
    expect(await dealCount()).toBe(before);

    const { createDeal } = ok(await subgraph.request<{ createDeal: { id: string; version: number } }>(CREATE, { input: { title: 'Поставка', counterpartyId: active.id, ownerId: owner.id } }, manager));
    const repointed = await subgraph.request(UPDATE, { input: { id: createDeal.id, version: createDeal.version, ownerId: leaver.id } }, manager);
    expect(repointed.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'ownerId' });
    const kept = ok(await subgraph.request<{ updateDeal: { version: number; owner: { id: string } } }>(UPDATE, { input: { id: createDeal.id, version: createDeal.version, ownerId: owner.id, title: 'Поставка (2)' } }, manager));
    expect(kept.updateDeal).toMatchObject({ version: createDeal.version + 1, owner: { id: owner.id } });
  });
});

describe('the `events` commands', () => {
  it('rebuild-counterparties and rebuild-users rebuild the read models from the bus history', async () => {
    const connection = subgraph.orm.em.getConnection();
    await connection.execute('delete from counterparty_refs');
    await connection.execute('delete from user_refs');
    expect(await runServiceEventsCli(options(), ['rebuild-counterparties'])).toBe('deals: rebuild-counterparties: 4 events applied');
    expect(await runServiceEventsCli(options(), ['rebuild-users'])).toBe('deals: rebuild-users: 3 events applied, 1 malformed skipped');
    const refs = await connection.execute<{ id: string; status: string }[]>('select id, status from counterparty_refs');
    // the archived one was restored later: the newest state wins
    expect(refs).toEqual(expect.arrayContaining([{ id: active.id, status: 'PROSPECT' }, { id: archived.id, status: 'PROSPECT' }]));
    expect(refs).toHaveLength(2);
    const users = await connection.execute<{ id: string; active: boolean }[]>('select id, active from user_refs');
    expect(users).toEqual(expect.arrayContaining([{ id: owner.id, active: true }, { id: leaver.id, active: false }]));
    expect(users).toHaveLength(2);
  });

  it('check-references lists deals whose counterparty or owner the service does not know', async () => {
    expect(await runServiceEventsCli(options(), ['check-references'])).toBe('deals: every reference resolves');
    const ghost = randomUUID();
    const connection = subgraph.orm.em.getConnection();
    const [deal] = await connection.execute<{ id: string }[]>('select id from deals order by created_at limit 1');
    await connection.execute('update deals set counterparty_id = ? where id = ?', [ghost, deal.id]);
    expect((await runServiceEventsCli(options(), ['check-references'])).split('\n')).toEqual(['deals: 1 reference(s) point nowhere', `deals.counterparty_id  row ${deal.id}  → ${ghost} (unknown)`]);
  });
});
