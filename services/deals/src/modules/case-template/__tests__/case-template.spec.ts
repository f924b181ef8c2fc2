import { randomUUID } from 'node:crypto';
import { apiKeyIdentity, type Identity, UserDirectory } from '@kartoteka/kit';
import { demoIdentity, startTestSubgraph, type TestSubgraph, seedCounterpartyRefs, seedDemoUserRefs } from '@kartoteka/kit/testing';
import { EQUIPMENT_DEFINITIONS } from '../../../seed/equipment-template.seed';
import { dealsSubgraph } from '../../../subgraph';
import { DEFAULT_TEMPLATE_ID } from '../case-template.defaults';

/** A counterparty id the deals service knows (in its read model, as counterparties' events would put it). */
async function knownCounterparty(): Promise<string> {
  const id = randomUUID();
  await seedCounterpartyRefs(subgraph.orm.em, [id]);
  return id;
}

const manager: Identity = demoIdentity('manager@kartoteka.local');
const viewer: Identity = demoIdentity('viewer@kartoteka.local');
const readOnlyPartner: Identity = apiKeyIdentity('00000000-0000-4000-8000-00000000aaaa', '1C', ['deals:read']);

let subgraph: TestSubgraph;

beforeAll(async () => {
  subgraph = await startTestSubgraph(dealsSubgraph());
  await seedDemoUserRefs(subgraph.orm.em);
});
afterAll(() => subgraph?.close());

const TEMPLATE = 'id name description status draft draftVersion updatedAt latestVersion { id number } versions { id number publishedAt }';
const CREATE = `mutation($input: CreateCaseTemplateInput!) { createCaseTemplate(input: $input) { ${TEMPLATE} } }`;
const UPDATE = `mutation($input: UpdateCaseTemplateDraftInput!) { updateCaseTemplateDraft(input: $input) { ${TEMPLATE} } }`;
const PUBLISH = `mutation($input: PublishCaseTemplateInput!) { publishCaseTemplate(input: $input) {
  id number publishedAt publishedBy { id } definition jsonSchema uiSchema template { id name }
  stages { key name probability outcome requiredFields actions { key kind title required dueOffsetDays } }
} }`;
const EXPORT = 'query($id: ID!) { exportCaseTemplate(id: $id) }';
const IMPORT = `mutation($input: ImportCaseTemplateInput!) { importCaseTemplate(input: $input) { ${TEMPLATE} } }`;
const PREVIEW = 'query($definition: JSONObject!) { previewCaseTemplate(definition: $definition) { jsonSchema uiSchema stages { key name probability outcome requiredFields actions { key kind title required dueOffsetDays } } } }';
const ARCHIVE = `mutation($input: ArchiveCaseTemplateInput!) { archiveCaseTemplate(input: $input) { ${TEMPLATE} } }`;
const LIST = `query($includeArchived: Boolean) { caseTemplates(includeArchived: $includeArchived) { id name status } }`;

type Template = { id: string; name: string; description: string | null; status: string; draft: Record<string, unknown>; draftVersion: number; latestVersion: { id: string; number: number } | null; versions: { id: string; number: number }[] };
type Version = { id: string; number: number; definition: Record<string, unknown>; jsonSchema: Record<string, unknown>; uiSchema: Record<string, unknown>; template: { id: string; name: string }; publishedBy: { id: string } | null; stages: { key: string }[] };

const MINIMAL = {
  stages: [
    { key: 'open', name: 'В работе', probability: 40, outcome: 'OPEN' },
    { key: 'won', name: 'Успех', probability: 100, outcome: 'WON' },
    { key: 'lost', name: 'Отказ', probability: 0, outcome: 'LOST' },
  ],
  form: { fields: [], sections: [] },
};

async function create(input: Record<string, unknown>): Promise<Template> {
  const result = await subgraph.request<{ createCaseTemplate: Template }>(CREATE, { input }, manager);
  if (!result.data?.createCaseTemplate) throw new Error(JSON.stringify(result.errors));
  return result.data.createCaseTemplate;
}

async function publish(id: string, draftVersion: number): Promise<Version> {
  const result = await subgraph.request<{ publishCaseTemplate: Version }>(PUBLISH, { input: { id, draftVersion } }, manager);
  if (!result.data?.publishCaseTemplate) throw new Error(JSON.stringify(result.errors));
  return result.data.publishCaseTemplate;
}

