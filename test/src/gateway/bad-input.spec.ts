import { encodeCursor, MAX_AMOUNT_MINOR } from '@kartoteka/kit';
import { CREATE_COUNTERPARTY, legalEntityInput } from '../support/fixtures';
import { startStack, type Stack, type SubgraphName } from '../support/stack';

/**
 * Every kind of bad input, in every subgraph, through the gateway: a typed BAD_USER_INPUT naming the field,
 * a human message, no stack trace, and not a row written. The rules are kit's (input-guard, input-fields,
 * connection, money), so one case per kind and subgraph stands for all of its fields.
 */

let stack: Stack;
let admin: string;
let counterpartyId: string;

const NUL = 'Акт\u0000сверки';
const LONE_SURROGATE = 'Поставка \ud800 оборудования';
const UUID = '5f2c1a9e-3b7d-4c1e-9a2b-1d2e3f4a5b6c';

/** The tables each service writes on the calls below; their row counts must not move on a refused call. */
const WRITTEN: Record<SubgraphName, string[]> = {
  identity: ['users', 'login_failures', 'api_keys'],
  counterparties: ['counterparties', 'counterparty_contacts', 'counterparty_bank_accounts', 'counterparty_changes'],
  documents: ['documents', 'document_versions', 'audit_records', 'acknowledgements', 'route_templates', 'approval_routes'],
  deals: ['deals', 'deal_changes', 'deal_actions', 'case_templates', 'case_template_versions'],
  finance: ['contract_terms', 'schedule_items', 'payments', 'statement_imports', 'rating_methods'],
  mailings: ['mailings', 'mailing_recipients', 'suppressions'],
};

async function rowCounts(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const [service, tables] of Object.entries(WRITTEN) as [SubgraphName, string[]][]) {
    const rows = await stack.subgraphs[service].orm.em
      .getConnection()
      .execute<{ t: string; n: number }[]>(tables.map((table) => `select '${table}' as t, count(*)::int as n from ${table}`).join(' union all '));
    for (const row of rows) counts[`${service}.${row.t}`] = row.n;
  }
  return counts;
}

type Call = { query: string; variables?: Record<string, unknown>; token?: string | null };

/** Sends a call that must be refused: BAD_USER_INPUT on `field`, a message, no internals, nothing written. */
async function expectRefused(call: Call, field: string): Promise<void> {
  const before = await rowCounts();
  const result = await stack.call(call.query, call.variables ?? {}, call.token === null ? undefined : (call.token ?? admin));
  expect(result.status).toBeLessThan(500);
  const error = result.errors?.[0];
  expect({ code: error?.extensions?.code, field: error?.extensions?.field }).toEqual({ code: 'BAD_USER_INPUT', field });
  expect(error?.message).toMatch(/\w{3,}/);
  expect(JSON.stringify(result)).not.toMatch(/stacktrace|\n\s+at |INTERNAL_SERVER_ERROR/);
  expect(await rowCounts()).toEqual(before);
}

const cursor = (values: unknown) => Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
/** Cursors nobody issued: not base64, not JSON, wrong arity, wrong types, impossible dates, values SQL would choke on. */
const CRAFTED_CURSORS = ['!!!', 'bm90IGpzb24', cursor({ a: 1 }), cursor([]), cursor(['a', 'b', 'c', 'd', 'e']), 'A'.repeat(5000)];

beforeAll(async () => {
  stack = await startStack({ production: true, captureLogs: true });
  admin = await stack.login('admin@kartoteka.local');
  const created = await stack.call<{ createCounterparty: { id: string } }>(CREATE_COUNTERPARTY, { input: legalEntityInput() }, admin);
  counterpartyId = created.data!.createCounterparty.id;
});
afterAll(() => stack?.stop());

