import { randomUUID } from 'node:crypto';
import { apiKeyIdentity, type EventPayload, PROJECT_CHANGED, PROJECT_CREATED, type ProjectNews } from '@kartoteka/kit';
import { demoIdentity, startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { financeSubgraph } from '../../../subgraph';
import { busEvent, daysAgo, daysAhead, deliver, sign, storePayment } from '../../../testing/finance.fixtures';
import { ProjectDocuments } from '../project-documents.entity';

const FINANCE = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Project { id finance {
  currency contractedMinor invoicedMinor actsMinor paidMinor overdueMinor contractCount
} } } }`;
type Finance = { currency: string; contractedMinor: number; invoicedMinor: number; actsMinor: number; paidMinor: number; overdueMinor: number; contractCount: number };

const viewer = demoIdentity('viewer@kartoteka.local');

function projectNews(projectId: string, documentIds: string[] | null, occurredAt: Date, topic = PROJECT_CHANGED) {
  const payload: ProjectNews = { projectId, name: 'Внедрение ЭДО', status: 'ACTIVE', counterpartyIds: [randomUUID()], changedFields: [], actorId: null, occurredAt: occurredAt.toISOString(), documentIds };
  return busEvent(topic, payload as unknown as EventPayload, 'deals');
}

describe('Project.finance: a project\'s actuals from its linked documents', () => {
  let subgraph: TestSubgraph;
  const queries: string[] = [];
  beforeAll(async () => {
    subgraph = await startTestSubgraph(financeSubgraph(), { onQuery: (sql) => queries.push(sql) });
  });
  afterAll(() => subgraph?.close());

  const finances = async (ids: string[]) => {
    const result = await subgraph.request<{ _entities: { id: string; finance: Finance }[] }>(FINANCE, { representations: ids.map((id) => ({ __typename: 'Project', id })) }, viewer);
    if (!result.data) throw new Error(JSON.stringify(result.errors));
    return result.data._entities.map((entity) => entity.finance);
  };
  const stored = (projectId: string) => subgraph.orm.em.fork().findOne(ProjectDocuments, { projectId });

  it('keeps project → documents from deals\' events: the newest event wins, one without the list changes nothing', async () => {
    const projectId = randomUUID();
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    const t0 = new Date(Date.now() - 60_000);
    await deliver(subgraph.orm, projectNews(projectId, [a, b], t0, PROJECT_CREATED));
    expect((await stored(projectId))?.documentIds).toEqual([a, b]);
    await deliver(subgraph.orm, projectNews(projectId, [c], new Date(t0.getTime() + 2000)));
    // a late redelivery of an older change does not undo the newer one
    await deliver(subgraph.orm, projectNews(projectId, [a], new Date(t0.getTime() + 1000)));
    expect((await stored(projectId))?.documentIds).toEqual([c]);
    // an event from before the field existed teaches nothing
    await deliver(subgraph.orm, projectNews(projectId, null, new Date(t0.getTime() + 3000)));
    expect((await stored(projectId))?.documentIds).toEqual([c]);
    await deliver(subgraph.orm, projectNews(projectId, [], new Date(t0.getTime() + 4000)));
    expect((await stored(projectId))?.documentIds).toEqual([]);
  });

  it('sums the linked signed contracts, their invoices, acts and payments, and linked invoices outside them — each once', async () => {
    const counterpartyId = randomUUID();
    // a contract of 1 000 ₽: invoice 600 ₽ due 10 days ago, 200 ₽ paid (400 ₽ overdue), an act of 500 ₽
    const contractId = await sign(subgraph.orm, { documentType: 'CONTRACT', counterpartyId, amountMinor: 1000_00, date: daysAgo(60) });
    const invoiceId = await sign(subgraph.orm, { documentType: 'INVOICE', counterpartyId, contractId, amountMinor: 600_00, date: daysAgo(20), dueDate: daysAgo(10) });
    await storePayment(subgraph.orm, { counterpartyId, invoiceId, amountMinor: 200_00, date: daysAgo(15) });
    await sign(subgraph.orm, { documentType: 'ACT', counterpartyId, contractId, amountMinor: 500_00, date: daysAgo(5) });
    // an invoice outside contracts, linked directly: 300 ₽ due in 5 days, 100 ₽ paid
    const looseInvoiceId = await sign(subgraph.orm, { documentType: 'INVOICE', counterpartyId, amountMinor: 300_00, date: daysAgo(2), dueDate: daysAhead(5) });
    await storePayment(subgraph.orm, { counterpartyId, invoiceId: looseInvoiceId, amountMinor: 100_00, date: daysAgo(1) });
    // another contract of the counterparty, not linked: not counted; a draft (never signed) id: unknown to finance
    await sign(subgraph.orm, { documentType: 'CONTRACT', counterpartyId, amountMinor: 9000_00, date: daysAgo(30) });

    const projectId = randomUUID();
    // the contract's invoice is linked too: it counts once, in the contract's account
    await deliver(subgraph.orm, projectNews(projectId, [contractId, invoiceId, looseInvoiceId, randomUUID()], new Date(), PROJECT_CREATED));
    const emptyProjectId = randomUUID();
    await deliver(subgraph.orm, projectNews(emptyProjectId, [], new Date(), PROJECT_CREATED));

    queries.length = 0;
    const [project, empty, unknown] = await finances([projectId, emptyProjectId, randomUUID()]);
    expect(project).toEqual({ currency: 'RUB', contractedMinor: 1000_00, invoicedMinor: 600_00 + 300_00, actsMinor: 500_00, paidMinor: 200_00 + 100_00, overdueMinor: 400_00, contractCount: 1 });
    const zero = { currency: 'RUB', contractedMinor: 0, invoicedMinor: 0, actsMinor: 0, paidMinor: 0, overdueMinor: 0, contractCount: 0 };
    expect(empty).toEqual(zero);
    expect(unknown).toEqual(zero);
    // batched: three projects in one request cost a fixed number of statements (read model, documents, 4 for the contracts, payments)
    expect(queries.filter((sql) => /^\s*select/i.test(sql)).length).toBeLessThanOrEqual(7);
  });

  it('is refused to a partner key without finance:read, blanking only the field', async () => {
    const partner = apiKeyIdentity(randomUUID(), 'Проектный портал', ['projects:read']);
    const result = await subgraph.request<{ _entities: { id: string; finance: Finance | null }[] }>(FINANCE, { representations: [{ __typename: 'Project', id: randomUUID() }] }, partner);
    expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(result.data?._entities[0]).toMatchObject({ finance: null });
  });
});
