import { DEMO_USERS } from '@kartoteka/kit';
import { CREATE_COUNTERPARTY, legalEntityInput } from '../support/fixtures';
import { checkPublishedEvents } from '../support/event-contracts';
import { startStack, type Stack } from '../support/stack';
import { scaled } from '../support/timing';
import { buildDocx, documentXmlOf } from '../../../services/documents/src/modules/template/template.docx';

/**
 * Deal cases through the gateway, the API path of "done": a sales lead builds a case template (stages,
 * actions, form), previews and publishes it; a manager opens a deal on it for a counterparty, fills the form,
 * is refused moving on while required fields and actions are missing, runs the actions (the offer goes to the
 * documents service as an event and comes back as a document), wins the deal; the counterparty card, the
 * board, the history and the analytics show it. Export and import round-trip the template.
 */
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ production: true });
});
afterAll(() => stack?.stop());

const MANAGER = DEMO_USERS.find((user) => user.email === 'manager@kartoteka.local')!;
const LEAD = 'director@kartoteka.local';
const VIEWER = 'viewer@kartoteka.local';

type Errors = { message: string; extensions?: Record<string, unknown> }[] | undefined;

async function gql<T>(query: string, variables: Record<string, unknown>, email: string): Promise<T> {
  const result = await stack.call<T>(query, variables, await stack.login(email));
  if (result.errors?.length) throw new Error(`${email}: ${JSON.stringify(result.errors)}`);
  return result.data as T;
}

async function errorsOf(query: string, variables: Record<string, unknown>, email: string): Promise<Errors> {
  return (await stack.call(query, variables, await stack.login(email))).errors;
}