describe('text: NUL and lone surrogates are refused in every String and ID input', () => {
  it('identity: login e-mail and password, a user name, a search', async () => {
    const login = 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }';
    await expectRefused({ query: login, variables: { e: `admin\u0000@kartoteka.local`, p: 'admin' }, token: null }, 'email');
    await expectRefused({ query: login, variables: { e: 'admin@kartoteka.local', p: LONE_SURROGATE }, token: null }, 'password');
    await expectRefused({ query: 'mutation($input: CreateUserInput!) { createUser(input: $input) { id } }', variables: { input: { email: 'new@kartoteka.local', name: LONE_SURROGATE, password: 'long-enough-1', roles: ['VIEWER'] } } }, 'name');
    await expectRefused({ query: 'query($s: String) { users(search: $s) { totalCount } }', variables: { s: NUL } }, 'search');
  });

  it('counterparties: top-level, nested in a list, in an ID, as an inline literal', async () => {
    await expectRefused({ query: CREATE_COUNTERPARTY, variables: { input: legalEntityInput({ name: NUL }) } }, 'name');
    await expectRefused({ query: CREATE_COUNTERPARTY, variables: { input: legalEntityInput({ name: LONE_SURROGATE }) } }, 'name');
    await expectRefused({ query: CREATE_COUNTERPARTY, variables: { input: legalEntityInput({ contacts: [{ name: 'Иван' }, { name: 'Пётр', position: LONE_SURROGATE }] }) } }, 'contacts.1.position');
    await expectRefused({ query: CREATE_COUNTERPARTY, variables: { input: legalEntityInput({ tags: ['ok', NUL] }) } }, 'tags.1');
    await expectRefused({ query: 'query($id: ID!) { counterparty(id: $id) { id } }', variables: { id: `${UUID}\u0000` } }, 'id');
    await expectRefused({ query: '{ counterparties(search: "ООО \\u0000") { totalCount } }' }, 'search');
    await expectRefused({ query: 'mutation { updateCounterparty(input: { id: "x", version: 1, name: "\\u0000" }) { id } }' }, 'name');
    // GraphQL's own syntax has no lone surrogate escapes: the gateway's parser refuses the request
    const literal = await stack.call('mutation { updateCounterparty(input: { id: "x", version: 1, name: "\\ud800" }) { id } }', {}, admin);
    expect({ status: literal.status, code: literal.errors?.[0].extensions?.code }).toEqual({ status: 400, code: 'GRAPHQL_PARSE_FAILED' });
  });

  it('documents: a title, a nested detail, a search', async () => {
    const create = 'mutation($input: CreateDocumentInput!) { createDocument(input: $input) { id } }';
    await expectRefused({ query: create, variables: { input: { type: 'CONTRACT', counterpartyId, title: LONE_SURROGATE, contract: { subject: 'Поставка', startDate: '2026-03-01' } } } }, 'title');
    await expectRefused({ query: create, variables: { input: { type: 'CONTRACT', counterpartyId, title: 'Договор', contract: { subject: NUL, startDate: '2026-03-01' } } } }, 'contract.subject');
    await expectRefused({ query: 'query($s: String) { documents(search: $s) { totalCount } }', variables: { s: NUL } }, 'search');
  });

  it('deals: a title (no longer stored as U+FFFD), a close reason, a search', async () => {
    await expectRefused({ query: 'mutation($input: CreateDealInput!) { createDeal(input: $input) { id } }', variables: { input: { title: LONE_SURROGATE, counterpartyId } } }, 'title');
    await expectRefused({ query: 'mutation($input: CreateDealInput!) { createDeal(input: $input) { id } }', variables: { input: { title: 'Сделка', counterpartyId, stage: NUL } } }, 'stage');
    await expectRefused({ query: 'query($s: String) { deals(search: $s) { totalCount } }', variables: { s: LONE_SURROGATE } }, 'search');
  });
});

describe('dates: real calendar days everywhere, nested inputs included', () => {
  it('documents: top-level date, contract.startDate, invoice.dueDate, act period, filters', async () => {
    const create = 'mutation($input: CreateDocumentInput!) { createDocument(input: $input) { id } }';
    await expectRefused({ query: create, variables: { input: { type: 'CONTRACT', counterpartyId, title: 'Договор', date: '2026-02-29', contract: { subject: 'Поставка', startDate: '2026-03-01' } } } }, 'date');
    await expectRefused({ query: create, variables: { input: { type: 'CONTRACT', counterpartyId, title: 'Договор', contract: { subject: 'Поставка', startDate: '2026-13-01' } } } }, 'contract.startDate');
    await expectRefused({ query: create, variables: { input: { type: 'INVOICE', counterpartyId, title: 'Счёт', amountMinor: 100, invoice: { dueDate: '2026-02-30' } } } }, 'invoice.dueDate');
    await expectRefused({ query: create, variables: { input: { type: 'ACT', counterpartyId, title: 'Акт', amountMinor: 100, act: { periodStart: '2026-01-01', periodEnd: 'вчера' } } } }, 'act.periodEnd');
    await expectRefused({ query: '{ documents(dateFrom: "2026-04-31") { totalCount } }' }, 'dateFrom');
  });

  it('documents: an acknowledgement deadline is a real date-time', async () => {
    await expectRefused({ query: 'mutation($input: RequestAcknowledgementInput!) { requestAcknowledgement(input: $input) { id } }', variables: { input: { documentId: UUID, roles: ['LAWYER'], deadline: '2026-02-30T10:00:00Z' } } }, 'deadline');
  });

  it('deals: expectedCloseDate and the analytics period', async () => {
    await expectRefused({ query: 'mutation($input: CreateDealInput!) { createDeal(input: $input) { id } }', variables: { input: { title: 'Сделка', counterpartyId, expectedCloseDate: '2026-02-30' } } }, 'expectedCloseDate');
    await expectRefused({ query: 'mutation($input: UpdateDealInput!) { updateDeal(input: $input) { id } }', variables: { input: { id: UUID, version: 1, expectedCloseDate: '0000-01-01' } } }, 'expectedCloseDate');
    await expectRefused({ query: 'query($t: ID!) { dealAnalytics(templateId: $t, from: "2026-13-01") { won } }', variables: { t: UUID } }, 'from');
  });
});