describe('case templates', () => {
  it('publishes only when every action given to a named user goes to a known, active member of staff', async () => {
    const withAssignee = (userId: string) => ({
      ...MINIMAL,
      stages: [{ ...MINIMAL.stages[0], actions: [{ key: 'review', kind: 'TASK', title: 'Проверка', dueOffsetDays: 1, required: false, assignee: { type: 'USER', userId } }] }, ...MINIMAL.stages.slice(1)],
    });
    const field = 'definition.stages.0.actions.0.assignee.userId';
    const unknown = await create({ name: 'Назначение неизвестному', definition: withAssignee(randomUUID()) });
    const refused = await subgraph.request(PUBLISH, { input: { id: unknown.id, draftVersion: 1 } }, manager);
    expect(refused.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field } });

    const leaverId = randomUUID();
    await new UserDirectory(subgraph.orm.em.fork()).upsert({ id: leaverId, email: 'leaver@kartoteka.local', name: 'Уволенный Сотрудник', roles: ['MANAGER'], active: false, updatedAt: new Date() });
    const inactive = await create({ name: 'Назначение уволенному', definition: withAssignee(leaverId) });
    const refusedInactive = await subgraph.request(PUBLISH, { input: { id: inactive.id, draftVersion: 1 } }, manager);
    expect(refusedInactive.errors?.[0]).toMatchObject({ message: expect.stringContaining('Уволенный Сотрудник'), extensions: { code: 'BAD_USER_INPUT', field } });
    const untouched = await subgraph.request<{ caseTemplate: Template }>(`query($id: ID!) { caseTemplate(id: $id) { ${TEMPLATE} } }`, { id: inactive.id }, viewer);
    expect(untouched.data?.caseTemplate).toMatchObject({ status: 'DRAFT', latestVersion: null, versions: [] });

    const active = await create({ name: 'Назначение менеджеру', definition: withAssignee(manager.kind === 'user' ? manager.id : '') });
    expect((await publish(active.id, 1)).number).toBe(1);
  });

  it('creates a draft, publishes it as version 1 with its form schemas, and lists it', async () => {
    const template = await create({ name: '  Сервисный контракт ', description: 'Обслуживание', definition: EQUIPMENT_DEFINITIONS[1] });
    expect(template).toMatchObject({ name: 'Сервисный контракт', description: 'Обслуживание', status: 'DRAFT', draftVersion: 1, latestVersion: null, versions: [] });
    expect(template.draft).toEqual(EQUIPMENT_DEFINITIONS[1]);

    const version = await publish(template.id, 1);
    expect(version).toMatchObject({ number: 1, template: { id: template.id, name: 'Сервисный контракт' }, publishedBy: { id: manager.kind === 'user' ? manager.id : '' } });
    expect(version.definition).toEqual(EQUIPMENT_DEFINITIONS[1]);
    expect(version.stages.map((stage) => stage.key)).toEqual(['request', 'survey', 'offer', 'contract', 'delivered', 'lost']);
    expect(version.jsonSchema).toMatchObject({ type: 'object', required: ['equipmentType'] });
    expect(version.uiSchema).toMatchObject({ type: 'VerticalLayout' });

    const listed = await subgraph.request<{ caseTemplates: { id: string; status: string }[] }>(LIST, {}, viewer);
    expect(listed.data?.caseTemplates.find((item) => item.id === template.id)?.status).toBe('PUBLISHED');
    const read = await subgraph.request<{ caseTemplate: Template }>(`query($id: ID!) { caseTemplate(id: $id) { ${TEMPLATE} } }`, { id: template.id }, viewer);
    expect(read.data?.caseTemplate).toMatchObject({ status: 'PUBLISHED', draftVersion: 1, latestVersion: { id: version.id, number: 1 }, versions: [{ id: version.id, number: 1 }] });
    const byId = await subgraph.request<{ caseTemplateVersion: { number: number } }>('query($id: ID!) { caseTemplateVersion(id: $id) { number } }', { id: version.id }, viewer);
    expect(byId.data?.caseTemplateVersion.number).toBe(1);
  });

  it('round-trips a template with every field type through export and import', async () => {
    const original = await create({ name: 'Поставка (экспорт)', description: 'Все типы полей', definition: EQUIPMENT_DEFINITIONS[1] });
    const exported = await subgraph.request<{ exportCaseTemplate: Record<string, unknown> }>(EXPORT, { id: original.id }, viewer);
    expect(exported.errors).toBeUndefined();
    const file = exported.data!.exportCaseTemplate;
    expect(file).toEqual({ format: 'kartoteka.case-template', version: 1, name: 'Поставка (экспорт)', description: 'Все типы полей', definition: EQUIPMENT_DEFINITIONS[1] });
    const types = (file.definition as { form: { fields: { type: string }[] } }).form.fields.map((field) => field.type);
    expect(new Set(types)).toEqual(new Set(['TEXT', 'LONG_TEXT', 'NUMBER', 'MONEY', 'DATE', 'SELECT', 'MULTI_SELECT', 'BOOLEAN', 'CONTACT', 'USER', 'FILE']));

    // The file as it would be saved and read back.
    const imported = await subgraph.request<{ importCaseTemplate: Template }>(IMPORT, { input: { document: JSON.parse(JSON.stringify(file)) } }, manager);
    expect(imported.errors).toBeUndefined();
    const copy = imported.data!.importCaseTemplate;
    expect(copy.id).not.toBe(original.id);
    // The original is still there: the copy is told apart by its name.
    expect(copy).toMatchObject({ name: 'Поставка (экспорт) (копия)', description: 'Все типы полей', status: 'DRAFT', draftVersion: 1 });
    expect(copy.draft).toEqual(EQUIPMENT_DEFINITIONS[1]);
    const again = await subgraph.request<{ exportCaseTemplate: Record<string, unknown> }>(EXPORT, { id: copy.id }, viewer);
    expect(again.data?.exportCaseTemplate).toEqual({ ...file, name: 'Поставка (экспорт) (копия)' });
    expect((await publish(copy.id, 1)).definition).toEqual(EQUIPMENT_DEFINITIONS[1]);
  });

  it('names an imported template as asked, or uniquely when no name is given', async () => {
    const stamp = randomUUID().slice(0, 8);
    const file = { format: 'kartoteka.case-template', version: 1, name: `Монтаж ${stamp}`, description: null, definition: MINIMAL };
    const importAs = async (name?: string | null): Promise<string> => {
      const result = await subgraph.request<{ importCaseTemplate: Template }>(IMPORT, { input: { document: file, ...(name === undefined ? {} : { name }) } }, manager);
      if (!result.data?.importCaseTemplate) throw new Error(JSON.stringify(result.errors));
      return result.data.importCaseTemplate.name;
    };
    // Nobody has the file's name yet: it is kept; then copies are numbered.
    expect(await importAs()).toBe(`Монтаж ${stamp}`);
    expect(await importAs()).toBe(`Монтаж ${stamp} (копия)`);
    expect(await importAs(null)).toBe(`Монтаж ${stamp} (копия 2)`);
    expect(await importAs('  ')).toBe(`Монтаж ${stamp} (копия 3)`);
    // A given name is taken as given (trimmed).
    expect(await importAs(`  Монтаж для филиала ${stamp} `)).toBe(`Монтаж для филиала ${stamp}`);
    // Names differing only in case are the same name; an archived template keeps its name taken.
    const upper = { ...file, name: `МОНТАЖ ${stamp}` };
    const archived = await subgraph.request<{ importCaseTemplate: Template }>(IMPORT, { input: { document: { ...file, name: `Архив ${stamp}` } } }, manager);
    await subgraph.request(ARCHIVE, { input: { id: archived.data!.importCaseTemplate.id } }, manager);
    expect((await subgraph.request<{ importCaseTemplate: Template }>(IMPORT, { input: { document: upper } }, manager)).data?.importCaseTemplate.name).toBe(`МОНТАЖ ${stamp} (копия 4)`);
    expect((await subgraph.request<{ importCaseTemplate: Template }>(IMPORT, { input: { document: { ...file, name: `Архив ${stamp}` } } }, manager)).data?.importCaseTemplate.name).toBe(`Архив ${stamp} (копия)`);
    // A 200-character name still gets a unique name of at most 200 characters.
    const long = { ...file, name: `${stamp}${'я'.repeat(192)}` };
    const first = (await subgraph.request<{ importCaseTemplate: Template }>(IMPORT, { input: { document: long } }, manager)).data!.importCaseTemplate.name;
    const second = (await subgraph.request<{ importCaseTemplate: Template }>(IMPORT, { input: { document: long } }, manager)).data!.importCaseTemplate.name;
    expect(first).toBe(long.name);
    expect(second).toHaveLength(200);
    expect(second.endsWith(' (копия)')).toBe(true);
    // Concurrent imports of one file get different names.
    const racing = await Promise.all([1, 2, 3].map(() => subgraph.request<{ importCaseTemplate: Template }>(IMPORT, { input: { document: { ...file, name: `Гонка ${stamp}` } } }, manager)));
    expect(new Set(racing.map((result) => result.data?.importCaseTemplate.name))).toEqual(new Set([`Гонка ${stamp}`, `Гонка ${stamp} (копия)`, `Гонка ${stamp} (копия 2)`]));
    // A name over the limit is refused.
    const tooLong = await subgraph.request(IMPORT, { input: { document: file, name: 'x'.repeat(201) } }, manager);
    expect(tooLong.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('refuses an invalid file on import with the JSON path of the problem, and imports nothing', async () => {
    const count = async () => (await subgraph.request<{ caseTemplates: unknown[] }>(LIST, { includeArchived: true }, viewer)).data!.caseTemplates.length;
    const before = await count();
    const file = { format: 'kartoteka.case-template', version: 1, name: 'Импорт', description: null, definition: EQUIPMENT_DEFINITIONS[0] };
    const stages = EQUIPMENT_DEFINITIONS[0].stages;
    const cases: [Record<string, unknown>, string][] = [
      [{ ...file, format: 'something-else' }, 'format'],
      [{ ...file, version: 7 }, 'version'],
      [{ ...file, name: ' ' }, 'name'],
      [{ ...file, definition: { ...EQUIPMENT_DEFINITIONS[0], stages: stages.map((stage, i) => (i === 2 ? { ...stage, key: stages[0].key } : stage)) } }, 'definition.stages.2.key'],
      [{ ...file, definition: { ...EQUIPMENT_DEFINITIONS[0], stages: stages.map((stage, i) => (i === 1 ? { ...stage, requiredFields: ['quantity', 'nope'] } : stage)) } }, 'definition.stages.1.requiredFields.1'],
      [{ ...file, definition: { ...EQUIPMENT_DEFINITIONS[0], stages: stages.filter((stage) => stage.outcome !== 'WON') } }, 'definition.stages'],
      [{ ...file, definition: { ...EQUIPMENT_DEFINITIONS[0], form: { ...EQUIPMENT_DEFINITIONS[0].form, sections: EQUIPMENT_DEFINITIONS[0].form.sections.slice(1) } } }, 'definition.form.fields.0'],
    ];
    for (const [document, field] of cases) {
      const result = await subgraph.request(IMPORT, { input: { document } }, manager);
      expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    expect(await count()).toBe(before);
  });

  it('saves drafts with their own optimistic lock, checks only structure on save and every rule on publish and preview', async () => {
    const template = await create({ name: 'Черновик' });
    expect((template.draft as { stages: unknown[] }).stages).toHaveLength(3);
    const incomplete = { ...MINIMAL, stages: MINIMAL.stages.slice(0, 1) };
    const saved = await subgraph.request<{ updateCaseTemplateDraft: Template }>(UPDATE, { input: { id: template.id, draftVersion: 1, definition: incomplete, description: 'Без исходов' } }, manager);
    expect(saved.data?.updateCaseTemplateDraft).toMatchObject({ draftVersion: 2, description: 'Без исходов', status: 'DRAFT' });
    const stale = await subgraph.request(UPDATE, { input: { id: template.id, draftVersion: 1, name: 'Поздно' } }, manager);
    expect(stale.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', currentDraftVersion: 2 });
    const malformed = await subgraph.request(UPDATE, { input: { id: template.id, draftVersion: 2, definition: { ...MINIMAL, stages: [{ key: 'x y', name: 'X', probability: 5, outcome: 'OPEN' }] } } }, manager);
    expect(malformed.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'definition.stages.0.key' });

    const refused = await subgraph.request(PUBLISH, { input: { id: template.id, draftVersion: 2 } }, manager);
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'definition.stages' });
    expect((await subgraph.request(PUBLISH, { input: { id: template.id, draftVersion: 1 } }, manager)).errors?.[0].extensions?.code).toBe('CONFLICT');

    const preview = await subgraph.request<{ previewCaseTemplate: { jsonSchema: Record<string, unknown>; uiSchema: Record<string, unknown>; stages: { key: string; actions: unknown[] }[] } }>(PREVIEW, { definition: EQUIPMENT_DEFINITIONS[0] }, viewer);
    expect(preview.errors).toBeUndefined();
    expect(preview.data?.previewCaseTemplate.stages.map((stage) => stage.key)).toEqual(['request', 'survey', 'offer', 'contract', 'delivered', 'lost']);
    expect(preview.data?.previewCaseTemplate.stages[3].actions).toEqual([
      { key: 'prepare-contract', kind: 'PREPARE_CONTRACT', title: 'Подготовить договор поставки', required: true, dueOffsetDays: 3 },
      { key: 'approve-contract', kind: 'REQUEST_APPROVAL', title: 'Согласовать договор', required: false, dueOffsetDays: 7 },
    ]);
    expect(preview.data?.previewCaseTemplate.uiSchema).toMatchObject({ type: 'VerticalLayout', elements: [{ type: 'Group', label: 'Оборудование' }, {}, {}, {}] });
    const badPreview = await subgraph.request(PREVIEW, { definition: incomplete }, viewer);
    expect(badPreview.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'definition.stages' });

    await subgraph.request(UPDATE, { input: { id: template.id, draftVersion: 2, definition: MINIMAL } }, manager);
    const first = await publish(template.id, 3);
    expect(first.number).toBe(1);
    const unchanged = await subgraph.request(PUBLISH, { input: { id: template.id, draftVersion: 3 } }, manager);
    expect(unchanged.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'definition' });
    await subgraph.request(UPDATE, { input: { id: template.id, draftVersion: 3, definition: { ...MINIMAL, stages: [{ ...MINIMAL.stages[0], probability: 60 }, ...MINIMAL.stages.slice(1)] } } }, manager);
    const second = await publish(template.id, 4);
    expect(second.number).toBe(2);
    const read = await subgraph.request<{ caseTemplate: Template }>(`query($id: ID!) { caseTemplate(id: $id) { ${TEMPLATE} } }`, { id: template.id }, viewer);
    expect(read.data?.caseTemplate.versions.map((version) => version.number)).toEqual([2, 1]);
    expect(read.data?.caseTemplate.latestVersion?.number).toBe(2);
  });

  it('archives a template: hidden from the default list, no new deals, no more edits; the default template stays', async () => {
    const template = await create({ name: 'Архивный', definition: MINIMAL });
    await publish(template.id, 1);
    const archived = await subgraph.request<{ archiveCaseTemplate: Template }>(ARCHIVE, { input: { id: template.id } }, manager);
    expect(archived.data?.archiveCaseTemplate.status).toBe('ARCHIVED');
    expect((await subgraph.request<{ caseTemplates: { id: string }[] }>(LIST, {}, viewer)).data?.caseTemplates.map((item) => item.id)).not.toContain(template.id);
    expect((await subgraph.request<{ caseTemplates: { id: string }[] }>(LIST, { includeArchived: true }, viewer)).data?.caseTemplates.map((item) => item.id)).toContain(template.id);
    const deal = await subgraph.request('mutation($input: CreateDealInput!) { createDeal(input: $input) { id } }', { input: { title: 'Сделка', counterpartyId: await knownCounterparty(), templateId: template.id } }, manager);
    expect(deal.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'templateId' });
    expect((await subgraph.request(UPDATE, { input: { id: template.id, draftVersion: 1, name: 'Снова' } }, manager)).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });

    // The default template is installed on demand (a deal without a template) and cannot be archived.
    const legacy = await subgraph.request<{ createDeal: { id: string } }>('mutation($input: CreateDealInput!) { createDeal(input: $input) { id } }', { input: { title: 'Без шаблона', counterpartyId: await knownCounterparty() } }, manager);
    expect(legacy.errors).toBeUndefined();
    expect((await subgraph.request(ARCHIVE, { input: { id: DEFAULT_TEMPLATE_ID } }, manager)).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    const listed = await subgraph.request<{ caseTemplates: { id: string; name: string; status: string }[] }>(LIST, {}, viewer);
    expect(listed.data?.caseTemplates.find((item) => item.id === DEFAULT_TEMPLATE_ID)).toEqual({ id: DEFAULT_TEMPLATE_ID, name: 'Продажа', status: 'PUBLISHED' });
  });

  it('lets readers read and only deals:write holders change templates', async () => {
    expect((await subgraph.request(CREATE, { input: { name: 'Нельзя' } }, viewer)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await subgraph.request(CREATE, { input: { name: 'Нельзя' } }, readOnlyPartner)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await subgraph.request(LIST, {})).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect((await subgraph.request(LIST, {}, readOnlyPartner)).errors).toBeUndefined();
    const missing = await subgraph.request<{ caseTemplate: null; caseTemplateVersion: null }>('{ caseTemplate(id: "6a1c7e4e-0000-4000-8000-000000000000") { id } caseTemplateVersion(id: "nope") { id } }', {}, viewer);
    expect(missing.data).toEqual({ caseTemplate: null, caseTemplateVersion: null });
  });
});
