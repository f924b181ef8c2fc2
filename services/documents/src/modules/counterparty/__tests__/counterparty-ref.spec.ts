import { randomUUID } from 'node:crypto';
import { COUNTERPARTY_ARCHIVED, COUNTERPARTY_CHANGED, COUNTERPARTY_CREATED, createLogger, EventConsumer, PgEventBus, runServiceEventsCli, USER_UPSERTED, type BusEvent, type CounterpartyUpserted } from '@kartoteka/kit';
import { createTestDatabase, demoIdentity, startTestSubgraph, type TestDatabase, type TestSubgraph } from '@kartoteka/kit/testing';
import { defaultDocumentsSettings } from '../../../config';
import { documentsEventHandlers, documentsSubgraph } from '../../../subgraph';
import { fillStaffFromDemoUsers } from '../../staff/staff.fixtures';
import { DOCUMENTS_READ_MODELS, DOCUMENTS_REFERENCE_CHECKS } from '../counterparty-ref.readmodel';

const manager = demoIdentity('manager@kartoteka.local');
const MANAGER_ID = manager.kind === 'user' ? manager.id : '';
const SALES_ID = '00000000-0000-4000-8000-000000000003';
const logger = createLogger('documents-refs-spec', 'silent');

let subgraph: TestSubgraph;
let events: TestDatabase;
let bus: PgEventBus;

beforeAll(async () => {
  subgraph = await startTestSubgraph(documentsSubgraph(defaultDocumentsSettings(), { workers: false }));
  await fillStaffFromDemoUsers(subgraph.orm.em.fork());
  events = await createTestDatabase('events');
  bus = new PgEventBus({ url: events.url, logger });
  await bus.connect();
});
afterAll(async () => {
  await bus?.close();
  await subgraph?.close();
  await events?.drop();
});

const consumer = () => new EventConsumer({ consumer: 'documents', orm: subgraph.orm, bus, logger, handlers: documentsEventHandlers() });
async function drain(): Promise<void> {
  const worker = consumer();
  try {
    while ((await worker.processBatch()) > 0);
  } finally {
    await worker.stop();
  }
}

let inn = 0;
function counterparty(overrides: Partial<CounterpartyUpserted> = {}): CounterpartyUpserted {
  inn += 1;
  return { id: randomUUID(), name: `ООО «Ромашка ${inn}»`, shortName: null, inn: `77${String(inn).padStart(8, '0')}`, kpp: '770101001', status: 'CLIENT', updatedAt: new Date().toISOString(), ...overrides };
}
const event = (topic: string, payload: BusEvent['payload'], producer = 'counterparties'): BusEvent => ({ id: randomUUID(), topic, producer, payload, occurredAt: new Date() });
const refOf = async (id: string) => (await subgraph.orm.em.getConnection().execute<{ name: string; status: string }[]>('select name, status from counterparty_refs where id = ?', [id]))[0] ?? null;
const documentCount = async () => Number((await subgraph.orm.em.getConnection().execute<{ n: string }[]>('select count(*) as n from documents'))[0].n);
const CREATE = 'mutation($input: CreateDocumentInput!) { createDocument(input: $input) { id version responsible { id } } }';
const UPDATE = 'mutation($input: UpdateDocumentInput!) { updateDocument(input: $input) { id version responsible { id } } }';

