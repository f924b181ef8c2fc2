import { Migrator } from '@mikro-orm/migrations';
import { MikroORM } from '@mikro-orm/postgresql';
import { COUNTERPARTY_ARCHIVED, COUNTERPARTY_CHANGED, COUNTERPARTY_CREATED, COUNTERPARTY_REPUBLISHED, COUNTERPARTY_RESTORED, counterpartyUpsertedContract, createLogger, createOrmOptions, OutboxEvent, OutboxRelay, PgEventBus, type BusEvent, type EventPayload } from '@kartoteka/kit';
import { makeInn10, makeOgrn } from '@kartoteka/kit/requisites';
import { createTestDatabase, demoIdentity, seedDemoUserRefs, startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { seedCounterparties } from '../../../seed/counterparties.seed';
import { demoCompanies } from '../../../seed/demo-companies';
import { counterpartiesSubgraph } from '../../../subgraph';
import { republishCounterparties } from '../counterparty.events';

const manager = demoIdentity('manager@kartoteka.local');
let subgraph: TestSubgraph;

beforeAll(async () => {
  subgraph = await startTestSubgraph(counterpartiesSubgraph());
  await seedDemoUserRefs(subgraph.orm.em);
});
afterAll(() => subgraph?.close());

let sequence = 0;
function input(): Record<string, unknown> {
  sequence += 1;
  const serial = `${String(sequence).padStart(3, '0')}${String(Date.now() % 1e4).padStart(4, '0')}`;
  return { name: `ООО «События ${sequence}»`, shortName: `События ${sequence}`, kind: 'LEGAL_ENTITY', status: 'CLIENT', inn: makeInn10(`78${serial}`), kpp: '780101001', ogrn: makeOgrn(`10278${serial}`.slice(0, 12)) };
}

async function gql<T>(query: string, variables: Record<string, unknown>): Promise<T> {
  const result = await subgraph.request<T>(query, variables, manager);
  if (result.errors?.length || !result.data) throw new Error(JSON.stringify(result.errors));
  return result.data;
}

async function eventsOf(id: string): Promise<OutboxEvent[]> {
  const all = await subgraph.orm.em.fork().find(OutboxEvent, {}, { orderBy: { createdAt: 'asc' } });
  return all.filter((event) => event.payload.id === id);
}

describe('lifecycle events through the outbox', () => {
  it('publishes created, changed, archived and restored with the whole current state (contacts and tags included), and nothing for other edits', async () => {
    const { createCounterparty: created } = await gql<{ createCounterparty: { id: string; version: number } }>(
      'mutation($input: CreateCounterpartyInput!) { createCounterparty(input: $input) { id version } }',
      { input: input() },
    );
    const { updateCounterparty: renamed } = await gql<{ updateCounterparty: { version: number } }>(
      'mutation($input: UpdateCounterpartyInput!) { updateCounterparty(input: $input) { version } }',
      { input: { id: created.id, version: created.version, name: 'ООО «Новое имя»' } },
    );
    // a contact is news for mailings (its e-mail and mailing consent travel with the state)
    const { updateCounterparty: withContact } = await gql<{ updateCounterparty: { version: number; contacts: { mailingConsent: boolean; mailingConsentAt: string | null }[] } }>(
      'mutation($input: UpdateCounterpartyInput!) { updateCounterparty(input: $input) { version contacts { mailingConsent mailingConsentAt } } }',
      { input: { id: created.id, version: renamed.version, contacts: [{ name: 'Иван', email: 'Ivan@Example.com', mailingConsent: true }] } },
    );
    expect(withContact.version).toBe(renamed.version + 1);
    expect(withContact.contacts[0]).toMatchObject({ mailingConsent: true, mailingConsentAt: expect.any(String) });
    // the legal address is news for documents (generated documents show it)
    const { updateCounterparty: registered } = await gql<{ updateCounterparty: { version: number } }>(
      'mutation($input: UpdateCounterpartyInput!) { updateCounterparty(input: $input) { version } }',
      { input: { id: created.id, version: withContact.version, legalAddress: '190000, Санкт-Петербург, Невский пр., д. 1' } },
    );
    // a change other services do not keep (the postal address) is no news
    const { updateCounterparty: moved } = await gql<{ updateCounterparty: { version: number } }>(
      'mutation($input: UpdateCounterpartyInput!) { updateCounterparty(input: $input) { version } }',
      { input: { id: created.id, version: registered.version, postalAddress: 'Москва, ул. Новая, 1' } },
    );
    expect(moved.version).toBe(registered.version + 1);
    await gql('mutation($id: ID!) { archiveCounterparty(id: $id) { id } }', { id: created.id });
    await gql('mutation($id: ID!) { restoreCounterparty(id: $id) { id } }', { id: created.id });

    const events = await eventsOf(created.id);
    expect(events.map((event) => event.topic)).toEqual([COUNTERPARTY_CREATED, COUNTERPARTY_CHANGED, COUNTERPARTY_CHANGED, COUNTERPARTY_CHANGED, COUNTERPARTY_ARCHIVED, COUNTERPARTY_RESTORED]);
    const states = events.map((event) => {
      const parsed = counterpartyUpsertedContract.parse(event);
      if (!parsed.ok) throw new Error(parsed.error);
      return parsed.value;
    });
    expect(states.map((state) => [state.name, state.status])).toEqual([
      [expect.stringContaining('События'), 'CLIENT'],
      ['ООО «Новое имя»', 'CLIENT'],
      ['ООО «Новое имя»', 'CLIENT'],
      ['ООО «Новое имя»', 'CLIENT'],
      ['ООО «Новое имя»', 'ARCHIVED'],
      ['ООО «Новое имя»', 'CLIENT'],
    ]);
    expect(states[0]).toMatchObject({ id: created.id, kpp: '780101001', shortName: expect.stringContaining('События') });
    // every state carries the stored updatedAt, and later states are newer
    const stored = await subgraph.orm.em.getConnection().execute<{ updated_at: string | Date }[]>('select updated_at from counterparties where id = ?', [created.id]);
    expect(states[2].contacts).toEqual([{ id: expect.any(String), name: 'Иван', email: 'ivan@example.com', mailingConsent: true, mailingConsentAt: expect.any(String) }]);
    expect(states.map((state) => state.legalAddress)).toEqual([null, null, null, ...Array<string>(3).fill('190000, Санкт-Петербург, Невский пр., д. 1')]);
    expect(states[5].updatedAt).toBe(new Date(stored[0].updated_at).toISOString());
    const times = states.map((state) => Date.parse(state.updatedAt));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(new Set(times).size).toBe(times.length);
  });

  it('writes nothing when a write is refused', async () => {
    const before = await subgraph.orm.em.fork().count(OutboxEvent, {});
    const result = await subgraph.request('mutation($input: CreateCounterpartyInput!) { createCounterparty(input: $input) { id } }', { input: { ...input(), inn: '1234567890' } }, manager);
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(await subgraph.orm.em.fork().count(OutboxEvent, {})).toBe(before);
  });

  it('the relay moves them to the bus, and the demo seed publishes every demo company', async () => {
    const bus = await createTestDatabase('events');
    const logger = createLogger('counterparties-events-spec', 'silent');
    const seeded = await startTestSubgraph(counterpartiesSubgraph());
    const reader = new PgEventBus({ url: bus.url, logger });
    try {
      await seedCounterparties(seeded.orm.em.fork());
      const relay = new OutboxRelay({ producer: 'counterparties', orm: seeded.orm, bus: new PgEventBus({ url: bus.url, logger }), logger });
      while ((await relay.relayBatch()) > 0);
      await relay.stop();
      await reader.connect();
      const history: BusEvent[] = (await reader.history([COUNTERPARTY_CREATED], '0', 1000)).map((row) => row.event);
      expect(history).toHaveLength(demoCompanies.length);
      expect(history.every((event) => event.producer === 'counterparties' && counterpartyUpsertedContract.parse(event).ok)).toBe(true);

      // republish: the current state of every counterparty again, for consumers whose history was lost
      expect(await republishCounterparties(seeded.orm.em.fork(), 7)).toBe(demoCompanies.length);
      expect(await seeded.orm.em.fork().count(OutboxEvent, { topic: COUNTERPARTY_REPUBLISHED, publishedAt: null })).toBe(demoCompanies.length);
    } finally {
      await reader.close();
      await seeded.close();
      await bus.drop();
    }
  });
});

describe('the responsible manager, checked against the staff read model', () => {
  const CREATE = 'mutation($input: CreateCounterpartyInput!) { createCounterparty(input: $input) { id version responsibleManager { id } } }';
  const UPDATE = 'mutation($input: UpdateCounterpartyInput!) { updateCounterparty(input: $input) { id version responsibleManager { id } } }';
  const MANAGER_ID = '00000000-0000-4000-8000-000000000002';
  const SALES_ID = '00000000-0000-4000-8000-000000000003';

  it('refuses an unknown or deactivated manager on create and on re-pointing, and writes nothing', async () => {
    const count = async () => Number((await subgraph.orm.em.getConnection().execute<{ n: string }[]>('select count(*) as n from counterparties'))[0].n);
    const before = await count();
    const unknown = await subgraph.request(CREATE, { input: { ...input(), responsibleManagerId: 'a7e3c1d2-0000-4000-8000-000000000099' } }, manager);
    expect(unknown.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'responsibleManagerId' });
    expect(await count()).toBe(before);

    const { createCounterparty: created } = await gql<{ createCounterparty: { id: string; version: number } }>(CREATE, { input: { ...input(), responsibleManagerId: SALES_ID } });
    await subgraph.orm.em.getConnection().execute('update user_refs set active = false where id = ?', [MANAGER_ID]);
    try {
      const deactivated = await subgraph.request(UPDATE, { input: { id: created.id, version: created.version, responsibleManagerId: MANAGER_ID } }, manager);
      expect(deactivated.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'responsibleManagerId' }, message: expect.stringMatching(/deactivated/) });
      const { updateCounterparty } = await gql<{ updateCounterparty: { version: number; responsibleManager: { id: string } } }>(UPDATE, { input: { id: created.id, version: created.version, name: 'ООО «Переименованное»' } });
      expect(updateCounterparty).toMatchObject({ version: created.version + 1, responsibleManager: { id: SALES_ID } });
    } finally {
      await subgraph.orm.em.getConnection().execute('update user_refs set active = true where id = ?', [MANAGER_ID]);
    }
  });
});

