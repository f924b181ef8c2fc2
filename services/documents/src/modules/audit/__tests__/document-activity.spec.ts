import { randomUUID } from 'node:crypto';
import { DOCUMENT_ACTIVITY, documentActivityContract, type DocumentActivity, type Identity } from '@kartoteka/kit';
import { demoIdentity, seedCounterpartyRefs, startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { documentsSubgraph } from '../../../subgraph';
import { AuditService, type AuditEntry } from '../audit.service';

const manager: Identity = demoIdentity('manager@kartoteka.local');
const approverId = '00000000-0000-4000-8000-000000000004';

let subgraph: TestSubgraph;
beforeAll(async () => {
  subgraph = await startTestSubgraph(documentsSubgraph(undefined, { workers: false }));
});
afterAll(() => subgraph?.close());

async function activities(documentId: string): Promise<DocumentActivity[]> {
  const rows = await subgraph.orm.em.getConnection().execute<{ payload: Record<string, never> }[]>('select payload from outbox_events where topic = ? order by created_at, id', [DOCUMENT_ACTIVITY]);
  return rows
    .filter((row) => (row.payload as { documentId?: string }).documentId === documentId)
    .map((row) => {
      const parsed = documentActivityContract.parse(row);
      if (!parsed.ok) throw new Error(parsed.error);
      return parsed.value;
    });
}

function record(entry: Partial<AuditEntry> & { documentId: string; action: AuditEntry['action'] }): Promise<void> {
  return subgraph.orm.em.fork().transactional((em) => new AuditService(em).record({ actorId: approverId, actorKind: 'user', ...entry }));
}

describe('documents.document.activity (for the counterparty timeline)', () => {
  it('is published with the audit record of a creation, an approval decision and a status change, with the document\'s counterparty', async () => {
    const counterpartyId = randomUUID();
    await seedCounterpartyRefs(subgraph.orm.em, [counterpartyId]);
    const created = await subgraph.request<{ createDocument: { id: string } }>('mutation($input: CreateDocumentInput!) { createDocument(input: $input) { id } }', { input: { type: 'OUTGOING_LETTER', counterpartyId, title: 'Письмо о сверке' } }, manager);
    if (!created.data) throw new Error(JSON.stringify(created.errors));
    const documentId = created.data.createDocument.id;

    await record({ documentId, action: 'STEP_APPROVED', details: { comment: 'Согласовано' } });
    await record({ documentId, action: 'STEP_REJECTED', details: { comment: 'Неверные реквизиты' } });
    await record({ documentId, action: 'STATUS_CHANGED', details: { from: 'APPROVED', to: 'SIGNED' } }); // told by documents.document.signed
    await record({ documentId, action: 'STATUS_CHANGED', actorId: null, actorKind: 'system', details: { from: 'SIGNED', to: 'IN_FORCE', reason: 'start date reached' } });
    await record({ documentId, action: 'FILE_DOWNLOADED' }); // not timeline news

    const published = await activities(documentId);
    expect(published.map((activity) => activity.action)).toEqual(['CREATED', 'STEP_APPROVED', 'STEP_REJECTED', 'STATUS_CHANGED']);
    expect(published[0]).toMatchObject({ counterpartyId, documentType: 'OUTGOING_LETTER', title: 'Письмо о сверке', actorId: (manager as { id: string }).id });
    expect(published[2]).toMatchObject({ comment: 'Неверные реквизиты', actorId: approverId });
    expect(published[3]).toMatchObject({ status: 'IN_FORCE', fromStatus: 'SIGNED', comment: 'start date reached', actorId: null });
  });

  it('carries each record’s own time, when one transaction records several (published at record time, appended at commit)', async () => {
    const counterpartyId = randomUUID();
    await seedCounterpartyRefs(subgraph.orm.em, [counterpartyId]);
    const created = await subgraph.request<{ createDocument: { id: string } }>('mutation($input: CreateDocumentInput!) { createDocument(input: $input) { id } }', { input: { type: 'OUTGOING_LETTER', counterpartyId, title: 'Письмо' } }, manager);
    if (!created.data) throw new Error(JSON.stringify(created.errors));
    const documentId = created.data.createDocument.id;
    await subgraph.orm.em.fork().transactional(async (em) => {
      const audit = new AuditService(em);
      await audit.record({ documentId, action: 'STEP_APPROVED', actorId: approverId, actorKind: 'user', details: { comment: 'первое' } });
      await new Promise((resolve) => setTimeout(resolve, 30));
      await audit.record({ documentId, action: 'STEP_REJECTED', actorId: approverId, actorKind: 'user', details: { comment: 'второе' } });
    });
    const published = (await activities(documentId)).filter((activity) => activity.action !== 'CREATED');
    const recorded = await subgraph.orm.em.getConnection().execute<{ recorded_at: Date }[]>("select recorded_at from audit_records where document_id = ? and action in ('STEP_APPROVED', 'STEP_REJECTED') order by seq", [documentId]);
    expect(published.map((activity) => activity.comment)).toEqual(['первое', 'второе']);
    expect(published.map((activity) => activity.occurredAt)).toEqual(recorded.map((row) => new Date(row.recorded_at).toISOString()));
    expect(Date.parse(published[1].occurredAt) - Date.parse(published[0].occurredAt)).toBeGreaterThanOrEqual(25);
  });
});
