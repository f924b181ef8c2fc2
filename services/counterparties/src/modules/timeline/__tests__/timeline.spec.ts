import { randomUUID } from 'node:crypto';
import {
  DEAL_CREATED,
  DEAL_WON,
  DOCUMENT_ACTIVITY,
  DOCUMENT_CREATED,
  DOCUMENT_SIGNED,
  MAILING_RECIPIENT_STATUS_CHANGED,
  PAYMENT_RECEIVED,
  TASK_COMPLETED,
  TASK_CREATED,
  type BusEvent,
  type EventPayload,
} from '@kartoteka/kit';
import { makeInn10, makeOgrn } from '@kartoteka/kit/requisites';
import { demoIdentity, seedDemoUserRefs, startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { counterpartiesSubgraph } from '../../../subgraph';
import { applyTimelineEvent, resetTimeline } from '../timeline.projection';

const manager = demoIdentity('manager@kartoteka.local');
const admin = demoIdentity('admin@kartoteka.local');
let subgraph: TestSubgraph;

beforeAll(async () => {
  subgraph = await startTestSubgraph(counterpartiesSubgraph());
  await seedDemoUserRefs(subgraph.orm.em);
});
afterAll(() => subgraph?.close());

let sequence = 0;
function input(): Record<string, unknown> {
  sequence += 1;
  const serial = `${String(sequence).padStart(3, '0')}${String(Date.now() % 1e4).padStart(4, '0')}`;
  return { name: `ООО «Лента ${sequence}»`, kind: 'LEGAL_ENTITY', status: 'CLIENT', inn: makeInn10(`77${serial}`), kpp: '770101001', ogrn: makeOgrn(`10277${serial}`.slice(0, 12)) };
}

async function gql<T>(query: string, variables: Record<string, unknown> = {}, identity = manager): Promise<T> {
  const result = await subgraph.request<T>(query, variables, identity);
  if (result.errors?.length || !result.data) throw new Error(JSON.stringify(result.errors));
  return result.data;
}

async function createCounterparty(): Promise<{ id: string; version: number }> {
  const { createCounterparty } = await gql<{ createCounterparty: { id: string; version: number } }>('mutation($input: CreateCounterpartyInput!) { createCounterparty(input: $input) { id version } }', { input: input() });
  return createCounterparty;
}

async function deliver(topic: string, payload: EventPayload, occurredAt = new Date(), id: string = randomUUID()): Promise<BusEvent> {
  const event: BusEvent = { id, topic, producer: topic.split('.')[0], payload, occurredAt };
  await subgraph.orm.em.fork().transactional((em) => applyTimelineEvent(em, event));
  return event;
}

type Entry = { id: string; kind: string; occurredAt: string; subjectType: string; subjectId: string; subjectTitle: string | null; summary: Record<string, unknown>; source: string; actor: { id: string; name: string } | null };
type Page = { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: Entry }[] };

const TIMELINE = `query($id: ID!, $first: Int, $after: String, $kinds: [TimelineKind!], $from: DateTimeISO, $to: DateTimeISO) {
  counterparty(id: $id) { timeline(first: $first, after: $after, kinds: $kinds, from: $from, to: $to) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { id kind occurredAt subjectType subjectId subjectTitle summary source actor { id name } } } } } }`;

async function timeline(id: string, args: Record<string, unknown> = {}): Promise<Page> {
  const data = await gql<{ counterparty: { timeline: Page } }>(TIMELINE, { id, ...args });
  return data.counterparty.timeline;
}

function dealLifecycle(dealId: string, counterpartyId: string, stage: string, at: Date): EventPayload {
  return { dealId, counterpartyId, title: 'Поставка серверов', stageKey: stage, stageName: stage, fromStageKey: null, fromStageName: null, status: stage === 'won' ? 'WON' : 'OPEN', amountMinor: 100000, currency: 'RUB', closeReason: null, actorId: manager.kind === 'user' ? manager.id : null, occurredAt: at.toISOString() };
}

