import { randomUUID } from 'node:crypto';
import { apiKeyIdentity, type Identity } from '@kartoteka/kit';
import { demoIdentity, startTestSubgraph, type TestSubgraph, seedCounterpartyRefs, seedDemoUserRefs } from '@kartoteka/kit/testing';
import { installDeals } from '../../../seed/deals.seed';
import { dealsSubgraph } from '../../../subgraph';
import { DEFAULT_TEMPLATE_ID, DEFAULT_TEMPLATE_VERSION_ID } from '../../case-template/case-template.defaults';

/** A counterparty id the deals service knows (in its read model, as counterparties' events would put it). */
async function knownCounterparty(): Promise<string> {
  const id = randomUUID();
  await seedCounterpartyRefs(subgraph.orm.em, [id]);
  return id;
}

const MANAGER_ID = '00000000-0000-4000-8000-000000000002';
const SALES_ID = '00000000-0000-4000-8000-000000000003';
const manager: Identity = demoIdentity('manager@kartoteka.local');
const sales: Identity = demoIdentity('sales@kartoteka.local');
const viewer: Identity = demoIdentity('viewer@kartoteka.local');
const partner: Identity = apiKeyIdentity('00000000-0000-4000-8000-00000000bbbb', 'ERP', ['deals:read', 'deals:write']);

let subgraph: TestSubgraph;

beforeAll(async () => {
  subgraph = await startTestSubgraph(dealsSubgraph());
  await seedDemoUserRefs(subgraph.orm.em);
});
afterAll(() => subgraph?.close());

/** Three open stages (the second and third with requirements), won and lost; a form with rules. */
const DEFINITION = {
  stages: [
    { key: 'lead', name: 'Лид', probability: 10, outcome: 'OPEN', actions: [{ key: 'call', kind: 'CALL', title: 'Позвонить', dueOffsetDays: 1, required: true }] },
    {
      key: 'qualified',
      name: 'Квалифицирован',
      probability: 40,
      outcome: 'OPEN',
      requiredFields: ['budget', 'decisionDate'],
      actions: [
        { key: 'offer', kind: 'SEND_OFFER', title: 'Отправить КП', dueOffsetDays: 2 },
        { key: 'visit', kind: 'MEETING', title: 'Встреча', dueOffsetDays: 5, assignee: { type: 'USER', userId: SALES_ID } },
      ],
    },
    { key: 'won', name: 'Выиграна', probability: 100, outcome: 'WON' },
    { key: 'lost', name: 'Проиграна', probability: 0, outcome: 'LOST' },
  ],
  form: {
    fields: [
      { key: 'seats', label: 'Число мест', type: 'NUMBER', required: true, min: 1, max: 500 },
      { key: 'budget', label: 'Бюджет', type: 'MONEY', min: 100000 },
      { key: 'decisionDate', label: 'Дата решения', type: 'DATE' },
      { key: 'region', label: 'Регион', type: 'SELECT', options: [{ value: 'msk', label: 'Москва' }, { value: 'spb', label: 'Санкт-Петербург' }] },
      { key: 'note', label: 'Заметка', type: 'LONG_TEXT', maxLength: 20 },
    ],
    sections: [
      { title: 'Основное', fields: ['seats', 'region', 'note'] },
      { title: 'Бюджет', fields: ['budget', 'decisionDate'] },
    ],
  },
};

const STAGE = 'key name probability outcome requiredFields';
const DEAL = `id title stage stageKey status closeReason formData version stageEnteredAt
  amount { minor currency } weightedAmount { minor currency } owner { id } counterparty { id }
  templateVersion { id number template { id name } stages { key } jsonSchema uiSchema }
  currentStage { ${STAGE} }
  actions { id key kind title stageKey required status dueAt doneAt documentId assignee { id } }
  nextAction { id key title dueAt status }`;
const CREATE = `mutation($input: CreateDealInput!) { createDeal(input: $input) { ${DEAL} } }`;
const UPDATE = `mutation($input: UpdateDealInput!) { updateDeal(input: $input) { ${DEAL} } }`;
const MOVE = `mutation($input: MoveDealInput!) { moveDeal(input: $input) { ${DEAL} } }`;
const COMPLETE = 'mutation($input: CompleteDealActionInput!) { completeDealAction(input: $input) { id status doneAt comment doneBy { id } deal { id version nextAction { key } } } }';
const HISTORY = `query($id: ID!, $first: Int!, $after: String) { deal(id: $id) { history(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor }
  edges { node { id at kind actorKind actor { id } changes { field from to } fromStageKey toStageKey actionId actionTitle closeReason comment documentId } }
} } }`;

