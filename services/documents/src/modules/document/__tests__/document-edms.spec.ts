import { seedCounterpartyRefs, startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { defaultDocumentsSettings } from '../../../config';
import { documentsSubgraph } from '../../../subgraph';
import { admin, COUNTERPARTY_ID, errorOf, fillStaffDirectory, idOf, manager, ok, sales, storedFile, viewer } from '../../approval/__tests__/approval.fixtures';

let subgraph: TestSubgraph;

beforeAll(async () => {
  subgraph = await startTestSubgraph(documentsSubgraph(defaultDocumentsSettings(), { workers: false }));
  await fillStaffDirectory(subgraph);
  await seedCounterpartyRefs(subgraph.orm.em, ['5d1c0000-0000-4000-8000-000000000002', '5d1c0000-0000-4000-8000-0000000000aa', '5d1c0000-0000-4000-8000-0000000000bb']);
});
afterAll(() => subgraph?.close());

const CREATE = `mutation($input: CreateDocumentInput!) { createDocument(input: $input) {
  id type status title number amount { minor currency } responsible { id }
  details { __typename ... on ContractDetails { subject startDate endDate paymentTerms } ... on InvoiceDetails { dueDate vat { minor currency } } ... on ActDetails { periodStart periodEnd } ... on PaymentOrderDetails { paymentDate payer payee purpose } ... on LetterDetails { correspondent senderNumber } }
  links { kind target { id type } } currentVersion { number files { id name url previewable } }
} }`;
const OTHER_COUNTERPARTY = '5d1c0000-0000-4000-8000-000000000002';

type Created = { id: string; type: string; status: string; number: string | null; details: Record<string, unknown> | null; links: { kind: string; target: { id: string; type: string } }[]; currentVersion: { number: number; files: { id: string; name: string; url: string; previewable: boolean }[] } | null };

const create = (input: Record<string, unknown>, as = manager) => subgraph.request<{ createDocument: Created }>(CREATE, { input: { counterpartyId: COUNTERPARTY_ID, ...input } }, as);
const contractInput = { type: 'CONTRACT', title: 'Договор № 1', amountMinor: 1_000_00, contract: { subject: 'Услуги', startDate: '2026-02-01' } };

async function rowCount(): Promise<number> {
  const rows = await subgraph.orm.em.getConnection().execute<{ n: number }[]>('select count(*)::int as n from documents');
  return rows[0].n;
}

describe('documents of each type', () => {
  it('keeps the fields of each type and refuses missing or foreign ones, changing nothing', async () => {
    const contract = ok(await create({ ...contractInput, fileIds: [await storedFile(subgraph)] })).createDocument;
    expect(contract.details).toEqual({ __typename: 'ContractDetails', subject: 'Услуги', startDate: '2026-02-01', endDate: null, paymentTerms: null });
    expect(contract.currentVersion).toMatchObject({ number: 1, files: [{ name: 'contract.pdf', previewable: true }] });
    expect(contract.currentVersion?.files[0].url).toBe(`/rest/documents/files/${contract.currentVersion?.files[0].id}`);

    const before = await rowCount();
    expect(errorOf(await create({ type: 'CONTRACT', title: 'Без условий' }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'contract' });
    expect(errorOf(await create({ ...contractInput, contract: { subject: 'x', startDate: '2026-02-01', endDate: '2026-01-01' } }))).toMatchObject({ field: 'contract.endDate' });
    expect(errorOf(await create({ ...contractInput, invoice: { dueDate: '2026-03-01' } }))).toMatchObject({ field: 'invoice', reason: 'document.details-type-mismatch' });
    expect(errorOf(await create({ type: 'INVOICE', title: 'Счёт', invoice: { dueDate: '2026-03-01' } }))).toMatchObject({ field: 'amountMinor' });
    expect(errorOf(await create({ type: 'SUPPLEMENTARY_AGREEMENT', title: 'ДС', supplementaryAgreement: { subject: 'Цена' } }))).toMatchObject({ field: 'links' });
    expect(errorOf(await create({ type: 'ACT', title: 'Акт', amountMinor: 100, act: { periodStart: '2026-02-01', periodEnd: '2026-01-01' } }))).toMatchObject({ field: 'act.periodEnd' });
    expect(await rowCount()).toBe(before);

    const invoice = ok(await create({ type: 'INVOICE', title: 'Счёт № 5', amountMinor: 120_000, invoice: { vatMinor: 20_000, dueDate: '2026-03-10' }, links: [{ kind: 'INVOICE_FOR', targetId: contract.id }] })).createDocument;
    expect(invoice.details).toEqual({ __typename: 'InvoiceDetails', dueDate: '2026-03-10', vat: { minor: 20_000, currency: 'RUB' } });
    expect(invoice.links).toEqual([{ kind: 'INVOICE_FOR', target: { id: contract.id, type: 'CONTRACT' } }]);
    const payment = ok(await create({ type: 'PAYMENT_ORDER', title: 'П/п № 77', amountMinor: 120_000, paymentOrder: { paymentDate: '2026-03-05', payer: 'ООО «Ромашка»', payee: 'ООО «Картотека»', purpose: 'Оплата по счёту № 5' }, links: [{ kind: 'PAYMENT_FOR', targetId: invoice.id }] })).createDocument;
    expect(payment.details).toMatchObject({ __typename: 'PaymentOrderDetails', purpose: 'Оплата по счёту № 5' });
    const agreement = ok(await create({ type: 'SUPPLEMENTARY_AGREEMENT', title: 'ДС № 1', supplementaryAgreement: { subject: 'Новая цена', effectiveDate: '2026-04-01' }, links: [{ kind: 'SUPPLEMENT_TO', targetId: contract.id }] })).createDocument;
    expect(agreement.links[0].target.id).toBe(contract.id);

    const linkedFrom = ok(await subgraph.request<{ document: { linkedFrom: { kind: string; source: { id: string } }[] } }>(`query($id: ID!) { document(id: $id) { linkedFrom { kind source { id } } } }`, { id: contract.id }, manager));
    expect(linkedFrom.document.linkedFrom.map((link) => link.kind).sort()).toEqual(['INVOICE_FOR', 'SUPPLEMENT_TO']);
  });

  it('refuses links with the wrong meaning or to another counterparty\'s documents', async () => {
    const letter = ok(await create({ type: 'INCOMING_LETTER', title: 'Письмо', letter: { correspondent: 'Бухгалтерия', senderNumber: '12/3' } })).createDocument;
    const foreign = ok(await create({ ...contractInput, counterpartyId: OTHER_COUNTERPARTY })).createDocument;
    expect(errorOf(await create({ type: 'INVOICE', title: 'С', amountMinor: 1, invoice: { dueDate: '2026-01-01' }, links: [{ kind: 'INVOICE_FOR', targetId: letter.id }] }))).toMatchObject({ field: 'links.0.targetId', reason: 'link.kind-mismatch' });
    expect(errorOf(await create({ type: 'INVOICE', title: 'С', amountMinor: 1, invoice: { dueDate: '2026-01-01' }, links: [{ kind: 'INVOICE_FOR', targetId: foreign.id }] }))).toMatchObject({ reason: 'link.other-counterparty' });
    const reply = ok(await create({ type: 'OUTGOING_LETTER', title: 'Ответ', links: [{ kind: 'REPLY_TO', targetId: letter.id }] })).createDocument;
    expect(reply.links[0]).toMatchObject({ kind: 'REPLY_TO' });
    const LINK = `mutation($input: LinkDocumentsInput!) { linkDocuments(input: $input) { id links { id kind } } }`;
    expect(errorOf(await subgraph.request(LINK, { input: { sourceId: reply.id, targetId: letter.id, kind: 'REPLY_TO' } }, manager)).code).toBe('CONFLICT');
    const linked = ok(await subgraph.request<{ linkDocuments: { links: { id: string; kind: string }[] } }>(LINK, { input: { sourceId: reply.id, targetId: letter.id, kind: 'RELATED' } }, manager));
    const related = linked.linkDocuments.links.find((link) => link.kind === 'RELATED')!;
    const unlinked = ok(await subgraph.request<{ unlinkDocuments: { links: { kind: string }[] } }>(`mutation($input: UnlinkDocumentsInput!) { unlinkDocuments(input: $input) { links { kind } } }`, { input: { linkId: related.id } }, manager));
    expect(unlinked.unlinkDocuments.links.map((link) => link.kind)).toEqual(['REPLY_TO']);
  });

  it('edits a draft with optimistic locking', async () => {
    const created = ok(await create(contractInput)).createDocument;
    const UPDATE = `mutation($input: UpdateDocumentInput!) { updateDocument(input: $input) { id version title summary details { ... on ContractDetails { subject } } } }`;
    const updated = ok(await subgraph.request<{ updateDocument: { version: number; title: string; details: { subject: string } } }>(UPDATE, { input: { id: created.id, version: 1, title: 'Договор № 1 (ред.)', summary: 'Новая редакция', contract: { subject: 'Услуги связи', startDate: '2026-02-01' } } }, manager));
    expect(updated.updateDocument).toMatchObject({ version: 2, title: 'Договор № 1 (ред.)', details: { subject: 'Услуги связи' } });
    expect(errorOf(await subgraph.request(UPDATE, { input: { id: created.id, version: 1, title: 'Устаревшая правка' } }, manager)).code).toBe('CONFLICT');
    expect(errorOf(await subgraph.request(UPDATE, { input: { id: created.id, version: 2, title: 'x' } }, viewer)).code).toBe('FORBIDDEN');
    // Another manager may edit the text, not who is responsible or who may see it.
    expect(errorOf(await subgraph.request(UPDATE, { input: { id: created.id, version: 2, restricted: true } }, sales)).code).toBe('FORBIDDEN');
    expect(errorOf(await subgraph.request(UPDATE, { input: { id: created.id, version: 2, responsibleId: idOf(sales) } }, sales)).code).toBe('FORBIDDEN');
    expect(ok(await subgraph.request<{ updateDocument: { version: number } }>(UPDATE, { input: { id: created.id, version: 2, summary: 'Правка коллеги', restricted: false } }, sales)).updateDocument.version).toBe(3);
    expect(ok(await subgraph.request<{ updateDocument: { version: number } }>(UPDATE, { input: { id: created.id, version: 3, restricted: true } }, manager)).updateDocument.version).toBe(4);
  });
});

describe('registration', () => {
  it('50 concurrent registrations get unique, gap-free numbers of their journal; a number is never reassigned', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 50; i += 1) ids.push(ok(await create({ type: 'OUTGOING_LETTER', title: `Письмо ${i}` })).createDocument.id);
    const REGISTER = `mutation($input: RegisterDocumentInput!) { registerDocument(input: $input) { id number registeredAt } }`;
    const results = await Promise.all(ids.map((id) => subgraph.request<{ registerDocument: { number: string } }>(REGISTER, { input: { id } }, manager)));
    const numbers = results.map((result) => ok(result).registerDocument.number);
    const year = new Date().getUTCFullYear();
    const sequence = numbers.map((number) => {
      expect(number).toMatch(new RegExp(`^ИСХ-${year}-\\d{5}$`));
      return Number(number.slice(-5));
    });
    expect(new Set(sequence).size).toBe(50);
    const sorted = [...sequence].sort((a, b) => a - b);
    expect(sorted[sorted.length - 1] - sorted[0]).toBe(49);
    expect(errorOf(await subgraph.request(REGISTER, { input: { id: ids[0] } }, manager))).toMatchObject({ code: 'CONFLICT', reason: 'document.already-registered' });
  });
});