async function eventually<T>(probe: () => Promise<T | null>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + scaled(timeoutMs);
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error('condition not met before the deadline');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const DEFINITION = {
  stages: [
    {
      key: 'qualification',
      name: 'Квалификация',
      probability: 20,
      outcome: 'OPEN',
      requiredFields: ['budget'],
      actions: [{ key: 'first_call', kind: 'CALL', title: 'Первый звонок клиенту', dueOffsetDays: 1, required: true }],
    },
    {
      key: 'proposal',
      name: 'Предложение',
      probability: 60,
      outcome: 'OPEN',
      // the offer's file is generated from a document template the administrator uploads (documents service)
      actions: [{ key: 'offer', kind: 'SEND_OFFER', title: 'Отправить КП', dueOffsetDays: 2, required: true, templateCode: 'offer-gateway' }],
    },
    {
      key: 'contract',
      name: 'Договор',
      probability: 80,
      outcome: 'OPEN',
      actions: [
        { key: 'contract', kind: 'PREPARE_CONTRACT', title: 'Подготовить договор', dueOffsetDays: 3 },
        { key: 'approval', kind: 'REQUEST_APPROVAL', title: 'Согласовать договор', dueOffsetDays: 5, required: true },
      ],
    },
    { key: 'won', name: 'Выиграна', probability: 100, outcome: 'WON' },
    { key: 'lost', name: 'Проиграна', probability: 0, outcome: 'LOST' },
  ],
  form: {
    fields: [
      { key: 'budget', label: 'Бюджет клиента', type: 'MONEY', min: 100000 },
      { key: 'source', label: 'Источник сделки', type: 'SELECT', required: true, options: [{ value: 'web', label: 'Сайт' }, { value: 'fair', label: 'Выставка' }] },
      { key: 'deadline', label: 'Срок поставки', type: 'DATE' },
    ],
    sections: [{ title: 'Сделка', fields: ['source', 'budget', 'deadline'] }],
  },
};

const DEAL = `id title version stageKey status closeReason formData
  templateVersion { number template { name } }
  currentStage { key name probability outcome requiredFields }
  actions { id key kind status documentId dueAt assignee { id name } }
  nextAction { title dueAt }
  weightedAmount { minor currency }
  owner { name }`;
type Deal = {
  id: string;
  version: number;
  stageKey: string;
  status: string;
  closeReason: string | null;
  formData: Record<string, unknown>;
  templateVersion: { number: number; template: { name: string } };
  currentStage: { key: string; name: string };
  actions: { id: string; key: string; kind: string; status: string; documentId: string | null; assignee: { id: string; name: string } | null }[];
  nextAction: { title: string; dueAt: string } | null;
  weightedAmount: { minor: number; currency: string } | null;
  owner: { name: string } | null;
};

describe('deal cases through the gateway', () => {
  it('template → deal → actions (with a document made by the documents service) → won, on the card, the board and in the analytics', async () => {
    // The sales lead builds the template.
    const preview = await gql<{ previewCaseTemplate: { jsonSchema: { required: string[] }; uiSchema: { type: string } } }>(
      'query($d: JSONObject!) { previewCaseTemplate(definition: $d) { jsonSchema uiSchema stages { key } } }',
      { d: DEFINITION },
      LEAD,
    );
    expect(preview.previewCaseTemplate).toMatchObject({ jsonSchema: { required: ['source'] }, uiSchema: { type: 'VerticalLayout' } });
    const broken = await errorsOf('query($d: JSONObject!) { previewCaseTemplate(definition: $d) { uiSchema } }', { d: { ...DEFINITION, stages: DEFINITION.stages.filter((stage) => stage.outcome !== 'WON') } }, LEAD);
    expect(broken?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'definition.stages' });
    const { createCaseTemplate: template } = await gql<{ createCaseTemplate: { id: string; draftVersion: number } }>(
      'mutation($input: CreateCaseTemplateInput!) { createCaseTemplate(input: $input) { id draftVersion } }',
      { input: { name: 'Продажа оборудования', description: 'Три этапа и форма', definition: DEFINITION } },
      LEAD,
    );
    const { publishCaseTemplate: version } = await gql<{ publishCaseTemplate: { id: number; number: number; publishedBy: { name: string } } }>(
      'mutation($input: PublishCaseTemplateInput!) { publishCaseTemplate(input: $input) { id number publishedBy { name } } }',
      { input: { id: template.id, draftVersion: template.draftVersion } },
      LEAD,
    );
    expect(version).toMatchObject({ number: 1, publishedBy: { name: 'Андрей Морозов' } });

    // The manager opens a deal for a counterparty and fills the form.
    const counterpartyInput = legalEntityInput();
    const { createCounterparty: counterparty } = await gql<{ createCounterparty: { id: string } }>(CREATE_COUNTERPARTY, { input: counterpartyInput }, MANAGER.email);
    const invalid = await errorsOf('mutation($input: CreateDealInput!) { createDeal(input: $input) { id } }', { input: { title: 'Поставка', counterpartyId: counterparty.id, templateId: template.id, formData: { source: 'radio' } } }, MANAGER.email);
    expect(invalid?.[0]).toMatchObject({ message: expect.stringContaining('«Источник сделки»'), extensions: { code: 'BAD_USER_INPUT', field: 'formData.source' } });
    const { createDeal: opened } = await gql<{ createDeal: Deal }>(
      `mutation($input: CreateDealInput!) { createDeal(input: $input) { ${DEAL} } }`,
      { input: { title: 'Поставка серверного оборудования', counterpartyId: counterparty.id, templateId: template.id, amountMinor: 4_500_000_00, formData: { source: 'fair' } } },
      MANAGER.email,
    );
    expect(opened).toMatchObject({ stageKey: 'qualification', status: 'OPEN', templateVersion: { number: 1, template: { name: 'Продажа оборудования' } }, nextAction: { title: 'Первый звонок клиенту' }, owner: { name: MANAGER.name } });
    expect(opened.actions[0].assignee).toEqual({ id: MANAGER.id, name: MANAGER.name });
    let deal = opened;

    const MOVE = `mutation($input: MoveDealInput!) { moveDeal(input: $input) { ${DEAL} } }`;
    const COMPLETE = 'mutation($input: CompleteDealActionInput!) { completeDealAction(input: $input) { id status } }';
    const refused = await errorsOf(MOVE, { input: { id: deal.id, version: deal.version, stageKey: 'proposal' } }, MANAGER.email);
    expect(refused?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'stageKey', missingFields: ['budget'], missingActions: ['first_call'] });

    await gql(COMPLETE, { input: { id: deal.actions[0].id, comment: 'Бюджет подтверждён' } }, MANAGER.email);
    deal = (await gql<{ updateDeal: Deal }>(`mutation($input: UpdateDealInput!) { updateDeal(input: $input) { ${DEAL} } }`, { input: { id: deal.id, version: deal.version, formData: { budget: { amountMinor: 4_500_000_00, currency: 'RUB' }, deadline: '2027-02-01' } } }, MANAGER.email)).updateDeal;
    deal = (await gql<{ moveDeal: Deal }>(MOVE, { input: { id: deal.id, version: deal.version, stageKey: 'proposal' } }, MANAGER.email)).moveDeal;
    expect(deal).toMatchObject({ stageKey: 'proposal', weightedAmount: { minor: 2_700_000_00, currency: 'RUB' }, nextAction: { title: 'Отправить КП' } });

    // The administrator uploads the offer's DOCX template (the case template names it by its code).
    const { createDocumentTemplate: offerTemplate } = await gql<{ createDocumentTemplate: { id: string } }>(
      'mutation($input: CreateDocumentTemplateInput!) { createDocumentTemplate(input: $input) { id } }',
      { input: { code: 'offer-gateway', name: 'КП (шаблон)', documentType: 'COMMERCIAL_OFFER' } },
      'admin@kartoteka.local',
    );
    const templateFile = new FormData();
    templateFile.append('files', new Blob([new Uint8Array(buildDocx([{ text: 'Коммерческое предложение для {counterparty.name}, ИНН {counterparty.inn}' }]))]), 'kp.docx');
    const templateUpload = await fetch(stack.gatewayUrl.replace(/\/graphql$/, `/rest/documents/templates/${offerTemplate.id}/versions`), { method: 'POST', headers: { authorization: `Bearer ${await stack.login('admin@kartoteka.local')}` }, body: templateFile });
    expect(templateUpload.status).toBe(201);

    // The offer: requested from the documents service by an event, answered with a draft commercial offer.
    const offer = deal.actions.find((action) => action.kind === 'SEND_OFFER')!;
    expect((await gql<{ completeDealAction: { status: string } }>(COMPLETE, { input: { id: offer.id } }, MANAGER.email)).completeDealAction.status).toBe('REQUESTED');
    // The documents service answers through events, possibly before the next request: a move attempted now is
    // refused while the offer is still REQUESTED, and may only succeed once the answer has made it DONE.
    const early = await stack.call<{ moveDeal: Deal }>(MOVE, { input: { id: deal.id, version: deal.version, stageKey: 'contract' } }, await stack.login(MANAGER.email));
    if (early.errors?.length) expect(early.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', missingActions: ['offer'] });
    else expect(early.data?.moveDeal.actions.find((action) => action.id === offer.id)).toMatchObject({ status: 'DONE', documentId: expect.any(String) });
    const offered = await eventually(async () => {
      const read = await gql<{ deal: Deal }>(`query($id: ID!) { deal(id: $id) { ${DEAL} } }`, { id: deal.id }, MANAGER.email);
      const action = read.deal.actions.find((candidate) => candidate.id === offer.id);
      return action?.status === 'DONE' ? read.deal : null;
    });
    expect(offered.actions.find((action) => action.id === offer.id)?.documentId).toEqual(expect.any(String));
    // Its first version is generated from the template by the documents service's worker, moments after the
    // document itself (the conversion runs outside the event's transaction): the DOCX names the counterparty.
    const offerDocument = await eventually(async () => {
      const read = await gql<{ document: { currentVersion: { files: { id: string; name: string; contentType: string }[] } | null } }>(
        'query($id: ID!) { document(id: $id) { currentVersion { files { id name contentType } } } }',
        { id: offered.actions.find((action) => action.id === offer.id)!.documentId },
        MANAGER.email,
      );
      return read.document.currentVersion ? read : null;
    }, 60_000);
    const docx = offerDocument.document.currentVersion?.files.find((file) => file.name.endsWith('.docx'));
    expect(docx).toBeDefined();
    const downloaded = await fetch(stack.gatewayUrl.replace(/\/graphql$/, `/rest/documents/files/${docx!.id}`), { headers: { authorization: `Bearer ${await stack.login(MANAGER.email)}` } });
    const offerXml = documentXmlOf(Buffer.from(await downloaded.arrayBuffer()));
    expect(offerXml).toContain(`Коммерческое предложение для ${String(counterpartyInput.name)}, ИНН ${String(counterpartyInput.inn)}`);
    deal = early.errors?.length ? (await gql<{ moveDeal: Deal }>(MOVE, { input: { id: deal.id, version: offered.version, stageKey: 'contract' } }, MANAGER.email)).moveDeal : offered;
    expect(deal.nextAction?.title).toBe('Подготовить договор');

    // The card shows the deal with its stage and next action.
    const card = await gql<{ counterparty: { deals: { totalCount: number; edges: { node: { title: string; stage: string; currentStage: { name: string }; nextAction: { title: string } | null; owner: { name: string } } }[] } } }>(
      'query($id: ID!) { counterparty(id: $id) { deals(first: 5) { totalCount edges { node { title stage currentStage { name } nextAction { title dueAt } owner { name } } } } } }',
      { id: counterparty.id },
      VIEWER,
    );
    expect(card.counterparty.deals).toMatchObject({ totalCount: 1, edges: [{ node: { title: 'Поставка серверного оборудования', stage: 'contract', currentStage: { name: 'Договор' }, nextAction: { title: 'Подготовить договор' }, owner: { name: MANAGER.name } } }] });

    // The contract: drafted by the documents service, its file uploaded, sent for approval from the deal,
    // signed by the director — and the deal's approval action is done.
    const prepare = deal.actions.find((action) => action.kind === 'PREPARE_CONTRACT')!;
    await gql(COMPLETE, { input: { id: prepare.id } }, MANAGER.email);
    const prepared = await eventually(async () => {
      const read = await gql<{ deal: Deal }>(`query($id: ID!) { deal(id: $id) { ${DEAL} } }`, { id: deal.id }, MANAGER.email);
      return read.deal.actions.find((candidate) => candidate.id === prepare.id)?.status === 'DONE' ? read.deal : null;
    });
    const contractId = prepared.actions.find((action) => action.id === prepare.id)!.documentId!;
    const body = new FormData();
    body.append('files', new Blob([new Uint8Array(Buffer.from('%PDF-1.7\nДоговор поставки\n'))]), 'dogovor.pdf');
    const uploaded = await fetch(stack.gatewayUrl.replace(/\/graphql$/, '/rest/documents/files'), { method: 'POST', headers: { authorization: `Bearer ${await stack.login(MANAGER.email)}` }, body });
    const { files } = (await uploaded.json()) as { files: { id: string }[] };
    await gql('mutation($input: AddDocumentVersionInput!) { addDocumentVersion(input: $input) { number } }', { input: { documentId: contractId, fileIds: [files[0].id] } }, MANAGER.email);
    await gql(
      'mutation($input: CreateRouteTemplateInput!) { createRouteTemplate(input: $input) { id } }',
      { input: { name: 'Договор: подпись директора', documentType: 'CONTRACT', isDefault: true, stages: [{ name: 'Подписание', mode: 'SEQUENTIAL', rule: 'ALL', steps: [{ role: 'DIRECTOR', deadlineHours: 24 }] }] } },
      'admin@kartoteka.local',
    );
    const approval = prepared.actions.find((action) => action.kind === 'REQUEST_APPROVAL')!;
    expect((await gql<{ completeDealAction: { status: string } }>(COMPLETE, { input: { id: approval.id } }, MANAGER.email)).completeDealAction.status).toBe('REQUESTED');
    const stepId = await eventually(async () => {
      const tasks = await gql<{ myApprovalTasks: { edges: { node: { id: string; document: { id: string } } }[] } }>('{ myApprovalTasks(first: 20) { edges { node { id document { id } } } } }', {}, LEAD);
      return tasks.myApprovalTasks.edges.find((edge) => edge.node.document.id === contractId)?.node.id ?? null;
    });
    await gql('mutation($input: ApproveStepInput!) { approveStep(input: $input) { id } }', { input: { stepId, comment: 'Подписываю' } }, LEAD);
    deal = await eventually(async () => {
      const read = await gql<{ deal: Deal }>(`query($id: ID!) { deal(id: $id) { ${DEAL} } }`, { id: deal.id }, MANAGER.email);
      return read.deal.actions.find((candidate) => candidate.id === approval.id)?.status === 'DONE' ? read.deal : null;
    });
    const documents = await gql<{ deal: { documents: { id: string; type: string; status: string; verified: boolean }[] } }>('query($id: ID!) { deal(id: $id) { documents { id type status verified } } }', { id: deal.id }, MANAGER.email);
    expect(documents.deal.documents.map((document) => [document.type, document.verified]).sort()).toEqual([['COMMERCIAL_OFFER', false], ['CONTRACT', true]]);

    // Won; the history, the board and the analytics show it.
    deal = (await gql<{ moveDeal: Deal }>(MOVE, { input: { id: deal.id, version: deal.version, stageKey: 'won', closeReason: 'Подписали договор' } }, MANAGER.email)).moveDeal;
    expect(deal).toMatchObject({ status: 'WON', closeReason: 'Подписали договор', weightedAmount: { minor: 4_500_000_00 } });
    const history = await gql<{ deal: { history: { edges: { node: { kind: string; actor: { name: string } | null } }[] } } }>('query($id: ID!) { deal(id: $id) { history(first: 20) { edges { node { kind actor { name } } } } } }', { id: deal.id }, VIEWER);
    const kinds = history.deal.history.edges.map((edge) => edge.node.kind);
    expect(kinds[0]).toBe('WON');
    expect(kinds[kinds.length - 1]).toBe('CREATED');
    expect(kinds.filter((kind) => kind === 'DOCUMENT_CREATED')).toHaveLength(2);
    expect(history.deal.history.edges[0].node.actor?.name).toBe(MANAGER.name);

    const board = await gql<{ dealBoard: { stage: { key: string }; totalCount: number; sum: { minor: number }; deals: { id: string; owner: { name: string }; counterparty: { id: string; name: string } }[] }[] }>(
      'query($t: ID!) { dealBoard(templateId: $t) { stage { key name probability outcome } totalCount sum { minor currency } deals { id title version amount { minor currency } owner { id name } counterparty { id name } nextAction { title dueAt } } } }',
      { t: template.id },
      VIEWER,
    );
    const wonColumn = board.dealBoard.find((column) => column.stage.key === 'won')!;
    expect(wonColumn).toMatchObject({ totalCount: 1, sum: { minor: 4_500_000_00 }, deals: [{ id: deal.id, owner: { name: MANAGER.name }, counterparty: { id: counterparty.id, name: expect.stringContaining('Тестовая Компания') } }] });

    const analytics = await gql<{ dealAnalytics: { funnel: { stageKey: string; reached: number }[]; conversion: { rate: number }[]; winRate: number; won: number; byOwner: { owner: { name: string }; won: number }[] } }>(
      'query($t: ID!) { dealAnalytics(templateId: $t) { funnel { stageKey name reached current amount { minor } } conversion { fromStageKey toStageKey rate } timeInStage { stageKey averageDays } winRate won lost open weightedAmount { minor } byOwner { owner { id name } deals won lost winRate weightedAmount { minor } } byPeriod { period created won lost } } }',
      { t: template.id },
      VIEWER,
    );
    expect(analytics.dealAnalytics).toMatchObject({ won: 1, winRate: 1, byOwner: [{ owner: { name: MANAGER.name }, won: 1 }] });
    expect(analytics.dealAnalytics.funnel.map((row) => [row.stageKey, row.reached])).toEqual([['qualification', 1], ['proposal', 1], ['contract', 1], ['won', 1], ['lost', 0]]);
    expect(analytics.dealAnalytics.conversion.map((row) => row.rate)).toEqual([1, 1, 1]);
  });

  it('exports and imports a template, and keeps deals working for partners and the old API', async () => {
    const { caseTemplates } = await gql<{ caseTemplates: { id: string; name: string }[] }>('{ caseTemplates { id name } }', {}, VIEWER);
    const source = caseTemplates.find((item) => item.name === 'Продажа оборудования') ?? caseTemplates[0];
    const { exportCaseTemplate: file } = await gql<{ exportCaseTemplate: Record<string, unknown> }>('query($id: ID!) { exportCaseTemplate(id: $id) }', { id: source.id }, VIEWER);
    expect(file).toMatchObject({ format: 'kartoteka.case-template', version: 1 });
    const { importCaseTemplate: copy } = await gql<{ importCaseTemplate: { id: string; status: string; draft: unknown } }>(
      'mutation($input: ImportCaseTemplateInput!) { importCaseTemplate(input: $input) { id status draft } }',
      { input: { document: { ...file, name: 'Копия' } } },
      LEAD,
    );
    expect(copy).toMatchObject({ status: 'DRAFT', draft: file.definition });
    const badFile = await errorsOf('mutation($input: ImportCaseTemplateInput!) { importCaseTemplate(input: $input) { id } }', { input: { document: { ...file, definition: { stages: [], form: { fields: [], sections: [] }, extra: 1 } } } }, LEAD);
    expect(badFile?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'definition.extra' });
    expect((await errorsOf('mutation($input: ImportCaseTemplateInput!) { importCaseTemplate(input: $input) { id } }', { input: { document: file } }, VIEWER))?.[0].extensions?.code).toBe('FORBIDDEN');

    // The old createDeal (no template) still works: the default template «Продажа».
    const { createCounterparty: counterparty } = await gql<{ createCounterparty: { id: string } }>(CREATE_COUNTERPARTY, { input: legalEntityInput() }, MANAGER.email);
    const { createDeal } = await gql<{ createDeal: { stage: string; templateVersion: { template: { name: string } }; nextAction: { title: string } } }>(
      'mutation($input: CreateDealInput!) { createDeal(input: $input) { stage templateVersion { template { name } } nextAction { title } } }',
      { input: { title: 'Лизинг', counterpartyId: counterparty.id } },
      MANAGER.email,
    );
    expect(createDeal).toEqual({ stage: 'lead', templateVersion: { template: { name: 'Продажа' } }, nextAction: { title: 'Позвонить и выявить потребность' } });
  });
});

it('every event the scenario published parses with the contract its consumers read it with (each producer/consumer pair)', async () => {
  await stack.settle();
  const report = await checkPublishedEvents(stack);
  expect(report.violations).toEqual([]);
  expect(report.pairs.length).toBeGreaterThanOrEqual(6);
});
