import { DOCUMENT_SIGNED, DOCUMENT_VERIFIED_CHANGED, type DocumentSigned, documentSignedContract, type Identity, type SignedDocumentChanged, signedDocumentChangedContract } from '@kartoteka/kit';
import { startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { accountant, admin, COUNTERPARTY_ID, director, fillStaffDirectory, idOf, manager, ok, storedFile, systemContext } from '../../approval/__tests__/approval.fixtures';
import { defaultDocumentsSettings } from '../../../config';
import { documentsSubgraph } from '../../../subgraph';
import { DocumentService } from '../document.service';
import { republishSignedDocuments } from '../document.events';

let subgraph: TestSubgraph;
const templates = new Map<string, string>();

const TYPES = ['CONTRACT', 'SUPPLEMENTARY_AGREEMENT', 'INVOICE', 'ACT', 'PAYMENT_ORDER'] as const;
type FinanceType = (typeof TYPES)[number];

beforeAll(async () => {
  subgraph = await startTestSubgraph(documentsSubgraph(defaultDocumentsSettings(), { workers: false }));
  await fillStaffDirectory(subgraph);
  for (const documentType of TYPES) {
    const data = ok(
      await subgraph.request<{ createRouteTemplate: { id: string } }>(
        `mutation($input: CreateRouteTemplateInput!) { createRouteTemplate(input: $input) { id } }`,
        { input: { name: `Подписание ${documentType}`, documentType, stages: [{ name: 'Подписание', mode: 'SEQUENTIAL', rule: 'ALL', steps: [{ role: 'DIRECTOR', deadlineHours: 24 }] }] } },
        admin,
      ),
    );
    templates.set(documentType, data.createRouteTemplate.id);
  }
});
afterAll(() => subgraph?.close());

type Link = { kind: string; targetId: string };
const DETAILS: Record<FinanceType, Record<string, unknown>> = {
  CONTRACT: { contract: { subject: 'Поставка', startDate: '2099-01-01', endDate: '2099-12-31' } },
  SUPPLEMENTARY_AGREEMENT: { supplementaryAgreement: { subject: 'Изменение цены', effectiveDate: '2026-12-01' }, amountMinor: 10_000_00 },
  INVOICE: { invoice: { dueDate: '2026-12-31', vatMinor: 2_000_00 }, amountMinor: 12_000_00 },
  ACT: { act: { periodStart: '2026-11-01', periodEnd: '2026-11-30' }, amountMinor: 12_000_00 },
  PAYMENT_ORDER: { paymentOrder: { paymentDate: '2026-12-05', payer: 'ООО «Ромашка»', payee: 'ООО «Картотека»', purpose: 'Оплата по счёту' }, amountMinor: 12_000_00 },
};

async function create(type: FinanceType, options: { links?: Link[]; responsibleId?: string; title?: string } = {}): Promise<string> {
  const data = ok(
    await subgraph.request<{ createDocument: { id: string } }>(
      `mutation($input: CreateDocumentInput!) { createDocument(input: $input) { id } }`,
      {
        input: {
          type,
          counterpartyId: COUNTERPARTY_ID,
          title: options.title ?? `${type} ${Math.random().toString(36).slice(2, 8)}`,
          date: '2026-12-01',
          ...DETAILS[type],
          ...(options.links ? { links: options.links } : {}),
          ...(options.responsibleId ? { responsibleId: options.responsibleId } : {}),
          fileIds: [await storedFile(subgraph)],
        },
      },
      manager,
    ),
  );
  return data.createDocument.id;
}

async function sign(documentId: string, type: FinanceType): Promise<void> {
  ok(await subgraph.request(`mutation($input: StartApprovalInput!) { startApproval(input: $input) { id } }`, { input: { documentId, routeTemplateId: templates.get(type) } }, manager));
  const tasks = ok(await subgraph.request<{ myApprovalTasks: { edges: { node: { id: string; document: { id: string } } }[] } }>(`{ myApprovalTasks(first: 100) { edges { node { id document { id } } } } }`, {}, director));
  const step = tasks.myApprovalTasks.edges.find((edge) => edge.node.document.id === documentId)!.node.id;
  ok(await subgraph.request(`mutation($input: ApproveStepInput!) { approveStep(input: $input) { id } }`, { input: { stepId: step } }, director));
}

async function signed(type: FinanceType, options: { links?: Link[]; responsibleId?: string } = {}): Promise<string> {
  const id = await create(type, options);
  await sign(id, type);
  return id;
}

async function outbox<T>(topic: string, parse: (payload: unknown) => { ok: true; value: T } | { ok: false; error: string }, documentId: string): Promise<T[]> {
  const rows = await subgraph.orm.em.getConnection().execute<{ payload: Record<string, unknown> }[]>('select payload from outbox_events where topic = ? order by created_at, id', [topic]);
  return rows
    .filter((row) => row.payload.documentId === documentId)
    .map((row) => {
      const result = parse(row.payload);
      if (!result.ok) throw new Error(`${topic}: ${result.error}`);
      return result.value;
    });
}
const signedEvents = (documentId: string): Promise<DocumentSigned[]> => outbox(DOCUMENT_SIGNED, (payload) => documentSignedContract.parse({ payload: payload as DocumentSigned }), documentId);
const changedEvents = (documentId: string): Promise<SignedDocumentChanged[]> =>
  outbox(DOCUMENT_VERIFIED_CHANGED, (payload) => signedDocumentChangedContract.parse({ payload: payload as SignedDocumentChanged }), documentId);

const setStatus = (id: string, status: string, as: Identity = manager) => subgraph.request(`mutation($input: SetDocumentStatusInput!) { setDocumentStatus(input: $input) { id status } }`, { input: { id, status } }, as);
const link = async (sourceId: string, targetId: string, kind: string) =>
  ok(await subgraph.request<{ linkDocuments: { links: { id: string; kind: string; target: { id: string } }[] } }>(`mutation($input: LinkDocumentsInput!) { linkDocuments(input: $input) { links { id kind target { id } } } }`, { input: { sourceId, targetId, kind } }, manager));
const unlink = async (linkId: string) => ok(await subgraph.request(`mutation($input: UnlinkDocumentsInput!) { unlinkDocuments(input: $input) { id } }`, { input: { linkId } }, manager));

describe('documents.document.signed carries what finance needs', () => {
  it('a contract: its term, title, date and responsible; no contract of its own', async () => {
    const contract = await signed('CONTRACT', { responsibleId: idOf(accountant) });
    const [event, ...more] = await signedEvents(contract);
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      documentType: 'CONTRACT',
      status: 'SIGNED',
      counterpartyId: COUNTERPARTY_ID,
      date: '2026-12-01',
      startDate: '2099-01-01',
      endDate: '2099-12-31',
      dueDate: null,
      periodEnd: null,
      contractId: null,
      invoiceId: null,
      responsibleId: idOf(accountant),
      signedById: idOf(director),
      amountMinor: null,
    });
    expect(event.title).toMatch(/^CONTRACT /);
    expect(event.number).toMatch(/\d/);
  });

  it('invoice → contract, act → invoice → contract, payment order → invoice, invoice → supplementary agreement → contract', async () => {
    const contract = await signed('CONTRACT');
    const invoice = await signed('INVOICE', { links: [{ kind: 'INVOICE_FOR', targetId: contract }] });
    const act = await signed('ACT', { links: [{ kind: 'ACT_FOR', targetId: invoice }] });
    const actOfContract = await signed('ACT', { links: [{ kind: 'ACT_FOR', targetId: contract }] });
    const payment = await signed('PAYMENT_ORDER', { links: [{ kind: 'PAYMENT_FOR', targetId: invoice }] });
    const agreement = await signed('SUPPLEMENTARY_AGREEMENT', { links: [{ kind: 'SUPPLEMENT_TO', targetId: contract }] });
    const invoiceOfAgreement = await signed('INVOICE', { links: [{ kind: 'INVOICE_FOR', targetId: agreement }] });
    const loose = await signed('INVOICE');

    expect((await signedEvents(invoice))[0]).toMatchObject({ documentType: 'INVOICE', contractId: contract, invoiceId: null, dueDate: '2026-12-31', startDate: null, endDate: null, periodEnd: null, amountMinor: 12_000_00, currency: 'RUB', responsibleId: idOf(manager) });
    expect((await signedEvents(act))[0]).toMatchObject({ documentType: 'ACT', contractId: contract, invoiceId: invoice, periodEnd: '2026-11-30', dueDate: null });
    expect((await signedEvents(actOfContract))[0]).toMatchObject({ contractId: contract, invoiceId: null });
    expect((await signedEvents(payment))[0]).toMatchObject({ documentType: 'PAYMENT_ORDER', contractId: contract, invoiceId: invoice, dueDate: null });
    expect((await signedEvents(agreement))[0]).toMatchObject({ documentType: 'SUPPLEMENTARY_AGREEMENT', contractId: contract, invoiceId: null, startDate: null });
    expect((await signedEvents(invoiceOfAgreement))[0]).toMatchObject({ contractId: contract, invoiceId: null });
    expect((await signedEvents(loose))[0]).toMatchObject({ contractId: null, invoiceId: null, dueDate: '2026-12-31' });
  });
});