type Action = { id: string; key: string; kind: string; title: string; stageKey: string; required: boolean; status: string; dueAt: string | null; doneAt: string | null; documentId: string | null; assignee: { id: string } | null };
type DealShape = {
  id: string;
  title: string;
  stage: string;
  stageKey: string;
  status: string;
  closeReason: string | null;
  formData: Record<string, unknown>;
  version: number;
  stageEnteredAt: string;
  amount: { minor: number; currency: string } | null;
  weightedAmount: { minor: number; currency: string } | null;
  owner: { id: string } | null;
  templateVersion: { id: string; number: number; template: { id: string; name: string }; stages: { key: string }[]; jsonSchema: Record<string, unknown>; uiSchema: Record<string, unknown> };
  currentStage: { key: string; name: string; probability: number; outcome: string; requiredFields: string[] } | null;
  actions: Action[];
  nextAction: { id: string; key: string; title: string; dueAt: string; status: string } | null;
};
type Change = { kind: string; actorKind: string; actor: { id: string } | null; changes: { field: string; from: unknown; to: unknown }[]; fromStageKey: string | null; toStageKey: string | null; actionTitle: string | null; closeReason: string | null; comment: string | null };

let templateId: string;
let firstVersionId: string;
let draftVersion: number;

async function call<T>(query: string, variables: Record<string, unknown>, identity: Identity = manager): Promise<T> {
  const result = await subgraph.request<T>(query, variables, identity);
  if (result.errors || !result.data) throw new Error(JSON.stringify(result.errors));
  return result.data;
}

async function refusal(query: string, variables: Record<string, unknown>, identity: Identity = manager): Promise<Record<string, unknown> & { message: string }> {
  const result = await subgraph.request(query, variables, identity);
  expect(result.data ?? null).toBeNull();
  const error = result.errors?.[0];
  if (!error) throw new Error('expected an error');
  return { ...(error.extensions ?? {}), message: error.message };
}

async function newDeal(input: Record<string, unknown> = {}, identity: Identity = manager): Promise<DealShape> {
  const { createDeal } = await call<{ createDeal: DealShape }>(CREATE, { input: { title: 'Внедрение CRM', counterpartyId: await knownCounterparty(), templateId, amountMinor: 2_000_000_00, formData: { seats: 40 }, ...input } }, identity);
  return createDeal;
}

async function history(id: string): Promise<Change[]> {
  const { deal } = await call<{ deal: { history: { edges: { node: Change }[] } } }>(HISTORY, { id, first: 50 }, viewer);
  return deal.history.edges.map((edge) => edge.node);
}

beforeAll(async () => {
  const created = await call<{ createCaseTemplate: { id: string } }>('mutation($input: CreateCaseTemplateInput!) { createCaseTemplate(input: $input) { id } }', { input: { name: 'Внедрение', definition: DEFINITION } });
  templateId = created.createCaseTemplate.id;
  const published = await call<{ publishCaseTemplate: { id: string } }>('mutation($input: PublishCaseTemplateInput!) { publishCaseTemplate(input: $input) { id } }', { input: { id: templateId, draftVersion: 1 } });
  firstVersionId = published.publishCaseTemplate.id;
  draftVersion = 1;
});