describe('money: whole minor units up to MAX_AMOUNT_MINOR', () => {
  it.each([
    ['a fraction', 100.5],
    ['beyond the maximum', MAX_AMOUNT_MINOR + 1],
    ['2^53', 2 ** 53],
    ['negative', -1],
  ])('refuses %s in documents and deals, as variables and inline', async (_label, amount) => {
    await expectRefused({ query: 'mutation($input: CreateDocumentInput!) { createDocument(input: $input) { id } }', variables: { input: { type: 'INVOICE', counterpartyId, title: 'Счёт', amountMinor: amount, invoice: { dueDate: '2026-03-01' } } } }, 'amountMinor');
    await expectRefused({ query: 'mutation($input: CreateDocumentInput!) { createDocument(input: $input) { id } }', variables: { input: { type: 'INVOICE', counterpartyId, title: 'Счёт', amountMinor: 100, invoice: { dueDate: '2026-03-01', vatMinor: amount } } } }, 'invoice.vatMinor');
    await expectRefused({ query: 'mutation($input: CreateDealInput!) { createDeal(input: $input) { id } }', variables: { input: { title: 'Сделка', counterpartyId, amountMinor: amount } } }, 'amountMinor');
    await expectRefused({ query: `mutation { createDeal(input: { title: "Сделка", counterpartyId: "${counterpartyId}", amountMinor: ${amount} }) { id } }` }, 'amountMinor');
  });
});

describe('cursors: anything the server did not issue is BAD_USER_INPUT on after', () => {
  const lists: [string, string][] = [
    ['counterparties', 'query($a: String) { counterparties(after: $a) { totalCount } }'],
    ['counterparties searched', 'query($a: String) { counterparties(search: "ООО", after: $a) { totalCount } }'],
    ['users', 'query($a: String) { users(after: $a) { totalCount } }'],
    ['documents', 'query($a: String) { documents(after: $a) { totalCount } }'],
    ['deals', 'query($a: String) { deals(after: $a) { totalCount } }'],
    ['notifications', 'query($a: String) { notifications(after: $a) { totalCount } }'],
    ['approval tasks', 'query($a: String) { myApprovalTasks(after: $a) { totalCount } }'],
    ['acknowledgement tasks', 'query($a: String) { myAcknowledgementTasks(after: $a) { totalCount } }'],
  ];
  it.each(lists)('%s: garbage cursors', async (_name, query) => {
    for (const after of CRAFTED_CURSORS) await expectRefused({ query, variables: { a: after } }, 'after');
  });

  it('well-formed cursors with values SQL would choke on', async () => {
    const crafted: [string, string][] = [
      ['query($a: String) { counterparties(after: $a) { totalCount } }', encodeCursor(['n', 'ООО\u0000', UUID])],
      ['query($a: String) { counterparties(after: $a) { totalCount } }', encodeCursor(['n', 'ООО', 'not-a-uuid'])],
      ['query($a: String) { counterparties(search: "ООО", after: $a) { totalCount } }', encodeCursor(['s', '1e400', UUID])],
      ['query($a: String) { users(after: $a) { totalCount } }', encodeCursor(['Анна', 'not-a-uuid'])],
      ['query($a: String) { documents(after: $a) { totalCount } }', encodeCursor(['2026-13-45', '2026-01-01T00:00:00.000Z', UUID])],
      ['query($a: String) { documents(after: $a) { totalCount } }', encodeCursor([null, '2026-02-30T00:00:00.000Z', UUID])],
      ['query($a: String) { deals(after: $a) { totalCount } }', encodeCursor(['Tue March 1', UUID])],
      ['query($a: String) { deals(after: $a) { totalCount } }', encodeCursor(['2026-01-01T00:00:00.000Z', 12])],
    ];
    for (const [query, after] of crafted) await expectRefused({ query, variables: { a: after } }, 'after');
  });

  it('counterparty history inside a card: a version beyond a PostgreSQL integer', async () => {
    for (const version of [2 ** 40, 1e300, 1.5]) {
      const result = await stack.call(`query($id: ID!, $a: String) { counterparty(id: $id) { id history(after: $a) { totalCount } } }`, { id: counterpartyId, a: encodeCursor([version]) }, admin);
      expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    }
  });
});