describe('documents.document.verified-changed', () => {
  it('follows every later status change of a signed document, and never an unsigned one', async () => {
    const contract = await signed('CONTRACT');
    expect(await changedEvents(contract)).toEqual([]);
    ok(await setStatus(contract, 'IN_FORCE'));
    ok(await setStatus(contract, 'TERMINATED'));
    const changes = await changedEvents(contract);
    expect(changes.map((change) => [change.status, change.documentType, change.contractId, change.invoiceId])).toEqual([
      ['IN_FORCE', 'CONTRACT', null, null],
      ['TERMINATED', 'CONTRACT', null, null],
    ]);
    expect(Date.parse(changes[1].changedAt)).toBeGreaterThanOrEqual(Date.parse(changes[0].changedAt));

    const invoice = await signed('INVOICE', { links: [{ kind: 'INVOICE_FOR', targetId: contract }] });
    ok(await setStatus(invoice, 'CANCELLED', admin));
    expect(await changedEvents(invoice)).toEqual([expect.objectContaining({ documentId: invoice, status: 'CANCELLED', contractId: contract, invoiceId: null })]);

    const draft = await create('INVOICE', { links: [{ kind: 'INVOICE_FOR', targetId: contract }] });
    ok(await setStatus(draft, 'CANCELLED'));
    expect(await changedEvents(draft)).toEqual([]);
    expect(await signedEvents(draft)).toEqual([]);
  });

  it('the contracts-in-force job tells it too', async () => {
    const contract = await signed('CONTRACT');
    const em = subgraph.orm.em.fork();
    await em.transactional((tem) => new DocumentService(systemContext(subgraph)).activateContracts(tem, '2099-01-01', contract));
    expect((await changedEvents(contract)).map((change) => change.status)).toEqual(['IN_FORCE']);
  });

  it('a link of a signed document to a contract or invoice added or removed, with the documents resolving through it', async () => {
    const contract = await signed('CONTRACT');
    const invoice = await signed('INVOICE');
    const act = await signed('ACT', { links: [{ kind: 'ACT_FOR', targetId: invoice }] });
    expect((await signedEvents(act))[0]).toMatchObject({ contractId: null, invoiceId: invoice });

    const linked = await link(invoice, contract, 'INVOICE_FOR');
    const invoiceLink = linked.linkDocuments.links.find((candidate) => candidate.kind === 'INVOICE_FOR')!;
    expect(await changedEvents(invoice)).toEqual([expect.objectContaining({ status: 'SIGNED', contractId: contract, invoiceId: null })]);
    // the act's contract goes through the invoice
    expect(await changedEvents(act)).toEqual([expect.objectContaining({ documentType: 'ACT', contractId: contract, invoiceId: invoice })]);

    await unlink(invoiceLink.id);
    expect((await changedEvents(invoice)).map((change) => change.contractId)).toEqual([contract, null]);
    expect((await changedEvents(act)).map((change) => [change.contractId, change.invoiceId])).toEqual([
      [contract, invoice],
      [null, invoice],
    ]);

    // a link that says nothing about money, and links of documents never signed: no news
    const other = await signed('INVOICE');
    await link(invoice, other, 'RELATED');
    const draft = await create('INVOICE');
    await link(draft, contract, 'INVOICE_FOR');
    expect(await changedEvents(invoice)).toHaveLength(2);
    expect(await changedEvents(other)).toEqual([]);
    expect(await changedEvents(draft)).toEqual([]);
    expect(await changedEvents(contract)).toEqual([]);
  });
});