describe('deals on a case template', () => {
  it('starts a deal in the first stage of the latest version with the stage\'s actions', async () => {
    const before = Date.now();
    const deal = await newDeal({ formData: { seats: 40, region: 'msk', note: '' } });
    expect(deal).toMatchObject({
      stage: 'lead',
      stageKey: 'lead',
      status: 'OPEN',
      closeReason: null,
      formData: { seats: 40, region: 'msk' },
      version: 1,
      owner: { id: MANAGER_ID },
      weightedAmount: { minor: 200_000_00, currency: 'RUB' },
      templateVersion: { number: 1, template: { id: templateId, name: 'Внедрение' } },
      currentStage: { key: 'lead', name: 'Лид', probability: 10, outcome: 'OPEN', requiredFields: [] },
    });
    expect(deal.templateVersion.jsonSchema).toMatchObject({ required: ['seats'] });
    expect(deal.actions).toEqual([expect.objectContaining({ key: 'call', kind: 'CALL', title: 'Позвонить', stageKey: 'lead', required: true, status: 'TODO', doneAt: null, documentId: null, assignee: { id: MANAGER_ID } })]);
    const due = Date.parse(deal.actions[0].dueAt ?? '') - Date.parse(deal.stageEnteredAt);
    expect(due).toBe(86_400_000);
    expect(Date.parse(deal.stageEnteredAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(deal.nextAction).toMatchObject({ key: 'call', title: 'Позвонить', status: 'TODO' });
    expect((await history(deal.id)).map((change) => [change.kind, change.toStageKey, change.actor?.id])).toEqual([['CREATED', 'lead', MANAGER_ID]]);
  });

  it('refuses form values that break the template\'s rules with BAD_USER_INPUT naming the field', async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{}, 'formData.seats', /Fill in «Число мест»/],
      [{ seats: 0 }, 'formData.seats', /«Число мест» must be at least 1/],
      [{ seats: 10, region: 'ekb' }, 'formData.region', /choose one of the options/],
      [{ seats: 10, budget: { amountMinor: 500, currency: 'RUB' } }, 'formData.budget', /at least 100000/],
      [{ seats: 10, decisionDate: '2026-13-01' }, 'formData.decisionDate', /YYYY-MM-DD/],
      [{ seats: 10, note: 'слишком длинная заметка для поля' }, 'formData.note', /at most 20 characters/],
      [{ seats: 10, colour: 'red' }, 'formData.colour', /no such field/],
    ];
    for (const [formData, field, message] of cases) {
      const error = await refusal(CREATE, { input: { title: 'Сделка', counterpartyId: await knownCounterparty(), templateId, formData } });
      expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(error.message).toMatch(message);
    }
    const deal = await newDeal();
    const update = await refusal(UPDATE, { input: { id: deal.id, version: 1, formData: { budget: { amountMinor: 99_999, currency: 'RUB' } } } });
    expect(update).toMatchObject({ code: 'BAD_USER_INPUT', field: 'formData.budget' });
    const cleared = await refusal(UPDATE, { input: { id: deal.id, version: 1, formData: { seats: null } } });
    expect(cleared).toMatchObject({ code: 'BAD_USER_INPUT', field: 'formData.seats' });
    expect((await call<{ deal: { version: number; formData: unknown } }>('query($id: ID!) { deal(id: $id) { version formData } }', { id: deal.id })).deal).toEqual({ version: 1, formData: { seats: 40 } });
  });

  it('refuses to move on while required actions or fields are missing (listing them), and moves once they are done', async () => {
    const deal = await newDeal();
    const blocked = await refusal(MOVE, { input: { id: deal.id, version: 1, stageKey: 'qualified' } });
    expect(blocked).toMatchObject({ code: 'BAD_USER_INPUT', field: 'stageKey', missingFields: [], missingActions: ['call'] });
    expect(blocked.message).toMatch(/Before leaving «Лид», complete «Позвонить»/);

    const done = await call<{ completeDealAction: { status: string; doneAt: string; comment: string; doneBy: { id: string }; deal: { version: number; nextAction: null } } }>(COMPLETE, { input: { id: deal.actions[0].id, comment: ' Дозвонились ' } });
    expect(done.completeDealAction).toMatchObject({ status: 'DONE', comment: 'Дозвонились', doneBy: { id: MANAGER_ID }, deal: { version: 1, nextAction: null } });
    expect((await refusal(COMPLETE, { input: { id: deal.actions[0].id } })).field).toBe('id');

    const moved = (await call<{ moveDeal: DealShape }>(MOVE, { input: { id: deal.id, version: 1, stageKey: 'qualified' } })).moveDeal;
    expect(moved).toMatchObject({ stageKey: 'qualified', status: 'OPEN', version: 2, currentStage: { key: 'qualified', requiredFields: ['budget', 'decisionDate'] }, weightedAmount: { minor: 800_000_00 } });
    expect(moved.actions.map((action) => [action.stageKey, action.key, action.status, action.assignee?.id])).toEqual([
      ['lead', 'call', 'DONE', MANAGER_ID],
      ['qualified', 'offer', 'TODO', MANAGER_ID],
      ['qualified', 'visit', 'TODO', SALES_ID],
    ]);
    expect(moved.nextAction?.key).toBe('offer');

    const toWon = await refusal(MOVE, { input: { id: deal.id, version: 2, stageKey: 'won' } });
    expect(toWon).toMatchObject({ code: 'BAD_USER_INPUT', field: 'stageKey', missingFields: ['budget', 'decisionDate'], missingActions: [] });
    expect(toWon.message).toMatch(/fill in «Бюджет», «Дата решения»/);
    const half = (await call<{ updateDeal: DealShape }>(UPDATE, { input: { id: deal.id, version: 2, formData: { budget: { amountMinor: 1_900_000_00, currency: 'RUB' } } } })).updateDeal;
    expect(half.version).toBe(3);
    expect((await refusal(MOVE, { input: { id: deal.id, version: 3, stageKey: 'won' } })).missingFields).toEqual(['decisionDate']);
    const filled = (await call<{ updateDeal: DealShape }>(UPDATE, { input: { id: deal.id, version: 3, title: 'Внедрение CRM (150 мест)', formData: { decisionDate: '2026-12-20', seats: 150 } } })).updateDeal;
    expect(filled.formData).toEqual({ seats: 150, budget: { amountMinor: 1_900_000_00, currency: 'RUB' }, decisionDate: '2026-12-20' });

    const won = (await call<{ moveDeal: DealShape }>(MOVE, { input: { id: deal.id, version: 4, stageKey: 'won', closeReason: 'Подписали договор' } })).moveDeal;
    expect(won).toMatchObject({ stageKey: 'won', status: 'WON', closeReason: 'Подписали договор', version: 5, weightedAmount: { minor: 2_000_000_00 } });

    const kinds = (await history(deal.id)).map((change) => [change.kind, change.fromStageKey, change.toStageKey]);
    expect(kinds).toEqual([
      ['WON', 'qualified', 'won'],
      ['UPDATED', null, null],
      ['UPDATED', null, null],
      ['STAGE_CHANGED', 'lead', 'qualified'],
      ['ACTION_DONE', null, null],
      ['CREATED', null, 'lead'],
    ]);
    const changes = await history(deal.id);
    expect(changes[0].closeReason).toBe('Подписали договор');
    expect(changes[1].changes).toEqual([
      { field: 'title', from: 'Внедрение CRM', to: 'Внедрение CRM (150 мест)' },
      { field: 'formData.seats', from: 40, to: 150 },
      { field: 'formData.decisionDate', from: null, to: '2026-12-20' },
    ]);
    expect(changes[4]).toMatchObject({ actionTitle: 'Позвонить', comment: 'Дозвонились', actor: { id: MANAGER_ID } });

    const paged = await call<{ deal: { history: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; edges: { node: { kind: string } }[] } } }>(HISTORY, { id: deal.id, first: 4 }, viewer);
    expect(paged.deal.history.totalCount).toBe(6);
    const rest = await call<{ deal: { history: { edges: { node: { kind: string } }[] } } }>(HISTORY, { id: deal.id, first: 4, after: paged.deal.history.pageInfo.endCursor }, viewer);
    expect([...paged.deal.history.edges, ...rest.deal.history.edges].map((edge) => edge.node.kind)).toEqual(kinds.map(([kind]) => kind));
  });

  it('loses a deal at any stage only with a reason, and can reopen it', async () => {
    const deal = await newDeal();
    const noReason = await refusal(MOVE, { input: { id: deal.id, version: 1, stageKey: 'lost', closeReason: '  ' } });
    expect(noReason).toMatchObject({ code: 'BAD_USER_INPUT', field: 'closeReason' });
    const lost = (await call<{ moveDeal: DealShape }>(MOVE, { input: { id: deal.id, version: 1, stageKey: 'lost', closeReason: 'Выбрали конкурента' } })).moveDeal;
    expect(lost).toMatchObject({ status: 'LOST', stageKey: 'lost', closeReason: 'Выбрали конкурента', nextAction: null });
    expect((await refusal(COMPLETE, { input: { id: deal.actions[0].id } })).field).toBe('id');
    const reopened = (await call<{ moveDeal: DealShape }>(MOVE, { input: { id: deal.id, version: 2, stageKey: 'lead' } })).moveDeal;
    expect(reopened).toMatchObject({ status: 'OPEN', stageKey: 'lead', closeReason: null });
    // Back in the stage: its actions are the ones it had, not new copies.
    expect(reopened.actions.map((action) => action.key)).toEqual(['call']);
    expect((await history(deal.id)).slice(0, 2).map((change) => [change.kind, change.closeReason])).toEqual([['REOPENED', null], ['LOST', 'Выбрали конкурента']]);
    expect((await refusal(MOVE, { input: { id: deal.id, version: 3, stageKey: 'lead' } })).field).toBe('stageKey');
    expect((await refusal(MOVE, { input: { id: deal.id, version: 3, stageKey: 'signed' } })).field).toBe('stageKey');
  });

  it('does not let a lost deal skip the requirements of the stage it was lost from', async () => {
    const deal = await newDeal();
    await call(MOVE, { input: { id: deal.id, version: 1, stageKey: 'lost', closeReason: 'Пропала связь' } });
    // Reopening where it was, or further back, is free; winning it or reopening it further on is moving on from «Лид».
    expect(await refusal(MOVE, { input: { id: deal.id, version: 2, stageKey: 'won' } })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'stageKey', missingActions: ['call'] });
    expect(await refusal(MOVE, { input: { id: deal.id, version: 2, stageKey: 'qualified' } })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'stageKey', missingActions: ['call'] });
    expect((await call<{ moveDeal: DealShape }>(MOVE, { input: { id: deal.id, version: 2, stageKey: 'lead' } })).moveDeal).toMatchObject({ status: 'OPEN', stageKey: 'lead' });
  });

  it('keeps a running deal on its template version after a new version is published', async () => {
    const running = await newDeal();
    const changed = { ...DEFINITION, stages: DEFINITION.stages.map((stage) => (stage.key === 'lead' ? { ...stage, name: 'Новый лид', probability: 20, actions: [], requiredFields: ['region'] } : stage)) };
    const saved = await call<{ updateCaseTemplateDraft: { draftVersion: number } }>('mutation($input: UpdateCaseTemplateDraftInput!) { updateCaseTemplateDraft(input: $input) { draftVersion } }', { input: { id: templateId, draftVersion, definition: changed } });
    draftVersion = saved.updateCaseTemplateDraft.draftVersion;
    const published = await call<{ publishCaseTemplate: { id: string; number: number } }>('mutation($input: PublishCaseTemplateInput!) { publishCaseTemplate(input: $input) { id number } }', { input: { id: templateId, draftVersion } });
    expect(published.publishCaseTemplate.number).toBe(2);

    const reread = (await call<{ deal: DealShape }>(`query($id: ID!) { deal(id: $id) { ${DEAL} } }`, { id: running.id })).deal;
    expect(reread.templateVersion).toMatchObject({ id: running.templateVersion.id, number: 1 });
    expect(reread.currentStage).toMatchObject({ name: 'Лид', probability: 10 });
    // Its rules are still version 1's: the call is required, region is not.
    expect(await refusal(MOVE, { input: { id: running.id, version: 1, stageKey: 'qualified' } })).toMatchObject({ missingActions: ['call'], missingFields: [] });

    const fresh = await newDeal();
    expect(fresh.templateVersion).toMatchObject({ id: published.publishCaseTemplate.id, number: 2 });
    expect(fresh).toMatchObject({ currentStage: { name: 'Новый лид', probability: 20 }, actions: [] });
    expect(await refusal(MOVE, { input: { id: fresh.id, version: 1, stageKey: 'qualified' } })).toMatchObject({ missingActions: [], missingFields: ['region'] });
    const pinned = await newDeal({ templateVersionId: running.templateVersion.id, templateId: undefined });
    expect(pinned.templateVersion.number).toBe(1);
    expect((await refusal(CREATE, { input: { title: 'X', counterpartyId: await knownCounterparty(), templateId: DEFAULT_TEMPLATE_ID, templateVersionId: running.templateVersion.id } })).field).toBe('templateVersionId');

    const board = await call<{ dealBoard: { stage: { key: string; name: string }; totalCount: number; deals: { id: string; version: number; nextAction: { title: string } | null }[] }[] }>(
      'query($t: ID!) { dealBoard(templateId: $t) { stage { key name probability outcome } totalCount sum { minor currency } deals { id title version amount { minor } owner { id } counterparty { id } nextAction { title dueAt } } } }',
      { t: templateId },
      viewer,
    );
    expect(board.dealBoard.map((column) => column.stage.key)).toEqual(['lead', 'qualified', 'won', 'lost']);
    expect(board.dealBoard[0].stage.name).toBe('Новый лид');
    const lead = board.dealBoard[0];
    expect(lead.deals.map((deal) => deal.id)).toEqual(expect.arrayContaining([running.id, fresh.id, pinned.id]));
    expect(lead.deals.find((deal) => deal.id === running.id)?.nextAction?.title).toBe('Позвонить');
  });

  it('filters the list by template, stage, status, owner and title', async () => {
    const counterpartyId = await knownCounterparty();
    const mine = await newDeal({ counterpartyId, title: 'Поставка 100% «Альфа»_1' });
    await newDeal({ counterpartyId, title: 'Поставка «Бета»', ownerId: SALES_ID });
    await call(MOVE, { input: { id: mine.id, version: 1, stageKey: 'lost', closeReason: 'Нет бюджета' } });
    const LIST = 'query($a: ID, $t: ID, $s: String, $st: DealStatus, $o: ID, $q: String) { deals(counterpartyId: $a, templateId: $t, stageKey: $s, status: $st, ownerId: $o, search: $q, first: 10) { totalCount edges { node { title } } } }';
    const titles = async (variables: Record<string, unknown>) => (await call<{ deals: { totalCount: number; edges: { node: { title: string } }[] } }>(LIST, { a: counterpartyId, ...variables }, viewer)).deals.edges.map((edge) => edge.node.title);
    expect(await titles({ t: templateId })).toHaveLength(2);
    expect(await titles({ t: DEFAULT_TEMPLATE_ID })).toEqual([]);
    expect(await titles({ st: 'LOST' })).toEqual(['Поставка 100% «Альфа»_1']);
    expect(await titles({ s: 'lead' })).toEqual(['Поставка «Бета»']);
    expect(await titles({ o: SALES_ID })).toEqual(['Поставка «Бета»']);
    expect(await titles({ q: 'бета' })).toEqual(['Поставка «Бета»']);
    expect(await titles({ q: '100%' })).toEqual(['Поставка 100% «Альфа»_1']);
    expect(await titles({ q: '%' })).toEqual(['Поставка 100% «Альфа»_1']);
    expect(await titles({ q: '»_1' })).toEqual(['Поставка 100% «Альфа»_1']);
  });

  it('lets owners, managers and partner systems with deals:write change deals, with optimistic locking', async () => {
    const deal = await newDeal({ ownerId: SALES_ID, templateId: null, templateVersionId: firstVersionId });
    expect((await refusal(MOVE, { input: { id: deal.id, version: 1, stageKey: 'lost', closeReason: 'x' } }, viewer)).code).toBe('FORBIDDEN');
    expect((await call<{ updateDeal: DealShape }>(UPDATE, { input: { id: deal.id, version: 1, title: 'Своя' } }, sales)).updateDeal.version).toBe(2);
    expect((await call<{ updateDeal: DealShape }>(UPDATE, { input: { id: deal.id, version: 2, amountMinor: null } }, manager)).updateDeal).toMatchObject({ version: 3, amount: null, weightedAmount: null });
    expect((await call<{ updateDeal: DealShape }>(UPDATE, { input: { id: deal.id, version: 3, ownerId: MANAGER_ID } }, partner)).updateDeal).toMatchObject({ version: 4, owner: { id: MANAGER_ID }, actions: [expect.objectContaining({ key: 'call', assignee: { id: MANAGER_ID } })] });
    expect(await refusal(UPDATE, { input: { id: deal.id, version: 3, title: 'Поздно' } })).toMatchObject({ code: 'CONFLICT', currentVersion: 4 });
    expect((await refusal(MOVE, { input: { id: deal.id, version: 2, stageKey: 'lost', closeReason: 'x' } })).code).toBe('CONFLICT');
    expect((await refusal(MOVE, { input: { id: randomUUID(), version: 1, stageKey: 'lost', closeReason: 'x' } })).code).toBe('NOT_FOUND');
    const unchanged = (await call<{ updateDeal: DealShape }>(UPDATE, { input: { id: deal.id, version: 4, title: 'Своя' } })).updateDeal;
    expect(unchanged.version).toBe(4);
  });

  it('lets an action\'s assignee run it without deals:write, and nobody else without it', async () => {
    const lawyer: Identity = demoIdentity('approver@kartoteka.local');
    const lawyerId = lawyer.kind === 'user' ? lawyer.id : '';
    const deal = await newDeal({ templateId: null, templateVersionId: firstVersionId });
    const call0 = deal.actions.find((action) => action.key === 'call')!;
    // The call is assigned to the lawyer (e.g. the owner asked for a legal review by phone).
    await subgraph.orm.em.getConnection().execute('update deal_actions set assignee_id = ? where id = ?', [lawyerId, call0.id]);
    expect((await refusal(COMPLETE, { input: { id: call0.id } }, viewer)).code).toBe('FORBIDDEN');
    expect((await refusal(UPDATE, { input: { id: deal.id, version: deal.version, title: 'Чужая' } }, lawyer)).code).toBe('FORBIDDEN');
    const done = await call<{ completeDealAction: { status: string; doneBy: { id: string } } }>(COMPLETE, { input: { id: call0.id } }, lawyer);
    expect(done.completeDealAction).toMatchObject({ status: 'DONE', doneBy: { id: lawyerId } });
  });
});