describe('the migration on an existing database', () => {
  it('publishes a created event for every counterparty that existed before events', async () => {
    const database = await createTestDatabase('counterparties');
    const definition = counterpartiesSubgraph();
    const orm = await MikroORM.init({ ...createOrmOptions(definition, { databaseUrl: database.url, poolMax: 2 }), extensions: [Migrator] });
    try {
      const migrator = orm.getMigrator();
      const [first, second] = definition.migrationsList.map((migration) => migration.name);
      await migrator.up({ to: first });
      await orm.em.getConnection().execute(
        `insert into counterparties (id, name, short_name, kind, status, inn, kpp, tags, version, created_at, updated_at)
         values ('11111111-1111-4111-8111-111111111111', 'ООО «Старое»', null, 'LEGAL_ENTITY', 'ARCHIVED', '7707083893', '770701001', '{}', 3, now(), '2026-01-02T03:04:05.678Z')`,
      );
      await migrator.up({ to: second });
      const rows = await orm.em.getConnection().execute<{ topic: string; payload: EventPayload }[]>('select topic, payload from outbox_events');
      expect(rows).toEqual([{ topic: COUNTERPARTY_CREATED, payload: { id: '11111111-1111-4111-8111-111111111111', name: 'ООО «Старое»', shortName: null, inn: '7707083893', kpp: '770701001', status: 'ARCHIVED', updatedAt: '2026-01-02T03:04:05.678Z' } }]);
      expect(counterpartyUpsertedContract.parse(rows[0]).ok).toBe(true);
      await migrator.down({ to: first });
    } finally {
      await orm.close(true);
      await database.drop();
    }
  });
});
