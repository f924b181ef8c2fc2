import { DEMO_USERS } from '@kartoteka/kit';
import { randomUUID } from 'node:crypto';
import { startStack, type Stack } from '../support/stack';
import { CARD_QUERY, CREATE_COUNTERPARTY, CREATE_DEAL, CREATE_DOCUMENT, legalEntityInput } from '../support/fixtures';
import { fetchesPerSubgraph } from '../support/query-plan';

type Named = { name: string } | null;
type Card = {
  counterparty: {
    responsibleManager: Named;
    history: { edges: { node: { action: string; actor: Named } }[] };
    documents: { edges: { node: { title: string; author: Named } }[] } | null;
    deals: { edges: { node: { title: string; owner: Named } }[] } | null;
  } | null;
};

const ADMIN = DEMO_USERS.find((user) => user.email === 'admin@kartoteka.local')!;
const MANAGER = DEMO_USERS.find((user) => user.email === 'manager@kartoteka.local')!;

describe('the card query plan', () => {
  it('asks identity nothing for display names: each subgraph gives the names of the users it returns (before: identity 4 of 7 fetches)', () => {
    expect(fetchesPerSubgraph(CARD_QUERY)).toEqual({ counterparties: 1, documents: 1, deals: 1 });
  });

  it('still goes to identity for fields only identity knows', () => {
    const withEmail = CARD_QUERY.replace('responsibleManager { id name }', 'responsibleManager { id name email roles active }');
    expect(fetchesPerSubgraph(withEmail)).toEqual({ counterparties: 1, documents: 1, deals: 1, identity: 1 });
  });
});