describe('registry', () => {
  it('filters by type, status, period and number/text search', async () => {
    const counterpartyId = '5d1c0000-0000-4000-8000-0000000000aa';
    await create({ counterpartyId, type: 'INCOMING_LETTER', title: 'Претензия по качеству', date: '2026-03-01', letter: { senderNumber: 'ПР-981' } });
    await create({ counterpartyId, type: 'INCOMING_LETTER', title: 'Запрос документов', date: '2026-05-01' });
    await create({ counterpartyId, type: 'COMMERCIAL_OFFER', title: 'КП на поставку', date: '2026-04-01', commercialOffer: { validUntil: '2026-05-01' } });
    const LIST = `query($c: ID, $t: DocumentType, $s: String, $from: String, $to: String) { documents(counterpartyId: $c, type: $t, search: $s, dateFrom: $from, dateTo: $to, first: 10) { totalCount edges { node { title } } } }`;
    const titles = async (vars: Record<string, unknown>) => ok(await subgraph.request<{ documents: { totalCount: number; edges: { node: { title: string } }[] } }>(LIST, { c: counterpartyId, ...vars }, viewer)).documents.edges.map((edge) => edge.node.title);
    expect(await titles({ t: 'INCOMING_LETTER' })).toEqual(['Запрос документов', 'Претензия по качеству']);
    expect(await titles({ s: 'претенз' })).toEqual(['Претензия по качеству']);
    expect(await titles({ s: 'ПР-981' })).toEqual(['Претензия по качеству']);
    expect(await titles({ s: '100%_' })).toEqual([]);
    expect(await titles({ from: '2026-03-15', to: '2026-04-30' })).toEqual(['КП на поставку']);
    expect(errorOf(await subgraph.request(LIST, { c: counterpartyId, from: '2026-05-01', to: '2026-04-01' }, viewer))).toMatchObject({ field: 'dateTo' });
  });

  it('hides restricted documents from outsiders in lists and on the card, not from admins', async () => {
    const counterpartyId = '5d1c0000-0000-4000-8000-0000000000bb';
    const secret = ok(await create({ ...contractInput, counterpartyId, restricted: true })).createDocument;
    const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Counterparty { documents(first: 10) { totalCount edges { node { id } } } } } }`;
    const card = async (as = sales) => ok(await subgraph.request<{ _entities: { documents: { totalCount: number } }[] }>(ENTITIES, { r: [{ __typename: 'Counterparty', id: counterpartyId }] }, as))._entities[0].documents.totalCount;
    expect(await card(sales)).toBe(0);
    expect(await card(manager)).toBe(1);
    expect(await card(admin)).toBe(1);
    expect(ok(await subgraph.request<{ document: { id: string } | null }>(`query($id: ID!) { document(id: $id) { id } }`, { id: secret.id }, sales)).document).toBeNull();
  });

  it('does not let an outsider attach a restricted document\'s file to a document of their own (and so download it)', async () => {
    const secret = ok(await create({ ...contractInput, restricted: true, fileIds: [await storedFile(subgraph, 'secret.pdf')] })).createDocument;
    const fileId = secret.currentVersion?.files[0].id as string;
    expect(errorOf(await create({ type: 'OTHER', title: 'Копия', fileIds: [fileId] }, sales))).toMatchObject({ field: 'fileIds', reason: 'file.not-found' });
    const own = ok(await create({ type: 'OTHER', title: 'Свой документ' }, sales)).createDocument;
    const ADD = `mutation($input: AddDocumentVersionInput!) { addDocumentVersion(input: $input) { number } }`;
    expect(errorOf(await subgraph.request(ADD, { input: { documentId: own.id, fileIds: [fileId] } }, sales))).toMatchObject({ field: 'fileIds', reason: 'file.not-found' });
    // Whoever may read the restricted document may reuse its file.
    const copy = ok(await create({ type: 'OTHER', title: 'Копия автора', fileIds: [fileId] })).createDocument;
    expect(copy.currentVersion?.files[0].id).toBe(fileId);
  });
});