describe('JSON inputs: depth and size limits, storable text', () => {
  const nested = (depth: number): Record<string, unknown> => {
    let value: Record<string, unknown> = { leaf: true };
    for (let i = 1; i < depth; i += 1) value = { next: value };
    return value;
  };

  it('case templates: too deep, too large, NUL in a key — as variables and as an inline literal', async () => {
    const create = 'mutation($input: CreateCaseTemplateInput!) { createCaseTemplate(input: $input) { id } }';
    await expectRefused({ query: create, variables: { input: { name: 'Глубокий', definition: nested(40) } } }, `definition.${Array(32).fill('next').join('.')}`);
    await expectRefused({ query: create, variables: { input: { name: 'Большой', definition: { stages: [], blob: 'я'.repeat(300 * 1024) } } } }, 'definition.blob');
    await expectRefused({ query: create, variables: { input: { name: 'Ключ', definition: { ['a\u0000b']: 1 } } } }, 'definition.a\u0000b');
    await expectRefused({ query: 'query($d: JSONObject!) { previewCaseTemplate(definition: $d) { stages { key } } }', variables: { d: nested(33) } }, `definition.${Array(32).fill('next').join('.')}`);
    const literal = `${'{ a: '.repeat(40)}1${' }'.repeat(40)}`;
    await expectRefused({ query: `{ previewCaseTemplate(definition: ${literal}) { stages { key } } }` }, `definition.${Array(32).fill('a').join('.')}`);
    await expectRefused({ query: 'mutation($input: ImportCaseTemplateInput!) { importCaseTemplate(input: $input) { id } }', variables: { input: { document: { format: 'kartoteka.case-template', name: LONE_SURROGATE } } } }, 'document.name');
  });

  it('deal form data: too deep, not an object', async () => {
    await expectRefused({ query: 'mutation($input: CreateDealInput!) { createDeal(input: $input) { id } }', variables: { input: { title: 'Сделка', counterpartyId, formData: nested(34) } } }, `formData.${Array(32).fill('next').join('.')}`);
    await expectRefused({ query: 'mutation($input: CreateDealInput!) { createDeal(input: $input) { id } }', variables: { input: { title: 'Сделка', counterpartyId, formData: [1, 2] } } }, 'formData');
  });

  it('a variable nested beyond any input is refused by the gateway itself, as 400 with the variable name', async () => {
    const body = `{"query":"query($d: JSONObject!) { previewCaseTemplate(definition: $d) { stages { key } } }","variables":{"d":{"a":${'['.repeat(50_000)}${']'.repeat(50_000)}}}}`;
    const response = await fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` }, body });
    expect(response.status).toBe(400);
    const result = (await response.json()) as { errors: { extensions: Record<string, unknown> }[] };
    expect(result.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'd' });
  });
});

describe('the largest amount is accepted, and sums of it stay exact on the board and in analytics', () => {
  it('two deals of MAX_AMOUNT_MINOR', async () => {
    let template = { id: '' };
    for (let i = 0; i < 2; i += 1) {
      const created = await stack.call<{ createDeal: { amount: { minor: number }; templateVersion: { template: { id: string } } } }>(
        'mutation($input: CreateDealInput!) { createDeal(input: $input) { amount { minor } templateVersion { template { id } } } }',
        { input: { title: `Крупная сделка ${i}`, counterpartyId, amountMinor: MAX_AMOUNT_MINOR, currency: 'RUB' } },
        admin,
      );
      expect(created.errors).toBeUndefined();
      expect(created.data!.createDeal.amount.minor).toBe(MAX_AMOUNT_MINOR);
      template = created.data!.createDeal.templateVersion.template;
    }
    const board = await stack.call<{ dealBoard: { totalCount: number; sum: { minor: number } }[] }>('query($t: ID!) { dealBoard(templateId: $t) { totalCount sum { minor } } }', { t: template.id }, admin);
    expect(board.errors).toBeUndefined();
    expect(board.data!.dealBoard.reduce((total, column) => total + column.sum.minor, 0)).toBe(2 * MAX_AMOUNT_MINOR);
    const analytics = await stack.call<{ dealAnalytics: { funnel: { amount: { minor: number } }[]; weightedAmount: { minor: number } } }>(
      'query($t: ID!) { dealAnalytics(templateId: $t) { funnel { amount { minor } } weightedAmount { minor } } }',
      { t: template.id },
      admin,
    );
    expect(analytics.errors).toBeUndefined();
    expect(analytics.data!.dealAnalytics.funnel[0].amount.minor).toBe(2 * MAX_AMOUNT_MINOR);
    expect(Number.isSafeInteger(analytics.data!.dealAnalytics.weightedAmount.minor)).toBe(true);
  });
});

describe('nothing internal happened', () => {
  it('no error-level line was logged by any service for all the refused calls above', () => {
    const errors = stack.logs.filter((line) => Number(line.level) >= 50);
    expect(errors).toEqual([]);
  });
});