describe('user names from the read models, through the gateway', () => {
  let stack: Stack;
  let admin: string;
  let manager: string;

  beforeAll(async () => {
    stack = await startStack();
    admin = await stack.login(ADMIN.email);
    manager = await stack.login(MANAGER.email);
  });
  afterAll(() => stack?.stop());

  const card = (id: string, token: string) => stack.call<Card>(CARD_QUERY, { id }, token);
  const namesOn = (result: Card) => {
    const counterparty = result.counterparty!;
    return {
      manager: counterparty.responsibleManager?.name,
      actors: counterparty.history.edges.map((edge) => edge.node.actor?.name),
      authors: counterparty.documents?.edges.map((edge) => edge.node.author?.name),
      owners: counterparty.deals?.edges.map((edge) => edge.node.owner?.name),
    };
  };

  it('answers a repeated document by each request’s own variables (the gateway builds its operation once per document)', async () => {
    const created = await stack.call<{ createCounterparty: { id: string } }>(CREATE_COUNTERPARTY, { input: legalEntityInput() }, manager);
    expect(created.errors).toBeUndefined();
    const { id } = created.data!.createCounterparty;
    // a fragment, a defaulted variable and @include/@skip across two subgraphs: result shaping reads them per request
    const query = `query Shaped($id: ID!, $inn: Boolean = true, $docs: Boolean!) {
      counterparty(id: $id) { ...Shown documents(first: 1) @include(if: $docs) { totalCount } }
    }
    fragment Shown on Counterparty { id inn @include(if: $inn) name @skip(if: $inn) }`;
    type Shaped = { counterparty: Record<string, unknown> };
    const keysOf = async (variables: Record<string, unknown>) => {
      const result = await stack.call<Shaped>(query, { id, ...variables }, manager);
      expect(result.errors).toBeUndefined();
      return Object.keys(result.data!.counterparty).sort();
    };
    for (let round = 0; round < 2; round += 1) {
      expect(await keysOf({ docs: true })).toEqual(['documents', 'id', 'inn']);
      expect(await keysOf({ inn: false, docs: false })).toEqual(['id', 'name']);
      expect(await keysOf({ inn: true, docs: false })).toEqual(['id', 'inn']);
      expect(await keysOf({ inn: false, docs: true })).toEqual(['documents', 'id', 'name']);
    }
  });

  it('shows a new user’s name, follows a rename, and keeps the name of a deactivated user', async () => {
    const email = `new-${randomUUID().slice(0, 8)}@kartoteka.local`;
    const created = await stack.call<{ createUser: { id: string } }>(
      'mutation($input: CreateUserInput!) { createUser(input: $input) { id } }',
      { input: { email, name: 'Новая Сотрудница', password: 'new-user-password', roles: ['MANAGER'] } },
      admin,
    );
    expect(created.errors).toBeUndefined();
    const userId = created.data!.createUser.id;
    const login = await stack.call<{ login: { token: string } }>('mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', { e: email, p: 'new-user-password' });
    const newcomer = login.data!.login.token;

    const counterparty = await stack.call<{ createCounterparty: { id: string } }>(CREATE_COUNTERPARTY, { input: legalEntityInput({ responsibleManagerId: userId }) }, newcomer);
    expect(counterparty.errors).toBeUndefined();
    const id = counterparty.data!.createCounterparty.id;
    const document = await stack.call(CREATE_DOCUMENT, { input: { type: 'INVOICE', counterpartyId: id, title: 'Счёт новой сотрудницы', date: '2026-11-01', amountMinor: 100_00, currency: 'RUB', invoice: { dueDate: '2026-11-15' } } }, newcomer);
    const deal = await stack.call(CREATE_DEAL, { input: { title: 'Сделка менеджера', counterpartyId: id, amountMinor: 1_000_00, currency: 'RUB', ownerId: MANAGER.id } }, newcomer);
    expect([document.errors, deal.errors]).toEqual([undefined, undefined]);

    const first = await card(id, manager);
    expect(first.errors).toBeUndefined();
    expect(namesOn(first.data!)).toEqual({ manager: 'Новая Сотрудница', actors: ['Новая Сотрудница'], authors: ['Новая Сотрудница'], owners: [MANAGER.name] });

    // `call` waits until identity's events reach every read model
    const renamed = await stack.call('mutation($input: UpdateUserInput!) { updateUser(input: $input) { id } }', { input: { id: userId, name: 'Новая Сотрудница-Иванова' } }, admin);
    expect(renamed.errors).toBeUndefined();
    const afterRename = await card(id, manager);
    expect(namesOn(afterRename.data!)).toEqual({ manager: 'Новая Сотрудница-Иванова', actors: ['Новая Сотрудница-Иванова'], authors: ['Новая Сотрудница-Иванова'], owners: [MANAGER.name] });

    const deactivated = await stack.call('mutation($input: UpdateUserInput!) { updateUser(input: $input) { id } }', { input: { id: userId, active: false } }, admin);
    expect(deactivated.errors).toBeUndefined();
    const afterDeactivation = await card(id, manager);
    expect(afterDeactivation.errors).toBeUndefined();
    expect(namesOn(afterDeactivation.data!)).toEqual(namesOn(afterRename.data!));
  });

  it('a user not in a read model (events lagging, or a dangling id): the caller’s own name from their identity, for anyone else a null user with no error, as identity answered', async () => {
    const counterparty = await stack.call<{ createCounterparty: { id: string } }>(CREATE_COUNTERPARTY, { input: legalEntityInput({ responsibleManagerId: MANAGER.id }) }, manager);
    const id = counterparty.data!.createCounterparty.id;
    const connection = stack.subgraphs.counterparties.orm.em.getConnection();
    // as if identity's event about the manager had not reached counterparties yet: the row is moved aside, then back
    const aside = randomUUID();
    await connection.execute('update user_refs set id = ? where id = ?', [aside, MANAGER.id]);
    try {
      const own = await card(id, manager);
      expect(own.errors).toBeUndefined();
      expect(namesOn(own.data!)).toMatchObject({ manager: MANAGER.name, actors: [MANAGER.name] });

      const other = await card(id, admin);
      expect(other.errors).toBeUndefined();
      expect(other.data?.counterparty?.responsibleManager).toBeNull();
      expect(other.data?.counterparty?.history.edges[0].node.actor).toBeNull();

      // the id alone is not looked up (the gateway never checked it either)
      const idOnly = await stack.call<{ counterparty: { responsibleManager: { id: string } | null } }>('query($id: ID!) { counterparty(id: $id) { responsibleManager { id } } }', { id }, admin);
      expect(idOnly.errors).toBeUndefined();
      expect(idOnly.data?.counterparty.responsibleManager).toEqual({ id: MANAGER.id });
    } finally {
      await connection.execute('update user_refs set id = ? where id = ?', [MANAGER.id, aside]);
    }
    const back = await card(id, admin);
    expect(back.errors).toBeUndefined();
    expect(namesOn(back.data!)).toMatchObject({ manager: MANAGER.name, actors: [MANAGER.name] });
  });

  it('names need users:read, as when identity gave them: a partner key without it is refused at that field only', async () => {
    const counterparty = await stack.call<{ createCounterparty: { id: string } }>(CREATE_COUNTERPARTY, { input: legalEntityInput({ responsibleManagerId: MANAGER.id }) }, manager);
    const id = counterparty.data!.createCounterparty.id;
    const keyWith = async (scopes: string[]) => {
      const created = await stack.call<{ createApiKey: { secret: string } }>('mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }', { input: { name: `partner ${scopes.join(' ')}`, scopes } }, admin);
      return created.data!.createApiKey.secret;
    };
    const query = 'query($id: ID!) { counterparty(id: $id) { id responsibleManager { name } } }';
    const without = await stack.call<Card>(query, { id }, await keyWith(['counterparties:read']));
    expect(without.data?.counterparty).toMatchObject({ responsibleManager: null });
    expect(without.errors?.[0]).toMatchObject({ path: ['counterparty', 'responsibleManager', 'name'], extensions: { code: 'FORBIDDEN' } });
    const withRead = await stack.call<Card>(query, { id }, await keyWith(['counterparties:read', 'users:read']));
    expect(withRead.errors).toBeUndefined();
    expect(withRead.data?.counterparty?.responsibleManager?.name).toBe(MANAGER.name);
  });
});
