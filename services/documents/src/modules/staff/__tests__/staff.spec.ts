import { randomUUID } from 'node:crypto';
import { apiKeyIdentity, createLogger, DEMO_USERS, PgEventBus, UnprocessableEventError, USER_UPSERTED, type BusEvent, type Identity, type UserUpserted } from '@kartoteka/kit';
import { createTestDatabase, demoIdentity, startTestSubgraph, type TestDatabase, type TestSubgraph } from '@kartoteka/kit/testing';
import { defaultDocumentsSettings } from '../../../config';
import { documentsSubgraph } from '../../../subgraph';
import { staffEventHandlers } from '../staff.consumer';
import { fillStaffFromDemoUsers } from '../staff.fixtures';
import { StaffService } from '../staff.service';
import { scaled } from '../../../../../kit/jest.timing';

const viewer: Identity = demoIdentity('viewer@kartoteka.local');
const usersOnlyPartner: Identity = apiKeyIdentity('00000000-0000-4000-8000-00000000cccc', 'HR', ['users:read']);
const STAFF = 'query($search: String, $role: String, $first: Int) { staff(search: $search, role: $role, first: $first) { id email name roles active } }';

type Member = { id: string; email: string; name: string; roles: string[]; active: boolean };

function userEvent(user: Partial<UserUpserted> & { id: string }): BusEvent {
  const payload: UserUpserted = { email: `${user.id.slice(0, 8)}@firm.ru`, name: 'Сотрудник', roles: ['VIEWER'], active: true, updatedAt: new Date().toISOString(), ...user };
  return { id: randomUUID(), topic: USER_UPSERTED, producer: 'identity', payload, occurredAt: new Date() };
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

describe('staff directory', () => {
  let subgraph: TestSubgraph;
  beforeAll(async () => {
    subgraph = await startTestSubgraph(documentsSubgraph());
    await fillStaffFromDemoUsers(subgraph.orm.em.fork());
  });
  afterAll(() => subgraph?.close());

  const staff = async (variables: Record<string, unknown> = {}, identity: Identity = viewer) => subgraph.request<{ staff: Member[] }>(STAFF, variables, identity);
  const handle = (event: BusEvent) => subgraph.orm.em.fork().transactional((em) => staffEventHandlers[USER_UPSERTED](event, em));

  it('is filled from the demo staff by the fixture, and lists active members by name for staff', async () => {
    const result = await staff();
    expect(result.errors).toBeUndefined();
    expect(result.data?.staff.map((member) => member.name)).toEqual(DEMO_USERS.map((user) => user.name).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(result.data?.staff.find((member) => member.id === DEMO_USERS[3].id)).toEqual({ id: DEMO_USERS[3].id, email: DEMO_USERS[3].email, name: DEMO_USERS[3].name, roles: ['APPROVER', 'LAWYER'], active: true });
  });

  it('searches by part of a name or e-mail, case-insensitively, and filters by role', async () => {
    expect((await staff({ search: 'волк' })).data?.staff.map((member) => member.email)).toEqual(['approver@kartoteka.local']);
    expect((await staff({ search: 'ACCOUNTANT@' })).data?.staff.map((member) => member.name)).toEqual(['Наталья Соколова']);
    expect((await staff({ role: 'MANAGER' })).data?.staff.map((member) => member.email).sort()).toEqual(['director@kartoteka.local', 'manager@kartoteka.local', 'sales@kartoteka.local']);
    expect((await staff({ role: 'MANAGER', search: 'smirn' })).data?.staff).toEqual([]);
    expect((await staff({ role: 'MANAGER', search: 'Ольга' })).data?.staff.map((member) => member.email)).toEqual(['manager@kartoteka.local']);
    expect((await staff({ search: '%' })).data?.staff).toEqual([]);
    expect((await staff({ first: 2 })).data?.staff).toHaveLength(2);
  });

  it('checks its arguments and permissions', async () => {
    for (const first of [0, 101]) expect((await staff({ first })).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    expect((await staff({ first: null })).data?.staff).toHaveLength(DEMO_USERS.length); // null: the default page
    expect((await staff({}, usersOnlyPartner)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await subgraph.request(STAFF)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('keeps the newest state of a member whatever order the events come in', async () => {
    const id = randomUUID();
    const t = Date.parse('2026-01-10T10:00:00.000Z');
    const at = (offsetMs: number) => new Date(t + offsetMs).toISOString();
    await handle(userEvent({ id, name: 'Анна Новикова', roles: ['LAWYER'], updatedAt: at(0) }));
    await handle(userEvent({ id, name: 'Анна Новикова-Петрова', roles: ['LAWYER', 'DIRECTOR'], updatedAt: at(2000) }));
    await handle(userEvent({ id, name: 'Анна (устарело)', roles: ['VIEWER'], active: false, updatedAt: at(1000) })); // late, older
    const service = new StaffService(subgraph.orm.em.fork());
    expect(await service.findByIds([id])).toEqual([expect.objectContaining({ id, name: 'Анна Новикова-Петрова', roles: ['LAWYER', 'DIRECTOR'], active: true })]);
    expect(await service.upsert({ id, email: 'x@firm.ru', name: 'Тот же момент', roles: [], active: true, updatedAt: new Date(at(2000)) })).toBe(false);
    expect((await service.activeMembersOfRole('DIRECTOR')).map((member) => member.id)).toContain(id);

    await handle(userEvent({ id, name: 'Анна Новикова-Петрова', roles: ['LAWYER', 'DIRECTOR'], active: false, updatedAt: at(3000) }));
    const [member] = await new StaffService(subgraph.orm.em.fork()).findByIds([id.toUpperCase(), 'not-a-uuid']);
    expect(member).toMatchObject({ id, active: false });
    expect((await new StaffService(subgraph.orm.em.fork()).activeMembersOfRole('DIRECTOR')).map((m) => m.id)).not.toContain(id);
    expect((await staff({ search: 'Новикова' })).data?.staff).toEqual([]);
  });

  it('refuses a malformed event as unprocessable', async () => {
    const broken: BusEvent = { ...userEvent({ id: randomUUID() }), payload: { id: 'x', email: 1 } };
    await expect(handle(broken)).rejects.toBeInstanceOf(UnprocessableEventError);
  });
});

describe('staff directory fed through the event bus', () => {
  let events: TestDatabase;
  let subgraph: TestSubgraph;
  let bus: PgEventBus;
  beforeAll(async () => {
    events = await createTestDatabase('events');
    bus = new PgEventBus({ url: events.url, logger: createLogger('staff-spec', 'silent') });
    await bus.connect();
  });
  afterAll(async () => {
    await subgraph?.close();
    await bus?.close();
    await events?.drop();
  });

  const activeIds = async () => ((await subgraph.request<{ staff: Member[] }>(STAFF, { first: 100 }, viewer)).data?.staff ?? []).map((member) => member.id);

  it('learns about users announced before it started, and follows later changes', async () => {
    const early = randomUUID();
    // identity announced this user before documents ever subscribed
    await bus.publish([userEvent({ id: early, name: 'Ранний Пользователь', updatedAt: '2026-01-01T00:00:00.000Z' })]);
    subgraph = await startTestSubgraph(documentsSubgraph(defaultDocumentsSettings({ eventBusUrl: events.url })));
    expect(subgraph.workers.map((worker) => worker.name)).toEqual(expect.arrayContaining(['event-consumer:documents', 'outbox-relay:documents']));
    await eventually(async () => ((await activeIds()).includes(early) ? true : null));

    const late = randomUUID();
    await bus.publish([userEvent({ id: late, name: 'Поздний Пользователь', updatedAt: '2026-01-02T00:00:00.000Z' })]);
    await eventually(async () => ((await activeIds()).includes(late) ? true : null));

    await bus.publish([userEvent({ id: early, name: 'Ранний Пользователь', active: false, updatedAt: '2026-01-03T00:00:00.000Z' })]);
    await eventually(async () => ((await activeIds()).includes(early) ? null : true));
    expect(await bus.parked('documents')).toEqual([]);
  });
});