describe('events republish-signed', () => {
  it('publishes documents.document.signed again for every signed document that is not cancelled, with its current state', async () => {
    const contract = await signed('CONTRACT');
    const invoice = await signed('INVOICE', { links: [{ kind: 'INVOICE_FOR', targetId: contract }] });
    const cancelled = await signed('INVOICE');
    ok(await setStatus(cancelled, 'CANCELLED', admin));
    ok(await setStatus(contract, 'IN_FORCE'));
    const draft = await create('INVOICE');
    const expected = Number((await subgraph.orm.em.getConnection().execute<{ n: string }[]>(`select count(*) as n from documents where signed_at is not null and status <> 'CANCELLED'`))[0].n);

    // a small page size, so that paging is exercised
    const count = await subgraph.orm.em.fork().transactional((em) => republishSignedDocuments(em, 3));
    expect(count).toBe(expected);
    expect(count).toBeGreaterThan(3);

    expect((await signedEvents(contract)).map((event) => event.status)).toEqual(['SIGNED', 'IN_FORCE']);
    const [first, again] = await signedEvents(invoice);
    expect(again).toEqual({ ...first, documentId: invoice });
    expect(again).toMatchObject({ contractId: contract, dueDate: '2026-12-31' });
    expect(await signedEvents(cancelled)).toHaveLength(1);
    expect(await signedEvents(draft)).toEqual([]);
    const total = Number((await subgraph.orm.em.getConnection().execute<{ n: string }[]>(`select count(*) as n from outbox_events where topic = ?`, [DOCUMENT_SIGNED]))[0].n);
    const signedCount = Number((await subgraph.orm.em.getConnection().execute<{ n: string }[]>(`select count(*) as n from documents where signed_at is not null`))[0].n);
    expect(total).toBe(signedCount + count);
  });

  it('writes all of them in one transaction: nothing when it fails', async () => {
    const before = Number((await subgraph.orm.em.getConnection().execute<{ n: string }[]>(`select count(*) as n from outbox_events`))[0].n);
    await expect(
      subgraph.orm.em.fork().transactional(async (em) => {
        await republishSignedDocuments(em, 2);
        throw new Error('relay down');
      }),
    ).rejects.toThrow('relay down');
    const after = Number((await subgraph.orm.em.getConnection().execute<{ n: string }[]>(`select count(*) as n from outbox_events`))[0].n);
    expect(after).toBe(before);
  });
});