describe('the counterparty read model, filled by counterparties\' events', () => {
  it('keeps the newest state whatever the order, and skips repeats', async () => {
    const created = counterparty();
    const renamed = { ...created, name: 'ООО «Ромашка-Новая»', updatedAt: new Date(Date.parse(created.updatedAt) + 1000).toISOString() };
    const archived = { ...renamed, status: 'ARCHIVED', updatedAt: new Date(Date.parse(created.updatedAt) + 2000).toISOString() };
    // the archive arrives before the rename, and the creation comes twice
    await bus.publish([event(COUNTERPARTY_CREATED, created), event(COUNTERPARTY_ARCHIVED, archived), event(COUNTERPARTY_CHANGED, renamed), event(COUNTERPARTY_CREATED, created)]);
    await drain();
    expect(await refOf(created.id)).toEqual({ name: 'ООО «Ромашка-Новая»', status: 'ARCHIVED' });
  });

  it('parks a malformed payload and goes on with the next events', async () => {
    const good = counterparty();
    const bad = event(COUNTERPARTY_CREATED, { ...counterparty(), inn: 'not an inn' });
    const badDate = event(COUNTERPARTY_CHANGED, { ...counterparty(), updatedAt: '2026-02-31T00:00:00.000Z' });
    await bus.publish([bad, badDate, event(COUNTERPARTY_CREATED, good)]);
    await drain();
    expect(await refOf(good.id)).toMatchObject({ status: 'CLIENT' });
    const parked = await bus.parked('documents');
    expect(parked.map((row) => row.event.id)).toEqual(expect.arrayContaining([bad.id, badDate.id]));
    expect(parked.find((row) => row.event.id === bad.id)?.lastError).toMatch(/inn/);
  });

  it('a consumer subscribing later gets every counterparty already on the bus', async () => {
    const earlier = counterparty();
    await bus.publish([event(COUNTERPARTY_CREATED, earlier)]);
    const late = await startTestSubgraph(documentsSubgraph(defaultDocumentsSettings(), { workers: false }));
    try {
      const worker = new EventConsumer({ consumer: `documents-late-${randomUUID().slice(0, 8)}`, orm: late.orm, bus, logger, handlers: documentsEventHandlers() });
      while ((await worker.processBatch()) > 0);
      await worker.stop();
      const ids = async (of: TestSubgraph) => (await of.orm.em.getConnection().execute<{ id: string }[]>('select id from counterparty_refs order by id')).map((row) => row.id);
      await drain();
      const all = await ids(subgraph);
      expect(all).toContain(earlier.id);
      expect(await ids(late)).toEqual(all);
    } finally {
      await late.close();
    }
  });

  it('`events rebuild-counterparties` and `rebuild-staff` rebuild the read models from scratch out of the bus history', async () => {
    const known = counterparty({ name: 'ООО «Перестроенная»' });
    await bus.publish([event(COUNTERPARTY_CREATED, known), event(USER_UPSERTED, { id: SALES_ID, email: 'sales@kartoteka.local', name: 'Продавец Из Шины', roles: ['SALES'], active: true, updatedAt: new Date().toISOString() }, 'identity')]);
    await drain();
    const connection = subgraph.orm.em.getConnection();
    await connection.execute('delete from counterparty_refs');
    await connection.execute(`update staff_members set name = 'испорчено', updated_at = now() + interval '1 day'`);
    const options = { service: 'documents', definition: documentsSubgraph(defaultDocumentsSettings(), { workers: false }), databaseUrl: subgraph.database.url, eventBusUrl: events.url, rebuild: DOCUMENTS_READ_MODELS, references: DOCUMENTS_REFERENCE_CHECKS };
    const output = await runServiceEventsCli(options, ['rebuild-counterparties']);
    expect(output).toMatch(/rebuild-counterparties: \d+ events applied, 2 malformed skipped/);
    expect(await refOf(known.id)).toEqual({ name: 'ООО «Перестроенная»', status: 'CLIENT' });
    expect(await runServiceEventsCli(options, ['rebuild-staff'])).toMatch(/rebuild-staff: 1 events applied/);
    const staff = await connection.execute<{ id: string; name: string }[]>('select id, name from staff_members');
    expect(staff).toEqual([{ id: SALES_ID, name: 'Продавец Из Шины' }]);
    await fillStaffFromDemoUsers(subgraph.orm.em.fork());
  });
});

