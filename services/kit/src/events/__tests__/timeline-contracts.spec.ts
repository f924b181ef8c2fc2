import { randomUUID } from 'node:crypto';
import {
  DEAL_LIFECYCLE_TOPICS,
  dealLifecycleContract,
  documentActivityContract,
  paymentReceivedContract,
  projectNewsContract,
  taskCreatedContract,
} from '../contracts';

const id = () => randomUUID().toUpperCase();

describe('the timeline\'s event contracts', () => {
  it('reads a deal lifecycle step, lower-casing ids and filling what an older producer left out', () => {
    expect(DEAL_LIFECYCLE_TOPICS).toEqual(['deals.deal.created', 'deals.deal.stage-moved', 'deals.deal.won', 'deals.deal.lost']);
    const parsed = dealLifecycleContract.parse({ payload: { dealId: id(), counterpartyId: id(), title: 'Поставка', stageKey: 'lead', status: 'OPEN', occurredAt: '2026-12-06T09:00:00.000Z' } });
    expect(parsed.ok && parsed.value).toMatchObject({ stageName: null, fromStageKey: null, closeReason: null, actorId: null });
    expect(parsed.ok && parsed.value.dealId).toBe(parsed.ok && parsed.value.dealId.toLowerCase());
    expect(dealLifecycleContract.parse({ payload: { dealId: id(), counterpartyId: id(), title: 'x', stageKey: 'lead', status: 'MAYBE', occurredAt: '2026-12-06T09:00:00.000Z' } }).ok).toBe(false);
    expect(dealLifecycleContract.parse({ payload: { dealId: id(), counterpartyId: id(), title: 'x', stageKey: 'lead', status: 'OPEN', occurredAt: '2026-02-31T09:00:00.000Z' } })).toEqual({ ok: false, error: 'occurredAt is not a real date-time' });
  });

  it('reads tasks, projects, payments and document activity; refuses what does not fit', () => {
    expect(taskCreatedContract.parse({ payload: { taskId: id(), title: 'Позвонить', createdAt: '2026-12-06T09:00:00Z' } }).ok).toBe(true);
    expect(taskCreatedContract.parse({ payload: { taskId: 'nope', title: 'Позвонить', createdAt: '2026-12-06T09:00:00Z' } }).ok).toBe(false);
    const counterparty = id();
    const project = projectNewsContract.parse({ payload: { projectId: id(), name: 'ERP', status: 'ACTIVE', counterpartyIds: [counterparty, counterparty.toLowerCase()], changedFields: [], occurredAt: '2026-12-06T09:00:00Z' } });
    expect(project.ok && project.value.counterpartyIds).toEqual([counterparty.toLowerCase()]);
    const payment = { paymentId: id(), counterpartyId: id(), direction: 'INCOMING', amountMinor: 100, currency: 'RUB', date: '2026-12-01', matchedAt: '2026-12-06T09:00:00Z' };
    expect(paymentReceivedContract.parse({ payload: payment }).ok).toBe(true);
    expect(paymentReceivedContract.parse({ payload: { ...payment, date: '2026-02-30' } })).toEqual({ ok: false, error: 'date is not a real date' });
    expect(paymentReceivedContract.parse({ payload: { ...payment, amountMinor: -1 } }).ok).toBe(false);
    const activity = { documentId: id(), counterpartyId: id(), documentType: 'CONTRACT', title: 'Договор', status: 'DRAFT', action: 'CREATED', occurredAt: '2026-12-06T09:00:00Z' };
    expect(documentActivityContract.parse({ payload: activity }).ok).toBe(true);
    expect(documentActivityContract.parse({ payload: { ...activity, action: 'DELETED' } }).ok).toBe(false);
  });
});