describe('Counterparty.timeline', () => {
  it('shows the counterparty\'s own changes and other services\' events newest first, in keyset pages, filtered by kind and date', async () => {
    const counterparty = await createCounterparty();
    await gql('mutation($input: UpdateCounterpartyInput!) { updateCounterparty(input: $input) { id } }', { input: { id: counterparty.id, version: counterparty.version, legalAddress: 'Москва, ул. Тверская, 1' } });
    const dealId = randomUUID();
    const t0 = new Date(Date.now() + 60_000);
    const created = await deliver(DEAL_CREATED, dealLifecycle(dealId, counterparty.id, 'lead', t0));
    await deliver(DEAL_WON, dealLifecycle(dealId, counterparty.id, 'won', new Date(t0.getTime() + 1000)));
    // redelivery changes nothing
    await deliver(DEAL_CREATED, dealLifecycle(dealId, counterparty.id, 'lead', t0), created.occurredAt, created.id);
    await deliver(PAYMENT_RECEIVED, { paymentId: randomUUID(), counterpartyId: counterparty.id, direction: 'INCOMING', amountMinor: 5000000, currency: 'RUB', number: '42', date: '2026-12-01', purpose: 'Оплата по счёту 7', matchedAt: new Date(t0.getTime() + 2000).toISOString() });

    const all = await timeline(counterparty.id);
    expect(all.totalCount).toBe(5);
    expect(all.edges.map((edge) => edge.node.kind)).toEqual(['PAYMENT_RECEIVED', 'DEAL_WON', 'DEAL_CREATED', 'REQUISITES_CHANGED', 'REQUISITES_CHANGED']);
    expect(all.edges[1].node).toMatchObject({ subjectType: 'DEAL', subjectId: dealId, subjectTitle: 'Поставка серверов', source: 'deals', actor: { name: 'Ольга Смирнова' } });
    expect(all.edges[3].node.summary).toMatchObject({ action: 'UPDATED', fields: ['legalAddress'] });

    const first = await timeline(counterparty.id, { first: 2 });
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await timeline(counterparty.id, { first: 2, after: first.pageInfo.endCursor });
    const third = await timeline(counterparty.id, { first: 2, after: second.pageInfo.endCursor });
    expect([...first.edges, ...second.edges, ...third.edges].map((edge) => edge.node.id)).toEqual(all.edges.map((edge) => edge.node.id));
    expect(third.pageInfo.hasNextPage).toBe(false);

    const deals = await timeline(counterparty.id, { kinds: ['DEAL_CREATED', 'DEAL_WON'] });
    expect(deals.totalCount).toBe(2);
    const window = await timeline(counterparty.id, { from: t0.toISOString(), to: new Date(t0.getTime() + 1500).toISOString() });
    expect(window.edges.map((edge) => edge.node.kind)).toEqual(['DEAL_WON', 'DEAL_CREATED']);
  });

  it('places events that name only a deal or a task through what it learnt earlier, and keeps those it cannot place until it can', async () => {
    const counterparty = await createCounterparty();
    const dealId = randomUUID();
    const taskId = randomUUID();
    const documentId = randomUUID();
    // a document of a deal the timeline has not heard of yet, and a completed task it does not know: kept aside
    await deliver(DOCUMENT_CREATED, { documentId, dealId, actionId: randomUUID(), documentType: 'CONTRACT', status: 'DRAFT' });
    await deliver(TASK_COMPLETED, { taskId, status: 'DONE', completedAt: new Date().toISOString(), completedById: null });
    const parked = await subgraph.orm.em.fork().getConnection().execute<{ reason: string }[]>('select reason from timeline_pending where ref_id in (?, ?)', [dealId, taskId]);
    expect(parked).toHaveLength(2);
    expect(parked.map((row) => row.reason).join(' ')).toMatch(/not known to the timeline yet/);
    expect((await timeline(counterparty.id, { kinds: ['DOCUMENT_CREATED', 'TASK_COMPLETED'] })).totalCount).toBe(0);

    await deliver(DEAL_CREATED, dealLifecycle(dealId, counterparty.id, 'lead', new Date()));
    await deliver(TASK_CREATED, { taskId, title: 'Позвонить бухгалтеру', dealId, createdAt: new Date().toISOString() });
    const placed = await timeline(counterparty.id, { kinds: ['DOCUMENT_CREATED', 'TASK_CREATED', 'TASK_COMPLETED'] });
    expect(placed.edges.map((edge) => edge.node.kind).sort()).toEqual(['DOCUMENT_CREATED', 'TASK_COMPLETED', 'TASK_CREATED']);
    expect(placed.edges.find((edge) => edge.node.kind === 'TASK_COMPLETED')?.node.subjectTitle).toBe('Позвонить бухгалтеру');
    const left = await subgraph.orm.em.fork().getConnection().execute('select 1 from timeline_pending where ref_id in (?, ?)', [dealId, taskId]);
    expect(left).toHaveLength(0);
  });

  it('shows documents created, approved and rejected from documents\' activity, a deal\'s document once', async () => {
    const counterparty = await createCounterparty();
    const dealId = randomUUID();
    const documentId = randomUUID();
    const activity = (action: string, status: string, extra: Record<string, unknown> = {}): EventPayload => ({
      documentId, counterpartyId: counterparty.id, documentType: 'CONTRACT', number: null, title: 'Договор поставки', status, action, dealId, actorId: '00000000-0000-4000-8000-000000000004', occurredAt: new Date().toISOString(), ...extra,
    });
    await deliver(DEAL_CREATED, dealLifecycle(dealId, counterparty.id, 'negotiation', new Date(Date.now() - 5000)));
    await deliver(DOCUMENT_CREATED, { documentId, dealId, actionId: randomUUID(), documentType: 'CONTRACT', status: 'DRAFT' });
    await deliver(DOCUMENT_ACTIVITY, activity('CREATED', 'DRAFT'));
    await deliver(DOCUMENT_ACTIVITY, activity('STEP_REJECTED', 'ON_APPROVAL', { comment: 'Неверные реквизиты' }));
    await deliver(DOCUMENT_ACTIVITY, activity('STEP_APPROVED', 'ON_APPROVAL', { number: '15/2026' }));
    const page = await timeline(counterparty.id, { kinds: ['DOCUMENT_CREATED', 'DOCUMENT_APPROVED', 'DOCUMENT_STATUS'] });
    expect(page.edges.map((edge) => edge.node.kind)).toEqual(['DOCUMENT_APPROVED', 'DOCUMENT_STATUS', 'DOCUMENT_CREATED']);
    expect(page.edges[2].node).toMatchObject({ subjectId: documentId, subjectTitle: 'Договор поставки', actor: { name: 'Елена Волкова' } });
    expect(page.edges[1].node.summary).toMatchObject({ action: 'STEP_REJECTED', comment: 'Неверные реквизиты' });
    expect(page.edges[0].node.subjectTitle).toBe('№ 15/2026 — Договор поставки');
  });

  it('keeps events of a counterparty it does not know yet and shows them once the counterparty is there; the rebuild keeps own entries', async () => {
    const id = randomUUID();
    await deliver(DOCUMENT_SIGNED, { documentId: randomUUID(), documentType: 'CONTRACT', number: 'Д-17', counterpartyId: id, status: 'SIGNED', signedAt: new Date().toISOString(), title: 'Договор поставки' });
    const stored = await subgraph.orm.em.fork().getConnection().execute<{ kind: string; subject_title: string }[]>('select kind, subject_title from timeline_entries where counterparty_id = ?', [id]);
    expect(stored).toEqual([{ kind: 'DOCUMENT_SIGNED', subject_title: '№ Д-17 — Договор поставки' }]);

    const counterparty = await createCounterparty();
    const before = await timeline(counterparty.id);
    await subgraph.orm.em.fork().transactional((em) => resetTimeline(em));
    const after = await timeline(counterparty.id);
    expect(after.edges.map((edge) => edge.node.id)).toEqual(before.edges.map((edge) => edge.node.id));
  });

  it('shows a mailing recipient\'s delivery outcomes (sent, bounced, unsubscribed) once each, and no queued news', async () => {
    const counterparty = await createCounterparty();
    const mailingId = randomUUID();
    const recipientId = randomUUID();
    const news = (status: string, at: Date, bounceKind: string | null = null): EventPayload => ({ mailingId, mailingName: 'Осеннее КП', counterpartyId: counterparty.id, recipientId, contactId: randomUUID(), contactName: 'Иван Петров', status, bounceKind, at: at.toISOString() });
    const t0 = new Date(Date.now() + 120_000);
    await deliver(MAILING_RECIPIENT_STATUS_CHANGED, news('QUEUED', t0));
    const sent = await deliver(MAILING_RECIPIENT_STATUS_CHANGED, news('SENT', new Date(t0.getTime() + 1000)));
    await deliver(MAILING_RECIPIENT_STATUS_CHANGED, news('SENT', new Date(t0.getTime() + 1000)), sent.occurredAt, sent.id);
    await deliver(MAILING_RECIPIENT_STATUS_CHANGED, news('BOUNCED', new Date(t0.getTime() + 2000), 'HARD'));
    await deliver(MAILING_RECIPIENT_STATUS_CHANGED, news('UNSUBSCRIBED', new Date(t0.getTime() + 3000)));
    const page = await timeline(counterparty.id, { first: 10, kinds: ['MAILING_SENT', 'MAILING_BOUNCED', 'MAILING_FAILED', 'MAILING_UNSUBSCRIBED'] });
    expect(page.edges.map((edge) => edge.node.kind)).toEqual(['MAILING_UNSUBSCRIBED', 'MAILING_BOUNCED', 'MAILING_SENT']);
    expect(page.edges[1].node).toMatchObject({ subjectType: 'MAILING', subjectId: mailingId, subjectTitle: 'Осеннее КП', source: 'mailings', summary: { recipientId, contactName: 'Иван Петров', status: 'BOUNCED', bounceKind: 'HARD' } });
  });

  it('refuses bad arguments with typed errors', async () => {
    const counterparty = await createCounterparty();
    const cases: [Record<string, unknown>, string][] = [
      [{ first: 0 }, 'first'],
      [{ first: 101 }, 'first'],
      [{ after: 'not-a-cursor' }, 'after'],
      [{ kinds: [] }, 'kinds'],
      [{ from: '2026-12-02T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' }, 'to'],
    ];
    for (const [args, field] of cases) {
      const result = await subgraph.request(TIMELINE, { id: counterparty.id, ...args }, manager);
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
  });
});

describe('verifyCounterpartyHistory', () => {
  const VERIFY = '{ verifyCounterpartyHistory { valid checkedCount firstBrokenSeq firstBrokenId reason headSeq } }';

  it('chains concurrent changes without a fork, refuses edits, and finds a tampered entry', async () => {
    const counterparties = await Promise.all(Array.from({ length: 6 }, () => createCounterparty()));
    await Promise.all(
      counterparties.map((counterparty, index) =>
        gql('mutation($input: UpdateCounterpartyInput!) { updateCounterparty(input: $input) { id } }', { input: { id: counterparty.id, version: counterparty.version, postalAddress: `Адрес ${index}` } }),
      ),
    );
    const valid = await gql<{ verifyCounterpartyHistory: { valid: boolean; checkedCount: number; headSeq: number } }>(VERIFY, {}, admin);
    expect(valid.verifyCounterpartyHistory.valid).toBe(true);
    const connection = subgraph.orm.em.fork().getConnection();
    const [{ count, max }] = await connection.execute<{ count: number; max: string }[]>('select count(*)::int as count, max(seq) as max from counterparty_changes');
    expect(valid.verifyCounterpartyHistory.checkedCount).toBe(count);
    expect(Number(max)).toBe(count);

    const denied = await subgraph.request(VERIFY, {}, manager);
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const [victim] = await connection.execute<{ id: string; seq: string }[]>('select id, seq from counterparty_changes where counterparty_id = ? order by seq desc limit 1', [counterparties[2].id]);
    await expect(connection.execute(`update counterparty_changes set actor_name = 'Злоумышленник' where id = ?`, [victim.id])).rejects.toThrow(/append-only: UPDATE/);
    await expect(connection.execute('delete from counterparty_changes where id = ?', [victim.id])).rejects.toThrow(/append-only: DELETE/);

    await connection.execute('alter table counterparty_changes disable trigger counterparty_changes_no_update_delete');
    try {
      await connection.execute(`update counterparty_changes set changes = '[{"field":"inn","from":null,"to":"0000000000"}]'::jsonb where id = ?`, [victim.id]);
    } finally {
      await connection.execute('alter table counterparty_changes enable trigger counterparty_changes_no_update_delete');
    }
    const broken = await gql<{ verifyCounterpartyHistory: { valid: boolean; firstBrokenSeq: number; firstBrokenId: string; reason: string } }>(VERIFY, {}, admin);
    expect(broken.verifyCounterpartyHistory).toMatchObject({ valid: false, firstBrokenSeq: Number(victim.seq), firstBrokenId: victim.id, reason: 'hash-mismatch' });
  });
});