describe('references checked on write against the read models', () => {
  it('refuses an unknown or archived counterparty with BAD_USER_INPUT on counterpartyId, and writes nothing', async () => {
    const archived = counterparty({ status: 'ARCHIVED' });
    const active = counterparty();
    await bus.publish([event(COUNTERPARTY_ARCHIVED, archived), event(COUNTERPARTY_CREATED, active)]);
    await drain();
    const before = await documentCount();
    for (const counterpartyId of [randomUUID(), archived.id]) {
      const result = await subgraph.request(CREATE, { input: { type: 'OTHER', counterpartyId, title: 'Письмо' } }, manager);
      expect(result.data).toBeNull();
      expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'counterpartyId' });
    }
    expect(result(await subgraph.request(CREATE, { input: { type: 'OTHER', counterpartyId: active.id.toUpperCase(), title: 'Письмо' } }, manager))).toBeTruthy();
    expect(await documentCount()).toBe(before + 1);
  });

  it('refuses an unknown or deactivated responsible on create and on update; an unchanged one stays', async () => {
    const active = counterparty();
    await bus.publish([event(COUNTERPARTY_CREATED, active)]);
    await drain();
    const before = await documentCount();
    const unknown = await subgraph.request(CREATE, { input: { type: 'OTHER', counterpartyId: active.id, title: 'Письмо', responsibleId: randomUUID() } }, manager);
    expect(unknown.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'responsibleId' });
    expect(await documentCount()).toBe(before);

    const created = result<{ createDocument: { id: string; version: number } }>(await subgraph.request(CREATE, { input: { type: 'OTHER', counterpartyId: active.id, title: 'Письмо', responsibleId: SALES_ID } }, manager));
    const { id, version } = created.createDocument;
    await subgraph.orm.em.getConnection().execute('update staff_members set active = false where id = ?', [SALES_ID]);
    try {
      const repointed = await subgraph.request(UPDATE, { input: { id, version, responsibleId: randomUUID() } }, manager);
      expect(repointed.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'responsibleId' });
      const deactivated = await subgraph.request(CREATE, { input: { type: 'OTHER', counterpartyId: active.id, title: 'Письмо', responsibleId: SALES_ID } }, manager);
      expect(deactivated.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'responsibleId' }, message: expect.stringMatching(/deactivated/) });
      // sending back the responsible the document already has is not a new reference
      const kept = result<{ updateDocument: { version: number; responsible: { id: string } } }>(await subgraph.request(UPDATE, { input: { id, version, responsibleId: SALES_ID, title: 'Письмо (испр.)' } }, manager));
      expect(kept.updateDocument).toMatchObject({ version: version + 1, responsible: { id: SALES_ID } });
      const back = result<{ updateDocument: { responsible: { id: string } } }>(await subgraph.request(UPDATE, { input: { id, version: version + 1, responsibleId: MANAGER_ID } }, manager));
      expect(back.updateDocument.responsible.id).toBe(MANAGER_ID);
    } finally {
      await subgraph.orm.em.getConnection().execute('update staff_members set active = true where id = ?', [SALES_ID]);
    }
  });
});

describe('`events check-references`', () => {
  it('lists the documents whose counterparty or staff member the service does not know', async () => {
    const options = { service: 'documents', definition: documentsSubgraph(defaultDocumentsSettings(), { workers: false }), databaseUrl: subgraph.database.url, eventBusUrl: events.url, rebuild: DOCUMENTS_READ_MODELS, references: DOCUMENTS_REFERENCE_CHECKS };
    const clean = await runServiceEventsCli(options, ['check-references']);
    expect(clean).toBe('documents: every reference resolves');
    const ghost = randomUUID();
    const stranger = randomUUID();
    const [row] = await subgraph.orm.em.getConnection().execute<{ id: string }[]>(
      `insert into documents (id, type, counterparty_id, title, status, author_id, responsible_id, restricted, version, created_at, updated_at)
       values (gen_random_uuid(), 'OTHER', ?, 'Осиротевший', 'DRAFT', ?, ?, false, 1, now(), now()) returning id`,
      [ghost, MANAGER_ID, stranger],
    );
    try {
      const report = await runServiceEventsCli(options, ['check-references']);
      expect(report.split('\n')).toEqual([
        'documents: 2 reference(s) point nowhere',
        `documents.counterparty_id  row ${row.id}  → ${ghost} (unknown)`,
        `documents.responsible_id  row ${row.id}  → ${stranger} (unknown)`,
      ]);
    } finally {
      await subgraph.orm.em.getConnection().execute('delete from documents where id = ?', [row.id]);
    }
  });
});

function result<T = Record<string, unknown>>(response: { data?: T | null; errors?: unknown[] }): T {
  if (response.errors?.length || !response.data) throw new Error(JSON.stringify(response.errors));
  return response.data;
}
