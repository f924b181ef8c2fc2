import { randomUUID } from 'node:crypto';
import { apiKeyIdentity, ratingChangedContract, type DocumentSigned, type EventPayload, type Identity } from '@kartoteka/kit';
import { demoIdentity, startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import type { EntityManager } from '@mikro-orm/postgresql';
import { financeSubgraph } from '../../../subgraph';
import { afterLedgerChange, recordSignedDocument, recordSignedDocumentChange } from '../../ledger/ledger.service';
import { recomputeRatings } from '../rating.service';

/**
 * The rating service against a real PostgreSQL: facts enter as the ledger stores them (signed documents) plus matched
 * payments and contract terms, recomputeRatings reads them back through the facts loader, and the stored rating, its
 * history and the outbox follow. The numbers are the hand-computed fixtures of rating.calculator.spec.ts.
 */

const admin: Identity = demoIdentity('admin@kartoteka.local');
const manager: Identity = demoIdentity('manager@kartoteka.local');
const viewer: Identity = demoIdentity('viewer@kartoteka.local');
const financePartner: Identity = apiKeyIdentity('00000000-0000-4000-8000-00000000cccc', 'ERP', ['finance:read']);
const counterpartiesPartner: Identity = apiKeyIdentity('00000000-0000-4000-8000-00000000dddd', '1C', ['counterparties:read']);

/** The day the fixtures are judged on (noon UTC, so the calendar day is 2026-03-31 whatever the zone). */
const NOW = new Date('2026-03-31T12:00:00.000Z');

let subgraph: TestSubgraph;
let statements: string[] = [];
beforeAll(async () => {
  subgraph = await startTestSubgraph(financeSubgraph(undefined, { workers: false }), { onQuery: (sql) => statements.push(sql) });
});
afterAll(() => subgraph?.close());

const em = (): EntityManager => subgraph.orm.em.fork() as EntityManager;
const sql = <T>(query: string, params: unknown[] = []): Promise<T[]> => subgraph.orm.em.getConnection().execute<T[]>(query, params);

type Doc = { id?: string; type: 'CONTRACT' | 'INVOICE' | 'ACT'; counterpartyId: string; number: string; date: string; amountMinor: number | null; contractId?: string | null; invoiceId?: string | null; dueDate?: string | null; status?: string };

/** A signed document exactly as documents' `documents.document.signed` event carries it, stored by the ledger. */
async function sign(doc: Doc): Promise<string> {
  const id = doc.id ?? randomUUID();
  const signed: DocumentSigned = {
    documentId: id, documentType: doc.type, number: doc.number, counterpartyId: doc.counterpartyId, dealId: null, actionId: null,
    status: doc.status ?? 'SIGNED', signedAt: `${doc.date}T09:00:00.000Z`, signedById: null, amountMinor: doc.amountMinor, currency: 'RUB',
    title: null, date: doc.date, contractId: doc.contractId ?? null, invoiceId: doc.invoiceId ?? null, dueDate: doc.dueDate ?? null,
    startDate: null, endDate: null, periodEnd: null, responsibleId: null,
  };
  await em().transactional(async (tx) => {
    await recordSignedDocument(tx, signed);
  });
  return id;
}

/** A matched bank payment (a statement line). */
async function pay(p: { counterpartyId: string; contractId: string | null; invoiceId?: string | null; number: string; date: string; amountMinor: number; direction?: 'INCOMING' | 'OUTGOING' }): Promise<string> {
  const id = randomUUID();
  await sql(
    `insert into payments (id, fingerprint, direction, number, date, amount_minor, purpose, counterparty_id, contract_id, invoice_id, match_status)
     values (?, ?, ?, ?, ?, ?, 'test', ?, ?, ?, 'MATCHED')`,
    [id, id.replace(/-/g, ''), p.direction ?? 'INCOMING', p.number, p.date, p.amountMinor, p.counterpartyId, p.contractId, p.invoiceId ?? null],
  );
  return id;
}

async function terms(contractId: string, direction: 'RECEIVABLE' | 'PAYABLE', items: { kind: string; amountMinor: number; dueDate: string }[]): Promise<void> {
  await sql(`insert into contract_terms (contract_id, direction, updated_at) values (?, ?, now())`, [contractId, direction]);
  for (const [position, item] of items.entries()) {
    await sql(`insert into schedule_items (id, contract_id, position, kind, amount_minor, currency, due_date) values (?, ?, ?, ?, ?, 'RUB', ?)`, [randomUUID(), contractId, position, item.kind, item.amountMinor, item.dueDate]);
  }
}

/** The K1 + K2 fixture of rating.calculator.spec.ts for a fresh counterparty: score 63.8 (C) on 2026-03-31. */
async function twoContracts(): Promise<{ counterpartyId: string; k1: string; k2: string; i1: string; p1: string }> {
  const counterpartyId = randomUUID();
  const k1 = await sign({ type: 'CONTRACT', counterpartyId, number: 'K1', date: '2024-01-01', amountMinor: null });
  const i1 = await sign({ type: 'INVOICE', counterpartyId, number: 'I1', date: '2026-01-10', amountMinor: 10_000_000, contractId: k1, dueDate: '2026-01-20' });
  const i2 = await sign({ type: 'INVOICE', counterpartyId, number: 'I2', date: '2026-02-01', amountMinor: 5_000_000, contractId: k1 });
  await sign({ type: 'INVOICE', counterpartyId, number: 'I3', date: '2026-03-01', amountMinor: 3_000_000, contractId: k1, dueDate: '2026-04-10' });
  const p1 = await pay({ counterpartyId, contractId: k1, number: 'P1', date: '2026-01-18', amountMinor: 6_000_000 });
  await pay({ counterpartyId, contractId: k1, invoiceId: i2, number: 'P2', date: '2026-01-25', amountMinor: 6_000_000 });
  await pay({ counterpartyId, contractId: k1, number: 'P3', date: '2026-03-05', amountMinor: 2_000_000 });
  const k2 = await sign({ type: 'CONTRACT', counterpartyId, number: 'K2', date: '2025-06-01', amountMinor: 200_000_000, status: 'TERMINATED' });
  await terms(k2, 'PAYABLE', [
    { kind: 'DELIVERY', amountMinor: 100_000_000, dueDate: '2025-08-01' },
    { kind: 'DELIVERY', amountMinor: 100_000_000, dueDate: '2025-10-01' },
  ]);
  await sign({ type: 'ACT', counterpartyId, number: 'A1', date: '2025-07-25', amountMinor: 100_000_000, contractId: k2 });
  await sign({ type: 'ACT', counterpartyId, number: 'A2', date: '2025-10-15', amountMinor: 50_000_000, contractId: k2 });
  return { counterpartyId, k1, k2, i1, p1 };
}

type StoredRating = { score: string | null; grade: string | null; method_version: number; computed_at: Date; factors: { code: string; value: number | null }[] };
const storedRating = async (id: string) => (await sql<StoredRating>('select score, grade, method_version, computed_at, factors from ratings where counterparty_id = ?', [id]))[0];
const points = (id: string) => sql<{ score: string | null; grade: string | null; method_version: number }>('select score, grade, method_version from rating_points where counterparty_id = ? order by computed_at', [id]);
const ratingEvents = (id: string) => sql<{ payload: EventPayload }>(`select payload from outbox_events where topic = 'finance.rating.changed' and payload->>'counterpartyId' = ? order by created_at, id`, [id]);

async function recompute(ids: string[], now: Date): Promise<void> {
  await em().transactional((tx) => recomputeRatings(tx, ids, now));
}

const RATING = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Counterparty { id rating {
  score grade methodVersion computedAt
  factors { code weight value contribution explanation figures { name value } evidence { kind documentId document { id } paymentId label amount { minor currency } date note } }
  history { score grade methodVersion computedAt }
} } } }`;
type RatingData = { _entities: ({ id: string; rating: null | { score: number | null; grade: string | null; methodVersion: number; factors: { code: string; value: number | null; contribution: number; figures: { name: string; value: number }[]; evidence: { kind: string; documentId: string | null; document: { id: string } | null; paymentId: string | null; label: string; amount: { minor: number; currency: string } | null; note: string | null }[] }[]; history: { score: number | null; grade: string | null; methodVersion: number }[] } } | null)[] };
const representations = (ids: string[]) => ids.map((id) => ({ __typename: 'Counterparty', id }));

describe('recomputeRatings', () => {
  it('stores the score, the factors with evidence, a history point and a finance.rating.changed event', async () => {
    const { counterpartyId, i1 } = await twoContracts();
    await recompute([counterpartyId], NOW);
    const rating = await storedRating(counterpartyId);
    expect([Number(rating.score), rating.grade, rating.method_version]).toEqual([63.8, 'C', 1]);
    expect(new Date(rating.computed_at).toISOString()).toBe(NOW.toISOString());
    expect(rating.factors.map((f) => [f.code, f.value])).toEqual([
      ['PAYMENT_ON_TIME', 73.3], ['PAYMENT_DELAY', 22.2], ['OVERDUE_NOW', 93.3], ['DELIVERY_ON_TIME', 50], ['TERMINATIONS', 50], ['RELATIONSHIP', 60.9],
    ]);
    const overdue = rating.factors.find((f) => f.code === 'OVERDUE_NOW') as unknown as { evidence: { documentId: string; amountMinor: number }[] };
    expect(overdue.evidence[0]).toMatchObject({ documentId: i1, amountMinor: 1_000_000 });
    expect((await points(counterpartyId)).map((p) => [Number(p.score), p.grade, p.method_version])).toEqual([[63.8, 'C', 1]]);
    const events = await ratingEvents(counterpartyId);
    expect(events).toHaveLength(1);
    const parsed = ratingChangedContract.parse({ payload: events[0].payload });
    expect(parsed).toEqual({ ok: true, value: { counterpartyId, score: 63.8, grade: 'C', methodVersion: 1, computedAt: NOW.toISOString() } });
  });

  it('adds no point and no event when nothing changed, but keeps the factors current', async () => {
    const { counterpartyId } = await twoContracts();
    await recompute([counterpartyId], NOW);
    const later = new Date(NOW.getTime() + 60 * 60_000);
    await recompute([counterpartyId], later);
    expect(new Date((await storedRating(counterpartyId)).computed_at).toISOString()).toBe(later.toISOString());
    expect(await points(counterpartyId)).toHaveLength(1);
    expect(await ratingEvents(counterpartyId)).toHaveLength(1);
  });

  it('follows the verified facts only: an unsigned document changes nothing, a cancelled one drops out exactly', async () => {
    const { counterpartyId, k2, i1 } = await twoContracts();
    await recompute([counterpartyId], NOW);
    // A document finance never saw signed (a draft, or one still in approval) changing status or links: ignored by the
    // ledger (no fact), so no recomputation and no point — whatever it says about the contract.
    const draft = await em().transactional((tx) =>
      recordSignedDocumentChange(tx, { documentId: randomUUID(), documentType: 'INVOICE', status: 'IN_APPROVAL', contractId: k2, invoiceId: null, changedAt: NOW.toISOString() }),
    );
    expect(draft).toBeNull();
    // A signed PAYMENT_ORDER is an order, not money that moved: not a fact either (payments come from bank statements).
    const order = await em().transactional((tx) =>
      recordSignedDocument(tx, {
        documentId: randomUUID(), documentType: 'PAYMENT_ORDER', number: 'PO-1', counterpartyId, dealId: null, actionId: null, status: 'SIGNED',
        signedAt: NOW.toISOString(), signedById: null, amountMinor: 1_000_000, currency: 'RUB', title: null, date: '2026-03-30', contractId: null,
        invoiceId: i1, dueDate: null, startDate: null, endDate: null, periodEnd: null, responsibleId: null,
      }),
    );
    expect(order).toBeNull();
    await recompute([counterpartyId], new Date(NOW.getTime() + 500));
    expect(Number((await storedRating(counterpartyId)).score)).toBe(63.8);
    expect(await points(counterpartyId)).toHaveLength(1);
    // The terminated contract K2 is CANCELLED afterwards: no longer a verified fact. Through the ledger's own path
    // (change → afterLedgerChange → recomputeRatings): only K1 is left → 69.7 (C), hand-computed in the calculator spec.
    await em().transactional(async (tx) => {
      const change = await recordSignedDocumentChange(tx, { documentId: k2, documentType: 'CONTRACT', status: 'CANCELLED', contractId: null, invoiceId: null, changedAt: new Date(NOW.getTime() + 1000).toISOString() });
      expect(change).toEqual({ counterpartyId, type: 'CONTRACT' });
      await afterLedgerChange(tx, change, new Date(NOW.getTime() + 2000));
    });
    const rating = await storedRating(counterpartyId);
    expect([Number(rating.score), rating.grade]).toEqual([69.7, 'C']);
    expect(rating.factors.find((f) => f.code === 'DELIVERY_ON_TIME')?.value).toBeNull();
    expect((await points(counterpartyId)).map((p) => Number(p.score))).toEqual([63.8, 69.7]);
    expect((await ratingEvents(counterpartyId)).map((e) => e.payload.score)).toEqual([63.8, 69.7]);
  });

  it('stores nothing for a counterparty without facts', async () => {
    const nobody = randomUUID();
    await recompute([nobody], NOW);
    expect(await storedRating(nobody)).toBeUndefined();
    const result = await subgraph.request<RatingData>(RATING, { r: representations([nobody]) }, viewer);
    expect(result.errors).toBeUndefined();
    expect(result.data!._entities[0]!.rating).toBeNull();
  });
});

describe('Counterparty.rating', () => {
  it('returns the factors with figures and evidence (documents as federated references) and the history', async () => {
    const { counterpartyId, i1, p1 } = await twoContracts();
    await recompute([counterpartyId], NOW);
    const result = await subgraph.request<RatingData>(RATING, { r: representations([counterpartyId]) }, financePartner);
    expect(result.errors).toBeUndefined();
    const rating = result.data!._entities[0]!.rating!;
    expect([rating.score, rating.grade, rating.methodVersion]).toEqual([63.8, 'C', 1]);
    const onTime = rating.factors.find((f) => f.code === 'PAYMENT_ON_TIME')!;
    expect(onTime.contribution).toBe(25.67);
    expect(Object.fromEntries(onTime.figures.map((f) => [f.name, f.value]))).toEqual({ dueMinor: 15_000_000, onTimeMinor: 11_000_000, obligations: 2 });
    expect(onTime.evidence.slice(0, 2)).toEqual([
      { kind: 'OBLIGATION', documentId: i1, document: { id: i1 }, paymentId: null, label: '№ I1 · 2026-01-10', amount: { minor: 10_000_000, currency: 'RUB' }, date: '2026-01-20', note: 'partly settled, 70 days overdue' },
      { kind: 'PAYMENT', documentId: null, document: null, paymentId: p1, label: '№ P1 · 2026-01-18', amount: { minor: 6_000_000, currency: 'RUB' }, date: '2026-01-18', note: 'on time' },
    ]);
    expect(rating.history).toEqual([expect.objectContaining({ score: 63.8, grade: 'C', methodVersion: 1 })]);
  });

  it('reads the ratings and histories of a list in a fixed number of statements', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) ids.push((await twoContracts()).counterpartyId);
    await recompute(ids, NOW);
    const count = async (of: string[]) => {
      statements = [];
      const result = await subgraph.request<RatingData>(RATING, { r: representations(of) }, viewer);
      expect(result.errors).toBeUndefined();
      expect(result.data!._entities.map((e) => e!.rating!.score)).toEqual(of.map(() => 63.8));
      return statements.length;
    };
    const one = await count(ids.slice(0, 1));
    expect(await count(ids)).toBe(one);
    expect(one).toBeLessThanOrEqual(2);
  });

  it('needs finance:read', async () => {
    const result = await subgraph.request<RatingData>(RATING, { r: representations([randomUUID()]) }, counterpartiesPartner);
    expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

const SET = `mutation($input: SetRatingWeightsInput!) { setRatingWeights(input: $input) { version current createdAt createdBy { id } weights { factor weight } } }`;
const METHODS = `{ ratingMethods { version current createdBy { id } weights { factor weight } } }`;
const weightsOf = (w: Record<string, number>) => ({ weights: Object.entries(w).map(([factor, weight]) => ({ factor, weight })) });
const DEFAULTS = { PAYMENT_ON_TIME: 35, PAYMENT_DELAY: 15, OVERDUE_NOW: 20, DELIVERY_ON_TIME: 10, TERMINATIONS: 10, RELATIONSHIP: 10 };

describe('setRatingWeights', () => {
  it.each([
    ['two decimals', { ...DEFAULTS, PAYMENT_DELAY: 10.25 }, /one decimal/],
    ['above 100', { ...DEFAULTS, PAYMENT_DELAY: 101 }, /between 0 and 100/],
    ['a missing factor', { PAYMENT_DELAY: 10 }, /missing/],
    ['all zero', { PAYMENT_ON_TIME: 0, PAYMENT_DELAY: 0, OVERDUE_NOW: 0, DELIVERY_ON_TIME: 0, TERMINATIONS: 0, RELATIONSHIP: 0 }, /above 0/],
  ])('refuses %s with BAD_USER_INPUT on `weights`, adding no version', async (_name, weights, message) => {
    const result = await subgraph.request(SET, { input: weightsOf(weights) }, admin);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'weights' });
    expect(result.errors?.[0]?.message).toMatch(message);
    expect(await sql('select version from rating_methods')).toHaveLength(1);
  });

  it.each([
    ['a manager', manager, 'FORBIDDEN'],
    ['an API key with finance:read', financePartner, 'FORBIDDEN'],
    ['an anonymous caller', { kind: 'anonymous' } as Identity, 'UNAUTHENTICATED'],
  ])('is refused to %s', async (_name, identity, code) => {
    const result = await subgraph.request(SET, { input: weightsOf(DEFAULTS) }, identity);
    expect(result.errors?.[0]?.extensions?.code).toBe(code);
    expect(await sql('select version from rating_methods')).toHaveLength(1);
  });

  it('adds a method version and recomputes every rating with it; old points keep their version', async () => {
    // Counterparty W, judged the same on any day from 2026 on: contract KW signed 2020-01-01 (RECEIVABLE, no amount),
    // IW1 1 000 000 due 2024-02-10 paid that day, IW2 3 000 000 due 2024-03-01 paid 2024-04-06 (36 days late).
    //  PAYMENT_ON_TIME 100 × 1/4 = 25; PAYMENT_DELAY d̄ = 3 × 36 / 4 = 27 → 100 × (1 − 27/60) = 55;
    //  OVERDUE_NOW no data (nothing fell due within 365 days, nothing overdue); DELIVERY_ON_TIME no data;
    //  TERMINATIONS 100; RELATIONSHIP 50 (≥ 24 months) + 50 × 4 000 000 / 1 000 000 000 = 50.2.
    // Version 1 (35/15/–/–/10/10, Σ 70): (875 + 825 + 1000 + 502) / 70 = 45.74 → 45.7, D.
    // Version 2 (only TERMINATIONS 10 and RELATIONSHIP 10, Σ 20): (1000 + 502) / 20 = 75.1, B.
    const w = randomUUID();
    const kw = await sign({ type: 'CONTRACT', counterpartyId: w, number: 'KW', date: '2020-01-01', amountMinor: null });
    const iw1 = await sign({ type: 'INVOICE', counterpartyId: w, number: 'IW1', date: '2024-02-01', amountMinor: 1_000_000, contractId: kw, dueDate: '2024-02-10' });
    const iw2 = await sign({ type: 'INVOICE', counterpartyId: w, number: 'IW2', date: '2024-02-20', amountMinor: 3_000_000, contractId: kw, dueDate: '2024-03-01' });
    await pay({ counterpartyId: w, contractId: kw, invoiceId: iw1, number: 'PW1', date: '2024-02-10', amountMinor: 1_000_000 });
    await pay({ counterpartyId: w, contractId: kw, invoiceId: iw2, number: 'PW2', date: '2024-04-06', amountMinor: 3_000_000 });
    await recompute([w], NOW);
    expect([Number((await storedRating(w)).score), (await storedRating(w)).grade]).toEqual([45.7, 'D']);

    const v2 = { PAYMENT_ON_TIME: 0, PAYMENT_DELAY: 0, OVERDUE_NOW: 0, DELIVERY_ON_TIME: 0, TERMINATIONS: 10, RELATIONSHIP: 10 };
    const result = await subgraph.request<{ setRatingWeights: { version: number; current: boolean; createdBy: { id: string }; weights: { factor: string; weight: number }[] } }>(SET, { input: weightsOf(v2) }, admin);
    expect(result.errors).toBeUndefined();
    expect(result.data!.setRatingWeights).toMatchObject({ version: 2, current: true, createdBy: { id: '00000000-0000-4000-8000-000000000001' } });
    expect(result.data!.setRatingWeights.weights).toEqual(Object.entries(v2).map(([factor, weight]) => ({ factor, weight })));

    const rating = await storedRating(w);
    expect([Number(rating.score), rating.grade, rating.method_version]).toEqual([75.1, 'B', 2]);
    expect((await points(w)).map((p) => [Number(p.score), p.grade, p.method_version])).toEqual([[45.7, 'D', 1], [75.1, 'B', 2]]);
    expect((await ratingEvents(w)).map((e) => [e.payload.score, e.payload.methodVersion])).toEqual([[45.7, 1], [75.1, 2]]);

    // Every other rated counterparty moved to version 2 as well.
    expect(await sql('select counterparty_id from ratings where method_version <> 2')).toEqual([]);
    const methods = await subgraph.request<{ ratingMethods: { version: number; current: boolean; createdBy: { id: string } | null }[] }>(METHODS, {}, viewer);
    expect(methods.errors).toBeUndefined();
    expect(methods.data!.ratingMethods.map((m) => [m.version, m.current, m.createdBy?.id ?? null])).toEqual([
      [2, true, '00000000-0000-4000-8000-000000000001'],
      [1, false, null],
    ]);
  });
});
