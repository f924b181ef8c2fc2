import { createHash, randomUUID } from 'node:crypto';
import { addDays, type BusEvent, DOCUMENT_SIGNED, DOCUMENT_VERIFIED_CHANGED, type DocumentSigned, type EventPayload, type SignedDocumentChanged, todayUtc } from '@kartoteka/kit';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { financeEventHandlers } from '../subgraph';
import { Payment, PaymentDirection, PaymentMatchStatus } from '../modules/payment/payment.entity';

/** Test fixtures: documents' events delivered to the finance handlers (as the consumer would, in one transaction) and matched payments. */

export const today = (): string => todayUtc();
export const daysAgo = (days: number): string => addDays(todayUtc(), -days);
export const daysAhead = (days: number): string => addDays(todayUtc(), days);

export function busEvent(topic: string, payload: EventPayload, producer = 'documents'): BusEvent {
  return { id: randomUUID(), topic, producer, payload, occurredAt: new Date() };
}

/** Delivers one event to the finance handlers in a transaction of its own. */
export async function deliver(orm: MikroORM, event: BusEvent): Promise<void> {
  const handler = financeEventHandlers()[event.topic];
  if (!handler) throw new Error(`finance handles no ${event.topic}`);
  await orm.em.fork().transactional((em: EntityManager) => handler(event, em));
}

export type SignedInput = Partial<DocumentSigned> & Pick<DocumentSigned, 'documentType' | 'counterpartyId'>;

/** A `documents.document.signed` payload with sensible defaults (signed now, status SIGNED). */
export function signedPayload(input: SignedInput): DocumentSigned {
  return {
    documentId: randomUUID(),
    number: `№ ${Math.floor(Math.random() * 10000)}`,
    dealId: null,
    actionId: null,
    status: 'SIGNED',
    signedAt: new Date().toISOString(),
    signedById: null,
    amountMinor: null,
    currency: 'RUB',
    title: null,
    date: null,
    contractId: null,
    invoiceId: null,
    dueDate: null,
    startDate: null,
    endDate: null,
    periodEnd: null,
    responsibleId: null,
    ...input,
  };
}

/** Signs a document (delivers its event) and returns its id. */
export async function sign(orm: MikroORM, input: SignedInput): Promise<string> {
  const payload = signedPayload(input);
  await deliver(orm, busEvent(DOCUMENT_SIGNED, payload as unknown as EventPayload));
  return payload.documentId;
}

export async function change(orm: MikroORM, input: SignedDocumentChanged): Promise<void> {
  await deliver(orm, busEvent(DOCUMENT_VERIFIED_CHANGED, input as unknown as EventPayload));
}

export type PaymentInput = {
  counterpartyId: string | null;
  amountMinor: number;
  date: string;
  contractId?: string | null;
  invoiceId?: string | null;
  direction?: PaymentDirection;
  matchStatus?: PaymentMatchStatus;
  number?: string;
};

/** A payment as a statement import would store it (MATCHED unless told otherwise). */
export async function storePayment(orm: MikroORM, input: PaymentInput): Promise<string> {
  const em = orm.em.fork();
  const number = input.number ?? String(Math.floor(Math.random() * 100000));
  const direction = input.direction ?? PaymentDirection.INCOMING;
  const payment = em.create(Payment, {
    fingerprint: createHash('sha256').update(`${input.date}|${number}|${input.amountMinor}|${randomUUID()}|${direction}`).digest('hex'),
    direction,
    number,
    date: input.date,
    amountMinor: input.amountMinor,
    purpose: `Оплата по счёту, сумма ${input.amountMinor / 100}`,
    counterpartyId: input.counterpartyId,
    contractId: input.contractId ?? null,
    invoiceId: input.invoiceId ?? null,
    matchStatus: input.matchStatus ?? PaymentMatchStatus.MATCHED,
    matchConfidence: 1,
    matchReasons: ['inn'],
  });
  await em.flush();
  return payment.id;
}
