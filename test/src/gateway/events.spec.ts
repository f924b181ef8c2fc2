import { randomUUID } from 'node:crypto';
import { DEMO_USERS } from '@kartoteka/kit';
import { startStack, type Stack } from '../support/stack';
import { scaled } from '../support/timing';

type Member = { id: string; email: string; name: string; roles: string[]; active: boolean };

const STAFF = 'query($search: String, $role: String, $first: Int) { staff(search: $search, role: $role, first: $first) { id email name roles active } }';
const CREATE_USER = 'mutation($input: CreateUserInput!) { createUser(input: $input) { id email } }';
const UPDATE_USER = 'mutation($input: UpdateUserInput!) { updateUser(input: $input) { id active } }';

let stack: Stack;
let adminToken: string;
let managerToken: string;

beforeAll(async () => {
  stack = await startStack();
  adminToken = await stack.login('admin@kartoteka.local');
  managerToken = await stack.login('manager@kartoteka.local');
});
afterAll(() => stack?.stop());

async function staff(variables: Record<string, unknown>): Promise<Member[]> {
  const result = await stack.call<{ staff: Member[] }>(STAFF, variables, managerToken);
  if (!result.data?.staff) throw new Error(JSON.stringify(result.errors));
  return result.data.staff;
}

/** Polls until `probe` returns a value (events travel asynchronously: outbox → relay → bus → consumer). */
async function eventually<T>(probe: () => Promise<T | null>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + scaled(timeoutMs);
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error('condition not met before the deadline');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('identity → documents through domain events', () => {
  it('fills the documents staff directory with the staff identity seeded', async () => {
    const members = await eventually(async () => {
      const listed = await staff({ first: 100 });
      return DEMO_USERS.every((user) => listed.some((member) => member.id === user.id)) ? listed : null;
    });
    const approver = DEMO_USERS.find((user) => user.email === 'approver@kartoteka.local')!;
    expect(members.find((member) => member.id === approver.id)).toEqual({ id: approver.id, email: approver.email, name: approver.name, roles: [...approver.roles], active: true });
  });

  it('lists a user created through the gateway in the documents staff directory, and drops them when deactivated', async () => {
    const email = `lawyer.${randomUUID().slice(0, 8)}@kartoteka.local`;
    const created = await stack.call<{ createUser: { id: string } }>(CREATE_USER, { input: { email, name: 'Мария Юристова', password: 'long-enough-1', roles: ['LAWYER'] } }, adminToken);
    expect(created.errors).toBeUndefined();
    const id = created.data!.createUser.id;

    const [listed] = await eventually(async () => {
      const found = await staff({ search: email });
      return found.length ? found : null;
    });
    expect(listed).toEqual({ id, email, name: 'Мария Юристова', roles: ['LAWYER'], active: true });
    expect((await staff({ role: 'LAWYER', first: 100 })).map((member) => member.id)).toContain(id);

    const deactivated = await stack.call(UPDATE_USER, { input: { id, active: false } }, adminToken);
    expect(deactivated.errors).toBeUndefined();
    await eventually(async () => ((await staff({ search: email })).length === 0 ? true : null));
    expect((await staff({ role: 'LAWYER', first: 100 })).map((member) => member.id)).not.toContain(id);
  });
});