describe('the default template and deals from before templates', () => {
  it('puts deals created without a template on «Продажа» version 1, with the stage and the next action on the counterparty', async () => {
    const counterpartyId = await knownCounterparty();
    const deal = (await call<{ createDeal: DealShape }>(CREATE, { input: { title: 'Без шаблона', counterpartyId, stage: 'negotiation', amountMinor: 1_000_000_00 } })).createDeal;
    expect(deal).toMatchObject({ stageKey: 'negotiation', templateVersion: { id: DEFAULT_TEMPLATE_VERSION_ID, number: 1, template: { id: DEFAULT_TEMPLATE_ID, name: 'Продажа' } }, weightedAmount: { minor: 750_000_00 } });
    const card = await call<{ _entities: { deals: { edges: { node: { stage: string; currentStage: { name: string }; nextAction: { title: string; dueAt: string } | null } }[] } }[] }>(
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Counterparty { deals(first: 5) { edges { node { stage currentStage { name } nextAction { title dueAt } } } } } } }',
      { r: [{ __typename: 'Counterparty', id: counterpartyId }] },
      viewer,
    );
    expect(card._entities[0].deals.edges[0].node).toMatchObject({ stage: 'negotiation', currentStage: { name: 'Переговоры' }, nextAction: { title: 'Подготовить договор' } });
  });

  it('adopts deals written before templates existed, once', async () => {
    const connection = subgraph.orm.em.getConnection();
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    const counterpartyId = await knownCounterparty();
    for (const [index, stage] of ['proposal', 'won', 'lost'].entries()) {
      await connection.execute(
        `insert into deals (id, created_at, updated_at, title, amount_minor, currency, stage, counterparty_id, owner_id) values (?, '2025-05-01T10:00:00Z', '2025-05-03T10:00:00Z', ?, 100000, 'RUB', ?, ?, ?)`,
        [ids[index], `Старая сделка ${index}`, stage, counterpartyId, SALES_ID],
      );
    }
    expect(await installDeals(subgraph.orm.em.fork())).toMatch(/3 earlier deals moved onto it/);
    expect(await installDeals(subgraph.orm.em.fork())).toBe('deals: default template present');
    const rows = await connection.execute<{ id: string; status: string; template_version_id: string; stage_entered_at: Date }[]>('select id, status, template_version_id, stage_entered_at from deals where counterparty_id = ? order by title', [counterpartyId]);
    expect(rows.map((row) => [row.status, row.template_version_id, new Date(row.stage_entered_at).toISOString()])).toEqual([
      ['OPEN', DEFAULT_TEMPLATE_VERSION_ID, '2025-05-03T10:00:00.000Z'],
      ['WON', DEFAULT_TEMPLATE_VERSION_ID, '2025-05-03T10:00:00.000Z'],
      ['LOST', DEFAULT_TEMPLATE_VERSION_ID, '2025-05-03T10:00:00.000Z'],
    ]);
    const proposal = (await call<{ deal: DealShape }>(`query($id: ID!) { deal(id: $id) { ${DEAL} } }`, { id: ids[0] }, viewer)).deal;
    expect(proposal.actions).toEqual([expect.objectContaining({ key: 'send-offer', kind: 'SEND_OFFER', status: 'TODO', assignee: { id: SALES_ID }, dueAt: '2025-05-06T10:00:00.000Z' })]);
    expect(proposal.nextAction?.key).toBe('send-offer');
    const visits = await connection.execute<{ n: number }[]>('select count(*)::int as n from deal_stage_visits where deal_id in (?)', [ids]);
    expect(visits[0].n).toBe(3);
  });
});
